// Issuing API keys (POST /admin/keys {name, role, expires_in_days?}): the plaintext key is returned once, only its
// hash is kept. Pure: the caller supplies `now` and persists the record (src/db); the route renders the response.
import { FluxError } from "../engine/errors";
import { isRole, type Role } from "./roles";
import { generateApiKey, hashApiKey } from "./tokens";

/** What the database stores for a key. `keyHash` is SHA-256 hex of the key; the key itself is never stored. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  keyHash: string;
  /** First characters of the key (e.g. "flux_AbCd"), safe to list so people can tell keys apart. */
  keyPrefix: string;
  createdAt: string;
  /** ISO timestamp, or null for a key that does not expire. */
  expiresAt: string | null;
}

export interface IssuedApiKey {
  /** The plaintext key: show it once in the creation response, never store or log it. */
  key: string;
  record: ApiKeyRecord;
}

export interface IssueApiKeyInput {
  name: unknown;
  role: unknown;
  expiresInDays?: unknown;
  now: Date;
}

export const MAX_KEY_NAME_LENGTH = 100;
export const MAX_EXPIRES_IN_DAYS = 3650;
const DISPLAY_PREFIX_LENGTH = 9;
const DAY_MS = 86_400_000;

/** Invalid input to key creation; maps to 400. `field` names the offending body field (snake_case, as sent). */
export class ApiKeyRequestError extends FluxError {
  override readonly code = "invalid_api_key_request";
  constructor(
    readonly field: "name" | "role" | "expires_in_days",
    message: string,
  ) {
    super(message);
  }
}

export async function issueApiKey(input: IssueApiKeyInput): Promise<IssuedApiKey> {
  const { name, role, expiresInDays, now } = input;
  if (typeof name !== "string" || name.trim() === "" || name.length > MAX_KEY_NAME_LENGTH) {
    throw new ApiKeyRequestError(
      "name",
      `name must be a non-empty string of at most ${MAX_KEY_NAME_LENGTH} characters`,
    );
  }
  if (!isRole(role)) {
    throw new ApiKeyRequestError("role", "role must be one of admin, operator, viewer, worker");
  }
  let expiresAt: string | null = null;
  if (expiresInDays !== undefined && expiresInDays !== null) {
    if (
      typeof expiresInDays !== "number" ||
      !Number.isInteger(expiresInDays) ||
      expiresInDays < 1 ||
      expiresInDays > MAX_EXPIRES_IN_DAYS
    ) {
      throw new ApiKeyRequestError(
        "expires_in_days",
        `expires_in_days must be an integer from 1 to ${MAX_EXPIRES_IN_DAYS}`,
      );
    }
    expiresAt = new Date(now.getTime() + expiresInDays * DAY_MS).toISOString();
  }
  const key = generateApiKey();
  return {
    key,
    record: {
      id: crypto.randomUUID(),
      name: name.trim(),
      role,
      keyHash: await hashApiKey(key),
      keyPrefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
      createdAt: now.toISOString(),
      expiresAt,
    },
  };
}
