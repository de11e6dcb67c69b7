// D1 access: schema, client and repositories.
export { createDb, type Db } from "./client";
export * as schema from "./schema";
export type {
  ExecutionRow,
  NewExecutionRow,
  WorkflowRow,
  WorkflowVersionRow,
  WorkflowMetadata,
  SourceKind,
} from "./schema";
export {
  upsertExecution,
  getExecution,
  findExecutionByIdempotencyKey,
  listExecutions,
  encodeCursor,
  decodeCursor,
  InvalidCursorError,
  MAX_PAGE_SIZE,
  type ExecutionFilter,
  type ExecutionPage,
} from "./executions-repo";
export {
  registerWorkflowVersion,
  getWorkflow,
  getWorkflowVersion,
  listWorkflows,
  listWorkflowVersions,
  deleteWorkflowVersion,
  type RegisterVersionInput,
  type RegisterVersionResult,
  type WorkflowWithVersions,
} from "./workflows-repo";
export { findApiKeyByHash, insertApiKey, listApiKeys, revokeApiKey, type NewApiKeyRow } from "./api-keys-repo";
export {
  putSecret,
  listSecrets,
  getSecretRow,
  getSecretRows,
  allSecretRows,
  replaceSecretCiphertext,
  deleteSecret,
  type SecretCiphertext,
  type SecretSummary,
} from "./secrets-repo";
