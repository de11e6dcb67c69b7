// `flux health`: the server's /health (no token needed). Exit 3 when it is degraded or unreachable.
import { Command } from "commander";
import { contextOf } from "../context";
import { ExitCode, serverError } from "../errors";

interface Health {
  status: string;
  version: string;
  database: string;
}

async function health(_opts: unknown, command: Command): Promise<void> {
  const ctx = contextOf(command);
  const response = await ctx.client.raw("GET", "/health");
  let body: Health;
  try {
    body = (await response.json()) as Health;
  } catch {
    throw serverError(
      `${ctx.config.serverUrl}/health did not answer JSON (HTTP ${response.status}) — is this a Flux server?`,
    );
  }
  if (ctx.out.json) ctx.out.printJson({ server_url: ctx.config.serverUrl, ...body });
  else {
    ctx.out.keyValues([
      ["Server", ctx.config.serverUrl],
      [
        "Status",
        body.status === "ok" ? ctx.out.style("green", body.status) : ctx.out.style("red", body.status),
      ],
      ["Version", body.version],
      ["Database", body.database],
    ]);
  }
  if (!response.ok || body.status !== "ok") process.exitCode = ExitCode.server;
}

export function healthCommand(): Command {
  return new Command("health").description("Check that the server is up (no token needed)").action(health);
}
