// Static checks of an uploaded module before anything runs it: it must parse as an ES module, import only
// "flux", and we collect what the registry shows without executing code (task names, secret requests).
import { parse, type Node } from "acorn";

export interface SourceFacts {
  taskNames: string[];
  secretRequests: string[];
}

export class SourceProblem extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

type AnyNode = Node & Record<string, unknown>;

export function checkSource(source: string): SourceFacts {
  let program: AnyNode;
  try {
    program = parse(source, { ecmaVersion: "latest", sourceType: "module", locations: true }) as unknown as AnyNode;
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const message = error instanceof Error ? error.message : String(error);
    throw new SourceProblem(`Syntax error: ${message}`, loc?.line, loc !== undefined ? loc.column + 1 : undefined);
  }
  const facts: SourceFacts = { taskNames: [], secretRequests: [] };
  walk(program, (node) => {
    const source = moduleSourceOf(node);
    if (source !== undefined && source !== "flux") {
      const line = (node.loc as { start: { line: number } } | undefined)?.start.line;
      throw new SourceProblem(`Only "flux" may be imported (found "${source}"); bundle other dependencies into the file`, line);
    }
    collectFacts(node, facts);
  });
  facts.taskNames = [...new Set(facts.taskNames)];
  facts.secretRequests = [...new Set(facts.secretRequests)];
  return facts;
}

function moduleSourceOf(node: AnyNode): string | undefined {
  if (node.type === "ImportDeclaration" || node.type === "ExportAllDeclaration" || node.type === "ExportNamedDeclaration") {
    const source = node.source as AnyNode | null | undefined;
    return source ? String(source.value) : undefined;
  }
  if (node.type === "ImportExpression") {
    const source = node.source as AnyNode;
    return source.type === "Literal" ? String(source.value) : "<dynamic>";
  }
  return undefined;
}

function collectFacts(node: AnyNode, facts: SourceFacts): void {
  // task("name", fn)
  if (node.type === "CallExpression") {
    const callee = node.callee as AnyNode;
    const first = (node.arguments as AnyNode[])[0];
    if (callee.type === "Identifier" && callee.name === "task" && first?.type === "Literal" && typeof first.value === "string") {
      facts.taskNames.push(first.value);
    }
  }
  // { name: "x", secretRequests: ["A", "B"] } inside task.withOptions(...) and workflow options
  if (node.type === "ObjectExpression") {
    const properties = node.properties as AnyNode[];
    const keyOf = (p: AnyNode) => ((p.key as AnyNode | undefined)?.name ?? (p.key as AnyNode | undefined)?.value) as string | undefined;
    for (const property of properties) {
      const value = property.value as AnyNode | undefined;
      if (keyOf(property) === "secretRequests" && value?.type === "ArrayExpression") {
        for (const element of value.elements as AnyNode[]) {
          if (element?.type === "Literal" && typeof element.value === "string") facts.secretRequests.push(element.value);
        }
      }
    }
  }
}

function walk(node: AnyNode, visit: (node: AnyNode) => void): void {
  visit(node);
  for (const key of Object.keys(node)) {
    if (key === "loc") continue;
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item && typeof item === "object" && typeof (item as AnyNode).type === "string") walk(item as AnyNode, visit);
    } else if (child && typeof child === "object" && typeof (child as AnyNode).type === "string") {
      walk(child as AnyNode, visit);
    }
  }
}
