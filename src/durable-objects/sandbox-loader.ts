// Builds the Worker Loader code for an uploaded module and returns its entrypoint. The isolate gets no
// bindings (env is empty), outbound fetch only through the operator's policy gateway, and a CPU limit.
// Isolates are cached by the module's content hash.
import { fluxModuleSource, isolateMainSource } from "../generated/sandbox-modules.ts";
import { instrumentLoops } from "../sandbox/loop-guard.ts";
import type { SandboxEntrypointApi } from "../sandbox/protocol.ts";
import type { Env } from "../worker/env.ts";

const DEFAULT_CPU_MS = 10_000;

export interface SandboxOptions {
  /** The policy gateway (a loopback Fetcher), or null to block all outbound network access. */
  outbound: Fetcher | null;
}

export function sandboxEntrypoint(env: Env, source: string, hash: string, options: SandboxOptions): SandboxEntrypointApi {
  // The loader caches isolates by id, and code is fixed per id: discovery (no network) and runs (through the
  // policy gateway) must not share one.
  const id = `flux-${options.outbound ? "run" : "offline"}-${hash}`;
  const worker = env.LOADER.get(id, () => ({
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    mainModule: "main.js",
    modules: {
      "main.js": { js: isolateMainSource },
      flux: { js: fluxModuleSource },
      "workflow.js": { js: instrumentLoops(source) },
    },
    env: {},
    globalOutbound: options.outbound,
  }));
  const cpuMs = Number(env.FLUX_ISOLATE_CPU_MS ?? DEFAULT_CPU_MS);
  return worker.getEntrypoint(undefined, { limits: { cpuMs } }) as unknown as SandboxEntrypointApi;
}

/**
 * The outbound gateway for isolates: the Worker's own OutboundGateway entrypoint through `ctx.exports`
 * (compatibility flag enable_ctx_exports). Without it, isolates get no network at all (fail closed).
 */
export function outboundGateway(exportsObject: unknown): Fetcher | null {
  const gateway = (exportsObject as { OutboundGateway?: unknown } | undefined)?.OutboundGateway;
  if (typeof gateway === "function") return (gateway as (options: { props: unknown }) => Fetcher)({ props: {} });
  if (gateway && typeof (gateway as Fetcher).fetch === "function") return gateway as Fetcher;
  return null;
}
