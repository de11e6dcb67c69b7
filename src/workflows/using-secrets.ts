// using_secrets: a task that requests the secret "example" and then tries every way of leaking it — returning it
// (raw and inside JSON text), logging it, reporting it as progress, or throwing an error that contains it.
// Used by test/worker/security-secrets.test.ts to prove no API response, event or SSE frame shows the value.
// Input: { mode?: "return" | "progress" | "throw" | "missing" } (default "return").
import { progress, task, taskContext, workflow, type ExecutionContext } from "flux";

type Mode = "return" | "progress" | "throw" | "missing";

const useSecret = task.withOptions(
  { name: "use_secret", secretRequests: ["example"] },
  async (mode: Mode) => {
    const value = taskContext().secrets.example ?? "";
    console.log(`use_secret got ${value}`);
    if (mode === "progress") {
      // Give a stream subscriber time to attach before the frame is sent.
      await new Promise((resolve) => setTimeout(resolve, 300));
      progress({ secret: value, note: `progress with ${value}` });
    }
    if (mode === "throw") throw new Error(`upstream rejected key ${value}`);
    return { echoed: value, json: JSON.stringify({ key: value }), sentence: `the key is ${value}!` };
  },
);

const useMissingSecret = task.withOptions(
  { name: "use_missing_secret", secretRequests: ["example", "flux_missing_a", "flux_missing_b"] },
  async () => "unreachable",
);

export const usingSecrets = workflow.withOptions(
  { name: "using_secrets", description: "Requests the secret `example` and tries to leak it (tests)" },
  async (ctx: ExecutionContext<{ mode?: Mode } | null>) => {
    const mode = ctx.input?.mode ?? "return";
    if (mode === "missing") return await useMissingSecret();
    return await useSecret(mode);
  },
);
