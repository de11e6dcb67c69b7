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
  const worker = env.LOADER.get(`flux-workflow-${hash}`, () => ({
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

/** The outbound gateway for isolates, when this runtime supports loopback exports; otherwise none. */
export function outboundGateway(exportsObject: unknown): Fetcher | null {
  const factory = (exportsObject as { OutboundGateway?: (options: { props: unknown }) => Fetcher } | undefined)?.OutboundGateway;
  return typeof factory === "function" ? factory({ props: {} }) : null;
}
