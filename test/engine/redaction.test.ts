// Secret values in recorded events: plain and JSON-escaped occurrences are masked in every host (the engine
// forms the events, including inside sandboxed isolates).
import { describe, expect, it } from "vitest";
import { task, taskContext, workflow } from "flux";

const SECRET = 'pa"ss\\word-1234';

const leaky = task.withOptions({ name: "leaky", secretRequests: ["API_KEY"] }, () => {
  const key = taskContext().secrets.API_KEY as string;
  return { plain: `key=${key}`, embedded: JSON.stringify({ key }) };
});

const wf = workflow("redaction_escaped", async () => await leaky());

describe("redaction of secrets in events", () => {
  it("masks the value and its JSON-escaped form; the workflow gets what a replay would get", async () => {
    const ctx = await wf.run(null, { ports: { secrets: { get: async () => ({ API_KEY: SECRET }) } } });
    const log = JSON.stringify(ctx.events);
    expect(log).not.toContain("word-1234");
    expect(ctx.output).toEqual({ plain: "key=***", embedded: '{"key":"***"}' });
  });
});
