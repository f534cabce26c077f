import * as C from "./catalogue/causes.js";
import type { DiagnosisContext } from "./cli-error.js";
import type { Explanation, RankedCause } from "./explain.js";

/**
 * One piece of evidence about a cause: it moves the cause up (or down) and says what was seen.
 * Weights: catalogue order gives 0–1000; context evidence adds thousands, so what this run saw
 * outranks what is merely common.
 */
export interface Finding {
  readonly causeId: string;
  readonly weight: number;
  /** What was seen, shown under the cause. Omitted for a silent demotion. */
  readonly evidence?: string;
  /** A cause to add when the catalogue entry does not list it. */
  readonly text?: string;
  readonly test?: string;
}

type Facts = Readonly<Record<string, unknown>>;
type Rule = (e: Explanation, facts: Facts, command: DiagnosisContext["command"]) => Finding[];

const obj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined);
const client = (facts: Facts) => obj(facts.client);
const metadata = (facts: Facts) => obj(facts.metadata ?? obj(facts.endpoints).metadata);
const is = (e: Explanation, ...codes: string[]) => codes.includes(e.report.error);

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} days ago`;
}

/** The redirect URIs differ: say how, since the difference is often one character. */
function describeDifference(a: string, b: string): string {
  try {
    const x = new URL(a);
    const y = new URL(b);
    const parts = (["protocol", "hostname", "port", "pathname", "search"] as const).filter((k) => x[k] !== y[k]);
    if (parts.length === 0) return "they differ in encoding only";
    if (parts.length === 1 && parts[0] === "pathname" && x.pathname.replace(/\/$/, "") === y.pathname.replace(/\/$/, "")) return "only a trailing slash differs";
    return `they differ in ${parts.map((p) => (p === "hostname" ? "host" : p === "protocol" ? "scheme" : p === "pathname" ? "path" : p === "search" ? "query" : p)).join(", ")}`;
  } catch {
    return "one of them is not a valid URL";
  }
}

const CODE_CAUSES = ["code-reused", "code-expired", "redirect-uri-mismatch", "pkce-verifier-mismatch", "pkce-method-not-s256", "redirect-not-registered"];
const REFRESH_CAUSES = ["refresh-token-reused", "refresh-token-expired"];

/** Which grant the request spent decides which half of invalid_grant's causes can apply at all. */
const grantKind: Rule = (e, facts, command) => {
  if (!is(e, "invalid_grant")) return [];
  const grant = str(facts.grant_type);
  if (command === "refresh" || grant === "refresh_token") return CODE_CAUSES.map((causeId) => ({ causeId, weight: -3000 }));
  if (command === "exchange" || command === "authorize" || grant === "authorization_code") return REFRESH_CAUSES.map((causeId) => ({ causeId, weight: -3000 }));
  if (command === "client-credentials") return [...CODE_CAUSES, ...REFRESH_CAUSES].map((causeId) => ({ causeId, weight: -3000 }));
  return [];
};

/** The server's own words, when it names the problem (oidc-provider's details, Keycloak, Okta, …). */
const serverWords: Rule = (e, facts, command) => {
  const text = e.report.error_description;
  if (!text) return [];
  const said = `the server said "${text.length > 160 ? `${text.slice(0, 157)}…` : text}"`;
  const refresh = command === "refresh" || facts.grant_type === "refresh_token";
  const hits: [RegExp, string][] = [
    [/already (?:been )?(?:consumed|used|redeemed)|\bconsumed\b|replay/i, refresh ? "refresh-token-reused" : "code-reused"],
    [/redirect_?uri/i, "redirect-uri-mismatch"],
    [/code_verifier|code_challenge|\bpkce\b/i, "pkce-verifier-mismatch"],
    [/expired|\bexpir/i, refresh ? "refresh-token-expired" : "code-expired"],
    [/invalid (?:client )?secret|secret (?:is )?(?:invalid|wrong|incorrect)/i, "wrong-secret"],
    [/must be json/i, "wrong-body-format"],
  ];
  return hits.filter(([re]) => re.test(text)).map(([, causeId]) => ({ causeId, weight: 1500, evidence: said }));
};

/** Our record of codes and refresh tokens sent (used-grants.ts), across runs. */
const grantRecord: Rule = (e, facts) => {
  const record = obj(facts.grantRecord);
  if (!is(e, "invalid_grant") || (record.kind !== "code" && record.kind !== "refresh_token")) return [];
  const at = num(record.at);
  const now = num(facts.receivedAt) ?? at ?? 0;
  const outcome = str(record.outcome);
  const answered = outcome === "tokens" ? "it answered with tokens" : `it answered ${outcome}`;
  if (record.kind === "code") {
    if (record.usedBefore !== true || at === undefined) {
      return [{ causeId: "code-reused", weight: -100, evidence: "oauth-cli has no record of sending this code before (another client or tab may still have spent it)" }];
    }
    return [{ causeId: "code-reused", weight: 5000, evidence: `oauth-cli already sent this code to this token endpoint ${ago(now - at)} (${new Date(at).toISOString()}); ${answered}` }];
  }
  const source = str(facts.refreshTokenSource);
  if (record.usedBefore !== true || at === undefined) {
    return [{ causeId: "refresh-token-reused", weight: 0, evidence: `unknown whether the server rotates refresh tokens: oauth-cli has no record of using this one${source === "store" ? "" : " and it did not come from --store"}` }];
  }
  if (record.rotated === true) {
    return [{ causeId: "refresh-token-reused", weight: 6000, evidence: `oauth-cli already used this refresh token ${ago(now - at)} and the server answered with a new one: it rotates refresh tokens, so this one was spent` }];
  }
  if (outcome === "tokens") return [{ causeId: "refresh-token-reused", weight: 300, evidence: `oauth-cli already used this refresh token ${ago(now - at)}; the server did not rotate it then` }];
  return [{ causeId: "refresh-token-reused", weight: 1000, evidence: `the server already refused this refresh token ${ago(now - at)} (${outcome}): it has been dead since then` }];
};

/** What the token store knew (issue 5): where the token came from and how old it is. */
const refreshAge: Rule = (e, facts) => {
  if (!is(e, "invalid_grant") || facts.grant_type !== "refresh_token") return [];
  const saved = str(facts.storeSavedAt) ?? str(facts.refreshTokenSavedAt);
  const savedAt = saved === undefined ? Number.NaN : Date.parse(saved);
  const now = num(facts.receivedAt);
  if (Number.isNaN(savedAt) || now === undefined) return [];
  const days = (now - savedAt) / 86_400_000;
  return [{ causeId: "refresh-token-expired", weight: days > 30 ? 1500 : days > 7 ? 700 : -200, evidence: `the refresh token was saved ${ago(now - savedAt)} (${new Date(savedAt).toISOString()})` }];
};

/** The authorize run's timing, redirect URIs and PKCE values, compared. */
const authorizeFacts: Rule = (e, facts) => {
  if (!is(e, "invalid_grant")) return [];
  const out: Finding[] = [];
  if (facts.codeAlreadyExchanged === true) out.push({ causeId: "code-reused", weight: 5000, evidence: "this run had already exchanged this code" });
  const callbackAt = num(facts.callbackAt);
  const exchangeAt = num(facts.exchangeAt);
  if (callbackAt !== undefined && exchangeAt !== undefined) {
    const s = Math.round((exchangeAt - callbackAt) / 1000);
    out.push(s >= 60
      ? { causeId: "code-expired", weight: s >= 600 ? 5000 : 2000, evidence: `${s} s passed between the redirect and the exchange (codes often live 60 s to 10 min)` }
      : { causeId: "code-expired", weight: -300, evidence: `the code was exchanged ${s} s after the redirect arrived: too soon to have expired at any usual lifetime` });
  }
  const sent = str(facts.redirectUri);
  const authorized = str(facts.authorizationRedirectUri);
  if (sent !== undefined && authorized !== undefined) {
    out.push(sent === authorized
      ? { causeId: "redirect-uri-mismatch", weight: -500, evidence: `the exchange's redirect_uri is byte-identical to the authorization request's (${sent})` }
      : { causeId: "redirect-uri-mismatch", weight: 5000, evidence: `the authorization request sent redirect_uri ${authorized} but the exchange sent ${sent}: ${describeDifference(authorized, sent)}` });
  } else if (sent !== undefined) {
    out.push({ causeId: "redirect-uri-mismatch", weight: 0, evidence: `the exchange sent redirect_uri ${sent}; it must equal the authorization request's byte for byte` });
  }
  const method = str(facts.codeChallengeMethod);
  const challengeSent = str(facts.codeChallenge) !== undefined && method !== "none";
  if (facts.codeVerifierSent === false && challengeSent) {
    out.push({ causeId: "pkce-verifier-mismatch", weight: 5000, evidence: "the authorization request sent a code_challenge but the exchange sent no code_verifier" });
  } else if (facts.verifierMatchesChallenge === false) {
    out.push({ causeId: "pkce-verifier-mismatch", weight: 5000, evidence: `the code_verifier sent does not match the code_challenge of the authorization request (${method ?? "S256"})` });
  } else if (facts.verifierMatchesChallenge === true) {
    out.push({ causeId: "pkce-verifier-mismatch", weight: -500, evidence: `the code_verifier sent matches the code_challenge of the authorization request (${method ?? "S256"})` });
  } else if (facts.codeVerifierWellFormed === false) {
    out.push({ causeId: "pkce-verifier-mismatch", weight: 4000, evidence: "the code_verifier sent is not 43–128 characters of A–Z a–z 0–9 - . _ ~ (RFC 7636 §4.1)" });
  } else if (facts.codeVerifierSent === false) {
    out.push({ causeId: "pkce-verifier-mismatch", weight: 600, evidence: "no code_verifier was sent: if the authorization request carried a code_challenge, the server needs one" });
  } else if (facts.codeVerifierSent === true) {
    out.push({ causeId: "pkce-verifier-mismatch", weight: 0, evidence: "a well-formed code_verifier was sent; only `oauth-cli authorize` can check it against the challenge it sent" });
  }
  return out;
};

/** The server's Date header against our clock when the answer arrived. */
const clock: Rule = (e, facts) => {
  const now = num(facts.receivedAt);
  const date = e.report.http?.date;
  const server = date === undefined ? Number.NaN : Date.parse(date);
  if (now === undefined || Number.isNaN(server)) return [];
  const skew = Math.round((server - now) / 1000);
  if (Math.abs(skew) > 60) {
    return [{ causeId: C.CLOCK_SKEW.id, weight: 3000, text: C.CLOCK_SKEW.text, test: C.CLOCK_SKEW.test, evidence: `the server's clock (Date: ${date}) is ${Math.abs(skew)} s ${skew > 0 ? "ahead of" : "behind"} ours` }];
  }
  return e.causes.some((c) => c.id === C.CLOCK_SKEW.id) ? [{ causeId: C.CLOCK_SKEW.id, weight: -200, evidence: `the server's Date header agrees with our clock (${Math.abs(skew)} s apart)` }] : [];
};

/** Client authentication: the secret's shape and the method, against discovery. */
const clientAuth: Rule = (e, facts) => {
  if (!is(e, "invalid_client")) return [];
  const c = client(facts);
  const method = str(c.authMethod);
  const source = str(c.secretSource) ?? "?";
  const out: Finding[] = [];
  if (c.secretHasWhitespace === true) {
    out.push({ causeId: C.SECRET_WHITESPACE.id, weight: 5000, evidence: `the secret sent (from ${source}) has surrounding whitespace or a line break` });
  } else if (c.hasSecret === true) {
    out.push({ causeId: C.SECRET_WHITESPACE.id, weight: -400, evidence: `the secret sent (from ${source}) has no surrounding whitespace or line break` });
    out.push({ causeId: C.WRONG_SECRET.id, weight: 100, evidence: `a client secret from ${source} was sent with ${method ?? "?"} and refused` });
  } else if (method === "none") {
    out.push({ causeId: C.PUBLIC_CLIENT_SENT_SECRET.id, weight: 2500, evidence: "no client secret was sent (auth method none): a confidential client must authenticate" });
  }
  const supported = list(metadata(facts).token_endpoint_auth_methods_supported);
  if (method && supported) {
    out.push(supported.includes(method)
      ? { causeId: C.WRONG_AUTH_METHOD.id, weight: -200, evidence: `the client used ${method}, which discovery lists as supported (${supported.join(", ")}); the client's registration may still want another` }
      : { causeId: C.WRONG_AUTH_METHOD.id, weight: 4500, evidence: `the client used ${method}, but discovery's token_endpoint_auth_methods_supported is ${supported.join(", ")}` });
  } else if (method) {
    out.push({ causeId: C.WRONG_AUTH_METHOD.id, weight: 0, evidence: `the client used ${method}; no discovery document to compare with (give --issuer)` });
  }
  return out;
};

/** grant_types_supported against the grant asked for. */
const grantSupport: Rule = (e, facts) => {
  if (!is(e, "unauthorized_client", "unsupported_grant_type")) return [];
  const grant = str(facts.grant_type);
  const supported = list(metadata(facts).grant_types_supported);
  if (!grant) return [];
  if (!supported) return [{ causeId: "grant-type-not-supported", weight: 0, evidence: `asked for grant_type ${grant}; no discovery document listing grant_types_supported to compare with`, text: "The server does not support this grant type at all." }];
  if (!supported.includes(grant)) {
    return [{ causeId: "grant-type-not-supported", weight: 4000, text: "The server does not support this grant type at all.", test: "Use a grant the server lists in grant_types_supported.", evidence: `asked for grant_type ${grant}, but discovery's grant_types_supported is ${supported.join(", ")}` }];
  }
  const evidence = `the server lists ${grant} in grant_types_supported (${supported.join(", ")})`;
  return is(e, "unauthorized_client")
    ? [{ causeId: "grant-not-enabled", weight: 1500, evidence: `${evidence}: so it is this client that may not use it` }]
    : [{ causeId: "grant-type-not-supported", weight: -300, evidence }, { causeId: "grant-type-misspelled", weight: 500, evidence: `${evidence}: so the value may not have arrived as sent (spelling, body format)` }];
};

/**
 * An authorization request with no scope at all: many servers then grant nothing (oidc-provider
 * answers access_denied, Google and Entra invalid_request or invalid_scope).
 */
const noScope: Rule = (e, facts, command) => {
  if (command !== "authorize" || !is(e, "access_denied", "invalid_scope", "invalid_request") || facts.scope !== undefined) return [];
  const offersOpenid = list(metadata(facts).scopes_supported)?.includes("openid");
  return [{
    causeId: "no-scope-requested",
    weight: 4500,
    text: "No scope was requested, and the server grants nothing without one (an OpenID provider needs at least `openid`).",
    test: offersOpenid ? '`--scope openid` (or "openid profile email")' : "`--scope` with a scope the provider documents for this client",
    evidence: `the authorization request carried no scope${offersOpenid ? "; the server's scopes_supported lists openid" : ""}`,
  }];
};

/** scopes_supported against the scopes asked for. */
const scopes: Rule = (e, facts) => {
  if (!is(e, "invalid_scope")) return [];
  const scope = str(facts.scope);
  if (scope === undefined) return [{ causeId: C.SCOPE_UNKNOWN.id, weight: 0, evidence: "no scope was sent: the server's default scope for this client is what it refused, or it requires one" }];
  const out: Finding[] = [];
  if (/,/.test(scope)) out.push({ causeId: "scope-separator", weight: 3000, evidence: `the scope sent ("${scope}") contains a comma; scopes are separated by spaces (RFC 6749 §3.3)` });
  const supported = list(metadata(facts).scopes_supported);
  const asked = scope.split(/[\s,]+/).filter(Boolean);
  if (!supported) return [...out, { causeId: C.SCOPE_UNKNOWN.id, weight: 0, evidence: `asked for scope "${scope}"; no discovery document listing scopes_supported to compare with` }];
  const unknown = asked.filter((s) => !supported.includes(s));
  if (unknown.length > 0) return [...out, { causeId: C.SCOPE_UNKNOWN.id, weight: 4000, evidence: `asked for scope "${scope}"; discovery's scopes_supported does not list ${unknown.join(", ")}` }];
  return [
    ...out,
    { causeId: C.SCOPE_UNKNOWN.id, weight: -300, evidence: `every scope asked for (${asked.join(", ")}) is in discovery's scopes_supported` },
    facts.grant_type === "refresh_token"
      ? { causeId: "scope-exceeds-grant", weight: 2500, evidence: `on refresh the scope "${scope}" must be within what the user granted originally` }
      : { causeId: "scope-not-allowed-for-client", weight: 1500, text: "The scopes exist on the server but this client is not allowed to request them (a per-client scope policy).", test: "Retry with fewer `--scope` values; check the client's allowed scopes in the provider's console.", evidence: "the server knows the scopes, so it is this client that may not ask for them" },
  ];
};

/** Seed 003's JSON-only token endpoint; a `localhost` redirect refused. */
const transportHints: Rule = (e, facts) => {
  const out: Finding[] = [];
  const description = e.report.error_description ?? "";
  const format = str(client(facts).bodyFormat);
  if ((/must be json/i.test(description) || e.report.http?.status === 415) && format !== undefined) {
    out.push(format === "json"
      ? { causeId: "wrong-body-format", weight: -1000, evidence: "the body was already JSON (--body-format json)" }
      : { causeId: "wrong-body-format", weight: 6000, evidence: `the request body was sent as ${format}${e.report.http?.status === 415 ? " and the server answered 415" : "; the server says it must be JSON"}`, text: "This provider only accepts JSON request bodies.", test: "Use `--body-format json`." });
  }
  const redirect = str(facts.authorizationRedirectUri) ?? str(facts.redirectUri);
  const refused = /localhost/i.test(description) || e.causes.some((c) => c.id === C.LOCALHOST_REJECTED.id);
  if (redirect && refused) {
    let host = "";
    try {
      host = new URL(redirect).hostname;
    } catch {
      // not a URL: nothing to say about its host
    }
    if (host === "localhost") out.push({ causeId: C.LOCALHOST_REJECTED.id, weight: 4000, text: C.LOCALHOST_REJECTED.text, test: "Use `--redirect-host 127.0.0.1`.", evidence: `the redirect_uri sent uses the host name localhost (${redirect})` });
  }
  return out;
};

const RULES: readonly Rule[] = [grantKind, serverWords, grantRecord, refreshAge, authorizeFacts, clock, clientAuth, grantSupport, noScope, scopes, transportHints];

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

/**
 * Re-ranks an explanation's causes with what the command knows about the request it made, and
 * attaches what it saw as evidence. Facts are those of {@link DiagnosisContext}: each optional.
 */
export function diagnose(explanation: Explanation, diagnosis: DiagnosisContext | undefined): Explanation {
  if (!diagnosis) return explanation;
  const facts = diagnosis.facts;
  return applyFindings(explanation, RULES.flatMap((rule) => rule(explanation, facts, diagnosis.command)));
}
