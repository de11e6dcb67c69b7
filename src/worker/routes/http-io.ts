// Request/response helpers for execution routes: the JSON input body (empty = null, must be JSON) and how a
// run/resume result goes out (JSON view with the status its mode implies, or an SSE stream).
import type { Context } from "hono";
import type { Delivery, Mode } from "../services/index";
import { ApiError, BadRequestError } from "../errors";
import type { Json } from "../../engine/index";

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

export async function readJsonInput(c: Context): Promise<Json> {
  const text = await c.req.text();
  if (text.trim() === "") return null;
  const type = c.req.header("content-type");
  if (!type || !JSON_TYPE.test(type)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "The request body must be JSON (Content-Type: application/json)",
    );
  }
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new BadRequestError("Malformed JSON in request body");
  }
}

/** async answers 202 Accepted (the work continues); sync/status answer 200. */
export const statusFor = (mode: Mode): 200 | 202 => (mode === "async" ? 202 : 200);

export function sseResponse(body: ReadableStream<Uint8Array>, executionId: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      "X-Accel-Buffering": "no",
      "Flux-Execution-Id": executionId,
    },
  });
}

export function deliveryResponse(c: Context, delivery: Delivery, mode: Mode): Response {
  const response =
    delivery.kind === "stream"
      ? sseResponse(delivery.body, delivery.executionId)
      : c.json(delivery.view, statusFor(mode));
  return response;
}
