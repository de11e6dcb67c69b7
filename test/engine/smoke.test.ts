import { describe, expect, it } from "vitest";
import { helloWorld } from "../../src/workflows/hello-world.ts";
import { simplePipeline } from "../../src/workflows/simple-pipeline.ts";
import { types } from "./helpers.ts";

describe("smoke", () => {
  it("hello_world", async () => {
    const ctx = await helloWorld.run("Joe");
    expect(ctx.output).toBe("Hello, Joe");
    expect(ctx.state).toBe("COMPLETED");
    expect(types(ctx)).toEqual(["WORKFLOW_STARTED", "TASK_STARTED", "TASK_COMPLETED", "WORKFLOW_COMPLETED"]);
  });
  it("simple_pipeline", async () => {
    const ctx = await simplePipeline.run(5);
    expect(ctx.output).toBe(169);
  });
});
