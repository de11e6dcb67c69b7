// The one place a Durable Object `Outcome` error becomes an HTTP-facing ApiError (rendered by handleError).
import type { Outcome, RpcError } from "../../durable-objects/index";
import { ApiError, BadRequestError, ConflictError, NotFoundError } from "../errors";

export function rpcErrorToApi(error: RpcError): ApiError {
  switch (error.code) {
    case "not_found":
      return new NotFoundError(error.message, "execution_not_found");
    case "invalid_state":
      return new ConflictError(error.message, undefined, "invalid_state");
    case "finished":
      return new BadRequestError(error.message, undefined, "execution_finished");
    case "workflow_unavailable":
      // The server cannot run this code right now (not a client mistake, not a crash).
      return new ApiError(503, "workflow_unavailable", error.message);
  }
}

export function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw rpcErrorToApi(outcome.error);
  return outcome.value;
}
