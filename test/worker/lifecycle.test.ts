// Resume, status and cancel under /workflows/{name}: the state rules (404/409/400) and every mode.
import { describe, expect, it } from "vitest";
import { call, errorOf, frames, framesUntil, json, post, statusOf, until } from "./helpers";

const PAUSE = "pause_with_input_workflow";

async function paused(): Promise<string> {
  const view = await json(await post(`/workflows/${PAUSE}/run/sync`), 200);
  expect(view.state).toBe("PAUSED");
  return view.execution_id;
}

async function running(iterations = 200): Promise<string> {
  const view = await json(await post("/workflows/cancellable_workflow/run/async", { iterations }), 202);
  return view.execution_id;
}

describe("resume", () => {
  it("sync: PAUSED → resumed with the body as input → COMPLETED", async () => {
    const id = await paused();
    const view = await json(await post(`/workflows/${PAUSE}/resume/${id}/sync`, { multiplier: 2 }), 200);
    expect(view).toMatchObject({ execution_id: id, state: "COMPLETED" });
    expect(view.output).toMatchObject({ stage: "processed", user_input: { multiplier: 2 }, result: 8 });
  });

  it("an empty body resumes with null", async () => {
    const id = await paused();
    const view = await json(await post(`/workflows/${PAUSE}/resume/${id}/sync?detailed=true`), 200);
    expect(view.output).toMatchObject({ user_input: null, result: 7 });
    expect(view.events?.find((e) => e.type === "WORKFLOW_RESUMED")?.value).toBeNull();
  });

  it("async: 202, then COMPLETED", async () => {
    const id = await paused();
    const view = await json(await post(`/workflows/${PAUSE}/resume/${id}/async`, { multiplier: 1 }), 202);
    expect(view.execution_id).toBe(id);
    const done = await until(
      () => statusOf(PAUSE, id),
      (v) => v.state === "COMPLETED",
    );
    expect(done.output).toMatchObject({ result: 7 });
  });

  it("stream: SSE until COMPLETED", async () => {
    const id = await paused();
    const res = await post(`/workflows/${PAUSE}/resume/${id}/stream`, { multiplier: 3 });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const all = await frames(res);
    expect(all[all.length - 1]).toMatchObject({
      event: "workflow.execution.completed",
      data: { output: { result: 9 } },
    });
  });

  it("multiple pauses resume one at a time", async () => {
    const wf = "multiple_input_pause_workflow";
    let view = await json(await post(`/workflows/${wf}/run/sync`), 200);
    for (const value of ["cfg", "params", "yes"]) {
      expect(view.state).toBe("PAUSED");
      view = await json(await post(`/workflows/${wf}/resume/${view.execution_id}/sync`, value), 200);
    }
    expect(view.state).toBe("COMPLETED");
    expect((view.output as { inputs: { value: unknown }[] }).inputs.map((i) => i.value)).toEqual([
      "cfg",
      "params",
      "yes",
    ]);
  });

  it("a finished execution → 400 execution_finished", async () => {
    const id = await paused();
    await json(await post(`/workflows/${PAUSE}/resume/${id}/sync`, {}), 200);
    expect((await errorOf(await post(`/workflows/${PAUSE}/resume/${id}/sync`, {}), 400)).code).toBe(
      "execution_finished",
    );
  });

  it("a running (not paused) execution → 409 invalid_state", async () => {
    const id = await running();
    expect(
      (await errorOf(await post(`/workflows/cancellable_workflow/resume/${id}/sync`, {}), 409)).code,
    ).toBe("invalid_state");
    await call(`/workflows/cancellable_workflow/cancel/${id}?mode=sync`);
  });

  it("unknown execution → 404", async () => {
    const error = await errorOf(await post(`/workflows/${PAUSE}/resume/${"0".repeat(32)}/sync`, {}), 404);
    expect(error.code).toBe("execution_not_found");
  });

  it("an execution of another workflow → 404, and it stays paused", async () => {
    const id = await paused();
    expect((await errorOf(await post(`/workflows/hello_world/resume/${id}/sync`, {}), 404)).code).toBe(
      "execution_not_found",
    );
    expect((await statusOf(PAUSE, id)).state).toBe("PAUSED");
  });

  it("bad mode, bad id, malformed JSON, wrong content type, oversized body → 400/415/413, still paused", async () => {
    const id = await paused();
    expect((await errorOf(await post(`/workflows/${PAUSE}/resume/${id}/eventually`, {}), 400)).code).toBe(
      "validation_failed",
    );
    expect((await errorOf(await post(`/workflows/${PAUSE}/resume/not!an!id/sync`, {}), 400)).code).toBe(
      "validation_failed",
    );
    const malformed = await call(`/workflows/${PAUSE}/resume/${id}/sync`, {
      method: "POST",
      body: "{",
      headers: { "Content-Type": "application/json" },
    });
    expect((await errorOf(malformed, 400)).code).toBe("bad_request");
    const wrongType = await call(`/workflows/${PAUSE}/resume/${id}/sync`, {
      method: "POST",
      body: "a=1",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect((await errorOf(wrongType, 415)).code).toBe("unsupported_media_type");
    const huge = await call(`/workflows/${PAUSE}/resume/${id}/sync`, {
      method: "POST",
      body: JSON.stringify({ blob: "x".repeat(1024 * 1024) }),
      headers: { "Content-Type": "application/json" },
    });
    expect((await errorOf(huge, 413)).code).toBe("payload_too_large");
    expect((await statusOf(PAUSE, id)).state).toBe("PAUSED");
  });

  it("stream mode stays open through PAUSED", async () => {
    const wf = "multiple_input_pause_workflow";
    const id = (await json(await post(`/workflows/${wf}/run/sync`), 200)).execution_id;
    const res = await post(`/workflows/${wf}/resume/${id}/stream`, "first");
    const seen = await framesUntil(res, (f) => f.some((x) => x.event === "workflow.execution.paused"));
    expect(seen.some((f) => f.event === "workflow.execution.paused")).toBe(true);
  });
});

describe("status", () => {
  it("summary by default, events when detailed", async () => {
    const id = (await json(await post("/workflows/hello_world/run/sync", "S"), 200)).execution_id;
    const summary = await json(await call(`/workflows/hello_world/status/${id}`), 200);
    expect(summary).toMatchObject({ execution_id: id, state: "COMPLETED", output: "Hello, S" });
    expect(summary).not.toHaveProperty("events");
    const detailed = await json(await call(`/workflows/hello_world/status/${id}?detailed=true`), 200);
    expect(detailed.events?.map((e) => e.type)).toEqual([
      "WORKFLOW_STARTED",
      "TASK_STARTED",
      "TASK_COMPLETED",
      "WORKFLOW_COMPLETED",
    ]);
    expect(detailed.events?.[1]).toMatchObject({ name: "say_hello", value: ["S"] });
    expect(await json(await call(`/workflows/hello_world/status/${id}?detailed=0`), 200)).not.toHaveProperty(
      "events",
    );
  });

  it("unknown → 404; other workflow → 404; bad id or detailed → 400", async () => {
    const id = (await json(await post("/workflows/hello_world/run/sync", "S"), 200)).execution_id;
    expect((await errorOf(await call(`/workflows/hello_world/status/${"f".repeat(32)}`), 404)).code).toBe(
      "execution_not_found",
    );
    expect((await errorOf(await call(`/workflows/simple_pipeline/status/${id}`), 404)).code).toBe(
      "execution_not_found",
    );
    expect((await errorOf(await call(`/workflows/hello_world/status/${"a".repeat(65)}`), 400)).code).toBe(
      "validation_failed",
    );
    expect((await errorOf(await call(`/workflows/hello_world/status/${id}?detailed=yes`), 400)).code).toBe(
      "validation_failed",
    );
  });
});

describe("cancel", () => {
  it("sync: 200 once CANCELLED; running tasks record TASK_CANCELLED", async () => {
    const id = await running();
    await until(
      () => statusOf("cancellable_workflow", id),
      (v) => v.state === "RUNNING",
    );
    const view = await json(
      await call(`/workflows/cancellable_workflow/cancel/${id}?mode=sync&detailed=true`),
      200,
    );
    expect(view.state).toBe("CANCELLED");
    expect(view.events?.map((e) => e.type)).toEqual(
      expect.arrayContaining(["WORKFLOW_CANCELLING", "TASK_CANCELLED", "WORKFLOW_CANCELLED"]),
    );
  });

  it("async (the default): 202, then CANCELLED", async () => {
    const id = await running();
    const view = await json(await call(`/workflows/cancellable_workflow/cancel/${id}`), 202);
    expect(["CANCELLING", "CANCELLED"]).toContain(view.state);
    await until(
      () => statusOf("cancellable_workflow", id),
      (v) => v.state === "CANCELLED",
    );
  });

  it("cancels a paused execution at once", async () => {
    const id = await paused();
    expect((await json(await call(`/workflows/${PAUSE}/cancel/${id}?mode=sync`), 200)).state).toBe(
      "CANCELLED",
    );
  });

  it("finished → 400; unknown → 404; other workflow → 404; bad mode → 400", async () => {
    const done = (await json(await post("/workflows/hello_world/run/sync", "C"), 200)).execution_id;
    expect((await errorOf(await call(`/workflows/hello_world/cancel/${done}`), 400)).code).toBe(
      "execution_finished",
    );
    expect((await errorOf(await call(`/workflows/hello_world/cancel/${"e".repeat(32)}`), 404)).code).toBe(
      "execution_not_found",
    );
    const id = await paused();
    expect((await errorOf(await call(`/workflows/hello_world/cancel/${id}`), 404)).code).toBe(
      "execution_not_found",
    );
    expect((await errorOf(await call(`/workflows/${PAUSE}/cancel/${id}?mode=stream`), 400)).code).toBe(
      "validation_failed",
    );
    expect((await statusOf(PAUSE, id)).state).toBe("PAUSED");
  });

  it("POST /executions/{id}/cancel", async () => {
    const id = await running();
    expect((await json(await post(`/executions/${id}/cancel?mode=sync`), 200)).state).toBe("CANCELLED");
    expect((await errorOf(await post(`/executions/${id}/cancel`), 400)).code).toBe("execution_finished");
    expect((await errorOf(await post(`/executions/${"d".repeat(32)}/cancel`), 404)).code).toBe(
      "execution_not_found",
    );
    expect((await errorOf(await post(`/executions/bad%20id/cancel`), 400)).code).toBe("validation_failed");
  });
});
