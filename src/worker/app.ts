// The Hono app: middleware order, error mapping and route mounting. No business logic here.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env";
import { BadRequestError, handleError, handleNotFound, zodDetails } from "./errors";
import { authMiddleware, type AuthOptions } from "./middleware/auth";
import { bodyLimitMiddleware } from "./middleware/body-limit";
import { corsMiddleware } from "./middleware/cors";
import { securityHeadersMiddleware } from "./middleware/security-headers";
import { registerWorkflowUploadRoutes } from "./routes/workflow-uploads";
import {
  healthRoutes,
  registerAdminKeysRoutes,
  registerAdminSecretsRoutes,
  registerDocs,
  registerExecutionRoutes,
  registerScheduleRoutes,
  registerWebhookRoutes,
  registerWorkflowExecutionRoutes,
  registerWorkflowRoutes,
} from "./routes";

export const FLUX_API_VERSION = "0.1.0";

export interface AppOptions {
  auth?: AuthOptions;
}

/** Every OpenAPI router shares this: validation failures become 400 JSON via `handleError`. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success)
        throw new BadRequestError("Request validation failed", zodDetails(result.error), "validation_failed");
    },
  });
}

export function createApp(options: AppOptions = {}): OpenAPIHono<AppEnv> {
  const app = createRouter();
  app.onError(handleError);
  app.notFound(handleNotFound);
  // Order matters: headers wrap everything; CORS answers preflights before auth; auth (policy table) before bodies.
  app.use("*", securityHeadersMiddleware());
  app.use("*", corsMiddleware());
  app.use("*", authMiddleware(options.auth));
  app.use("*", bodyLimitMiddleware());

  app.route("/", healthRoutes);
  registerWorkflowRoutes(app);
  registerWorkflowExecutionRoutes(app);
  registerExecutionRoutes(app);
  registerAdminSecretsRoutes(app);
  registerAdminKeysRoutes(app);
  registerWorkflowUploadRoutes(app);
  registerWebhookRoutes(app);
  registerScheduleRoutes(app);
  registerDocs(app, FLUX_API_VERSION);
  return app;
}
