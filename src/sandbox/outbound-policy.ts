// The operator's outbound policy for uploaded workflow code (SPEC §5). Pure: URL + policy text → decision.
// Default "allow-public": HTTP(S) to public hosts only — never loopback, private ranges, link-local, or the
// Flux server's own host (its internal routes are not for sandboxed code).

export interface OutboundDecision {
  allowed: boolean;
  reason?: string;
}

const PRIVATE_HOST = [
  /^localhost$/i,
  /\.localhost$/i,
  /\.local$/i,
  /\.internal$/i,
  /^127\./,
  /^10\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^169\.254\./,
  /^0\./,
  /^\[?::1\]?$/,
  /^\[?f[cd][0-9a-f]{2}:/i,
  /^\[?fe80:/i,
];

export function outboundDecision(url: URL, policy = "allow-public", ownHost?: string): OutboundDecision {
  if (url.protocol !== "https:" && url.protocol !== "http:") return { allowed: false, reason: `scheme ${url.protocol} is not allowed` };
  const host = url.hostname.toLowerCase();
  if (ownHost && host === ownHost.toLowerCase()) return { allowed: false, reason: "the Flux server's own routes are not reachable from workflow code" };
  if (PRIVATE_HOST.some((pattern) => pattern.test(host))) return { allowed: false, reason: `private or loopback host ${host} is not allowed` };
  const mode = policy.trim();
  if (mode === "deny-all") return { allowed: false, reason: "outbound network access is disabled by the operator" };
  if (mode.startsWith("allow:")) {
    const allowed = mode.slice("allow:".length).split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
    const ok = allowed.some((entry) => host === entry || (entry.startsWith("*.") && host.endsWith(entry.slice(1))));
    return ok ? { allowed: true } : { allowed: false, reason: `host ${host} is not on the operator's allow list` };
  }
  return { allowed: true };
}
