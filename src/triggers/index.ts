// Triggers that start workflows without a client call: inbound webhooks and schedules (SPEC §5).
// The SchedulerDO (src/durable-objects/scheduler-do.ts) is the adapter that fires schedules; this folder holds
// the logic and the use cases the routes call.
export * as webhooks from "./webhooks";
export * as schedules from "./schedules";
export { ensureAutoSchedules, SCHEDULE_ID_PATTERN, AUTO_SCHEDULE_SUFFIX } from "./schedules";
export type { NewSchedule, ScheduleHistory } from "./schedules";
export {
  checkSchedule,
  firstFireAt,
  nextFireAt,
  InvalidScheduleError,
  isKnownTimezone,
  ScheduleSpecSchema,
  MIN_INTERVAL_SECONDS,
} from "./schedule-spec";
export type { Overlap, ScheduleSpec } from "./schedule-spec";
export type { HistoryEntry, ScheduleStatus, ScheduleView } from "./schedule-state";
export { signWebhook, verifyWebhookSignature, parseSignatureHeader } from "./webhook-signature";
export { DEFAULT_SIGNATURE_HEADER, DEFAULT_TOLERANCE_S, WebhookSignatureError } from "./webhooks";
export type { WebhookConfig, WebhookView } from "./webhooks";
