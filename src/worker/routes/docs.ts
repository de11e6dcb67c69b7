// GET /openapi.json (generated from the zod-openapi routes registered on the app) and GET /docs (Swagger UI).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { swaggerUI } from "@hono/swagger-ui";
import type { AppEnv } from "../env";

export function registerDocs(app: OpenAPIHono<AppEnv>, version: string): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc("/openapi.json", {
    openapi: "3.0.3",
    info: { title: "Flux", version, description: "Durable workflow engine on Cloudflare Workers" },
    security: [{ bearer: [] }],
  });
  app.get("/docs", swaggerUI({ url: "/openapi.json" }));
}
