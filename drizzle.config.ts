// drizzle-kit: `npx drizzle-kit generate` writes D1 SQL into migrations/ (applied by `wrangler d1 migrations apply`).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
