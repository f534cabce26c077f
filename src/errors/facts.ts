import type { ServerMetadata } from "../oauth/discovery.js";
import { isValidVerifier, type PkceMethod } from "../oauth/pkce.js";

/**
 * What a run knows about the request the server refused, one typed shape per kind of run, so a
 * diagnosis rule can only read a fact some command writes (see diagnose.ts). Commands build these
 * with the functions below; the token request adds its own part with {@link withTokenCall}.
 */
export type DiagnosisContext =
  | { readonly command: "authorize"; readonly facts: AuthorizeFacts }
  | { readonly command: "exchange"; readonly facts: ExchangeFacts }
  | { readonly command: "refresh"; readonly facts: RefreshFacts }
  | { readonly command: "client-credentials"; readonly facts: ClientCredentialsFacts }
  | { readonly command: "token-exchange" | "grant"; readonly facts: TokenCallFacts };

/** The discovery fields the diagnosis compares a request with. */
export type DiscoveryFacts = Pick<ServerMetadata, "token_endpoint_auth_methods_supported" | "grant_types_supported" | "scopes_supported">;

/** How the client authenticated; never the secret itself. */
export interface ClientFacts {
  readonly authMethod?: string;
  readonly bodyFormat?: string;
  readonly hasSecret: boolean;
  /** "file", "env", "stdin", "argument". */
  readonly secretSource?: string;
  readonly secretHasWhitespace?: boolean;
  /** client_secret_jwt and private_key_jwt: the assertion as sent, and what the server says it takes. */
  readonly assertion?: AssertionFacts;
  /** tls_client_auth and self_signed_tls_client_auth: the certificate offered. */
  readonly certificate?: CertificateFacts;
}

/**
 * A client assertion as sent (header and claims, never the signature), next to the server's
 * metadata it must agree with (RFC 7523 §3, OpenID Connect Core §9).
 */
export interface AssertionFacts {
  readonly alg: string;
  readonly kid?: string;
  /** "RSA", "EC P-256", "Ed25519"; absent for client_secret_jwt. */
  readonly keyType?: string;
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
  /** Where the request went, and the issuer: the two audiences servers take. */
  readonly tokenEndpoint: string;
  readonly issuer?: string;
  /** token_endpoint_auth_signing_alg_values_supported, when discovery had it. */
  readonly serverSigningAlgs?: readonly string[];
}

export interface CertificateFacts {
  readonly subject: string;
  readonly issuer: string;
  readonly selfSigned: boolean;
}

/**
 * A code's arrival at oauth-cli: the code is no older than the authorization request and no younger
 * than its arrival, so these two bound its age. `via` says how it arrived: the listener saw the
 * redirect, or the user pasted it (later, by any amount).
 */
export interface CodeArrivalFacts {
  /** ms since epoch: the authorization request was made after this. */
  readonly requestedAt: number;
  /** ms since epoch: the redirect reached the listener, or the paste was read. */
  readonly arrivedAt: number;
  readonly via: "listener" | "paste";
}

/** oauth-cli's record of the code or refresh token this request spent (src/commands/shared/used-grants.ts). */
export interface GrantRecordFacts {
  readonly kind: "code" | "refresh_token";
  /** oauth-cli sent it to this token endpoint before; absent when it never did. */
  readonly sentBefore?: {
    /** ms since epoch. */
    readonly at: number;
    /** "tokens" (it was redeemed then), or the error the server answered (it was refused then). */
    readonly outcome: string;
    /** refresh_token only: the answer then carried a new refresh token. */
    readonly rotated?: boolean;
  };
  /** code only: `authorize --no-exchange` received it, so its age and redirect_uri are known. */
  readonly arrival?: CodeArrivalFacts & { readonly redirectUri: string };
}

/** What every token request knows once the server has answered. */
export interface TokenCallFacts {
  readonly grant_type: string;
  /** The scope the token request sent. */
  readonly scope?: string;
  readonly client: ClientFacts;
  /** When the answer arrived, ms since epoch: compared with the server's Date header. */
  readonly receivedAt: number;
  /** Absent when the request spent no code or refresh token (client credentials). */
  readonly grantRecord?: GrantRecordFacts;
  readonly metadata?: DiscoveryFacts;
}

/** The authorization request `authorize` sent, and when and how its response came back. */
export interface AuthorizationFacts {
  readonly code: CodeArrivalFacts;
  /** Sent in the authorization request and repeated in the exchange (RFC 6749 §4.1.3). */
  readonly redirectUri: string;
  /** The authorization request's scope; absent when none was asked for. */
  readonly authorizationScope?: string;
  /** authorize makes the verifier and derives the challenge from it, so the pair matches by construction. */
  readonly pkceMethod: PkceMethod;
  readonly metadata?: DiscoveryFacts;
}

/** An authorize run fails either at the redirect (no token request yet) or at the exchange. */
export type AuthorizeFacts = AuthorizationFacts & ({ readonly stage: "redirect" } | ({ readonly stage: "exchange"; readonly exchangeAt: number } & TokenCallFacts));

/** `exchange`: the code's companions as the user gave them; the authorization request is unknown. */
export interface ExchangeRunFacts {
  readonly redirectUri: string;
  readonly codeVerifierSent: boolean;
  /** 43–128 unreserved characters (RFC 7636 §4.1); absent when none was sent. */
  readonly codeVerifierWellFormed?: boolean;
}
export type ExchangeFacts = ExchangeRunFacts & TokenCallFacts;

export type RefreshTokenSource = "store" | "argument" | "env" | "stdin";

export interface RefreshRunFacts {
  readonly refreshTokenSource: RefreshTokenSource;
  /** When the token store saved the refresh token (ISO 8601); only for a token from the store. */
  readonly storeSavedAt?: string;
}
export type RefreshFacts = RefreshRunFacts & TokenCallFacts;

export type ClientCredentialsFacts = TokenCallFacts;

/** What a command knows before it sends its token request. */
export type TokenRun =
  | { readonly command: "authorize"; readonly facts: AuthorizationFacts & { readonly exchangeAt: number } }
  | { readonly command: "exchange"; readonly facts: ExchangeRunFacts }
  | { readonly command: "refresh"; readonly facts: RefreshRunFacts }
  | { readonly command: "client-credentials" }
  | { readonly command: "token-exchange" | "grant" };

/** The token request's part, from what it sent and what it found. */
export function tokenCallFacts(call: {
  readonly grantType: string;
  readonly scope?: string;
  readonly client: { readonly clientSecret?: string; readonly authMethod?: string; readonly bodyFormat?: string; readonly secretSource?: string; readonly secretHasWhitespace?: boolean };
  readonly assertion?: AssertionFacts;
  readonly certificate?: CertificateFacts;
  readonly receivedAt: number;
  /** The code or refresh token spent, with oauth-cli's last use of it if any. */
  readonly spent?: { readonly kind: "code" | "refresh_token"; readonly record?: Omit<GrantRecordFacts, "kind"> };
  readonly metadata?: DiscoveryFacts;
}): TokenCallFacts {
  const { client, spent } = call;
  return {
    grant_type: call.grantType,
    scope: call.scope,
    client: {
      authMethod: client.authMethod,
      bodyFormat: client.bodyFormat,
      hasSecret: client.clientSecret !== undefined,
      secretSource: client.secretSource,
      secretHasWhitespace: client.secretHasWhitespace,
      ...(call.assertion && { assertion: call.assertion }),
      ...(call.certificate && { certificate: call.certificate }),
    },
    receivedAt: call.receivedAt,
    ...(spent && { grantRecord: { kind: spent.kind, ...spent.record } }),
    ...(call.metadata && { metadata: call.metadata }),
  };
}

/** The command's part and the token request's part, as one diagnosis. */
export function withTokenCall(run: TokenRun, call: TokenCallFacts): DiagnosisContext {
  switch (run.command) {
    case "authorize":
      return { command: "authorize", facts: { ...run.facts, ...call, metadata: call.metadata ?? run.facts.metadata, stage: "exchange" } };
    case "exchange":
      return { command: "exchange", facts: { ...run.facts, ...call } };
    case "refresh":
      return { command: "refresh", facts: { ...run.facts, ...call } };
    case "client-credentials":
      return { command: "client-credentials", facts: call };
    case "token-exchange":
    case "grant":
      return { command: run.command, facts: call };
  }
}

/** `authorize`: the authorization request as sent. */
export function authorizationFacts(flow: {
  readonly code: CodeArrivalFacts;
  readonly redirectUri: string;
  readonly scope?: string;
  readonly pkce: { readonly method: PkceMethod };
  readonly metadata?: DiscoveryFacts;
}): AuthorizationFacts {
  return {
    code: flow.code,
    redirectUri: flow.redirectUri,
    authorizationScope: flow.scope,
    pkceMethod: flow.pkce.method,
    metadata: flow.metadata,
  };
}

/** `authorize` refused at the redirect: no token request was made. */
export function authorizeRedirectDiagnosis(facts: AuthorizationFacts): DiagnosisContext {
  return { command: "authorize", facts: { ...facts, stage: "redirect" } };
}

/** `authorize` about to redeem the code. */
export function authorizeRun(facts: AuthorizationFacts, exchangeAt: number): TokenRun {
  return { command: "authorize", facts: { ...facts, exchangeAt } };
}

/** `exchange`: what the user gave with the code. */
export function exchangeRun(given: { readonly redirectUri: string; readonly codeVerifier?: string }): TokenRun {
  const verifier = given.codeVerifier;
  return {
    command: "exchange",
    facts: { redirectUri: given.redirectUri, codeVerifierSent: verifier !== undefined, ...(verifier !== undefined && { codeVerifierWellFormed: isValidVerifier(verifier) }) },
  };
}

/** `refresh`: where the refresh token came from, and for a stored one when it was saved. */
export function refreshRun(source: RefreshTokenSource, storeSavedAt?: string): TokenRun {
  return { command: "refresh", facts: { refreshTokenSource: source, ...(storeSavedAt !== undefined && { storeSavedAt }) } };
}

/** `token-exchange` and `grant`: an extension grant; what it sent is in the token call's facts. */
export function extensionGrantRun(command: "token-exchange" | "grant"): TokenRun {
  return { command };
}

export function clientCredentialsRun(): TokenRun {
  return { command: "client-credentials" };
}
