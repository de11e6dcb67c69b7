// `flux workflow register`: turn a .ts/.js workflow module into the single ES module the server accepts.
// esbuild bundles relative imports and npm dependencies into one file; `flux` stays an import, which the server
// resolves to its SDK. Build errors are usage errors (exit 2) pointing at file:line:column.
import { existsSync } from "node:fs";
import { extname } from "node:path";
import { build, type Message } from "esbuild";
import { usageError } from "./errors";

const EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs"]);

function where(message: Message): string {
  const loc = message.location;
  return loc ? `line ${loc.line}, column ${loc.column + 1}: ` : "";
}

export async function bundleWorkflowFile(file: string): Promise<string> {
  if (!existsSync(file)) throw usageError(`no such file: ${file}`);
  if (!EXTENSIONS.has(extname(file).toLowerCase())) {
    throw usageError(`${file}: expected a .ts or .js module (got "${extname(file) || "no extension"}")`);
  }
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: "esm",
      platform: "neutral",
      mainFields: ["module", "main"],
      conditions: ["worker", "browser"],
      target: "es2022",
      external: ["flux"],
      logLevel: "silent",
      legalComments: "none",
      charset: "utf8",
    });
    const output = result.outputFiles[0];
    if (output === undefined) throw usageError(`${file}: esbuild produced no output`);
    return output.text;
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (errors && errors.length > 0) {
      const first = errors[0]!;
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
      throw usageError(`cannot build ${file}: ${where(first)}${first.text}${more}`);
    }
    throw error;
  }
}
