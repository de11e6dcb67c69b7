// Output helpers: `--format json` prints machine-readable JSON (stable: the server's objects as they are),
// `--format simple` prints aligned tables and key/value blocks, coloured only on a TTY (NO_COLOR honoured).
import { styleText } from "node:util";
import type { Format } from "./config";

type Style = Parameters<typeof styleText>[0];

export class Output {
  readonly colour: boolean;
  readonly tty: boolean;

  constructor(
    readonly format: Format,
    readonly stdout: NodeJS.WriteStream = process.stdout,
    readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stdout.isTTY);
    const forced = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0";
    this.colour = forced || (this.tty && process.env.NO_COLOR === undefined && process.env.TERM !== "dumb");
  }

  get json(): boolean {
    return this.format === "json";
  }

  style(style: Style, text: string): string {
    return this.colour ? styleText(style, text, { validateStream: false }) : text;
  }

  line(text = ""): void {
    this.stdout.write(`${text}\n`);
  }

  printJson(value: unknown): void {
    this.line(JSON.stringify(value, null, 2));
  }

  /** One JSON document per line (stream frames with --format json). */
  printJsonLine(value: unknown): void {
    this.line(JSON.stringify(value));
  }

  /** Aligned key/value lines. */
  keyValues(pairs: [string, string][]): void {
    const width = Math.max(0, ...pairs.map(([key]) => key.length));
    for (const [key, value] of pairs)
      this.line(`${this.style("bold", `${key}:`.padEnd(width + 1))} ${value}`);
  }

  /** A table with a header row; prints `empty` when there are no rows. */
  table(headers: string[], rows: string[][], empty = "(none)"): void {
    if (rows.length === 0) {
      this.line(this.style("dim", empty));
      return;
    }
    const widths = headers.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ""))));
    const pad = (cell: string, i: number): string =>
      cell + " ".repeat(Math.max(0, widths[i]! - visible(cell)));
    this.line(this.style("bold", headers.map(pad).join("  ").trimEnd()));
    for (const row of rows)
      this.line(
        row
          .map((cell, i) => pad(cell, i))
          .join("  ")
          .trimEnd(),
      );
  }

  state(state: string): string {
    const style: Style =
      state === "COMPLETED"
        ? "green"
        : state === "FAILED"
          ? "red"
          : state === "CANCELLED" || state === "CANCELLING"
            ? "yellow"
            : state === "PAUSED"
              ? "magenta"
              : "cyan";
    return this.style(style, state);
  }
}

const ANSI = /\u001b\[[0-9;]*m/g;
const visible = (text: string): number => text.replace(ANSI, "").length;

/** A value as one short line for tables: strings as-is, everything else as compact JSON. */
export function compact(value: unknown, max = 80): string {
  const text = typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A value for a key/value block: strings as-is, objects as (indented) JSON. */
export function pretty(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  const line = JSON.stringify(value);
  if (line.length <= 80) return line;
  const text = JSON.stringify(value, null, 2);
  return text.includes("\n") ? `\n${text.replace(/^/gm, "  ")}` : text;
}
