// GET /workflows, /workflows/{name}, /workflows/{name}/versions: the bundled workflows registered lazily in D1.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { bundledWorkflows } from "../../src/workflows/index";
import { call, errorOf, json } from "./helpers";

interface ListItem {
  name: string;
  namespace: string;
  version: number;
  description: string | null;
}
interface Detail extends ListItem {
  versions: number[];
  source_kind: string;
  hash: string;
  created_at: string;
  metadata: {
    task_names: string[];
    secret_requests: string[];
    description: string | null;
    input_schema: unknown;
  };
}

describe("GET /workflows", () => {
  it("lists every bundled workflow at its latest version", async () => {
    const list = await json<ListItem[]>(await call("/workflows"), 200);
    const names = list.map((w) => w.name);
    for (const wf of bundledWorkflows) expect(names).toContain(wf.name);
    expect(list.find((w) => w.name === "greet_typed")).toEqual({
      name: "greet_typed",
      namespace: "default",
      version: 1,
      description: "Greets `name`, `times` times (typed input)",
    });
  });

  it("registration is idempotent: listing again adds no versions", async () => {
    await call("/workflows");
    await call("/workflows");
    const rows = await env.DB.prepare(
      "SELECT workflow_name, COUNT(*) AS n FROM workflow_versions GROUP BY workflow_name",
    ).all<{
      workflow_name: string;
      n: number;
    }>();
    expect(rows.results.length).toBeGreaterThanOrEqual(bundledWorkflows.length);
    expect(rows.results.every((r) => r.n === 1)).toBe(true);
  });
});

describe("GET /workflows/{name}", () => {
  it("shows the latest version with metadata and a JSON Schema of the input", async () => {
    const detail = await json<Detail>(await call("/workflows/greet_typed"), 200);
    expect(detail).toMatchObject({
      name: "greet_typed",
      namespace: "default",
      version: 1,
      versions: [1],
      source_kind: "bundled",
    });
    expect(detail.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(detail.created_at)).not.toBeNaN();
    expect(detail.metadata).toMatchObject({
      task_names: [],
      secret_requests: [],
      description: expect.any(String),
    });
    expect(detail.metadata.input_schema).toMatchObject({
      type: "object",
      properties: { name: { type: "string" }, times: { type: "integer" } },
      required: ["name"],
    });
  });

  it("a workflow without an inputSchema has input_schema null", async () => {
    const detail = await json<Detail>(await call("/workflows/hello_world"), 200);
    expect(detail.metadata.input_schema).toBeNull();
    expect(detail.metadata.description).toBeNull();
  });

  it("unknown workflow → 404", async () => {
    expect((await errorOf(await call("/workflows/no_such_workflow"), 404)).code).toBe("workflow_not_found");
  });

  it("an invalid name → 400", async () => {
    expect((await errorOf(await call("/workflows/%20bad%20name"), 400)).code).toBe("validation_failed");
  });
});

describe("GET /workflows/{name}/versions", () => {
  it("lists versions newest first", async () => {
    const versions = await json<{ name: string; version: number; hash: string; source_kind: string }[]>(
      await call("/workflows/hello_world/versions"),
      200,
    );
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ name: "hello_world", version: 1, source_kind: "bundled" });
  });

  it("unknown workflow → 404", async () => {
    expect((await errorOf(await call("/workflows/nope/versions"), 404)).code).toBe("workflow_not_found");
  });
});

describe("OpenAPI", () => {
  it("documents the workflow and execution routes", async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
      await call("/openapi.json"),
      200,
    );
    for (const path of [
      "/workflows",
      "/workflows/{name}",
      "/workflows/{name}/versions",
      "/workflows/{name}/run/{mode}",
      "/workflows/{name}/resume/{execution_id}/{mode}",
      "/workflows/{name}/status/{execution_id}",
      "/workflows/{name}/cancel/{execution_id}",
      "/executions",
      "/executions/{id}",
      "/executions/{id}/cancel",
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(doc.paths["/workflows/{name}/run/{mode}"]).toHaveProperty("post.requestBody");
  });
});
