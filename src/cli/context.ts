// What every command action needs: the resolved configuration, an HTTP client for it and the output helpers.
import type { Command } from "commander";
import { resolveConfig, type CliConfig, type GlobalOptions } from "./config";
import { FluxClient } from "./http";
import { Output } from "./output";

export interface Context {
  config: CliConfig;
  client: FluxClient;
  out: Output;
}

let format: CliConfig["format"] | undefined;

/** The format of the running command, once its configuration is resolved (for error output). */
export const activeFormat = (): CliConfig["format"] | undefined => format;

export function contextOf(command: Command): Context {
  const config = resolveConfig(command.optsWithGlobals<GlobalOptions>());
  format = config.format;
  return { config, client: new FluxClient(config.serverUrl, config.token), out: new Output(config.format) };
}
