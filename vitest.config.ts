// Test projects: the folder decides the runtime (STYLE principle 10).
// - node:    pure engine, security primitives, CLI helpers — plain Node.
// - workers: Durable Object and route tests inside workerd (wrangler.toml bindings, D1 migrations applied).
// - e2e:     a real `wrangler dev` process started by the test.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";
// @ts-expect-error -- plain ESM build script without type declarations
import { buildSandbox } from "./scripts/build-sandbox.js";

// The Worker imports the sandbox modules generated from src/sandbox (uploaded workflows run on them).
buildSandbox();

const sdk = fileURLToPath(new URL("./src/sdk/index.ts", import.meta.url));

export default defineConfig({
  resolve: { alias: { flux: sdk } },
  test: {
    coverage: {
      provider: "v8",
      include: ["src/engine/**/*.ts"],
      exclude: ["src/engine/**/*.d.ts"],
      reporter: ["text-summary", "text"],
      thresholds: { lines: 90 },
    },
    projects: [
      {
        extends: true,
        test: { name: "node", include: ["test/engine/**/*.test.ts", "test/security/**/*.test.ts", "test/cli/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                FLUX_ADMIN_TOKEN: "test-admin-token",
                FLUX_ENCRYPTION_KEY: "test-encryption-key-0123456789abcdef-current",
                FLUX_ENCRYPTION_KEY_PREVIOUS: "test-encryption-key-0123456789abcdef-previous",
                TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url))),
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts", "test/durable-objects/**/*.test.ts", "test/worker/**/*.test.ts"],
          setupFiles: ["./test/workers/apply-migrations.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
