// The CLI's only way to reach Flux: HTTP against the REST API (SPEC §4). Turns every transport or API failure
// into a CliError (exit 3) whose message says what to do next.
import { serverError } from "./errors";
import { readSse, type SseFrame } from "./sse";

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class FluxClient {
  constructor(
    readonly serverUrl: string,
    private readonly token: string | undefined,
  ) {}

  url(path: string, query: RequestOptions["query"] = {}): string {
    const url = new URL(this.serverUrl + path);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== false) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** A request whose HTTP status is the caller's business (only transport failures throw). */
  async raw(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers = new Headers(options.headers);
    if (this.token !== undefined) headers.set("Authorization", `Bearer ${this.token}`);
    let body: BodyInit | undefined;
    if (options.form !== undefined) body = options.form;
    else if (options.json !== undefined) {
      headers.set("Content-Type", "application/json");
      body = JSON.stringify(options.json);
    }
    let response: Response;
    try {
      response = await fetch(this.url(path, options.query), { method, headers, body });
    } catch (error) {
      throw this.networkError(error);
    }
    return response;
  }

  /** A request that must succeed: any non-2xx answer becomes a CliError. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const response = await this.raw(method, path, options);
    if (!response.ok) throw await this.apiError(response);
    return response;
  }

  /** A JSON request; the parsed body on 2xx. */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw serverError(
        `unexpected non-JSON answer from ${this.serverUrl}${path} (HTTP ${response.status}) — is this a Flux server?`,
      );
    }
  }

  /** An SSE request; yields frames until the server closes the stream. */
  async *events(method: string, path: string, options: RequestOptions = {}): AsyncGenerator<SseFrame> {
    const response = await this.send(method, path, {
      ...options,
      headers: { Accept: "text/event-stream", ...options.headers },
    });
    const type = response.headers.get("content-type") ?? "";
    if (!type.startsWith("text/event-stream") || response.body === null) {
      throw serverError(
        `expected an event stream from ${path}, got ${type || "no body"} — is this a Flux server?`,
      );
    }
    try {
      yield* readSse(response.body);
    } catch (error) {
      throw serverError(`the stream from ${this.serverUrl} broke off: ${(error as Error).message}`);
    }
  }

  private networkError(error: unknown) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? "";
    if (code === "ECONNREFUSED") {
      return serverError(
        `no server at ${this.serverUrl} — start one with \`flux start server\` or pass --server-url`,
      );
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
      return serverError(
        `cannot resolve ${new URL(this.serverUrl).host} — check --server-url / FLUX_SERVER_URL`,
      );
    }
    const detail = cause?.message ?? (error as Error).message;
    return serverError(
      `cannot reach ${this.serverUrl} (${code || detail}) — check --server-url and the network`,
    );
  }

  private async apiError(response: Response) {
    const text = await response.text();
    let body: ApiErrorBody | undefined;
    try {
      const parsed = JSON.parse(text) as Partial<ApiErrorBody>;
      if (parsed.error && typeof parsed.error.message === "string") body = parsed as ApiErrorBody;
    } catch {
      // not JSON: handled below
    }
    const status = response.status;
    if (status === 401) {
      return serverError(
        this.token === undefined
          ? "no token — pass --token or set FLUX_TOKEN (locally, `flux start server` writes .flux/token)"
          : "the server rejected the token (401) — check --token / FLUX_TOKEN",
        body?.error,
      );
    }
    if (status === 403) {
      return serverError(
        `not allowed: ${body?.error.message ?? "forbidden"} — use a token whose role permits this`,
        body?.error,
      );
    }
    if (status === 429) {
      const retry = response.headers.get("retry-after");
      return serverError(
        `rate limited by the server${retry ? ` — retry in ${retry} s` : " — retry later"}`,
        body?.error,
      );
    }
    if (body === undefined) {
      return serverError(
        `HTTP ${status} from ${this.serverUrl} with no Flux error body — is --server-url a Flux server?`,
      );
    }
    return serverError(
      `${body.error.message}${describeDetails(body.error.details)} (HTTP ${status}, ${body.error.code})`,
      body.error,
    );
  }
}

/** Validation issues `[{path, message}]` (and a 422's `{line}`) appended to the one-line message. */
function describeDetails(details: unknown): string {
  if (Array.isArray(details)) {
    const issues = details
      .filter(
        (d): d is { path?: string; message: string } =>
          typeof (d as { message?: unknown })?.message === "string",
      )
      .map((d) => (d.path ? `${d.path}: ${d.message}` : d.message));
    return issues.length > 0 ? `: ${issues.join("; ")}` : "";
  }
  const line = (details as { line?: unknown } | null | undefined)?.line;
  return typeof line === "number" ? ` (line ${line})` : "";
}

export type { SseFrame };
