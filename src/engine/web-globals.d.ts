// Web-standard globals the engine relies on. The engine's own tsconfig has `"types": []` so that no runtime
// (Node, workerd) leaks in; these few declarations are the whole of what it may assume about its host.
// This file is excluded from the root tsconfig, where @cloudflare/workers-types declares the real ones.
/* eslint-disable no-var -- ambient globals are declared with `var`; `let`/`const` would not make them global properties */
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
  throwIfAborted(): void;
}
interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare var AbortController: { prototype: AbortController; new (): AbortController };
declare var AbortSignal: { prototype: AbortSignal; any(signals: AbortSignal[]): AbortSignal };
interface TextEncoder {
  encode(input?: string): Uint8Array;
}
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };
declare function btoa(data: string): string;
declare function atob(data: string): string;
