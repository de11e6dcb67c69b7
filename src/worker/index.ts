// Worker entry: the fetch handler and the Durable Object classes workerd must see as top-level exports.
import { createApp } from "./app";
import type { Env } from "./env";

export { ExecutionDO } from "../durable-objects/execution-do";
export { OutboundGateway } from "./outbound-gateway";
export { AuthThrottleDO } from "../durable-objects/auth-throttle-do";
export { SchedulerDO } from "../durable-objects/scheduler-do";

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
