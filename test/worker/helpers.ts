// Helpers for route tests inside workerd: JSON calls through the real Worker entry, SSE frame parsing, polling.
import { call, type ErrorJson } from "../workers/helpers";

export { call, type ErrorJson };

export interface View {
  workflow_id: string;
  workflow_name: string;
  execution_id: string;
  workflow_version: number;
  parent_execution_id: string | null;
  input: unknown;
  output: unknown;
  state: string;
  created_at: string | null;
  updated_at: string | null;
  events?: { id: number; type: string; source_id: string; name: string; value: unknown; time: string }[];
}

export interface Frame {
  event: string;
  data: unknown;
}

/** POST with a JSON body (or none when `body` is undefined). */
export function post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  if (body === undefined) return call(path, { method: "POST", headers });
  return call(path, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export async function json<T = View>(res: Response, status?: number): Promise<T> {
  const text = await res.text();
  if (status !== undefined && res.status !== status) {
    throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  }
  return JSON.parse(text) as T;
}

export async function errorOf(res: Response, status: number): Promise<ErrorJson["error"]> {
  return (await json<ErrorJson>(res, status)).error;
}

/** Reads an SSE response to its end (the server closes at a terminal state). */
export async function frames(res: Response): Promise<Frame[]> {
  return parseSse(await res.text());
}

export function parseSse(text: string): Frame[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "message";
      const data = lines
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n");
      return { event, data: JSON.parse(data) as unknown };
    });
}

/** Reads frames until `done(frames)` holds, then cancels the stream (for streams that stay open, e.g. PAUSED). */
export async function framesUntil(
  res: Response,
  done: (frames: Frame[]) => boolean,
  timeoutMs = 5_000,
): Promise<Frame[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const complete = text.slice(0, text.lastIndexOf("\n\n") + 2);
      const parsed = parseSse(complete);
      if (done(parsed)) return parsed;
      if (Date.now() > deadline) throw new Error(`SSE condition not met; got ${complete}`);
      const { value, done: ended } = await reader.read();
      if (ended) return parseSse(text);
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export async function until<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function statusOf(workflow: string, id: string, detailed = false): Promise<View> {
  return json(await call(`/workflows/${workflow}/status/${id}${detailed ? "?detailed=true" : ""}`), 200);
}
