// End-to-end: upload a .js module with a curl-equivalent multipart POST to a real `wrangler dev`, then run its
// workflows over HTTP (sync, and pause → resume) — the code runs in a Worker Loader isolate.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type FluxServer } from "./harness";

let server: FluxServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const source = `
import { task, workflow, pause, parallel } from "flux";
const shout = task("shout", async (text) => String(text).toUpperCase());
const count = task("count", async (text) => String(text).length);
export const uploadedHello = workflow("uploaded_hello", async (ctx) => {
  const [loud, length] = await parallel(shout(ctx.input), count(ctx.input));
  return { loud, length };
});
export const uploadedApproval = workflow("uploaded_approval", async (ctx) => {
  const answer = await pause("approve", { output: { asking: ctx.input } });
  return await shout(answer);
});
`;

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await server.fetch(path, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const postJson = (path: string, body: unknown) =>
  call(path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

describe("uploaded workflows over HTTP", () => {
  it("POST /workflows (multipart) registers the module; runs execute it in the sandbox", async () => {
    const form = new FormData();
    form.append("file", new Blob([source], { type: "text/javascript" }), "hello.js");
    const uploaded = await call("/workflows", { method: "POST", body: form });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect((uploaded.body as unknown as { name: string }[]).map((w) => w.name).sort()).toEqual(["uploaded_approval", "uploaded_hello"]);

    const shown = await call("/workflows/uploaded_hello");
    expect(shown.body).toMatchObject({ name: "uploaded_hello", version: 1, source_kind: "uploaded" });

    const run = await postJson("/workflows/uploaded_hello/run/sync", "flux");
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ state: "COMPLETED", output: { loud: "FLUX", length: 4 } });

    const paused = await postJson("/workflows/uploaded_approval/run/sync", "deploy?");
    expect(paused.body).toMatchObject({ state: "PAUSED", output: { asking: "deploy?" } });
    const resumed = await postJson(`/workflows/uploaded_approval/resume/${String(paused.body.execution_id)}/sync`, "yes");
    expect(resumed.body).toMatchObject({ state: "COMPLETED", output: "YES" });
  });

  it("a syntax error is a 422 with the line, and nothing is registered", async () => {
    const form = new FormData();
    form.append("file", new Blob(["import { workflow } from 'flux';\nexport const x = workflow('broken_upload', async () => {\n  return 1 +;\n});\n"]), "broken.js");
    const response = await call("/workflows", { method: "POST", body: form });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: { code: "invalid_workflow_source", details: { line: 3 } } });
    expect((await call("/workflows/broken_upload")).status).toBe(404);
  });
});
