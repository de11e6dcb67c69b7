// A minimal text/event-stream reader: `event:` and `data:` lines, frames separated by a blank line.
// Flux frames carry one line of JSON each (SPEC §4); a frame whose data is not JSON keeps it as a string.

export interface SseFrame {
  event: string;
  data: unknown;
}

function toFrame(block: string): SseFrame | undefined {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue; // comment / keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return undefined;
  const text = data.join("\n");
  try {
    return { event, data: JSON.parse(text) as unknown };
  } catch {
    return { event, data: text };
  }
}

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  const decoder = new TextDecoder();
  let buffer = "";
  let raw = "";
  for await (const chunk of body) {
    raw += decoder.decode(chunk, { stream: true });
    // A "\r" at the very end may be the first half of a "\r\n" split across chunks: normalise it later.
    const held = raw.endsWith("\r") ? 1 : 0;
    buffer += raw.slice(0, raw.length - held).replace(/\r\n?/g, "\n");
    raw = raw.slice(raw.length - held);
    let end: number;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const frame = toFrame(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (frame) yield frame;
    }
  }
  const last = toFrame(buffer + (raw + decoder.decode()).replace(/\r\n?/g, "\n"));
  if (last) yield last;
}
