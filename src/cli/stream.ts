// Live rendering of an execution's SSE stream (`--mode stream`): every state change and progress() value.
// json: one `{event, data}` object per line. simple on a TTY: a spinner line with the latest state/progress and
// a permanent line per state change; simple otherwise: plain lines. Returns the last execution view seen.
import type { SseFrame } from "./sse";
import { compact, type Output } from "./output";
import { showExecution, TERMINAL_STATES, type ExecutionView } from "./views";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const STATE_EVENT = "workflow.execution.";

interface Progress {
  execution_id?: string;
  task_id?: string;
  task_name?: string;
  value?: unknown;
}

export interface FollowOptions {
  /** resume: the stream opens on the PAUSED state being resumed; don't stop on that first frame. */
  resuming?: boolean;
}

export async function followStream(
  out: Output,
  frames: AsyncIterable<SseFrame>,
  options: FollowOptions = {},
): Promise<ExecutionView | undefined> {
  const live = !out.json && out.tty;
  let view: ExecutionView | undefined;
  let status = "connecting";
  let tick = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = (): void => {
    out.stdout.write(`\r\x1b[K${out.style("cyan", SPINNER[tick++ % SPINNER.length]!)} ${status}`);
  };
  const clear = (): void => {
    if (live) out.stdout.write("\r\x1b[K");
  };
  if (live) timer = setInterval(draw, 80);
  let awaitingResume = options.resuming === true;
  try {
    for await (const frame of frames) {
      if (out.json) out.printJsonLine(frame);
      if (frame.event.startsWith(STATE_EVENT)) {
        view = frame.data as ExecutionView;
        if (!out.json) {
          clear();
          out.line(`${out.style("dim", "state")}    ${out.state(view.state)}  ${view.execution_id}`);
        }
        status = `${out.state(view.state)} ${view.workflow_name} ${view.execution_id}`;
        if (TERMINAL_STATES.has(view.state)) break;
        if (view.state === "PAUSED" && !awaitingResume) break;
        if (view.state !== "PAUSED") awaitingResume = false;
      } else if (frame.event === "task.progress") {
        const p = frame.data as Progress;
        const text = `${p.task_name ?? p.task_id ?? "task"} ${compact(p.value, 60)}`;
        if (live) status = `${view ? out.state(view.state) : ""} ${text}`;
        else if (!out.json) out.line(`${out.style("dim", "progress")} ${text}`);
      }
      if (live) draw();
    }
  } finally {
    if (timer) clearInterval(timer);
    clear();
  }
  if (!out.json && view !== undefined) {
    out.line();
    showExecution(out, view);
    if (view.state === "PAUSED") {
      out.line(
        out.style(
          "dim",
          `paused — resume with: flux workflow resume ${view.workflow_name} ${view.execution_id} [INPUT]`,
        ),
      );
    }
  }
  return view;
}
