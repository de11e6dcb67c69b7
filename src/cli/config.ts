// Where the CLI's settings come from. Precedence, per setting: command-line flags > environment
// (FLUX_SERVER_URL, FLUX_TOKEN, FLUX_FORMAT) > the project's flux.toml `[flux]` table > defaults. The token has
// one more, last source: `.flux/token`, written by `npm start` / `flux start server`, used only for a loopback
// server so a local dev token is never sent to a remote one.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { usageError } from "./errors";

export const DEFAULT_SERVER_URL = "http://127.0.0.1:8787";
export const FORMATS = ["simple", "json"] as const;
export type Format = (typeof FORMATS)[number];

export interface GlobalOptions {
  serverUrl?: string;
  token?: string;
  format?: string;
  config?: string;
}

export type Source = "flag" | "env" | "file" | "token-file" | "default" | "none";

export interface CliConfig {
  serverUrl: string;
  token: string | undefined;
  format: Format;
  /** The folder holding flux.toml or .flux/token, if any (also where `flux start server` runs). */
  projectDir: string | undefined;
  configFile: string | undefined;
  sources: { serverUrl: Source; token: Source; format: Source };
}

interface FileSettings {
  server_url?: string;
  token?: string;
  format?: string;
}

/** The nearest ancestor of `from` (inclusive) containing `name`. */
export function findUp(from: string, name: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, name))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function readConfigFile(path: string): FileSettings {
  let table: Record<string, unknown>;
  try {
    table = parseToml(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw usageError(`cannot read config ${path}: ${(error as Error).message.split("\n")[0]}`);
  }
  const flux = table.flux;
  if (flux === undefined) return {};
  if (typeof flux !== "object" || flux === null || Array.isArray(flux)) {
    throw usageError(`config ${path}: [flux] must be a table`);
  }
  const settings: FileSettings = {};
  for (const key of ["server_url", "token", "format"] as const) {
    const value = (flux as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== "string") throw usageError(`config ${path}: flux.${key} must be a string`);
    settings[key] = value;
  }
  return settings;
}

export function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

function pick(flag: string | undefined, env: string | undefined, file: string | undefined) {
  if (flag !== undefined && flag !== "") return { value: flag, source: "flag" as const };
  if (env !== undefined && env !== "") return { value: env, source: "env" as const };
  if (file !== undefined && file !== "") return { value: file, source: "file" as const };
  return undefined;
}

export function resolveConfig(
  options: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): CliConfig {
  let configFile: string | undefined;
  if (options.config !== undefined) {
    configFile = resolve(cwd, options.config);
    if (!existsSync(configFile)) throw usageError(`config file ${configFile} does not exist`);
  } else {
    const dir = findUp(cwd, "flux.toml");
    configFile = dir === undefined ? undefined : join(dir, "flux.toml");
  }
  const file = configFile === undefined ? {} : readConfigFile(configFile);
  const projectDir = configFile !== undefined ? dirname(configFile) : findUp(cwd, join(".flux", "token"));

  const url = pick(options.serverUrl, env.FLUX_SERVER_URL, file.server_url);
  const serverUrl = (url?.value ?? DEFAULT_SERVER_URL).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(serverUrl)) {
    throw usageError(`server URL "${serverUrl}" must start with http:// or https://`);
  }

  const format = pick(options.format, env.FLUX_FORMAT, file.format);
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format.value)) {
    throw usageError(`format "${format.value}" is not one of: ${FORMATS.join(", ")}`);
  }

  let token = pick(options.token, env.FLUX_TOKEN, file.token) as
    { value: string; source: Source } | undefined;
  if (token === undefined && projectDir !== undefined && isLoopback(serverUrl)) {
    const tokenPath = join(projectDir, ".flux", "token");
    if (existsSync(tokenPath)) {
      const value = readFileSync(tokenPath, "utf8").trim();
      if (value !== "") token = { value, source: "token-file" };
    }
  }

  return {
    serverUrl,
    token: token?.value,
    format: (format?.value as Format | undefined) ?? "simple",
    projectDir,
    configFile,
    sources: {
      serverUrl: url?.source ?? "default",
      token: token?.source ?? "none",
      format: format?.source ?? "default",
    },
  };
}
