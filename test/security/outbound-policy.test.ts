// The outbound policy for uploaded code (pure): allow public HTTP(S) by default; never loopback, private
// ranges, link-local or the server's own host; "deny-all" and "allow:" lists.
import { describe, expect, it } from "vitest";
import { outboundDecision } from "../../src/sandbox/outbound-policy.ts";

const allowed = (url: string, policy?: string, own?: string) => outboundDecision(new URL(url), policy, own).allowed;

describe("outboundDecision", () => {
  it("allows public http(s) by default", () => {
    expect(allowed("https://api.example.com/v1")).toBe(true);
    expect(allowed("http://example.org")).toBe(true);
  });
  it("denies loopback, private, link-local and local names", () => {
    for (const url of [
      "http://127.0.0.1:8787/executions",
      "http://localhost/",
      "http://10.1.2.3/",
      "http://192.168.0.10/",
      "http://172.20.0.1/",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]/",
      "http://db.internal/",
      "http://printer.local/",
    ]) {
      expect(allowed(url), url).toBe(false);
    }
    expect(allowed("http://172.32.0.1/")).toBe(true);
  });
  it("denies non-http schemes and the server's own host", () => {
    expect(allowed("ftp://example.com/")).toBe(false);
    expect(allowed("https://flux.example.com/workflows", undefined, "flux.example.com")).toBe(false);
  });
  it("honours deny-all and allow lists (with *. wildcards)", () => {
    expect(allowed("https://example.com", "deny-all")).toBe(false);
    expect(allowed("https://api.stripe.com", "allow:api.stripe.com,*.github.com")).toBe(true);
    expect(allowed("https://raw.github.com", "allow:api.stripe.com,*.github.com")).toBe(true);
    expect(allowed("https://example.com", "allow:api.stripe.com")).toBe(false);
    expect(outboundDecision(new URL("https://example.com"), "allow:api.stripe.com").reason).toMatch(/allow list/);
  });
});
