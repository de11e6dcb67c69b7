// INPUT arguments (run/resume): JSON when it parses, else the raw string; `-` reads stdin; `@file` reads a file
// (a file must hold valid JSON when it ends in .json; other files follow the JSON-else-string rule).
import { readFile } from "node:fs/promises";
import { usageError } from "./errors";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function parseValue(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Resolves an INPUT argument; `undefined` (no argument) means no body, which the server takes as null. */
export async function resolveInput(arg: string | undefined): Promise<Json | undefined> {
  if (arg === undefined) return undefined;
  if (arg === "-") return parseValue((await readStdin()).trim());
  if (arg.startsWith("@") && arg.length > 1) {
    const path = arg.slice(1);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw usageError(`cannot read input file ${path} (${code}) — check the path after @`);
    }
    if (path.toLowerCase().endsWith(".json")) {
      try {
        return JSON.parse(text) as Json;
      } catch (error) {
        throw usageError(`input file ${path} is not valid JSON: ${(error as Error).message}`);
      }
    }
    return parseValue(text.trim());
  }
  return parseValue(arg);
}
