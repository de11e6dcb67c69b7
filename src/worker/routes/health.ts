// GET /health: liveness plus a D1 round trip. Public (no token) so load balancers and `npm start` can poll it.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../env";

const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    version: z.string(),
    database: z.enum(["ok", "unavailable"]),
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["system"],
  summary: "Service health",
  security: [],
  responses: {
    200: { content: { "application/json": { schema: HealthSchema } }, description: "Healthy" },
    503: { content: { "application/json": { schema: HealthSchema } }, description: "Database unavailable" },
  },
});

async function databaseHealthy(db: D1Database): Promise<boolean> {
  try {
    const row = await db.prepare("SELECT 1 AS ok").first<{ ok: number }>();
    return row?.ok === 1;
  } catch {
    return false;
  }
}

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const ok = await databaseHealthy(c.env.DB);
  const version = c.env.FLUX_VERSION ?? "unknown";
  return ok
    ? c.json({ status: "ok" as const, version, database: "ok" as const }, 200)
    : c.json({ status: "degraded" as const, version, database: "unavailable" as const }, 503);
});
