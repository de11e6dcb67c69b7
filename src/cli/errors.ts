// The CLI's exit codes and the one error type that carries them. Every failure the user sees is a CliError
// with a one-line message saying what to do; main.ts prints it and exits with its code.

export const ExitCode = {
  ok: 0,
  /** The workflow FAILED or was CANCELLED (run/resume). */
  workflowFailed: 1,
  /** Bad command line or local input (unknown command, missing argument, unreadable/invalid input file). */
  usage: 2,
  /** The server answered with an error, rejected the token, or could not be reached. */
  server: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** The server's error body `{code, message, details}`, shown as-is with --format json. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const usageError = (message: string): CliError => new CliError(message, ExitCode.usage);
export const serverError = (message: string, details?: unknown): CliError =>
  new CliError(message, ExitCode.server, details);
