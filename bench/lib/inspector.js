// CPU profile of the Worker inside workerd through wrangler dev's inspector (Chrome DevTools Protocol over a
// WebSocket on loopback). Used by `--cpu-prof` of the http suite; bench/lib/profile.js summarises the result.
import { writeFileSync } from "node:fs";

export async function startProfiler(inspectorUrl) {
  const targets = await fetch(`${inspectorUrl}/json`).then((r) => r.json());
  const target = targets.find((t) => t.webSocketDebuggerUrl);
  if (!target) throw new Error(`no inspector target at ${inspectorUrl}`);
  // wrangler's inspector proxy wants an Origin on loopback from clients that send a User-Agent (Node does).
  const ws = new WebSocket(target.webSocketDebuggerUrl, { headers: { Origin: "http://127.0.0.1" } });
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`inspector connection to ${target.webSocketDebuggerUrl} failed`));
  });
  let nextId = 1;
  const pending = new Map();
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error) waiter.reject(new Error(message.error.message));
    else waiter.resolve(message.result);
  };
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 200 });
  await send("Profiler.start");
  return {
    /** Stops, writes the .cpuprofile to `path`, closes the connection. */
    async stop(path) {
      const { profile } = await send("Profiler.stop");
      ws.close();
      writeFileSync(path, JSON.stringify(profile));
      return path;
    },
  };
}
