// Test projects: the folder decides the runtime (STYLE principle 10).
// - node:    pure engine, security primitives, CLI helpers — plain Node.
// - workers: Durable Object and route tests inside workerd (vitest.workers.config.ts).
// - e2e:     a real `wrangler dev` process started by the test.
import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

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
        test: { name: "node", include: ["test/engine/**/*.test.ts", "test/security/**/*.test.ts"], environment: "node" },
      },
    ],
  },
});
