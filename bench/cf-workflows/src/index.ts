// The benchmark workloads on Cloudflare Workflows: one WorkflowEntrypoint per workload, step for step the same
// as Flux's src/workflows/bench.ts (a Flux task = one step.do with a distinct name: steps are memoised by
// name). Each returns { end } = the time right after its last step, read after one event-loop turn because
// workerd's Date.now() only advances on I/O (see bench/README.md, "Clocks").
//
// HTTP (loopback only, driven by bench/workloads/compare.js):
//   POST /run/{kind}          body = params        → { id }
//   GET  /wait/{kind}/{id}?poll=ms                 → the instance status once complete/errored/terminated
//   GET  /health
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";

interface Env {
  SEQUENTIAL: Workflow;
  PARALLEL: Workflow;
  SLEEP: Workflow;
  RETRY: Workflow;
  PAYLOAD: Workflow;
}

type Params = { n?: number; size?: number; seconds?: number };

const clock = (): Promise<number> => new Promise((resolve) => setTimeout(() => resolve(Date.now()), 0));

export class SequentialWorkflow extends WorkflowEntrypoint<Env, Params> {
  override async run(event: WorkflowEvent<Params>, step: WorkflowStep) {
    const n = event.payload.n ?? 1000;
    for (let i = 0; i < n; i++) await step.do(`noop-${i}`, async () => i);
    return { end: await clock(), tasks: n };
  }
}

export class ParallelWorkflow extends WorkflowEntrypoint<Env, Params> {
  override async run(event: WorkflowEvent<Params>, step: WorkflowStep) {
    const n = event.payload.n ?? 100;
    await Promise.all(Array.from({ length: n }, (_, i) => step.do(`noop-${i}`, async () => i)));
    return { end: await clock(), tasks: n };
  }
}

export class SleepWorkflow extends WorkflowEntrypoint<Env, Params> {
  override async run(event: WorkflowEvent<Params>, step: WorkflowStep) {
    const before = await step.do("stamp", async () => clock());
    await step.sleep("sleep", (event.payload.seconds ?? 1) * 1000);
    await step.do("noop-1", async () => 1);
    return { before, end: await clock() };
  }
}

// First failure time per instance: the retry delays are measured from the end of the first attempt.
const firstFailure = new Map<string, { at: number; failures: number }>();

export class RetryWorkflow extends WorkflowEntrypoint<Env, Params> {
  override async run(event: WorkflowEvent<Params>, step: WorkflowStep) {
    const id = event.instanceId;
    const before = await step.do(
      "flaky",
      { retries: { limit: 2, delay: 100, backoff: "constant" } },
      async () => {
        const seen = firstFailure.get(id) ?? { at: await clock(), failures: 0 };
        if (seen.failures < 2) {
          firstFailure.set(id, { at: seen.at, failures: seen.failures + 1 });
          throw new Error(`flaky attempt ${seen.failures + 1} fails on purpose`);
        }
        firstFailure.delete(id);
        return seen.at;
      },
    );
    return { before, end: await clock() };
  }
}

export class PayloadWorkflow extends WorkflowEntrypoint<Env, Params> {
  override async run(event: WorkflowEvent<Params>, step: WorkflowStep) {
    const n = event.payload.n ?? 200;
    const size = event.payload.size ?? 10_240;
    let bytes = 0;
    for (let i = 0; i < n; i++)
      bytes += (await step.do(`payload-${i}`, async () => `${i}:`.padEnd(size, "x"))).length;
    return { end: await clock(), tasks: n, bytes };
  }
}

const bindings: Record<string, keyof Env> = {
  sequential: "SEQUENTIAL",
  parallel: "PARALLEL",
  sleep: "SLEEP",
  retry: "RETRY",
  payload: "PAYLOAD",
};

const DONE = new Set(["complete", "errored", "terminated"]);

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const [, action, kind, id] = url.pathname.split("/");
    if (action === "health") return Response.json({ status: "ok" });
    const binding = kind === undefined ? undefined : bindings[kind];
    if (!binding) return Response.json({ error: "unknown workflow" }, { status: 404 });
    const workflow = env[binding];
    if (action === "run" && request.method === "POST") {
      const params = (await request.json()) as Params;
      const instance = await workflow.create({ params });
      return Response.json({ id: instance.id });
    }
    if (action === "wait" && id) {
      const poll = Number(url.searchParams.get("poll") ?? "20");
      const instance = await workflow.get(id);
      for (;;) {
        const status = await instance.status();
        if (DONE.has(status.status)) return Response.json(status);
        await new Promise((resolve) => setTimeout(resolve, poll));
      }
    }
    return Response.json({ error: "not found" }, { status: 404 });
  },
};
