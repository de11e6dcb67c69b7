// Shared helpers for in-workerd tests: call the real Worker entry with or without the test admin token.
import { exports } from "cloudflare:workers";

export const TEST_TOKEN = "test-admin-token";
export const BASE = "http://flux.test";

export async function call(
  path: string,
  init: RequestInit & { token?: string | null } = {},
): Promise<Response> {
  const { token = TEST_TOKEN, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set("Authorization", `Bearer ${token}`);
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...rest, headers }));
}

export interface ErrorJson {
  error: { code: string; message: string; details?: unknown };
}
