// The CLI's SSE reader: frames, comments, non-JSON data, and line endings split across chunks.
import { describe, expect, it } from "vitest";
import { readSse, type SseFrame } from "../../src/cli/sse.ts";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function frames(chunks: string[]): Promise<SseFrame[]> {
  const out: SseFrame[] = [];
  for await (const frame of readSse(streamOf(chunks))) out.push(frame);
  return out;
}

describe("readSse", () => {
  it("parses frames with JSON data, skips comments, keeps non-JSON as text", async () => {
    expect(await frames([': keep-alive\n\nevent: workflow.execution.running\ndata: {"state":"RUNNING"}\n\n', "data: plain\n\n"])).toEqual([
      { event: "workflow.execution.running", data: { state: "RUNNING" } },
      { event: "message", data: "plain" },
    ]);
  });

  it("treats a CRLF split across two chunks as one line ending (no spurious frame)", async () => {
    const got = await frames(['event: task.progress\r', '\ndata: {"n":1}\r\n\r', '\nevent: workflow.execution.completed\r\ndata: {"n":2}\r\n\r\n']);
    expect(got).toEqual([
      { event: "task.progress", data: { n: 1 } },
      { event: "workflow.execution.completed", data: { n: 2 } },
    ]);
  });

  it("yields a final frame without a trailing blank line", async () => {
    expect(await frames(["event: x\r\ndata: 1\r"])).toEqual([{ event: "x", data: 1 }]);
  });
});
