// The CLI without a server: help pages, usage errors (exit 2), local input/config errors (exit 2) and an
// unreachable server (exit 3 with what to do). The commands that talk to a server are in cli-commands.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./harness";
import { buildCli, flux } from "./cli-run";

let dir: string;
let deadUrl: string;

beforeAll(async () => {
  buildCli();
  dir = mkdtempSync(join(tmpdir(), "flux-cli-usage-"));
  deadUrl = `http://127.0.0.1:${await freePort()}`;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("help", () => {
  it("flux --help lists every command group, the global options, config precedence and exit codes", async () => {
    const r = await flux(["--help"]);
    expect(r.code).toBe(0);
    for (const word of [
      "workflow",
      "execution",
      "secrets",
      "start",
      "health",
      "--server-url",
      "--token",
      "--format",
    ])
      expect(r.stdout).toContain(word);
    expect(r.stdout).toContain("FLUX_SERVER_URL");
    expect(r.stdout).toMatch(/Exit codes: 0 success, 1 .*2 usage error, 3 server/);
  });

  it.each([
    [
      ["workflow", "--help"],
      ["list", "register", "show", "versions", "delete", "run", "resume", "status", "cancel"],
    ],
    [
      ["workflow", "run", "--help"],
      [
        "--mode",
        "sync",
        "async",
        "stream",
        "--version",
        "--detailed",
        "--idempotency-key",
        "Global Options",
        "--server-url",
      ],
    ],
    [
      ["workflow", "cancel", "--help"],
      ["--mode", "sync", "async"],
    ],
    [
      ["execution", "--help"],
      ["list", "show"],
    ],
    [
      ["execution", "list", "--help"],
      ["--workflow", "--state", "--limit", "--cursor"],
    ],
    [
      ["secrets", "--help"],
      ["list", "set", "get", "remove"],
    ],
    [
      ["start", "server", "--help"],
      ["--port", "--host", "--persist-to", "migrations"],
    ],
    [["help", "health"], ["Check that the server is up"]],
  ])("flux %j is complete", async (args, words) => {
    const r = await flux(args);
    expect(r.code).toBe(0);
    for (const word of words) expect(r.stdout).toContain(word);
  });

  it("prints the CLI version", async () => {
    const r = await flux(["--cli-version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("usage errors exit 2", () => {
  it.each([
    [["bogus"], /unknown command 'bogus'/],
    [["workflow", "stat", "x", "y"], /Did you mean status\?/],
    [["workflow", "run"], /missing required argument 'name'/],
    [["workflow", "status", "hello_world"], /missing required argument 'execution-id'/],
    [["secrets", "set", "only-name"], /missing required argument 'value'/],
    [["workflow", "run", "x", "--mode", "fast"], /Allowed choices are sync, async, stream/],
    [["workflow", "cancel", "x", "y", "--mode", "stream"], /Allowed choices are sync, async/],
    [["workflow", "show", "x", "--version", "two"], /expected a positive integer/],
    [["execution", "list", "--state", "DONE"], /expected one of CREATED/],
    [["--format", "yaml", "health"], /Allowed choices are simple, json/],
    [["workflow", "list", "--nope"], /unknown option '--nope'/],
    [["workflow"], /Usage: flux workflow/],
  ])("flux %j", async (args, message) => {
    const r = await flux([...args, "--server-url", deadUrl]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("an invalid JSON input file is a usage error, before any request", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, "{not json");
    const r = await flux(["workflow", "run", "hello_world", `@${file}`, "--server-url", deadUrl]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/input file .*bad\.json is not valid JSON/);
  });

  it("a missing input file is a usage error", async () => {
    const r = await flux([
      "workflow",
      "run",
      "hello_world",
      `@${join(dir, "missing.json")}`,
      "--server-url",
      deadUrl,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read input file .*missing\.json \(ENOENT\)/);
  });

  it("register: a missing file, a wrong extension and a syntax error are usage errors", async () => {
    const missing = await flux(["workflow", "register", join(dir, "nope.ts"), "--server-url", deadUrl]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    const txt = join(dir, "wf.txt");
    writeFileSync(txt, "hello");
    const wrongExt = await flux(["workflow", "register", txt, "--server-url", deadUrl]);
    expect(wrongExt.code).toBe(2);
    expect(wrongExt.stderr).toMatch(/expected a \.ts or \.js module/);
    const broken = join(dir, "broken.ts");
    writeFileSync(broken, "const x: number = ;\n");
    const syntax = await flux(["workflow", "register", broken, "--server-url", deadUrl]);
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/cannot build .*broken\.ts: line 1, column \d+/);
  });

  it("a malformed flux.toml or server URL is a usage error", async () => {
    const project = mkdtempSync(join(dir, "proj-"));
    writeFileSync(join(project, "flux.toml"), "[flux\nserver_url = 1");
    const toml = await flux(["workflow", "list"], { cwd: project });
    expect(toml.code).toBe(2);
    expect(toml.stderr).toMatch(/cannot read config .*flux\.toml/);
    const url = await flux(["workflow", "list", "--server-url", "localhost:8787"]);
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/must start with http:\/\/ or https:\/\//);
  });
});

describe("an unreachable server exits 3 with what to do", () => {
  it.each([["simple"], ["json"]])("--format %s", async (format) => {
    const r = await flux(["workflow", "list", "--format", format, "--server-url", deadUrl, "--token", "t"]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(
      `flux: no server at ${deadUrl} — start one with \`flux start server\` or pass --server-url`,
    );
    expect(r.stdout).toBe("");
  });

  it("health too, and FLUX_SERVER_URL is honoured", async () => {
    const r = await flux(["health"], { env: { FLUX_SERVER_URL: deadUrl } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`no server at ${deadUrl}`);
  });
});
