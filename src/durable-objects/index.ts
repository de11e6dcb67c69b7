// Durable Object classes exported by the Worker.
export { ExecutionDO } from "./execution-do";
export type { PingResult } from "./execution-do";
