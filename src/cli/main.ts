// The `flux` program: global options, command groups, and the one place errors become messages and exit codes
// (0 ok, 1 workflow FAILED/CANCELLED, 2 usage, 3 server/auth/network — see errors.ts).
import { Command, CommanderError, Option } from "commander";
import { executionCommand } from "./commands/execution";
import { healthCommand } from "./commands/health";
import { scheduleCommand } from "./commands/schedule";
import { secretsCommand } from "./commands/secrets";
import { startCommand } from "./commands/start";
import { webhookCommand } from "./commands/webhook";
import { workflowCommand } from "./commands/workflow";
import { FORMATS } from "./config";
import { activeFormat } from "./context";
import { CliError, ExitCode } from "./errors";

export const CLI_VERSION = "0.1.0";

const EPILOG = `
Configuration (first found wins): flags > FLUX_SERVER_URL / FLUX_TOKEN / FLUX_FORMAT > flux.toml [flux]
server_url / token / format (nearest flux.toml up from the current folder, or --config) > defaults
(http://127.0.0.1:8787, simple). For a local server the token also comes from .flux/token (npm start).

Exit codes: 0 success, 1 the workflow FAILED or was CANCELLED, 2 usage error, 3 server/auth/network error.`;

const fullName = (command: Command): string =>
  command.parent ? `${fullName(command.parent)} ${command.name()}` : command.name();

/** Settings every (sub)command needs: commander throws instead of exiting (main maps that to exit 2, or 0
 * for help), usage errors point at --help, and every help page lists the global options. */
function configureTree(command: Command): void {
  command
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError(`(run \`${fullName(command)} --help\` for usage)`)
    .showSuggestionAfterError(true);
  for (const sub of command.commands) configureTree(sub);
}

export function buildProgram(): Command {
  const program = new Command("flux")
    .description("Flux: durable workflows on Cloudflare Workers — command-line client (HTTP only)")
    .version(CLI_VERSION, "-V, --cli-version", "print the CLI version")
    .option("--server-url <url>", "Flux server URL (env FLUX_SERVER_URL)")
    .option("--token <token>", "bearer token (env FLUX_TOKEN)")
    .addOption(new Option("-f, --format <format>", "output format (env FLUX_FORMAT)").choices(FORMATS))
    .option("-c, --config <file>", "config file (default: nearest flux.toml)")
    .addHelpText("after", EPILOG);
  program.addCommand(workflowCommand());
  program.addCommand(executionCommand());
  program.addCommand(secretsCommand());
  program.addCommand(scheduleCommand());
  program.addCommand(webhookCommand());
  program.addCommand(startCommand());
  program.addCommand(healthCommand());
  configureTree(program);
  return program;
}

/** One line on stderr; with --format json the server's error object too, as one JSON line before it. */
function fail(message: string, code: ExitCode, details?: unknown): void {
  if (activeFormat() === "json" && details !== undefined) {
    process.stderr.write(`${JSON.stringify({ error: details })}\n`);
  }
  process.stderr.write(`flux: ${message}\n`);
  process.exitCode = code;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  // `flux … | head` closes stdout early: stop quietly instead of crashing on EPIPE.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // `--help`, `help CMD` and `--cli-version` succeed; help shown because a subcommand is missing does not.
      const ok =
        ["commander.helpDisplayed", "commander.version"].includes(error.code) ||
        (error.code === "commander.help" && error.exitCode === 0);
      process.exitCode = ok ? ExitCode.ok : ExitCode.usage;
    } else if (error instanceof CliError) {
      fail(error.message, error.exitCode, error.details);
    } else {
      fail(
        `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ExitCode.server,
      );
    }
  }
}
