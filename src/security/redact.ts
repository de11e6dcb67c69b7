// The redactor lives in the engine (pure; events are formed there, in every host including sandboxed
// isolates); security code and adapters use the same one.
export { createRedactor, MIN_REDACTED_LENGTH, REDACTED, type Redactor } from "../engine/redact.ts";
