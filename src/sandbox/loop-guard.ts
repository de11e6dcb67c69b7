// Defence in depth for uploaded code: every loop body gets a budget tick before the module is loaded, so a
// runaway loop throws a clear error instead of spinning forever. The platform's `limits.cpuMs` is the real
// CPU limit on Cloudflare; workerd (local dev, tests) enforces none, and one spinning isolate would wedge
// the whole runtime there. Once over budget every tick throws, so user try/catch inside a loop cannot
// swallow it: the enclosing loop's own tick throws on its next iteration.
import { parse, type Node } from "acorn";

import { LOOP_TICK } from "./loop-budget.ts";

type AnyNode = Node & Record<string, unknown>;
const LOOPS = new Set(["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"]);

/** Returns the source with `__fluxLoopTick();` at the start of every loop body. */
export function instrumentLoops(source: string): string {
  const program = parse(source, { ecmaVersion: "latest", sourceType: "module" }) as unknown as AnyNode;
  const inserts: { at: number; text: string }[] = [];
  visit(program, (node) => {
    if (!LOOPS.has(node.type)) return;
    const body = node.body as AnyNode;
    if (body.type === "BlockStatement") inserts.push({ at: body.start + 1, text: ` ${LOOP_TICK}();` });
    else {
      inserts.push({ at: body.start, text: `{ ${LOOP_TICK}(); ` });
      inserts.push({ at: body.end, text: " }" });
    }
  });
  inserts.sort((a, b) => b.at - a.at);
  let out = source;
  for (const insert of inserts) out = out.slice(0, insert.at) + insert.text + out.slice(insert.at);
  return out;
}

function visit(node: AnyNode, fn: (node: AnyNode) => void): void {
  fn(node);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof (item as AnyNode).type === "string") visit(item as AnyNode, fn);
    } else if (value && typeof value === "object" && typeof (value as AnyNode).type === "string") {
      visit(value as AnyNode, fn);
    }
  }
}
