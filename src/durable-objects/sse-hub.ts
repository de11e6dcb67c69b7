// SSE fan-out for one execution: a frame per state change (`workflow.execution.{state}`) and per progress()
// call (`task.progress`). Streams stay open through PAUSED and close at a terminal state.
import { TerminalStates, type ExecutionState } from "../engine/index.ts";

const encoder = new TextEncoder();
/** Frames a slow SSE client may have queued before progress frames are dropped for it. */
const MAX_QUEUED_PROGRESS = 256;
const FRAME_STATES = new Set<ExecutionState>(["RUNNING", "PAUSED", "COMPLETED", "FAILED", "CANCELLED"]);

interface Subscriber {
  controller: ReadableStreamDefaultController<Uint8Array>;
  detailed: boolean;
}

export type SnapshotFn = (detailed: boolean) => unknown;

export class SseHub {
  private readonly subscribers = new Set<Subscriber>();

  /** A new stream that starts with the current state and follows every later change. */
  open(detailed: boolean, state: ExecutionState, snapshot: SnapshotFn): ReadableStream<Uint8Array> {
    let self: Subscriber | undefined;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        self = { controller, detailed };
        controller.enqueue(frame(`workflow.execution.${state.toLowerCase()}`, snapshot(detailed)));
        if (TerminalStates.has(state)) controller.close();
        else this.subscribers.add(self);
      },
      cancel: () => {
        if (self) this.subscribers.delete(self);
      },
    });
  }

  stateChanged(state: ExecutionState, snapshot: SnapshotFn): void {
    if (!FRAME_STATES.has(state) || this.subscribers.size === 0) return;
    const terminal = TerminalStates.has(state);
    for (const subscriber of this.subscribers) {
      this.send(subscriber, frame(`workflow.execution.${state.toLowerCase()}`, snapshot(subscriber.detailed)));
      if (terminal) {
        this.subscribers.delete(subscriber);
        try {
          subscriber.controller.close();
        } catch {
          // already closed by the client
        }
      }
    }
  }

  /** Progress is ephemeral: a subscriber that stopped reading gets no more of it (state frames still go). */
  progress(payload: unknown): void {
    if (this.subscribers.size === 0) return;
    const bytes = frame("task.progress", payload);
    for (const subscriber of this.subscribers) {
      if ((subscriber.controller.desiredSize ?? 0) <= -MAX_QUEUED_PROGRESS) continue;
      this.send(subscriber, bytes);
    }
  }

  private send(subscriber: Subscriber, bytes: Uint8Array): void {
    try {
      subscriber.controller.enqueue(bytes);
    } catch {
      this.subscribers.delete(subscriber);
    }
  }
}

/** One SSE frame; the JSON is a single line (JSON.stringify escapes newlines). */
export function frame(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
