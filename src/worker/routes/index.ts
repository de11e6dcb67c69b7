// One resource per file; app.ts mounts them all here.
export { healthRoutes } from "./health";
export { registerDocs } from "./docs";
export { registerAdminKeysRoutes } from "./admin-keys";
export { registerAdminSecretsRoutes } from "./admin-secrets";
export { registerWorkflowRoutes } from "./workflows";
export { registerWorkflowExecutionRoutes } from "./workflow-executions";
export { registerExecutionRoutes } from "./executions";
export { registerWebhookRoutes } from "./webhooks";
export { registerScheduleRoutes } from "./schedules";
