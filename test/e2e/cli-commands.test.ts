// Every `flux` command against one real `wrangler dev` (test/e2e/harness.ts), run as a child process: both
// output formats, stream mode, pause → resume, cancel, the registry (register/show/versions/delete), secrets,
// configuration precedence, and the exit codes 0 / 1 (FAILED, CANCELLED) / 3 (server, auth, network).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startServer, type FluxServer } from "./harness";
import { buildCli, FLUX_BIN, flux as runFlux, type CliOptions, type CliResult } from "./cli-run";

interface View {
  execution_id: string;
  workflow_name: string;
  workflow_version: number;
  state: string;
  input: unknown;
  output: unknown;
  events?: { type: string; name: string }[];
}
interface Frame {
  event: string;
  data: Record<string, unknown>;
}

let server: FluxServer;
let dir: string;

/** The CLI pointed at the test server through the environment (the flag/file cases are tested separately). */
function flux(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runFlux(args, {
    ...options,
    env: { FLUX_SERVER_URL: server.url, FLUX_TOKEN: server.token, ...options.env },
  });
}

/** Runs and expects `code`; failures show everything the CLI printed plus the server's log tail. */
async function ok(args: string[], code = 0, options: CliOptions = {}): Promise<CliResult> {
  const r = await flux(args, options);
  if (r.code !== code) {
    throw new Error(
      `flux ${args.join(" ")} → ${r.code} (expected ${code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}\n${server.logs().slice(-2000)}`,
    );
  }
  return r;
}

const json = <T = View>(r: CliResult): T => JSON.parse(r.stdout) as T;
const frames = (r: CliResult): Frame[] =>
  r.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Frame);

async function waitForState(workflow: string, id: string, states: string[]): Promise<View> {
  const deadline = Date.now() + 20_000;
  let last: View | undefined;
  while (Date.now() < deadline) {
    const view = json<View>(await ok(["workflow", "status", workflow, id, "-f", "json"]));
    last = view;
    if (states.includes(view.state)) return view;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`never reached ${states.join("/")}: ${JSON.stringify(last)}`);
}

beforeAll(async () => {
  buildCli();
  dir = mkdtempSync(join(tmpdir(), "flux-cli-"));
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("health and workflow list", () => {
  it("health: simple and json", async () => {
    const simple = await ok(["health"]);
    expect(simple.stdout).toMatch(/Status:\s+ok/);
    expect(simple.stdout).toContain(server.url);
    expect(json(await ok(["health", "-f", "json"]))).toMatchObject({
      status: "ok",
      database: "ok",
      server_url: server.url,
    });
  });

  it("workflow list: a table, or the server's array", async () => {
    const simple = await ok(["workflow", "list"]);
    expect(simple.stdout).toMatch(/^NAME\s+NAMESPACE\s+VERSION\s+DESCRIPTION/);
    expect(simple.stdout).toMatch(/^hello_world\s+default\s+1/m);
    const items = json<{ name: string; version: number }[]>(
      await ok(["workflow", "list", "--format", "json"]),
    );
    expect(items).toContainEqual(expect.objectContaining({ name: "hello_world", version: 1 }));
  });

  it("workflow show / versions of a bundled workflow", async () => {
    const shown = await ok(["workflow", "show", "progress_workflow"]);
    expect(shown.stdout).toMatch(/Source:\s+bundled/);
    expect(shown.stdout).toMatch(/Description:\s+Reports progress/);
    const detail = json<{ name: string; metadata: { task_names: string[] } }>(
      await ok(["workflow", "show", "hello_world", "-f", "json"]),
    );
    expect(detail).toMatchObject({ name: "hello_world", version: 1, source_kind: "bundled" });
    expect(Array.isArray(detail.metadata.task_names)).toBe(true);
    expect((await ok(["workflow", "versions", "hello_world"])).stdout).toMatch(
      /^1\s+bundled\s+[0-9a-f]{12}/m,
    );
    expect(json<unknown[]>(await ok(["workflow", "versions", "hello_world", "-f", "json"]))).toHaveLength(1);
  });
});

describe("workflow run", () => {
  it("sync, simple: the execution block; JSON when the input parses, else a string", async () => {
    const r = await ok(["workflow", "run", "hello_world", '"Ann"']);
    expect(r.stdout).toMatch(/State:\s+COMPLETED/);
    expect(r.stdout).toMatch(/Output:\s+Hello, Ann/);
    const plain = json(await ok(["workflow", "run", "hello_world", "Bob", "-f", "json"]));
    expect(plain).toMatchObject({ input: "Bob", output: "Hello, Bob", state: "COMPLETED" });
    const number = json(await ok(["workflow", "run", "simple_pipeline", "5", "-f", "json"]));
    expect(number.input).toBe(5);
  });

  it("INPUT from stdin (-) and from @file.json", async () => {
    const stdin = json(
      await ok(["workflow", "run", "greet_typed", "-", "-f", "json"], 0, {
        stdin: '{"name":"Cy","times":2}',
      }),
    );
    expect(stdin).toMatchObject({ state: "COMPLETED", input: { name: "Cy", times: 2 } });
    const file = join(dir, "input.json");
    writeFileSync(file, JSON.stringify({ steps: 1 }));
    expect(json(await ok(["workflow", "run", "progress_workflow", `@${file}`, "-f", "json"])).input).toEqual({
      steps: 1,
    });
  });

  it("--detailed includes events (json) and an events table (simple)", async () => {
    const detailed = json(await ok(["workflow", "run", "hello_world", "Di", "--detailed", "-f", "json"]));
    expect(detailed.events?.map((e) => e.type)).toContain("WORKFLOW_COMPLETED");
    const simple = await ok(["workflow", "run", "hello_world", "Di", "-d"]);
    expect(simple.stdout).toMatch(/Events \(\d+\)/);
    expect(simple.stdout).toMatch(/WORKFLOW_STARTED\s+hello_world/);
  });

  it("a FAILED workflow exits 1 (sync and stream), and shows the error", async () => {
    const sync = await ok(["workflow", "run", "task_timeout"], 1);
    expect(sync.stdout).toMatch(/State:\s+FAILED/);
    expect(sync.stdout).toContain("ExecutionTimeoutError");
    const stream = await ok(["workflow", "run", "task_timeout", "--mode", "stream", "-f", "json"], 1);
    expect(frames(stream).at(-1)).toMatchObject({ event: "workflow.execution.failed" });
  });

  it("async returns at once (exit 0); status follows it to COMPLETED", async () => {
    const started = json(
      await ok(["workflow", "run", "sleep_workflow", '{"seconds":1}', "--mode", "async", "-f", "json"]),
    );
    expect(["CREATED", "RUNNING"]).toContain(started.state);
    const done = await waitForState("sleep_workflow", started.execution_id, ["COMPLETED"]);
    expect(done.execution_id).toBe(started.execution_id);
    const simple = await ok(["workflow", "status", "sleep_workflow", started.execution_id]);
    expect(simple.stdout).toMatch(/State:\s+COMPLETED/);
    const detailed = json(
      await ok(["workflow", "status", "sleep_workflow", started.execution_id, "-d", "-f", "json"]),
    );
    expect(detailed.events?.length).toBeGreaterThan(2);
  });

  it("--idempotency-key returns the same execution", async () => {
    const key = `cli-${Date.now()}`;
    const first = json(
      await ok(["workflow", "run", "hello_world", "Ed", "--idempotency-key", key, "-f", "json"]),
    );
    const again = json(
      await ok(["workflow", "run", "hello_world", "Other", "--idempotency-key", key, "-f", "json"]),
    );
    expect(again.execution_id).toBe(first.execution_id);
    expect(again.input).toBe("Ed");
  });

  it("stream, json: one frame per line with state changes and task.progress, ending COMPLETED", async () => {
    const r = await ok([
      "workflow",
      "run",
      "progress_workflow",
      '{"steps":3}',
      "--mode",
      "stream",
      "--format",
      "json",
    ]);
    const all = frames(r);
    const progress = all.filter((f) => f.event === "task.progress");
    expect(progress.map((f) => f.data.value)).toEqual([
      { step: 1, of: 3 },
      { step: 2, of: 3 },
      { step: 3, of: 3 },
    ]);
    expect(progress[0]!.data).toMatchObject({ task_name: "count_up" });
    expect(all[0]!.event).toMatch(/^workflow\.execution\.(created|running)$/);
    expect(all.at(-1)).toMatchObject({
      event: "workflow.execution.completed",
      data: { output: { steps: 3 } },
    });
  });

  it("stream, simple (not a TTY): plain state and progress lines, then the final execution", async () => {
    const r = await ok(["workflow", "run", "progress_workflow", '{"steps":2}', "--mode", "stream"]);
    expect(r.stdout).not.toContain("\r");
    expect(r.stdout).toMatch(/^state\s+RUNNING\s+[0-9a-f]{32}$/m);
    expect(r.stdout).toMatch(/^progress count_up \{"step":1,"of":2\}$/m);
    expect(r.stdout).toMatch(/^progress count_up \{"step":2,"of":2\}$/m);
    expect(r.stdout).toMatch(/^state\s+COMPLETED/m);
    expect(r.stdout).toMatch(/State:\s+COMPLETED/);
  });

  // util-linux `script` gives the CLI a pseudo-terminal, where stream mode draws a spinner line in colour.
  it.skipIf(!existsSync("/usr/bin/script"))(
    "stream, simple on a TTY: a coloured spinner/progress line",
    () => {
      const command = `'${process.execPath}' '${FLUX_BIN}' workflow run progress_workflow '{"steps":2}' --mode stream`;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        FLUX_SERVER_URL: server.url,
        FLUX_TOKEN: server.token,
        TERM: "xterm",
      };
      delete env.NO_COLOR;
      delete env.FORCE_COLOR;
      const r = spawnSync("/usr/bin/script", ["-qec", command, "/dev/null"], {
        env,
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain("\r\u001b[K"); // the live line is redrawn in place
      expect(r.stdout).toMatch(/count_up \{"step":2,"of":2\}/);
      expect(r.stdout).toContain("\u001b[32mCOMPLETED\u001b[39m"); // state in colour
    },
  );

  it("an unknown workflow exits 3 with the server's message", async () => {
    const r = await ok(["workflow", "run", "no_such_workflow"], 3);
    expect(r.stderr).toMatch(/^flux: .*no_such_workflow.*\(HTTP 404, [a-z_]+\)$/m);
    const asJson = await ok(["workflow", "run", "no_such_workflow", "-f", "json"], 3);
    expect(JSON.parse(asJson.stderr.split("\n")[0]!)).toMatchObject({ error: { code: expect.any(String) } });
  });
});

describe("pause, resume, cancel", () => {
  it("sync stops at PAUSED (exit 0); resume completes it; resuming again exits 3", async () => {
    const paused = json(await ok(["workflow", "run", "pause_with_input_workflow", "-f", "json"]));
    expect(paused.state).toBe("PAUSED");
    expect(paused.output).toEqual({ stage: "initial", data: [1, 2, 3] });
    const resumed = await ok([
      "workflow",
      "resume",
      "pause_with_input_workflow",
      paused.execution_id,
      '{"multiplier":3}',
    ]);
    expect(resumed.stdout).toMatch(/State:\s+COMPLETED/);
    expect(resumed.stdout).toContain('"result": 9');
    const again = await ok(["workflow", "resume", "pause_with_input_workflow", paused.execution_id, "{}"], 3);
    expect(again.stderr).toMatch(/^flux: .*\(HTTP 4\d\d, [a-z_]+\)$/m);
  });

  it("stream exits at PAUSED with a resume hint; resume --mode stream follows it to COMPLETED", async () => {
    const r = await ok(["workflow", "run", "pause_with_input_workflow", "--mode", "stream"]);
    expect(r.stdout).toMatch(/^state\s+PAUSED/m);
    const id = /resume with: flux workflow resume pause_with_input_workflow ([0-9a-f]{32})/.exec(
      r.stdout,
    )?.[1];
    expect(id).toBeDefined();
    const resumed = await ok([
      "workflow",
      "resume",
      "pause_with_input_workflow",
      id!,
      '{"multiplier":1}',
      "--mode",
      "stream",
      "-f",
      "json",
    ]);
    expect(frames(resumed).at(-1)).toMatchObject({
      event: "workflow.execution.completed",
      data: { output: { result: 7 } },
    });
  });

  it("resume --mode async returns at once", async () => {
    const paused = json(await ok(["workflow", "run", "pause_with_input_workflow", "-f", "json"]));
    const accepted = json(
      await ok([
        "workflow",
        "resume",
        "pause_with_input_workflow",
        paused.execution_id,
        "null",
        "--mode",
        "async",
        "-f",
        "json",
      ]),
    );
    expect(accepted.execution_id).toBe(paused.execution_id);
    expect(
      (await waitForState("pause_with_input_workflow", paused.execution_id, ["COMPLETED"])).output,
    ).toMatchObject({ result: 7 });
  });

  it("cancel --mode sync: CANCELLED; a run streaming it exits 1; execution show --follow exits 1", async () => {
    const started = json(
      await ok([
        "workflow",
        "run",
        "cancellable_workflow",
        '{"iterations":200}',
        "--mode",
        "async",
        "-f",
        "json",
      ]),
    );
    await waitForState("cancellable_workflow", started.execution_id, ["RUNNING"]);
    const follower = flux(["execution", "show", started.execution_id, "--follow"]);
    await new Promise((r) => setTimeout(r, 500));
    const cancelled = await ok([
      "workflow",
      "cancel",
      "cancellable_workflow",
      started.execution_id,
      "--mode",
      "sync",
    ]);
    expect(cancelled.stdout).toMatch(/State:\s+CANCELLED/);
    const followed = await follower;
    expect(followed.code).toBe(1);
    expect(followed.stdout).toMatch(/^state\s+CANCELLED/m);
    const status = json(
      await ok(["workflow", "status", "cancellable_workflow", started.execution_id, "-f", "json"]),
    );
    expect(status.state).toBe("CANCELLED");
  });

  it("cancel --mode async (json) and a run that gets cancelled exits 1", async () => {
    const key = `cancel-${Date.now()}`;
    const running = flux([
      "workflow",
      "run",
      "cancellable_workflow",
      '{"iterations":200}',
      "--mode",
      "stream",
      "--idempotency-key",
      key,
      "-f",
      "json",
    ]);
    let id: string | undefined;
    const deadline = Date.now() + 15_000;
    while (!id && Date.now() < deadline) {
      const page = json<{ items: { execution_id: string; state: string }[] }>(
        await ok([
          "execution",
          "list",
          "--workflow",
          "cancellable_workflow",
          "--state",
          "running",
          "-f",
          "json",
        ]),
      );
      id = page.items[0]?.execution_id;
      if (!id) await new Promise((r) => setTimeout(r, 200));
    }
    expect(id).toBeDefined();
    const accepted = json(await ok(["workflow", "cancel", "cancellable_workflow", id!, "-f", "json"]));
    expect(["CANCELLING", "CANCELLED"]).toContain(accepted.state);
    const r = await running;
    expect(r.code).toBe(1);
    expect(frames(r).at(-1)).toMatchObject({ event: "workflow.execution.cancelled" });
  });
});

describe("execution list / show", () => {
  it("list: table and page JSON, filters and a cursor", async () => {
    const table = await ok(["execution", "list"]);
    expect(table.stdout).toMatch(/^EXECUTION\s+WORKFLOW\s+VERSION\s+STATE\s+CREATED\s+UPDATED/);
    expect(table.stdout).toMatch(/hello_world\s+1\s+COMPLETED/);
    const page = json<{ items: { workflow_name: string; state: string }[]; next_cursor: string | null }>(
      await ok([
        "execution",
        "list",
        "--workflow",
        "hello_world",
        "--state",
        "COMPLETED",
        "--limit",
        "1",
        "-f",
        "json",
      ]),
    );
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ workflow_name: "hello_world", state: "COMPLETED" });
    expect(page.next_cursor).toEqual(expect.any(String));
    const next = json<{ items: unknown[] }>(
      await ok([
        "execution",
        "list",
        "--workflow",
        "hello_world",
        "--limit",
        "1",
        "--cursor",
        page.next_cursor!,
        "-f",
        "json",
      ]),
    );
    expect(next.items).toHaveLength(1);
    const limited = await ok(["execution", "list", "--limit", "1"]);
    expect(limited.stdout).toMatch(/more: flux execution list --cursor \S+/);
  });

  it("show: simple, json, detailed; unknown id exits 3", async () => {
    const run = json(await ok(["workflow", "run", "hello_world", "Flo", "-f", "json"]));
    expect((await ok(["execution", "show", run.execution_id])).stdout).toMatch(/Output:\s+Hello, Flo/);
    expect(json(await ok(["execution", "show", run.execution_id, "-f", "json"]))).toMatchObject({
      output: "Hello, Flo",
    });
    const detailed = json(await ok(["execution", "show", run.execution_id, "--detailed", "-f", "json"]));
    expect(detailed.events?.[0]?.type).toBe("WORKFLOW_STARTED");
    const missing = await ok(["execution", "show", "0".repeat(32)], 3);
    expect(missing.stderr).toMatch(/HTTP 404/);
  });
});

describe("workflow register / show --version / delete", () => {
  it("bundles a TypeScript module with a relative import, registers, runs, versions and deletes it", async () => {
    const src = join(dir, "wf");
    mkdirSync(src, { recursive: true });
    writeFileSync(
      join(src, "helper.ts"),
      "export const greet = (name: string): string => `Howdy, ${name}`;\n",
    );
    const module = (suffix: string): string =>
      [
        'import { task, workflow, type ExecutionContext } from "flux";',
        'import { greet } from "./helper";',
        `const howdy = task("say_howdy", async (name: string) => greet(name) + ${JSON.stringify(suffix)});`,
        'export const cliDemo = workflow("cli_demo", async (ctx: ExecutionContext<string>) => await howdy(ctx.input));',
        'export const cliDemoTwo = workflow("cli_demo_two", async () => "two");',
      ].join("\n");
    const file = join(src, "demo.ts");
    writeFileSync(file, module(""));

    const first = await ok(["workflow", "register", file]);
    expect(first.stdout).toMatch(/^cli_demo\s+default\s+1\s+registered$/m);
    expect(first.stdout).toMatch(/^cli_demo_two\s+default\s+1\s+registered$/m);
    const same = json<{ name: string; version: number; created: boolean }[]>(
      await ok(["workflow", "register", file, "-f", "json"]),
    );
    expect(same).toContainEqual(expect.objectContaining({ name: "cli_demo", version: 1, created: false }));
    expect((await ok(["workflow", "run", "cli_demo", "Gus", "-f", "json"])).stdout).toContain("Howdy, Gus");

    writeFileSync(file, module("!"));
    const second = json<{ name: string; version: number }[]>(
      await ok(["workflow", "register", file, "-f", "json"]),
    );
    expect(second).toContainEqual(expect.objectContaining({ name: "cli_demo", version: 2 }));
    expect(json(await ok(["workflow", "run", "cli_demo", "Hal", "-f", "json"])).output).toBe("Howdy, Hal!");
    const pinned = json(await ok(["workflow", "run", "cli_demo", "Hal", "--version", "1", "-f", "json"]));
    expect(pinned).toMatchObject({ output: "Howdy, Hal", workflow_version: 1 });

    const latest = json<{ version: number; versions: number[]; metadata: { task_names: string[] } }>(
      await ok(["workflow", "show", "cli_demo", "-f", "json"]),
    );
    expect(latest).toMatchObject({
      version: 2,
      versions: expect.arrayContaining([1, 2]),
      source_kind: "uploaded",
    });
    expect(latest.metadata.task_names).toContain("say_howdy");
    expect(
      json<{ version: number }>(await ok(["workflow", "show", "cli_demo", "--version", "1", "-f", "json"]))
        .version,
    ).toBe(1);
    expect((await ok(["workflow", "show", "cli_demo", "--version", "9"], 3)).stderr).toMatch(/no version 9/);
    expect((await ok(["workflow", "versions", "cli_demo"])).stdout).toMatch(
      /^2\s+uploaded[\s\S]*^1\s+uploaded/m,
    );

    expect((await ok(["workflow", "delete", "cli_demo", "--version", "1"])).stdout).toContain(
      "deleted version 1 of cli_demo",
    );
    expect(
      json<{ version: number }[]>(await ok(["workflow", "versions", "cli_demo", "-f", "json"])).map(
        (v) => v.version,
      ),
    ).toEqual([2]);
    expect(json(await ok(["workflow", "delete", "cli_demo", "-f", "json"]))).toMatchObject({
      name: "cli_demo",
      deleted_versions: 1,
    });
    await ok(["workflow", "delete", "cli_demo_two"]);
    expect((await ok(["workflow", "show", "cli_demo"], 3)).stderr).toMatch(/HTTP 404/);
    expect((await ok(["workflow", "delete", "hello_world"], 3)).stderr).toMatch(/bundled/);
  });

  it("a module the server rejects (no exported workflow) exits 3 with its message", async () => {
    const file = join(dir, "empty.js");
    writeFileSync(file, 'import { task } from "flux";\nexport const t = task("lonely", () => 1);\n');
    const r = await ok(["workflow", "register", file], 3);
    expect(r.stderr).toMatch(/exports no workflow.*HTTP 422/);
  });
});

describe("secrets", () => {
  it("set / list / get / remove in both formats; a missing secret exits 3", async () => {
    expect((await ok(["secrets", "set", "cli_token", "s3cret-value"])).stdout).toContain(
      "secret cli_token saved",
    );
    await ok(["secrets", "set", "cli_stdin", "-"], 0, { stdin: "from-stdin-value\n" });
    expect((await ok(["secrets", "list"])).stdout).toMatch(/^cli_token\s+\d{4}-/m);
    const names = json<{ name: string }[]>(await ok(["secrets", "list", "-f", "json"])).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["cli_token", "cli_stdin"]));
    expect((await ok(["secrets", "list"])).stdout).not.toContain("s3cret-value");
    expect((await ok(["secrets", "get", "cli_token"])).stdout).toBe("s3cret-value\n");
    expect(json(await ok(["secrets", "get", "cli_stdin", "-f", "json"]))).toMatchObject({
      name: "cli_stdin",
      value: "from-stdin-value",
    });
    expect((await ok(["secrets", "remove", "cli_stdin"])).stdout).toContain("removed");
    expect(json(await ok(["secrets", "remove", "cli_token", "-f", "json"]))).toEqual({
      name: "cli_token",
      deleted: true,
    });
    expect((await ok(["secrets", "get", "cli_token"], 3)).stderr).toMatch(/not found.*HTTP 404/);
    expect((await ok(["secrets", "set", "short", "ab"], 3)).stderr).toMatch(/value: .*at least/);
  });
});

describe("auth", () => {
  it("a bad token exits 3 and says what to do", async () => {
    const r = await ok(["workflow", "list", "--token", "not-the-token"], 3);
    expect(r.stderr.trim()).toBe("flux: the server rejected the token (401) — check --token / FLUX_TOKEN");
  });

  it("no token at all exits 3 and points at --token / FLUX_TOKEN / .flux/token", async () => {
    const r = await runFlux(["workflow", "list", "--server-url", server.url], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no token — pass --token or set FLUX_TOKEN/);
  });

  it("a role that may not do it exits 3 (403)", async () => {
    const res = await server.fetch("/admin/keys", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: `viewer-${Date.now()}`, role: "viewer" }),
    });
    expect(res.status).toBe(201);
    const { key } = (await res.json()) as { key: string };
    expect((await ok(["workflow", "list", "--token", key])).stdout).toContain("hello_world");
    const denied = await ok(["secrets", "list", "--token", key], 3);
    expect(denied.stderr).toMatch(/^flux: not allowed: .* — use a token whose role permits this$/m);
  });
});

describe("configuration precedence: flags > env > flux.toml > .flux/token / defaults", () => {
  let project: string;
  let deadUrl: string;
  beforeAll(async () => {
    deadUrl = `http://127.0.0.1:${await freePort()}`;
    project = join(dir, "project");
    mkdirSync(join(project, "sub", "dir"), { recursive: true });
    writeFileSync(
      join(project, "flux.toml"),
      `[flux]\nserver_url = "${server.url}"\ntoken = "${server.token}"\nformat = "json"\n`,
    );
  });
  const plain = (args: string[], env: Record<string, string> = {}, cwd = join(project, "sub", "dir")) =>
    runFlux(args, { cwd, env });

  it("flux.toml (found from a subfolder) supplies url, token and format", async () => {
    const r = await plain(["workflow", "list"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toContainEqual(expect.objectContaining({ name: "hello_world" }));
  });

  it("env beats the file; flags beat env", async () => {
    const envFormat = await plain(["workflow", "list"], { FLUX_FORMAT: "simple" });
    expect(envFormat.stdout).toMatch(/^NAME\s+NAMESPACE/);
    expect(
      (await plain(["workflow", "list", "-f", "json"], { FLUX_FORMAT: "simple" })).stdout.trimStart(),
    ).toMatch(/^\[/);
    const envUrl = await plain(["workflow", "list"], { FLUX_SERVER_URL: deadUrl });
    expect(envUrl.code).toBe(3);
    expect(envUrl.stderr).toContain(`no server at ${deadUrl}`);
    expect(
      (await plain(["workflow", "list", "--server-url", server.url], { FLUX_SERVER_URL: deadUrl })).code,
    ).toBe(0);
    const envToken = await plain(["workflow", "list"], { FLUX_TOKEN: "wrong" });
    expect(envToken.code).toBe(3);
    expect((await plain(["workflow", "list", "--token", server.token], { FLUX_TOKEN: "wrong" })).code).toBe(
      0,
    );
  });

  it("--config picks a file explicitly", async () => {
    const r = await plain(["health", "--config", join(project, "flux.toml")], {}, dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ server_url: server.url });
  });

  it("a local server's token comes from .flux/token when nothing else gives one", async () => {
    const local = join(dir, "local");
    mkdirSync(join(local, ".flux"), { recursive: true });
    writeFileSync(join(local, ".flux", "token"), `${server.token}\n`);
    const r = await runFlux(["workflow", "list", "--server-url", server.url], { cwd: local });
    expect(r.code).toBe(0);
    // A non-loopback server never gets the local token (the request fails without one, unsent).
    const remote = await runFlux(["workflow", "list", "--server-url", "http://flux.invalid"], { cwd: local });
    expect(remote.code).toBe(3);
  });
});
