// GET /workflows, /workflows/{name}, /workflows/{name}/versions: the bundled workflows registered lazily in D1.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { WorkflowDefinition } from "../../src/engine/index";
import { bundledHash } from "../../src/worker/services/index";
import { bundledWorkflows } from "../../src/workflows/index";
import { post } from "./helpers";
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

describe("registry hashing and unavailable code", () => {
  it("the bundled hash is stable and depends on the Flux version", async () => {
    const wf = bundledWorkflows.find((w) => w.name === "greet_typed") as unknown as WorkflowDefinition;
    const a = await bundledHash(wf, "0.1.0");
    expect(await bundledHash(wf, "0.1.0")).toBe(a);
    expect(await bundledHash(wf, "0.2.0")).not.toBe(a);
    const detail = await json<Detail>(await call("/workflows/greet_typed"), 200);
    expect(detail.hash).toBe(a);
  });

  it("a registered bundled workflow whose code is not in this deployment → 503 on run, nothing created", async () => {
    await call("/workflows");
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO workflows (name, namespace, latest_version) VALUES ('ghost_wf', 'default', 1)",
      ),
      env.DB.prepare(
        "INSERT INTO workflow_versions (workflow_name, version, hash, source_kind, metadata) VALUES ('ghost_wf', 1, 'h', 'bundled', ?)",
      ).bind(JSON.stringify({ task_names: [], secret_requests: [], description: null, input_schema: null })),
    ]);
    expect((await json<Detail>(await call("/workflows/ghost_wf"), 200)).source_kind).toBe("bundled");
    const res = await post("/workflows/ghost_wf/run/sync", null);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("workflow_unavailable");
    const rows = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM executions WHERE workflow_name = 'ghost_wf'",
    ).first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });
});
