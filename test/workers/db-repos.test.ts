// D1 repositories against the migrated test database (migrations applied by apply-migrations.ts).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  createDb,
  deleteWorkflowVersion,
  findApiKeyByHash,
  findExecutionByIdempotencyKey,
  getExecution,
  getWorkflow,
  InvalidCursorError,
  listExecutions,
  listWorkflows,
  registerWorkflowVersion,
  upsertExecution,
  type WorkflowMetadata,
} from "../../src/db";

const db = createDb(env.DB);
const metadata: WorkflowMetadata = {
  task_names: ["a"],
  secret_requests: [],
  description: "demo",
  input_schema: null,
};

describe("executions repo", () => {
  it("upserts index rows and finds them by id and idempotency key", async () => {
    const base = { id: "e1", workflowName: "hello", workflowVersion: 1, createdAt: 1000, updatedAt: 1000 };
    await upsertExecution(db, { ...base, state: "RUNNING", idempotencyKey: "k1" });
    await upsertExecution(db, { ...base, state: "COMPLETED", updatedAt: 2000 });
    expect(await getExecution(db, "e1")).toMatchObject({
      state: "COMPLETED",
      updatedAt: 2000,
      idempotencyKey: "k1",
    });
    expect((await findExecutionByIdempotencyKey(db, "k1"))?.id).toBe("e1");
  });

  it("pages newest first with a stable (created_at, id) cursor and filters", async () => {
    for (let i = 0; i < 5; i++) {
      const createdAt = 5000 + Math.floor(i / 2); // ties on created_at exercise the id tiebreak
      await upsertExecution(db, {
        id: `p${i}`,
        workflowName: i % 2 ? "odd" : "even",
        workflowVersion: 1,
        state: i === 4 ? "FAILED" : "COMPLETED",
        createdAt,
        updatedAt: createdAt,
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listExecutions(db, { limit: 2, cursor });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    // Storage is per test file, not per test: ignore rows other tests in this file wrote.
    expect(seen.filter((id) => id.startsWith("p"))).toEqual(["p4", "p3", "p2", "p1", "p0"]);

    expect((await listExecutions(db, { workflow: "odd" })).items.map((r) => r.id)).toEqual(["p3", "p1"]);
    expect((await listExecutions(db, { state: "FAILED" })).items.map((r) => r.id)).toEqual(["p4"]);
    await expect(listExecutions(db, { cursor: "!!!" })).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

describe("workflows repo", () => {
  it("registers versions idempotently by hash and lists latest versions", async () => {
    const v1 = await registerWorkflowVersion(db, { name: "wf", hash: "h1", sourceKind: "bundled", metadata });
    const again = await registerWorkflowVersion(db, {
      name: "wf",
      hash: "h1",
      sourceKind: "bundled",
      metadata,
    });
    const v2 = await registerWorkflowVersion(db, {
      name: "wf",
      hash: "h2",
      sourceKind: "uploaded",
      source: "x",
      metadata,
    });
    expect([v1.version.version, v1.created]).toEqual([1, true]);
    expect([again.version.version, again.created]).toEqual([1, false]);
    expect([v2.version.version, v2.created]).toEqual([2, true]);

    const wf = await getWorkflow(db, "wf");
    expect(wf?.versions).toEqual([1, 2]);
    expect(wf?.latest).toMatchObject({ version: 2, hash: "h2", sourceKind: "uploaded", metadata });
    expect((await listWorkflows(db)).map((r) => [r.workflow.name, r.latest.version])).toEqual([["wf", 2]]);

    expect(await deleteWorkflowVersion(db, "wf", 2)).toBe(1);
    expect((await getWorkflow(db, "wf"))?.workflow.latestVersion).toBe(1);
    expect(await deleteWorkflowVersion(db, "wf")).toBe(1);
    expect(await getWorkflow(db, "wf")).toBeUndefined();
  });

  it("concurrent registrations of different code get distinct versions", async () => {
    const results = await Promise.all(
      ["c1", "c2", "c3"].map((hash) =>
        registerWorkflowVersion(db, { name: "race", hash, sourceKind: "bundled", metadata }),
      ),
    );
    expect(results.map((r) => r.version.version).sort()).toEqual([1, 2, 3]);
  });
});

describe("api keys repo", () => {
  it("finds a key by hash only", async () => {
    await env.DB.prepare(
      "INSERT INTO api_keys (name, role, key_hash) VALUES ('ci', 'operator', 'hash-1')",
    ).run();
    expect(await findApiKeyByHash(db, "hash-1")).toMatchObject({
      name: "ci",
      role: "operator",
      revokedAt: null,
    });
    expect(await findApiKeyByHash(db, "hash-2")).toBeUndefined();
  });
});
