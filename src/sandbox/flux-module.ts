// The `flux` module handed to sandboxed isolates: the same SDK bundled workflows use (engine + the
// AsyncLocalStorage task context). Built to JavaScript by scripts/build-sandbox.js.
export * from "../sdk/index.ts";
