import * as C from "./catalogue/causes.js";
import { descriptionOnce } from "./cli-error.js";
import { CLOCK_SKEW_LIMIT_S, clockSkewSeconds } from "./clock-skew.js";
import type { CodeArrivalFacts, DiagnosisContext, TokenCallFacts } from "./facts.js";
import type { Cause } from "./types.js";
import { type Grant, quote, findRefiningFields, readServerWords } from "./server-words.js";
import type { Explanation, RankedCause } from "./explain.js";

/**
 * How far one piece of evidence moves a cause. Catalogue order gives 0–1000, so anything this run
 * saw (thousands) outranks what is merely common; a negative weight says the run saw it is not so.
 */
export const EVIDENCE = {
  /** Our own record proves it happened: a rotated refresh token used again, a form body where only JSON is read. */
  proven: 6000,
  /** This run's own request shows the fault: a code oauth-cli already spent, 10 minutes before redeeming, a secret with a line break. */
  thisRunSent: 5000,
  /** Discovery (or the request itself) says what was asked cannot work: an unlisted method, grant or scope, no scope, localhost. */
  advertised: 4000,
  /** A measurement past its limit: the server's clock, a comma in the scope. */
  measured: 3000,
  /** Points at it strongly without proving it: minutes before redeeming, no secret for a confidential client, an old refresh token. */
  likely: 2500,
  /** The server said so: its own words, an earlier refusal, or discovery listing what it then refused. */
  serverSaid: 1500,
  /** Makes it a little likelier. */
  suggests: 500,
  /** Said so the reader sees what was checked; does not move the cause. */
  noted: 0,
  /** Speaks against it without ruling it out. */
  against: -200,
  /** This run checked it and it is not so. */
  contradicted: -500,
  /** The request already does what the cause would fix. */
  alreadyDone: -1000,
  /** Cannot apply to the grant sent (a refresh cannot fail for a code's reasons). */
  impossible: -3000,
} as const;
type Weight = (typeof EVIDENCE)[keyof typeof EVIDENCE];

/**
 * One piece of evidence about a cause: it moves the cause up (or down) by an {@link EVIDENCE} weight
 * and says what was seen.
 */
export interface Finding {
  readonly causeId: string;
  /** Only a named weight: a bare number does not compile. */
  readonly weight: Weight;
  /** What was seen, shown under the cause. Omitted for a silent demotion. */
  readonly evidence?: string;
  /** A cause to add when the catalogue entry does not list it. */
  readonly text?: string;
  readonly test?: string;
}

/** Each rule reads the facts of {@link DiagnosisContext}: a fact only some runs have needs `d.command` checked first. */
type Rule = (e: Explanation, d: DiagnosisContext) => Finding[];

const is = (e: Explanation, ...codes: string[]) => codes.includes(e.report.error);

/** The token request's facts, when the run got as far as one (an authorize refused at the redirect did not). */
function tokenCall(d: DiagnosisContext): TokenCallFacts | undefined {
  if (d.command !== "authorize") return d.facts;
  return d.facts.stage === "exchange" ? d.facts : undefined;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} days ago`;
}

export const CODE_CAUSES = ["code-reused", "code-expired", "redirect-uri-mismatch", "pkce-verifier-mismatch", "pkce-verifier-missing", "pkce-method-not-s256", "redirect-not-registered"];
export const REFRESH_CAUSES = ["refresh-token-reused", "refresh-token-expired", "refresh-token-unknown"];

/** Which grant the request spent decides which half of invalid_grant's causes can apply at all. */
const grantKind: Rule = (e, d) => {
  if (!is(e, "invalid_grant")) return [];
  const grant = tokenCall(d)?.grant_type;
  const ruledOut =
    d.command === "refresh" || grant === "refresh_token"
      ? CODE_CAUSES
      : grant === "authorization_code"
        ? REFRESH_CAUSES
        : d.command === "client-credentials" || d.command === "token-exchange" || d.command === "grant"
          ? [...CODE_CAUSES, ...REFRESH_CAUSES]
          : REFRESH_CAUSES;
  return ruledOut.map((causeId) => ({ causeId, weight: EVIDENCE.impossible }));
};

/** A finding about a cause the catalogue entry may lack: it carries the cause's text so it is shown. */
function about(cause: Cause, weight: Weight, evidence: string): Finding {
  return { causeId: cause.id, weight, evidence, text: cause.text, test: cause.test };
}

/**
 * The server's own words, when it names the problem (oidc-provider's details, Keycloak, Okta,
 * oauthlib, Spring, …): its description and the fields that refine the code, read by
 * {@link readServerWords} with the grant this run sent.
 */
const serverWords: Rule = (e, d) => {
  const grant: Grant = d.command === "refresh" ? "refresh" : d.command === "client-credentials" ? "client" : "code";
  const context = { code: e.report.error, grant, documented: e.recognised.some((r) => r.description !== undefined) };
  const description = descriptionOnce(e.report);
  const sources = [...(description ? [{ where: "the server said", text: description }] : []), ...findRefiningFields(e.report.extra).map((f) => ({ where: `the server's ${f.field} is`, text: f.text }))];
  return sources.flatMap((s) => readServerWords(s.text, context).map((cause) => about(cause, EVIDENCE.serverSaid, `${s.where} "${quote(s.text)}"`)));
};

/**
 * Our record of codes and refresh tokens sent (used-grants.ts), across runs. It also covers a code
 * `authorize` itself already redeemed: every exchange is recorded.
 */
const grantRecord: Rule = (e, d) => {
  const call = tokenCall(d);
  const record = call?.grantRecord;
  if (!is(e, "invalid_grant") || !call || !record) return [];
  const now = call.receivedAt;
  const sent = record.sentBefore;
  if (record.kind === "code") {
    if (!sent) {
      const received = record.arrival ? " (it received it from `authorize --no-exchange`)" : "";
      return [{ causeId: "code-reused", weight: EVIDENCE.against, evidence: `oauth-cli has no record of sending this code before${received}; another client or tab may still have spent it` }];
    }
    const when = `${ago(now - sent.at)} (${new Date(sent.at).toISOString()})`;
    if (sent.outcome === "tokens") {
      return [{ causeId: "code-reused", weight: EVIDENCE.thisRunSent, evidence: `oauth-cli already redeemed this code at this token endpoint ${when}: the server answered with tokens` }];
    }
    // Sent is not redeemed: a code refused then was not spent by that attempt, and whatever made it fail then still holds.
    return [{ causeId: "code-reused", weight: EVIDENCE.against, evidence: `oauth-cli sent this code before, ${when}, and the server refused it (${sent.outcome}): that attempt did not redeem it, so the first refusal's cause still holds` }];
  }
  if (!sent) {
    const fromStore = d.command === "refresh" && d.facts.refreshTokenSource === "store";
    const none = `oauth-cli has no record of using this refresh token${fromStore ? "" : " and it did not come from --store"}`;
    return [
      { causeId: "refresh-token-reused", weight: EVIDENCE.noted, evidence: `unknown whether the server rotates refresh tokens: ${none}` },
      ...(fromStore ? [] : [about(C.REFRESH_TOKEN_UNKNOWN, EVIDENCE.suggests, `${none}, so nothing shows this server issued it to this client`)]),
    ];
  }
  if (sent.rotated === true) {
    return [{ causeId: "refresh-token-reused", weight: EVIDENCE.proven, evidence: `oauth-cli already used this refresh token ${ago(now - sent.at)} and the server answered with a new one: it rotates refresh tokens, so this one was spent` }];
  }
  if (sent.outcome === "tokens") return [{ causeId: "refresh-token-reused", weight: EVIDENCE.suggests, evidence: `oauth-cli already used this refresh token ${ago(now - sent.at)}; the server did not rotate it then` }];
  return [{ causeId: "refresh-token-reused", weight: EVIDENCE.against, evidence: `the server already refused this refresh token ${ago(now - sent.at)} (${sent.outcome}); oauth-cli never saw it redeemed, so it was dead before then for a reason of its own` }];
};

/** What the token store knew: how old its refresh token is. */
const refreshAge: Rule = (e, d) => {
  if (!is(e, "invalid_grant") || d.command !== "refresh" || d.facts.storeSavedAt === undefined) return [];
  const savedAt = Date.parse(d.facts.storeSavedAt);
  if (Number.isNaN(savedAt)) return [];
  const now = d.facts.receivedAt;
  const days = (now - savedAt) / 86_400_000;
  return [{ causeId: "refresh-token-expired", weight: days > 30 ? EVIDENCE.likely : days > 7 ? EVIDENCE.suggests : EVIDENCE.against, evidence: `the refresh token was saved ${ago(now - savedAt)} (${new Date(savedAt).toISOString()})` }];
};

/**
 * How old the code was, from what oauth-cli itself saw: it cannot be older than the authorization
 * request nor younger than its arrival (the listener's redirect, or the paste). The time since the
 * redirect alone is not its age: a redirect delivered late, or a paste, carries an older code.
 */
function codeAge(d: DiagnosisContext): { readonly atLeast: number; readonly atMost: number; readonly via: CodeArrivalFacts["via"]; readonly recorded: boolean } | undefined {
  let arrival: CodeArrivalFacts | undefined;
  let at: number;
  if (d.command === "authorize" && d.facts.stage === "exchange") {
    arrival = d.facts.code;
    at = d.facts.exchangeAt;
  } else if (d.command === "exchange") {
    arrival = d.facts.grantRecord?.arrival;
    at = d.facts.receivedAt;
  } else return undefined;
  if (!arrival) return undefined;
  const s = (ms: number) => Math.max(0, Math.round(ms / 1000));
  return { atLeast: s(at - arrival.arrivedAt), atMost: s(at - arrival.requestedAt), via: arrival.via, recorded: d.command === "exchange" };
}

/** The code's age against usual code lifetimes (60 s to 10 min). */
const codeTiming: Rule = (e, d) => {
  const age = is(e, "invalid_grant") ? codeAge(d) : undefined;
  if (!age) return [];
  const { atLeast, atMost } = age;
  const source = age.recorded ? "oauth-cli's record of `authorize --no-exchange`" : "this run";
  if (atMost < 60) {
    return [{ causeId: "code-expired", weight: EVIDENCE.against, evidence: `the authorization request was made ${atMost} s before this exchange (${source}), so the code was at most ${atMost} s old: younger than usual code lifetimes` }];
  }
  const arrived = age.via === "listener" ? "the redirect reached oauth-cli" : "the code was pasted";
  if (atLeast >= 60) {
    return [{ causeId: "code-expired", weight: atLeast >= 600 ? EVIDENCE.thisRunSent : EVIDENCE.likely, evidence: `${arrived} ${atLeast} s before this exchange (${source}), so the code was at least that old (codes often live 60 s to 10 min)` }];
  }
  const unknown = age.via === "listener" ? "a redirect delivered late carries an older code" : "when the server issued a pasted code is unknown";
  return [{ causeId: "code-expired", weight: atMost >= 600 ? EVIDENCE.suggests : EVIDENCE.noted, evidence: `the code was between ${atLeast} s and ${atMost} s old: ${arrived} ${atLeast} s before the exchange, but the authorization request was made ${atMost} s before it, and ${unknown}` }];
};

/** How two redirect URIs differ, in words: the part a reader should look at. */
function uriDifference(sent: string, expected: string): string {
  let a: URL;
  let b: URL;
  try {
    a = new URL(sent);
    b = new URL(expected);
  } catch {
    return "they are not the same text";
  }
  const parts: string[] = [];
  if (a.protocol !== b.protocol) parts.push(`scheme ${a.protocol.slice(0, -1)} vs ${b.protocol.slice(0, -1)}`);
  if (a.hostname !== b.hostname) parts.push(`host ${a.hostname} vs ${b.hostname}`);
  if (a.port !== b.port) parts.push(`port ${a.port || "(default)"} vs ${b.port || "(default)"}`);
  if (a.pathname !== b.pathname) {
    const slash = a.pathname.replace(/\/$/, "") === b.pathname.replace(/\/$/, "");
    parts.push(slash ? `a trailing slash (path ${a.pathname} vs ${b.pathname})` : `path ${a.pathname} vs ${b.pathname}`);
  }
  if (a.search !== b.search) parts.push(`query ${a.search || "(none)"} vs ${b.search || "(none)"}`);
  return parts.length ? `they differ in ${parts.join(", ")}` : "they differ only in spelling or encoding";
}

/** The redirect_uri: `authorize` repeats its own; `exchange` cannot see the authorization request's. */
const redirectUri: Rule = (e, d) => {
  // Some servers (oauthlib, …) answer a mismatch with invalid_request instead of invalid_grant.
  if (!is(e, "invalid_grant", "invalid_request")) return [];
  if (d.command === "authorize") {
    if (d.facts.stage !== "exchange") return [];
    return [{ causeId: "redirect-uri-mismatch", weight: EVIDENCE.contradicted, evidence: `the exchange's redirect_uri is byte-identical to the authorization request's (${d.facts.redirectUri})` }];
  }
  if (d.command !== "exchange") return [];
  const sent = d.facts.redirectUri;
  const authorized = d.facts.grantRecord?.arrival?.redirectUri;
  if (authorized === undefined) {
    return [{ causeId: "redirect-uri-mismatch", weight: EVIDENCE.noted, evidence: `the exchange sent redirect_uri ${sent}; it must equal the authorization request's byte for byte` }];
  }
  if (authorized === sent) {
    return [{ causeId: "redirect-uri-mismatch", weight: EVIDENCE.contradicted, evidence: `the exchange's redirect_uri is byte-identical to the one \`oauth-cli authorize\` sent for this code (${sent})` }];
  }
  return [about(C.REDIRECT_URI_MISMATCH, EVIDENCE.thisRunSent, `the exchange sent redirect_uri ${sent}, but \`oauth-cli authorize\` sent ${authorized} for this code: ${uriDifference(sent, authorized)}`)];
};

/**
 * PKCE: `authorize` made the pair itself, so its verifier matches its challenge; `exchange` can only
 * check the verifier's form.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */
const pkce: Rule = (e, d) => {
  if (!is(e, "invalid_grant", "invalid_request")) return [];
  const out: Finding[] = [];
  // invalid_request covers any malformed request: when the server's words are about something else, PKCE only gets noted.
  const description = e.report.error_description;
  const aboutPkce = is(e, "invalid_grant") || description === undefined || /verifier|challenge|pkce/i.test(description);
  const strong = aboutPkce ? EVIDENCE.likely : EVIDENCE.noted;
  // A code_challenge travels only in the authorization request: a token endpoint cannot miss one.
  if (tokenCall(d)) out.push({ causeId: C.PKCE_CHALLENGE_MISSING.id, weight: EVIDENCE.impossible });
  if (d.command === "authorize") {
    const { pkceMethod: method } = d.facts;
    if (method === "none") {
      const sentNone = "this run sent no code_challenge (--pkce none)";
      if (d.facts.stage === "redirect") return [about(C.PKCE_CHALLENGE_MISSING, strong, sentNone)];
      if (!is(e, "invalid_grant")) return out;
      return [...out, { causeId: "pkce-verifier-mismatch", weight: EVIDENCE.contradicted, evidence: `${sentNone}, so no code_verifier was due` }];
    }
    if (d.facts.stage === "redirect") return [{ causeId: C.PKCE_CHALLENGE_MISSING.id, weight: EVIDENCE.contradicted, evidence: `the authorization request carried a code_challenge (${method})` }];
    return [...out, { causeId: "pkce-verifier-mismatch", weight: EVIDENCE.contradicted, evidence: `the code_verifier sent matches the code_challenge of the authorization request (${method})` }];
  }
  if (d.command !== "exchange") return out;
  if (!d.facts.codeVerifierSent) {
    return [
      ...out,
      about(C.PKCE_VERIFIER_MISSING, strong, "this run sent no code_verifier: if the authorization request carried a code_challenge, pass its verifier with `--code-verifier`"),
      { causeId: "pkce-verifier-mismatch", weight: EVIDENCE.against, evidence: "no code_verifier was sent, so none can have mismatched" },
    ];
  }
  if (d.facts.codeVerifierWellFormed === false) {
    return [...out, { causeId: "pkce-verifier-mismatch", weight: EVIDENCE.advertised, evidence: "the code_verifier sent is not 43–128 characters of A–Z a–z 0–9 - . _ ~ (RFC 7636 §4.1)" }];
  }
  return [
    ...out,
    { causeId: C.PKCE_VERIFIER_MISSING.id, weight: EVIDENCE.alreadyDone },
    { causeId: "pkce-verifier-mismatch", weight: EVIDENCE.noted, evidence: "a well-formed code_verifier was sent; only `oauth-cli authorize` can check it against the challenge it sent" },
  ];
};

/** The server's Date header against our clock when the answer arrived. */
const clock: Rule = (e, d) => {
  const call = tokenCall(d);
  const date = e.report.http?.date;
  const skew = call && clockSkewSeconds(date, call.receivedAt);
  if (skew === undefined) return [];
  if (Math.abs(skew) > CLOCK_SKEW_LIMIT_S) {
    return [{ causeId: C.CLOCK_SKEW.id, weight: EVIDENCE.measured, text: C.CLOCK_SKEW.text, test: C.CLOCK_SKEW.test, evidence: `the server's clock (Date: ${date}) is ${Math.abs(skew)} s ${skew > 0 ? "ahead of" : "behind"} ours` }];
  }
  return e.causes.some((c) => c.id === C.CLOCK_SKEW.id) ? [{ causeId: C.CLOCK_SKEW.id, weight: EVIDENCE.against, evidence: `the server's Date header agrees with our clock (${Math.abs(skew)} s apart)` }] : [];
};

/** Client authentication: the secret's shape and the method, against discovery. */
const clientAuth: Rule = (e, d) => {
  const call = tokenCall(d);
  if (!is(e, "invalid_client") || !call) return [];
  const { authMethod: method, secretSource = "?" } = call.client;
  const out: Finding[] = [];
  if (call.client.secretHasWhitespace === true) {
    out.push({ causeId: C.SECRET_WHITESPACE.id, weight: EVIDENCE.thisRunSent, evidence: `the secret sent (from ${secretSource}) has surrounding whitespace or a line break` });
  } else if (call.client.hasSecret) {
    out.push({ causeId: C.SECRET_WHITESPACE.id, weight: EVIDENCE.contradicted, evidence: `the secret sent (from ${secretSource}) has no surrounding whitespace or line break` });
    out.push({ causeId: C.WRONG_SECRET.id, weight: EVIDENCE.suggests, evidence: `a client secret from ${secretSource} was sent with ${method ?? "?"} and refused` });
  } else if (method === "none") {
    out.push({ causeId: C.PUBLIC_CLIENT_SENT_SECRET.id, weight: EVIDENCE.likely, evidence: "no client secret was sent (auth method none): a confidential client must authenticate" });
  }
  const supported = d.facts.metadata?.token_endpoint_auth_methods_supported;
  if (method && supported) {
    out.push(supported.includes(method)
      ? { causeId: C.WRONG_AUTH_METHOD.id, weight: EVIDENCE.against, evidence: `the client used ${method}, which discovery lists as supported (${supported.join(", ")}); the client's registration may still want another` }
      : { causeId: C.WRONG_AUTH_METHOD.id, weight: EVIDENCE.advertised, evidence: `the client used ${method}, but discovery's token_endpoint_auth_methods_supported is ${supported.join(", ")}` });
  } else if (method) {
    out.push({ causeId: C.WRONG_AUTH_METHOD.id, weight: EVIDENCE.noted, evidence: `the client used ${method}; no discovery document to compare with (give --issuer)` });
  }
  return out;
};

/** grant_types_supported against the grant asked for. */
const grantSupport: Rule = (e, d) => {
  const grant = tokenCall(d)?.grant_type;
  if (!is(e, "unauthorized_client", "unsupported_grant_type") || !grant) return [];
  const supported = d.facts.metadata?.grant_types_supported;
  if (!supported) return [{ causeId: "grant-type-not-supported", weight: EVIDENCE.noted, evidence: `asked for grant_type ${grant}; no discovery document listing grant_types_supported to compare with`, text: "The server does not support this grant type at all." }];
  if (!supported.includes(grant)) {
    return [{ causeId: "grant-type-not-supported", weight: EVIDENCE.advertised, text: "The server does not support this grant type at all.", test: "Use a grant the server lists in grant_types_supported.", evidence: `asked for grant_type ${grant}, but discovery's grant_types_supported is ${supported.join(", ")}` }];
  }
  const evidence = `the server lists ${grant} in grant_types_supported (${supported.join(", ")})`;
  return is(e, "unauthorized_client")
    ? [{ causeId: "grant-not-enabled", weight: EVIDENCE.serverSaid, evidence: `${evidence}: so it is this client that may not use it` }]
    : [{ causeId: "grant-type-not-supported", weight: EVIDENCE.against, evidence }, { causeId: "grant-type-misspelled", weight: EVIDENCE.suggests, evidence: `${evidence}: so the value may not have arrived as sent (spelling, body format)` }];
};

/**
 * An authorization request with no scope at all: many servers then grant nothing (oidc-provider
 * answers access_denied, Google and Entra invalid_request or invalid_scope).
 */
const noScope: Rule = (e, d) => {
  // Only the authorization endpoint's refusal is about the authorization request's scope.
  if (d.command !== "authorize" || d.facts.stage !== "redirect" || !is(e, "access_denied", "invalid_scope", "invalid_request") || d.facts.authorizationScope !== undefined) return [];
  const offersOpenid = d.facts.metadata?.scopes_supported?.includes("openid");
  return [{
    causeId: "no-scope-requested",
    weight: EVIDENCE.advertised,
    text: "No scope was requested, and the server grants nothing without one (an OpenID provider needs at least `openid`).",
    test: offersOpenid ? '`--scope openid` (or "openid profile email")' : "`--scope` with a scope the provider documents for this client",
    evidence: `the authorization request carried no scope${offersOpenid ? "; the server's scopes_supported lists openid" : ""}`,
  }];
};

/** scopes_supported against the scopes asked for (by the authorization request, for `authorize`). */
const scopes: Rule = (e, d) => {
  if (!is(e, "invalid_scope")) return [];
  const scope = d.command === "authorize" ? d.facts.authorizationScope : d.facts.scope;
  if (scope === undefined) return [{ causeId: C.SCOPE_UNKNOWN.id, weight: EVIDENCE.noted, evidence: "no scope was sent: the server's default scope for this client is what it refused, or it requires one" }];
  const out: Finding[] = [];
  if (/,/.test(scope)) out.push({ causeId: "scope-separator", weight: EVIDENCE.measured, evidence: `the scope sent ("${scope}") contains a comma; scopes are separated by spaces (RFC 6749 §3.3)` });
  // On refresh any scope beyond the original grant is refused, known to the server or not (RFC 6749 §6).
  if (d.command === "refresh") out.push(about(C.SCOPE_EXCEEDS_GRANT, EVIDENCE.thisRunSent, `this refresh asked for scope "${scope}"; on refresh the scope must be within what the user granted originally`));
  const supported = d.facts.metadata?.scopes_supported;
  const asked = scope.split(/[\s,]+/).filter(Boolean);
  if (!supported) return [...out, { causeId: C.SCOPE_UNKNOWN.id, weight: EVIDENCE.noted, evidence: `asked for scope "${scope}"; no discovery document listing scopes_supported to compare with` }];
  const unknown = asked.filter((s) => !supported.includes(s));
  if (unknown.length > 0) return [...out, { causeId: C.SCOPE_UNKNOWN.id, weight: EVIDENCE.advertised, evidence: `asked for scope "${scope}"; discovery's scopes_supported does not list ${unknown.join(", ")}` }];
  return [
    ...out,
    { causeId: C.SCOPE_UNKNOWN.id, weight: EVIDENCE.against, evidence: `every scope asked for (${asked.join(", ")}) is in discovery's scopes_supported` },
    ...(d.command === "refresh"
      ? []
      : [{ causeId: "scope-not-allowed-for-client", weight: EVIDENCE.serverSaid, text: "The scopes exist on the server but this client is not allowed to request them (a per-client scope policy).", test: "Retry with fewer `--scope` values; check the client's allowed scopes in the provider's console.", evidence: "the server knows the scopes, so it is this client that may not ask for them" }]),
  ];
};

/**
 * A server that wants scope in every token request ("… and scope required", "Parameter: scope
 * missing"): whether this token request carried one. A code exchange carries none unless asked
 * (RFC 6749 §4.1.3 has no scope there), so on authorize the fix is --exchange-scope.
 */
function scopeInTokenRequest(description: string, d: DiagnosisContext): Finding[] {
  const call = tokenCall(d);
  if (!call || !/\bscope\b[^.]*\b(?:required|missing)\b/i.test(description)) return [];
  if (call.scope) return [{ causeId: "missing-parameter", weight: EVIDENCE.alreadyDone, evidence: `the token request carried scope "${call.scope}"` }];
  const asked = d.command === "authorize" ? d.facts.authorizationScope : undefined;
  return [{
    causeId: "missing-parameter",
    weight: EVIDENCE.thisRunSent,
    text: "The token request carried no scope, and this server requires one in every token request.",
    test: d.command === "authorize" ? "Add `--exchange-scope` (the code exchange then repeats `--scope`)." : "Add `--scope …`.",
    evidence: asked ? `the code exchange carried no scope (the authorization request asked for "${asked}")` : "the token request carried no scope",
  }];
}

/** A JSON-only token endpoint; a `localhost` redirect refused. */
const transportHints: Rule = (e, d) => {
  const out: Finding[] = [];
  const description = e.report.error_description ?? "";
  const format = tokenCall(d)?.client.bodyFormat;
  if ((/must be json/i.test(description) || e.report.http?.status === 415) && format !== undefined) {
    out.push(format === "json"
      ? { causeId: "wrong-body-format", weight: EVIDENCE.alreadyDone, evidence: "the body was already JSON (--body-format json)" }
      : { causeId: "wrong-body-format", weight: EVIDENCE.proven, evidence: `the request body was sent as ${format}${e.report.http?.status === 415 ? " and the server answered 415" : "; the server says it must be JSON"}`, text: "This provider only accepts JSON request bodies.", test: "Use `--body-format json`." });
  }
  out.push(...scopeInTokenRequest(description, d));
  const redirect = d.command === "authorize" || d.command === "exchange" ? d.facts.redirectUri : undefined;
  const refused = /localhost/i.test(description) || e.causes.some((c) => c.id === C.LOCALHOST_REJECTED.id);
  if (redirect && refused) {
    let host = "";
    try {
      host = new URL(redirect).hostname;
    } catch {
      // not a URL: nothing to say about its host
    }
    if (host === "localhost") out.push({ causeId: C.LOCALHOST_REJECTED.id, weight: EVIDENCE.advertised, text: C.LOCALHOST_REJECTED.text, test: "Use `--redirect-host 127.0.0.1`.", evidence: `the redirect_uri sent uses the host name localhost (${redirect})` });
  }
  return out;
};

/**
 * A client that signed an assertion or offered a certificate: its claims, kid and alg against the
 * server's metadata, Date header and words. Secret causes cannot apply when no secret was sent.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
const clientProof: Rule = (e, d) => {
  const call = tokenCall(d);
  if (!is(e, "invalid_client") || !call) return [];
  const { assertion: a, certificate: cert, authMethod } = call.client;
  const words = e.report.error_description ?? "";
  const said = `the server said "${words.length > 160 ? `${words.slice(0, 157)}…` : words}"`;
  const add = (cause: Cause, weight: Weight, evidence: string): Finding => ({ causeId: cause.id, weight, evidence, text: cause.text, test: cause.test });
  const out: Finding[] = [];
  if (authMethod === "private_key_jwt" || cert) {
    for (const cause of [C.WRONG_SECRET, C.SECRET_WHITESPACE, C.SECRET_EXPIRED, C.PUBLIC_CLIENT_SENT_SECRET]) out.push({ causeId: cause.id, weight: EVIDENCE.impossible });
  }
  if (a) {
    const auds = [a.tokenEndpoint, a.issuer].filter((v): v is string => v !== undefined);
    out.push(auds.includes(a.aud)
      ? add(C.ASSERTION_AUDIENCE, EVIDENCE.noted, `aud sent: ${a.aud} (${a.aud === a.tokenEndpoint ? "the token endpoint" : "the issuer"}); the ${a.aud === a.tokenEndpoint ? `issuer is ${a.issuer ?? "unknown"}` : `token endpoint is ${a.tokenEndpoint}`}`)
      : add(C.ASSERTION_AUDIENCE, EVIDENCE.advertised, `aud sent: ${a.aud}, which is neither the token endpoint ${a.tokenEndpoint} nor the issuer ${a.issuer ?? "(unknown)"}`));
    if (/\baud\b|audience/i.test(words)) out.push(add(C.ASSERTION_AUDIENCE, EVIDENCE.serverSaid, said));
    const serverNow = e.report.http?.date ? Math.floor(Date.parse(e.report.http.date) / 1000) : undefined;
    const lifetime = `iat ${new Date(a.iat * 1000).toISOString()}, exp ${new Date(a.exp * 1000).toISOString()} (${a.exp - a.iat} s)`;
    out.push(serverNow !== undefined && Number.isFinite(serverNow) && (serverNow > a.exp || serverNow < a.iat - 60)
      ? add(C.ASSERTION_EXPIRED, EVIDENCE.measured, `${lifetime}, but the server's Date header says ${e.report.http?.date}`)
      : add(C.ASSERTION_EXPIRED, serverNow === undefined ? EVIDENCE.noted : EVIDENCE.against, `${lifetime}${serverNow === undefined ? "" : "; the server's Date header falls inside it"}`));
    if (/expired|\bexp\b|\biat\b|not yet valid|nbf/i.test(words)) out.push(add(C.ASSERTION_EXPIRED, EVIDENCE.serverSaid, said));
    if (a.serverSigningAlgs) {
      out.push(a.serverSigningAlgs.includes(a.alg)
        ? add(C.ASSERTION_ALG, EVIDENCE.against, `alg ${a.alg} is in the server's token_endpoint_auth_signing_alg_values_supported (${a.serverSigningAlgs.join(", ")}); the client's registration may still name another`)
        : add(C.ASSERTION_ALG, EVIDENCE.advertised, `alg ${a.alg} is not in the server's token_endpoint_auth_signing_alg_values_supported (${a.serverSigningAlgs.join(", ")})`));
    }
    if (/\balg\b|algorithm/i.test(words)) out.push(add(C.ASSERTION_ALG, EVIDENCE.serverSaid, said));
    const key = a.keyType ? `kid ${a.kid === undefined ? "(none sent)" : JSON.stringify(a.kid)}, ${a.keyType} key, signing ${a.alg}` : `signed ${a.alg} with the client secret`;
    out.push(add(a.keyType ? C.ASSERTION_KEY_UNKNOWN : C.WRONG_SECRET, EVIDENCE.suggests, `the assertion's iss and sub are ${JSON.stringify(a.iss)}; ${key}`));
    if (/no (?:applicable|matching) key|\bkid\b|signature|jwks?\b/i.test(words)) out.push(add(a.keyType ? C.ASSERTION_KEY_UNKNOWN : C.WRONG_SECRET, EVIDENCE.serverSaid, said));
  }
  if (cert) {
    const shape = cert.selfSigned ? "self-signed" : `issued by ${cert.issuer}`;
    const mismatch = (authMethod === "tls_client_auth") === cert.selfSigned;
    out.push(add(C.CERTIFICATE_REFUSED, mismatch ? EVIDENCE.likely : EVIDENCE.suggests, `the certificate offered: subject ${cert.subject}, ${shape}${mismatch ? `, which ${authMethod} does not expect` : ""}`));
    if (/certificate|\bcert\b|subject/i.test(words)) out.push(add(C.CERTIFICATE_REFUSED, EVIDENCE.serverSaid, said));
  }
  return out;
};

const RULES: readonly Rule[] = [grantKind, serverWords, grantRecord, refreshAge, codeTiming, redirectUri, pkce, clock, clientAuth, clientProof, grantSupport, noScope, scopes, transportHints];

/** Applies findings: a known cause moves and gains evidence; an unknown one is added when the finding says what it is. */
export function applyFindings(explanation: Explanation, findings: readonly Finding[]): Explanation {
  if (findings.length === 0) return explanation;
  const causes = new Map<string, RankedCause>(explanation.causes.map((c) => [c.id, c]));
  for (const finding of findings) {
    const prior = causes.get(finding.causeId);
    if (!prior && !finding.text) continue; // evidence about a cause this error does not have
    const evidence = finding.evidence === undefined || prior?.evidence.includes(finding.evidence) ? prior?.evidence ?? [] : [...(prior?.evidence ?? []), finding.evidence];
    causes.set(finding.causeId, {
      id: finding.causeId,
      text: prior?.text ?? finding.text!,
      test: prior?.test ?? finding.test,
      evidence,
      weight: (prior?.weight ?? 0) + finding.weight,
    });
  }
  return { ...explanation, causes: [...causes.values()].sort((a, b) => b.weight - a.weight) };
}

/** The grant the run asked for; an authorize refused at the redirect was on its way to a code. */
function grantOf(d: DiagnosisContext): string {
  return tokenCall(d)?.grant_type ?? (d.command === "refresh" ? "refresh_token" : d.command === "client-credentials" ? "client_credentials" : "authorization_code");
}

/** Advice written for one grant ("For a code: …") is said only to runs of that grant. */
const ADVICE_FOR_GRANT: readonly [RegExp, string][] = [
  [/^For a code:/, "authorization_code"],
  [/^For a refresh token:/, "refresh_token"],
];

/** `openid` asks for a user's identity: a client acting for itself (client credentials) has none to give. */
const OPENID_EXAMPLE = /\s*\((?:e\.g\.|for example) `[^`]*\bopenid\b[^`]*`\)|`--scope openid`(?:, )?/g;

/**
 * Says only what applies to the run: advice for another grant goes, and examples that need a user
 * (openid) are dropped for client credentials.
 */
function fitAdvice(explanation: Explanation, d: DiagnosisContext): Explanation {
  const grant = grantOf(d);
  const fits = (step: string) => ADVICE_FOR_GRANT.every(([re, only]) => !re.test(step) || only === grant);
  const noUser = grant === "client_credentials";
  const adapt = (text: string) => (noUser ? text.replace(OPENID_EXAMPLE, (m) => (m.startsWith("`") ? "the fewest `--scope` values" + (m.endsWith(", ") ? ", " : "") : "")) : text);
  return {
    ...explanation,
    nextSteps: explanation.nextSteps.filter(fits).map(adapt),
    causes: explanation.causes.map((c) => (c.test === undefined ? c : { ...c, test: adapt(c.test) })),
  };
}

/**
 * Re-ranks an explanation's causes with what the command knows about the request it made, and
 * attaches what it saw as evidence. Facts are those of {@link DiagnosisContext}, typed per kind of run.
 */
export function diagnose(explanation: Explanation, diagnosis: DiagnosisContext | undefined): Explanation {
  if (!diagnosis) return explanation;
  const findings = RULES.flatMap((rule) => rule(explanation, diagnosis));
  // Causes a finding adds come first, so every other rule's evidence (grantKind's "impossible" too) reaches them.
  const ordered = [...findings.filter((f) => f.text !== undefined), ...findings.filter((f) => f.text === undefined)];
  return fitAdvice(applyFindings(explanation, ordered), diagnosis);
}
