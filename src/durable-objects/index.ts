// The Durable Object classes and the RPC contract the Worker uses to reach them.
export { ExecutionDO, type CallOptions } from "./execution-do.ts";
export type { ExecutionView, Outcome, RpcError, RpcErrorCode, StartRequest } from "./rpc-types.ts";
export { bundledWorkflow } from "./workflow-resolver.ts";
