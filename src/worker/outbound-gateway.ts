// The globalOutbound of sandboxed isolates: every fetch() from uploaded workflow code comes here first and
// is checked against the operator's policy (FLUX_OUTBOUND_POLICY) before it leaves.
import { WorkerEntrypoint } from "cloudflare:workers";
import { outboundDecision } from "../sandbox/outbound-policy.ts";
import type { Env } from "./env.ts";

export class OutboundGateway extends WorkerEntrypoint<Env> {
  override async fetch(request: Request): Promise<Response> {
    const decision = outboundDecision(new URL(request.url), this.env.FLUX_OUTBOUND_POLICY, this.env.FLUX_PUBLIC_HOST);
    if (!decision.allowed) {
      return Response.json({ error: { code: "outbound_denied", message: decision.reason } }, { status: 403 });
    }
    return fetch(request);
  }
}
