// /executions: the D1 index (filters, keyset pagination, parameter validation) and /executions/{id} read from
// the Durable Object (summary, detailed, SSE), which wins over a stale index row.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, errorOf, frames, json, post, until } from "./helpers";

interface Item {
  execution_id: string;
  workflow_name: string;
  workflow_version: number;
  state: string;
  parent_execution_id: string | null;
  created_at: string;
  updated_at: string;
}
interface Page {
  items: Item[];
  next_cursor: string | null;
}

const page = async (query: string): Promise<Page> => json<Page>(await call(`/executions${query}`), 200);

async function indexed(id: string, state: string): Promise<void> {
  await until(
    () => env.DB.prepare("SELECT state FROM executions WHERE id = ?").bind(id).first<{ state: string }>(),
    (row) => row?.state === state,
  );
}

describe("GET /executions", () => {
  it("filters by workflow and state and pages with a cursor, newest first", async () => {
    const ids: string[] = [];
    for (const name of ["a", "b", "c", "d", "e"]) {
      const view = await json(await post("/workflows/parallel_tasks_workflow/run/sync", name), 200);
      ids.push(view.execution_id);
      await indexed(view.execution_id, "COMPLETED");
    }
    const all = await page("?workflow=parallel_tasks_workflow&limit=200");
    expect(all.next_cursor).toBeNull();
    const mine = all.items.filter((i) => ids.includes(i.execution_id));
    expect(mine.map((i) => i.execution_id)).toEqual([...ids].reverse());
    expect(mine[0]).toMatchObject({
      workflow_name: "parallel_tasks_workflow",
      workflow_version: 1,
      state: "COMPLETED",
      parent_execution_id: null,
    });
    expect(Date.parse(mine[0]?.created_at ?? "")).not.toBeNaN();

    const walked: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const next: Page = await page(
        `?workflow=parallel_tasks_workflow&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(next.items.length).toBeLessThanOrEqual(2);
      walked.push(...next.items.map((i) => i.execution_id));
      cursor = next.next_cursor;
      pages++;
    } while (cursor && pages < 100);
    expect(walked).toEqual(all.items.map((i) => i.execution_id));
    expect(new Set(walked).size).toBe(walked.length);
  });

  it("filters by state", async () => {
    const paused = await json(await post("/workflows/pause_with_input_workflow/run/sync"), 200);
    await indexed(paused.execution_id, "PAUSED");
    const list = await page("?state=PAUSED&limit=200");
    expect(list.items.every((i) => i.state === "PAUSED")).toBe(true);
    expect(list.items.map((i) => i.execution_id)).toContain(paused.execution_id);
    const completed = await page("?state=COMPLETED&workflow=pause_with_input_workflow");
    expect(completed.items.map((i) => i.execution_id)).not.toContain(paused.execution_id);
  });

  it("an unknown workflow filter is an empty page", async () => {
    expect(await page("?workflow=nothing_here")).toEqual({ items: [], next_cursor: null });
  });

  for (const [query, label] of [
    ["?state=SLEEPING", "an invalid state"],
    ["?state=completed", "a lower-case state"],
    ["?limit=0", "limit 0"],
    ["?limit=201", "limit over 200"],
    ["?limit=ten", "a non-numeric limit"],
    ["?limit=-1", "a negative limit"],
    ["?cursor=%%%", "a garbage cursor"],
    ["?cursor=bm9wZQ", "a cursor we never issued"],
    ["?workflow=%20bad", "an invalid workflow name"],
  ]) {
    it(`${label} → 400`, async () => {
      const error = await errorOf(await call(`/executions${query}`), 400);
      expect(["validation_failed", "invalid_cursor"]).toContain(error.code);
    });
  }
});

describe("GET /executions/{id}", () => {
  it("summary, detailed and stream", async () => {
    const view = await json(await post("/workflows/hello_world/run/sync", "X"), 200);
    const id = view.execution_id;
    const summary = await json(await call(`/executions/${id}`), 200);
    expect(summary).toMatchObject({
      execution_id: id,
      workflow_name: "hello_world",
      state: "COMPLETED",
      output: "Hello, X",
    });
    expect(summary).not.toHaveProperty("events");
    const detailed = await json(await call(`/executions/${id}?detailed=true`), 200);
    expect(detailed.events?.length).toBe(4);
    const res = await call(`/executions/${id}?mode=stream`);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(await frames(res)).toEqual([{ event: "workflow.execution.completed", data: summary }]);
  });

  it("streams a live execution until it finishes", async () => {
    const view = await json(await post("/workflows/sleep_workflow/run/async", { seconds: 0.3 }), 202);
    const all = await frames(await call(`/executions/${view.execution_id}?mode=stream`));
    expect(all[0]?.event).toBe("workflow.execution.running");
    expect(all[all.length - 1]).toMatchObject({
      event: "workflow.execution.completed",
      data: { output: "woke" },
    });
  });

  it("unknown → 404; garbage id → 400; bad mode/detailed → 400", async () => {
    expect((await errorOf(await call(`/executions/${"0".repeat(32)}`), 404)).code).toBe(
      "execution_not_found",
    );
    expect((await errorOf(await call(`/executions/${"0".repeat(32)}?mode=stream`), 404)).code).toBe(
      "execution_not_found",
    );
    expect((await errorOf(await call(`/executions/${"x".repeat(65)}`), 400)).code).toBe("validation_failed");
    expect((await errorOf(await call(`/executions/a.b`), 400)).code).toBe("validation_failed");
    const id = (await json(await post("/workflows/hello_world/run/sync", "Y"), 200)).execution_id;
    expect((await errorOf(await call(`/executions/${id}?mode=async`), 400)).code).toBe("validation_failed");
    expect((await errorOf(await call(`/executions/${id}?detailed=2`), 400)).code).toBe("validation_failed");
  });

  it("the Durable Object wins over a stale index row", async () => {
    const id = (await json(await post("/workflows/hello_world/run/sync", "Z"), 200)).execution_id;
    await indexed(id, "COMPLETED");
    await env.DB.prepare("UPDATE executions SET state = 'RUNNING' WHERE id = ?").bind(id).run();
    expect(
      (await page("?workflow=hello_world&limit=200")).items.find((i) => i.execution_id === id)?.state,
    ).toBe("RUNNING");
    expect((await json(await call(`/executions/${id}`), 200)).state).toBe("COMPLETED");
  });

  it("an execution missing from the index is still found (the index may lag)", async () => {
    const id = (await json(await post("/workflows/hello_world/run/sync", "L"), 200)).execution_id;
    await indexed(id, "COMPLETED");
    await env.DB.prepare("DELETE FROM executions WHERE id = ?").bind(id).run();
    expect((await json(await call(`/workflows/hello_world/status/${id}`), 200)).state).toBe("COMPLETED");
    expect((await errorOf(await call(`/workflows/hello_world/cancel/${id}`), 400)).code).toBe(
      "execution_finished",
    );
    expect((await errorOf(await call(`/workflows/simple_pipeline/cancel/${id}`), 404)).code).toBe(
      "execution_not_found",
    );
  });
});
