// The `flux` module workflow files import (SPEC §2). It is the engine plus the wiring every JavaScript host
// shares: AsyncLocalStorage for the task context (Node, and workerd with nodejs_compat) and inline-run ports.
import { AsyncLocalStorage } from "node:async_hooks";
import { configureInlineHost, installContextStorage, type Scope } from "../engine/index.ts";
import { inlineHostPorts } from "./inline-host.ts";

installContextStorage(new AsyncLocalStorage<Scope>());
configureInlineHost(inlineHostPorts());

export * from "../engine/index.ts";
export { inlineHostPorts, inMemoryTimers, inMemoryCache } from "./inline-host.ts";
