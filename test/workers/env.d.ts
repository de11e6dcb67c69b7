// Types for tests running inside workerd: `cloudflare:test` helpers and the Worker's Env on `cloudflare:workers`.
/// <reference types="@cloudflare/vitest-plugin/types" />
import type { D1Migration } from "cloudflare:test";
import type { Env } from "../../src/worker/env";

declare global {
  namespace Cloudflare {
    interface Env extends import("../../src/worker/env").Env {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
export type { Env };
