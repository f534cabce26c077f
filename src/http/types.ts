/** One HTTP request as the tool built it. Header names are kept as written. */
export interface HttpRequest {
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Header names are lower-cased; repeated headers are joined with ", ". */
export interface HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The body was larger than the cap and was cut there. */
  readonly truncated: boolean;
}

export type NetworkFailureKind = "timeout" | "refused" | "dns" | "tls" | "reset" | "too-large" | "aborted" | "other";

export interface NetworkFailure {
  readonly kind: NetworkFailureKind;
  readonly message: string;
  readonly code?: string;
  /** What to do about it, when the failure itself says more than its kind (a TLS or proxy problem). */
  readonly hint?: string;
}

/**
 * The whole exchange, returned even when it failed, so that a failure can still be traced
 * and diagnosed (oauth2c's habit, see STYLE.md).
 */
export interface HttpExchange {
  readonly request: HttpRequest;
  readonly response?: HttpResponse;
  readonly failure?: NetworkFailure;
  /** ms since epoch when the request was sent (from ctx.now()). */
  readonly startedAt: number;
  readonly durationMs: number;
}

export interface SendOptions {
  /** Per-request time limit in ms. */
  readonly timeoutMs: number;
  /** Extra CA certificates (PEM file path) on top of the defaults and NODE_EXTRA_CA_CERTS. */
  readonly caFile?: string;
  /** A client certificate and its (decrypted) key, PEM, for mutual TLS (RFC 8705). */
  readonly clientCertificate?: { readonly cert: string; readonly key: string };
  /** Cap on the response body; a larger body is a failure of kind "too-large". */
  readonly maxBodyBytes?: number;
  readonly signal?: AbortSignal;
}

/** A request whose answer is read as it arrives (`oauth-cli request`): any method, any body bytes. */
export interface StreamRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

/** Status and headers (names lower-cased, as in HttpResponse); the body is read by the caller, chunk by chunk. */
export interface StreamedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: AsyncIterable<Uint8Array>;
}

export interface StreamedExchange {
  readonly request: StreamRequest;
  readonly response?: StreamedResponse;
  readonly failure?: NetworkFailure;
  readonly startedAt: number;
  /** Until the headers arrived. */
  readonly durationMs: number;
}

export interface HttpClient {
  /** Never throws for network trouble: the failure is in the returned exchange. */
  send(request: HttpRequest, options: SendOptions): Promise<HttpExchange>;
  /**
   * Sends a request and hands back the body unread: no size cap, and the time limit applies until
   * the headers arrive, then to each pause between chunks (a large download may take its time).
   * Never throws for network trouble before the headers; a failure while the body is read throws
   * from its iterator.
   */
  stream?(request: StreamRequest, options: Omit<SendOptions, "maxBodyBytes">): Promise<StreamedExchange>;
  /** Closes idle connections so the process can exit at once. */
  close?(): Promise<void>;
}
