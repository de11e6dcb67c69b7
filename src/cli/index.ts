// The CLI's public surface: bin/flux.js imports the bundle built from this file and calls main().
export { buildProgram, CLI_VERSION, main } from "./main";
export { ExitCode } from "./errors";
