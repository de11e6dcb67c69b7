// Types for tests running inside workerd: `cloudflare:test` helpers, the Worker's Env on `cloudflare:workers`
// and the main module's exports (so `exports.default.fetch` is typed).
/// <reference types="@cloudflare/vitest-plugin/types" />
import type { D1Migration } from "cloudflare:test";
import type { Env as FluxEnv } from "../../src/worker/env";

declare global {
  namespace Cloudflare {
    interface Env extends FluxEnv {
      TEST_MIGRATIONS: D1Migration[];
    }
    interface GlobalProps {
      mainModule: typeof import("../../src/worker/index");
    }
  }
}
