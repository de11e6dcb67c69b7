// The engine's Secrets port inside the Durable Object: names → decrypted values from D1, fetched at call
// time for the task that requested them. Values never leave this call except into that task's context.
// The port remembers every value it handed out, so the object can redact them (→ "***") from whatever else
// leaves it: SSE progress frames, status views, persisted events of sandboxed runs, and its own logs. The engine
// already redacts recorded events of in-process runs; this is the second line for everything else.
import { createDb } from "../db/index.ts";
import { getSecretRows } from "../db/secrets-repo.ts";
import type { Secrets } from "../engine/index.ts";
import { createRedactor, secretCipherFromEnv, type Redactor } from "../security/index.ts";
import type { Env } from "../worker/env.ts";

export interface SecretsPort extends Secrets {
  /** `value` with every secret handed out so far replaced by "***" (strings, arrays, plain objects). */
  redact<T>(value: T): T;
  redactString(text: string): string;
}

export function d1Secrets(env: Env): SecretsPort {
  const handedOut = new Set<string>();
  let redactor: Redactor = createRedactor([]);
  return {
    async get(names) {
      const rows = await getSecretRows(createDb(env.DB), names);
      const missing = names.filter((name) => !rows.some((row) => row.name === name));
      if (missing.length > 0)
        throw new Error(`The following secrets were not found: [${missing.join(", ")}]`);
      const cipher = await secretCipherFromEnv(env);
      const values: Record<string, string> = {};
      for (const row of rows) {
        values[row.name] = await cipher.decrypt(row.name, {
          ciphertext: row.ciphertext,
          iv: row.iv,
          keyVersion: row.keyVersion,
        });
      }
      const before = handedOut.size;
      for (const value of Object.values(values)) handedOut.add(value);
      if (handedOut.size !== before) redactor = createRedactor([...handedOut]);
      redactConsole(Object.values(values));
      return values;
    },
    redact: (value) => redactor.redact(value),
    redactString: (text) => redactor.redactString(text),
  };
}

// ---- logs ----
// Tasks run in this isolate and may console.log a secret they were given. Every console method is wrapped (once
// per current function, so a later replacement such as a test spy gets wrapped too) to redact every secret
// value handed out in this isolate. The set is isolate-wide because logs are: any object may print any value.
const LOG_METHODS = ["log", "info", "warn", "error", "debug"] as const;
const WRAPPED = Symbol.for("flux.redacted-console");
const isolateSecrets = new Set<string>();
let isolateRedactor: Redactor = createRedactor([]);

type LogFn = ((...args: unknown[]) => void) & { [WRAPPED]?: true };

function redactLogArg(arg: unknown): unknown {
  if (arg instanceof Error) return isolateRedactor.redactString(arg.stack ?? `${arg.name}: ${arg.message}`);
  return isolateRedactor.redact(arg);
}

export function redactConsole(values: readonly string[]): void {
  const before = isolateSecrets.size;
  for (const value of values) isolateSecrets.add(value);
  if (isolateSecrets.size !== before) isolateRedactor = createRedactor([...isolateSecrets]);
  const target = console as unknown as Record<string, LogFn>;
  for (const method of LOG_METHODS) {
    const current = target[method];
    if (typeof current !== "function" || current[WRAPPED]) continue;
    const wrapped: LogFn = (...args) => current.apply(console, args.map(redactLogArg));
    wrapped[WRAPPED] = true;
    target[method] = wrapped;
  }
}
