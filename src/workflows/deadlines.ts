// Timed waits: a pause that wakes itself (`after`) and a workflow-level deadline (`timeout`), both driven
// by Durable Object alarms.
import { pause, sleep, workflow } from "flux";

/** Waits up to an hour for an approval; with no answer by then it wakes (input null) and escalates. */
export const approvalWithReminder = workflow("approval_with_reminder", async () => {
  const answer = await pause<{ approved?: boolean } | null>("approve", { output: "waiting for approval", after: "1h" });
  return answer === null ? "no answer: escalated" : answer.approved ? "approved" : "rejected";
});

/** The whole execution must finish within two hours (across pauses and sleeps), or it FAILS. */
export const boundedApproval = workflow.withOptions({ name: "bounded_approval", timeout: "2h" }, async (ctx) => {
  if (ctx.input === "sleep") await sleep("3h");
  return await pause("approve");
});
