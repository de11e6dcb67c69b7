// SseHub: state frames always reach a subscriber; progress frames stop queueing for one that does not read.
import { describe, expect, it } from "vitest";
import { SseHub } from "../../src/durable-objects/sse-hub.ts";

describe("SseHub", () => {
  it("bounds what a non-reading client can queue (progress), never drops state frames", async () => {
    const hub = new SseHub();
    const stream = hub.open(false, "RUNNING", () => ({ state: "snapshot" }));
    for (let i = 0; i < 5_000; i++) hub.progress({ i });
    hub.stateChanged("COMPLETED", () => ({ state: "COMPLETED" }));
    const text = await new Response(stream).text();
    const progressFrames = text.split("event: task.progress").length - 1;
    expect(progressFrames).toBeGreaterThan(0);
    expect(progressFrames).toBeLessThanOrEqual(260);
    expect(text).toContain("event: workflow.execution.running");
    expect(text.trimEnd().endsWith('data: {"state":"COMPLETED"}')).toBe(true);
  });
});
