// Use cases behind the REST routes: thin handlers call these; these call D1 repos and Durable Objects.
export * as executions from "./executions";
export * as workflows from "./workflows";
export { ensureBundledRegistered, bundledHash, bundledMetadata, inputJsonSchema } from "./registry";
export {
  EXECUTION_ID_PATTERN,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  idempotentExecutionId,
  randomExecutionId,
} from "./execution-ids";
export { rpcErrorToApi, unwrap } from "./outcome";
export type { Delivery, Mode, RunRequest, IndexItem } from "./executions";
export type { WorkflowDetail, WorkflowListItem, WorkflowVersionItem } from "./workflows";
