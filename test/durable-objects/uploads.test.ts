// Uploaded workflows: POST /workflows registers an ES module after static checks and discovery in a sandboxed
// isolate; runs execute the engine inside the isolate and checkpoint to the ExecutionDO (source of truth).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../workers/helpers.ts";
import { detailed, fastForward, start, stubFor, timerRows, unwrap, until } from "./helpers.ts";

let serial = 0;
/** Unique workflow names per test (D1 is shared within a file). */
const uid = () => `${Date.now().toString(36)}${(serial++).toString(36)}`;

async function upload(source: string, filename = "workflows.js"): Promise<Response> {
  const form = new FormData();
  form.append("file", new File([source], filename, { type: "text/javascript" }));
  return call("/workflows", { method: "POST", body: form });
}

async function uploadOk(source: string) {
  const response = await upload(source);
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body as { name: string; version: number; hash: string; created: boolean }[];
}

const greetModule = (name: string, greeting = "Hello") => `
import { task, workflow, pause, sleep, parallel } from "flux";
const greet = task("greet", async (who) => "${greeting}, " + who);
const shout = task("shout", async (text) => text.toUpperCase());
export const ${name.replace(/-/g, "_")} = workflow("${name}", async (ctx) => {
  const text = await greet(ctx.input);
  const [a, b] = await parallel(shout(text), greet("twice"));
  return { text, a, b };
});
export const ${name.replace(/-/g, "_")}_pause = workflow("${name}-pause", async (ctx) => {
  const before = await greet(ctx.input);
  const answer = await pause("approve", { output: { before } });
  return "${greeting} v: " + before + " / " + JSON.stringify(answer);
});
export const ${name.replace(/-/g, "_")}_sleep = workflow("${name}-sleep", async () => {
  await sleep(3600);
  return await greet("after sleep");
});
`;

describe("POST /workflows: register uploaded modules", () => {
  it("registers every exported workflow as version 1; the same code again adds no version", async () => {
    const name = `up-${uid()}`;
    const first = await uploadOk(greetModule(name));
    expect(first.map((w) => [w.name, w.version, w.created]).sort()).toEqual(
      [[name, 1, true], [`${name}-pause`, 1, true], [`${name}-sleep`, 1, true]].sort(),
    );
    const again = await uploadOk(greetModule(name));
    expect(again.every((w) => w.version === 1 && !w.created)).toBe(true);
    const changed = await uploadOk(greetModule(name, "Hi"));
    expect(changed.find((w) => w.name === name)?.version).toBe(2);

    // GET /workflows/{name} shows the latest version, or ?version=N; versions, hash and source kind.
    const latest = (await (await call(`/workflows/${name}`)).json()) as Record<string, unknown>;
    expect(latest).toMatchObject({ name, version: 2, versions: [1, 2], source_kind: "uploaded" });
    const v1 = (await (await call(`/workflows/${name}?version=1`)).json()) as Record<string, unknown>;
    expect(v1).toMatchObject({ version: 1, hash: first[0]?.hash });
    expect(v1.hash).not.toBe(latest.hash);
    expect((await call(`/workflows/${name}?version=9`)).status).toBe(404);
    expect((await call(`/workflows/${name}?version=x`)).status).toBe(400);
  });

  it("rejects bad uploads with a clear 4xx and registers nothing", async () => {
    const cases: [string, () => Promise<Response>, number, string | RegExp][] = [
      ["no file field", () => call("/workflows", { method: "POST", body: new FormData() }), 400, "file_required"],
      ["not multipart", () => call("/workflows", { method: "POST", body: "x", headers: { "content-type": "text/plain" } }), 400, "multipart_required"],
      ["empty file", () => upload(""), 400, "empty_file"],
      ["syntax error", () => upload("import { workflow } from 'flux';\nexport const x = workflow('x', async () => {\n  return 1 +;\n});"), 422, "invalid_workflow_source"],
      ["throws at load", () => upload("import { workflow } from 'flux';\nthrow new Error('boom at load');"), 422, "invalid_workflow_source"],
      ["no workflow", () => upload("export const answer = 42;"), 422, "invalid_workflow_source"],
      ["two workflows, one name", () => upload(`import { workflow } from "flux";\nexport const a = workflow("dup-${uid()}", async () => 1);\nexport const b = workflow(a.name, async () => 2);`), 422, "invalid_workflow_source"],
      ["bad name", () => upload(`import { workflow } from "flux";\nexport const a = workflow("Bad.Name", async () => 1);`), 422, "invalid_workflow_source"],
      ["other imports", () => upload(`import fs from "node:fs";\nexport const x = 1;`), 422, "invalid_workflow_source"],
      ["bundled name", () => upload(`import { workflow } from "flux";\nexport const a = workflow("hello_world", async () => 1);`), 409, "name_taken"],
      ["too large", () => upload("// " + "x".repeat(1024 * 1024 + 10)), 413, "payload_too_large"],
    ];
    for (const [label, send, status, code] of cases) {
      const response = await send();
      const body = (await response.json()) as { error: { code: string; message: string; details?: { line?: number } } };
      expect(response.status, label).toBe(status);
      expect(body.error.code, label).toMatch(code);
    }
    const syntax = (await (await upload("const a = 1;\nconst b = ;\n")).json()) as { error: { details: { line: number } } };
    expect(syntax.error.details.line).toBe(2);
    const loadFailure = (await (await upload("import { workflow } from 'flux';\nthrow new Error('boom at load');")).json()) as { error: { message: string } };
    expect(loadFailure.error.message).toContain("boom at load");
  });
});

describe("auto schedules from uploaded code", () => {
  it("workflow.withOptions({ schedule }) in an upload keeps a <name>_auto schedule", async () => {
    const name = `auto-${uid()}`;
    await uploadOk(`
import { workflow } from "flux";
export const nightly = workflow.withOptions(
  { name: "${name}", schedule: { type: "interval", every_seconds: 3600, overlap: "skip" } },
  async () => "ran",
);
`);
    const listed = (await (await call(`/schedules?workflow=${name}`)).json()) as { name: string; workflow: string; status: string }[];
    expect(listed).toEqual([expect.objectContaining({ name: `${name}_auto`, workflow: name, status: "active" })]);
  });
});

describe("input schemas of uploaded workflows", () => {
  it("the sandbox applies the workflow's inputSchema before anything is created (400 invalid_input)", async () => {
    const name = `typed-${uid()}`;
    await uploadOk(`
import { workflow } from "flux";
const schema = {
  safeParse: (v) =>
    v && typeof v.name === "string"
      ? { success: true, data: { name: v.name.trim() } }
      : { success: false, error: { message: "name is required", issues: [{ path: ["name"], message: "Required" }] } },
};
export const typed = workflow.withOptions({ name: "${name}", inputSchema: schema }, async (ctx) => "hi " + ctx.input.name);
`);
    const post = (body: unknown) =>
      call(`/workflows/${name}/run/sync`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    const good = (await (await post({ name: "  Ada " })).json()) as { state: string; output: string; input: unknown };
    expect(good).toMatchObject({ state: "COMPLETED", output: "hi Ada", input: { name: "Ada" } });
    const bad = await post({ nom: "x" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "invalid_input", details: [{ path: "name", message: "Required" }] } });
  });
});

describe("running uploaded workflows in the sandbox", () => {
  it("runs an uploaded workflow with tasks and parallel, events checkpointed to the object", async () => {
    const name = `run-${uid()}`;
    await uploadOk(greetModule(name));
    const { view } = await start(name, "Ada", { wait: true, detailed: true });
    expect(view.state).toBe("COMPLETED");
    expect(view.output).toEqual({ text: "Hello, Ada", a: "HELLO, ADA", b: "Hello, twice" });
    expect(view.events?.map((e) => e.type)).toEqual([
      "WORKFLOW_STARTED",
      "TASK_STARTED", "TASK_COMPLETED",
      "TASK_STARTED", "TASK_STARTED", "TASK_STARTED", "TASK_COMPLETED", "TASK_COMPLETED", "TASK_COMPLETED",
      "WORKFLOW_COMPLETED",
    ]);
  });

  it("pause → resume, and a run stays pinned to its version when new code is uploaded", async () => {
    const name = `pin-${uid()}`;
    await uploadOk(greetModule(name, "v1"));
    const { stub, view } = await start(`${name}-pause`, "Bob", { wait: true });
    expect(view.state).toBe("PAUSED");
    expect(view.output).toEqual({ before: "v1, Bob" });
    const v2 = await uploadOk(greetModule(name, "v2"));
    expect(v2.find((w) => w.name === `${name}-pause`)?.version).toBe(2);
    const resumed = unwrap(await stub.resume({ ok: true }, { wait: true }));
    expect(resumed.state).toBe("COMPLETED");
    expect(resumed.output).toBe('v1 v: v1, Bob / {"ok":true}');
  });

  it("sleep in an uploaded workflow is a durable timer row woken by the alarm", async () => {
    const name = `slp-${uid()}`;
    await uploadOk(greetModule(name));
    const { stub } = await start(`${name}-sleep`, null);
    await until(() => timerRows(stub), (rows) => rows.some((row) => row.id.startsWith("sleep:")));
    await fastForward(stub, "sleep:");
    const done = await until(() => detailed(stub), (v) => v.state === "COMPLETED");
    expect(done.output).toBe("Hello, after sleep");
  });

  it("cancel reaches the isolate: the sleeping task records TASK_CANCELLED", async () => {
    const name = `cnl-${uid()}`;
    await uploadOk(greetModule(name));
    const { stub } = await start(`${name}-sleep`, null);
    await until(() => timerRows(stub), (rows) => rows.some((row) => row.id.startsWith("sleep:")));
    const cancelled = unwrap(await stub.cancel({ wait: true, detailed: true }));
    expect(cancelled.state).toBe("CANCELLED");
    expect(cancelled.events?.map((e) => e.type)).toContain("TASK_CANCELLED");
  });

  it("retries and fallback work in the sandbox", async () => {
    const name = `rty-${uid()}`;
    await uploadOk(`
import { task, workflow } from "flux";
let calls = 0;
const flaky = task.withOptions({ name: "flaky", retryMaxAttempts: 2, retryDelay: 0 }, async () => {
  calls++;
  if (calls < 3) throw new Error("not yet");
  return "ok after " + calls;
});
const broken = task.withOptions({ name: "broken", fallback: () => "fell back" }, async () => { throw new Error("nope"); });
export const wf = workflow("${name}", async () => [await flaky(), await broken()]);
`);
    const { view } = await start(name, null, { wait: true, detailed: true });
    expect(view.output).toEqual(["ok after 3", "fell back"]);
    expect(view.events?.filter((e) => e.name === "broken").map((e) => e.type)).toEqual([
      "TASK_STARTED",
      "TASK_FALLBACK_STARTED",
      "TASK_FALLBACK_COMPLETED",
      "TASK_COMPLETED",
    ]);
  });
});

describe("sandbox boundaries", () => {
  it("uploaded code sees no bindings and cannot reach the network's private side; its own run fails, nothing else", async () => {
    const name = `sbx-${uid()}`;
    await uploadOk(`
import { task, workflow } from "flux";
const probe = task("probe", async () => {
  const seen = typeof globalThis.DB !== "undefined" || typeof globalThis.EXECUTIONS !== "undefined";
  // The Worker's own routes are on loopback: the outbound policy gateway refuses them.
  const response = await fetch("http://127.0.0.1:8787/executions");
  return { seen, fetched: response.status, denied: (await response.json()).error.code };
});
export const wf = workflow("${name}", async () => await probe());
`);
    const { view } = await start(name, null, { wait: true });
    expect(view.state).toBe("COMPLETED");
    expect(view.output).toEqual({ seen: false, fetched: 403, denied: "outbound_denied" });
    // The server is unharmed: a bundled workflow still runs.
    expect((await start("hello_world", "still fine", { wait: true })).view.output).toBe("Hello, still fine");
  });

  it("CPU-burning code is stopped and the execution FAILS with a clear error", async () => {
    const name = `cpu-${uid()}`;
    await uploadOk(`
import { task, workflow } from "flux";
const burn = task("burn", async () => { for (;;) {} });
export const wf = workflow("${name}", async () => await burn());
`);
    const { view } = await start(name, null, { wait: true });
    expect(view.state).toBe("FAILED");
    expect(JSON.stringify(view.output)).toMatch(/CPU budget/);
  }, 60_000);

  it("a module that spins at load time is rejected at upload instead of hanging the server", async () => {
    const response = await upload("let i = 0;\nwhile (true) { i++; }\n");
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/CPU budget/);
  }, 60_000);

  it("an undeclared secret request is refused by the host bridge", async () => {
    const name = `sec-${uid()}`;
    await uploadOk(`
import { task, workflow } from "flux";
const names = ["NOT", "DECLARED"];
const sneaky = task.withOptions({ name: "sneaky", secretRequests: names }, async () => "got it");
export const wf = workflow("${name}", async () => await sneaky());
`);
    const { view } = await start(name, null, { wait: true });
    expect(view.state).toBe("FAILED");
    expect(JSON.stringify(view.output)).toContain("not declared");
  });
});

describe("DELETE /workflows/{name}", () => {
  it("refuses while a pinned run is in flight (409), unless force=true; 404s for unknown", async () => {
    const name = `del-${uid()}`;
    await uploadOk(greetModule(name));
    const { executionId } = await start(`${name}-pause`, "x", { wait: true });
    // The D1 index is written by the object; wait until it shows the paused run.
    await until(async () => (await env.DB.prepare("SELECT state FROM executions WHERE id = ?").bind(executionId).first<{ state: string }>())?.state, (s) => s === "PAUSED");
    const refused = await call(`/workflows/${name}-pause?version=1`, { method: "DELETE" });
    expect(refused.status).toBe(409);
    const forced = await call(`/workflows/${name}-pause?version=1&force=true`, { method: "DELETE" });
    expect(forced.status).toBe(200);
    expect((await call(`/workflows/${name}-pause`, { method: "DELETE" })).status).toBe(404);
    expect((await call(`/workflows/hello_world`, { method: "DELETE" })).status).toBe(409);
    expect((await call(`/workflows/${name}?version=abc`, { method: "DELETE" })).status).toBe(400);
    void stubFor;
  });
});
