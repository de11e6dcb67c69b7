// Lint rules. The engine must stay pure: no runtime or adapter imports (SPEC §1, STYLE principle 1).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules", "coverage", ".wrangler", "dist", "migrations", "bench/cf-workflows/.wrangler"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["cloudflare:*", "node:*"], message: "src/engine is pure: runtime modules come in through ports." },
            { group: ["hono", "hono/*", "drizzle-orm", "drizzle-orm/*"], message: "src/engine is pure: no adapters." },
          ],
        },
      ],
    },
  },
  { files: ["**/*.js"], ...tseslint.configs.disableTypeChecked },
);
