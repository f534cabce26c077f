import { OAuthServerError } from "../../errors/cli-error.js";
import type { HttpExchange } from "../../http/types.js";
import { decodeProof, proofTarget } from "../../oauth/dpop.js";
import type { ServerMetadata } from "../../oauth/discovery.js";

/** A response header, whatever case the request map used. */
function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** What a DPoP proof said, one line, for the error's details. */
function describeProof(proof: string): string {
  const parts = decodeProof(proof);
  if (!parts) return "  this run sent a DPoP header that is not a JWT";
  const { header: h, claims: c } = parts;
  const iat = typeof c.iat === "number" ? new Date(c.iat * 1000).toISOString() : String(c.iat);
  return `  this run sent a DPoP proof: alg ${String(h.alg)}, htm ${String(c.htm)}, htu ${String(c.htu)}, iat ${iat}, ${c.nonce ? `nonce "${String(c.nonce)}"` : "no nonce"}${c.ath ? ", ath" : ""}`;
}

/**
 * A DPoP refusal, said with what this run sent: the proof's claims, checked against the request
 * it went with, the server's clock and its metadata; or no proof at all when the server wants one.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.3 (what a server checks)
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8 (nonces)
 */
export function explainDpopRefusal(error: OAuthServerError, exchange: HttpExchange, earlier: readonly HttpExchange[], metadata: ServerMetadata | undefined): OAuthServerError {
  const code = error.report.error;
  const proof = header(exchange.request.headers, "dpop");
  // A grant bound to another key is refused as invalid_grant, some servers naming only the thumbprint
  // (oidc-provider: "failed jkt verification"; RFC 9449 §5, §10).
  const keyMismatch = /\bjkt\b/i.test(error.report.error_description ?? "");
  const aboutDpop = code === "invalid_dpop_proof" || code === "use_dpop_nonce" || keyMismatch || /dpop/i.test(error.report.error_description ?? "");
  if (!aboutDpop) return error;
  const details: string[] = [];
  let hint: string | undefined;
  if (proof === undefined) {
    details.push("  this run sent no DPoP proof");
    hint = keyMismatch
      ? "The code or refresh token is bound to a DPoP key: send proofs of that key (--dpop-key FILE of the run that got it, or refresh --store); a new key is refused too."
      : "The server wants DPoP-bound tokens for this client: add --dpop (or --dpop-key FILE to keep the key).";
  } else {
    details.push(describeProof(proof));
    const claims = decodeProof(proof)?.claims ?? {};
    const problems: string[] = [];
    if (claims.htu !== proofTarget(exchange.request.url)) problems.push(`htu is not the request URL ${proofTarget(exchange.request.url)}`);
    const alg = decodeProof(proof)?.header.alg;
    const algs = metadata?.dpop_signing_alg_values_supported;
    if (Array.isArray(algs) && !algs.includes(alg)) problems.push(`the server lists dpop_signing_alg_values_supported: ${algs.join(", ")} (try --dpop-alg ${String(algs[0])})`);
    const date = exchange.response?.headers.date;
    if (date && typeof claims.iat === "number") {
      const skew = Math.round(Date.parse(date) / 1000 - claims.iat);
      if (Math.abs(skew) > 60) problems.push(`the server's clock (Date: ${date}) is ${Math.abs(skew)} s ${skew > 0 ? "ahead of" : "behind"} the proof's iat`);
    }
    const nonce = exchange.response?.headers["dpop-nonce"];
    if (code === "use_dpop_nonce") {
      if (!nonce) problems.push("the server asked for a nonce but sent no DPoP-Nonce header to use");
      else if (earlier.length > 0) problems.push(`the retry already carried the server's nonce "${String(claims.nonce)}", and the server asked again (now "${nonce}"): its nonces may expire too fast or differ between its instances`);
    }
    if (keyMismatch) problems.push("the server says the proof's key is not the one the code or refresh token is bound to (jkt): prove the key of the run that got it (--dpop-key FILE of that run, or refresh --store)");
    details.push(...problems.map((p) => `  - ${p}`));
    if (keyMismatch) hint = "A DPoP-bound grant is redeemed only with proofs of its own key: keep that key with --dpop-key FILE or --store.";
    else if (problems.length === 0) hint = "Compare the proof above with the request line in -v output; a stored or --dpop-key key must be the one the tokens are bound to.";
  }
  return new OAuthServerError(error.report, { details: [...error.details, ...details], hint: hint ?? error.hint, exchange: error.exchange, diagnosis: error.diagnosis });
}
