// The outbound policy gateway: uploaded code's fetch() goes through OutboundGateway (policy in the Worker).
import { describe, expect, it } from "vitest";
import { call } from "../workers/helpers.ts";
import { start } from "./helpers.ts";

describe("outbound policy for uploaded code", () => {
  it("a request to a private address is answered by the gateway with 403 outbound_denied", async () => {
    const name = `outbound-${Date.now().toString(36)}`;
    const form = new FormData();
    form.append(
      "file",
      new File(
        [
          `import { task, workflow } from "flux";
const probe = task("probe", async () => {
  try {
    const response = await fetch("http://10.1.2.3/internal");
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { threw: String(error) };
  }
});
export const wf = workflow("${name}", async () => await probe());`,
        ],
        "outbound.js",
      ),
    );
    expect((await call("/workflows", { method: "POST", body: form })).status).toBe(201);
    const { view } = await start(name, null, { wait: true });
    expect(view.output).toMatchObject({ status: 403 });
    expect(JSON.stringify(view.output)).toContain("outbound_denied");
  });
});
