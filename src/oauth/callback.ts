import { timingSafeEqual } from "node:crypto";
import { ProtocolError } from "../errors/cli-error.js";
import type { OAuthErrorReport } from "../errors/types.js";
import { readErrorForm } from "./error-response.js";

/** What this run's authorization response must carry. */
export interface CallbackExpectation {
  /** The state this run sent; single use (RFC 9700 §4.7.1). */
  readonly state: string;
  /** The issuer the flow started at; undefined when only endpoint URLs were given. */
  readonly issuer?: string;
  /** The metadata's authorization_response_iss_parameter_supported (RFC 9207 §3). */
  readonly issRequired: boolean;
}

export type CallbackOutcome =
  /** A code for this run, from the right issuer. */
  | { readonly kind: "code"; readonly code: string; readonly state: string; readonly iss?: string; readonly issUnchecked?: boolean }
  /** An error response for this run, from the right issuer: safe to explain. */
  | { readonly kind: "error"; readonly report: OAuthErrorReport; readonly iss?: string }
  /** Not a response to this run (state missing or wrong): answer 400 and keep waiting, never accept it. */
  | { readonly kind: "not-ours"; readonly reason: string };

export const MIX_UP_EXPLANATION =
  "A response that names another issuer is how a mix-up attack starts: a malicious authorization server gets the client " +
  "to send a code (or credentials) meant for one server to another (RFC 9207 §1, RFC 9700 §4.4). The response is rejected " +
  "and nothing in it is trusted, including any error it reports.";

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks an authorization response, in this order:
 * 1. state: missing or different → not ours (RFC 6749 §10.12, RFC 9700 §4.7.1, RFC 8252 §8.9);
 * 2. iss: when present it must equal the issuer by simple string comparison; when the metadata
 *    advertises authorization_response_iss_parameter_supported it must be present (RFC 9207 §2.4).
 *    A failure here throws (exit 4) and any `error` in the response is not trusted;
 * 3. error → the report (`+` decoded as a space: it is a form-encoded query, seed 003);
 * 4. code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
export function validateCallback(params: URLSearchParams, expected: CallbackExpectation): CallbackOutcome {
  const state = params.get("state");
  if (state === null || state === "") return { kind: "not-ours", reason: "the redirect carries no state" };
  if (!sameString(state, expected.state)) return { kind: "not-ours", reason: "the redirect's state is not the one this run sent" };

  const iss = params.get("iss") ?? undefined;
  const claimedError = params.get("error");
  const untrusted = claimedError ? [`The response also says error=${claimedError}; that is not trusted either.`] : [];
  if (iss !== undefined && expected.issuer !== undefined && iss !== expected.issuer) {
    throw new ProtocolError(`the authorization response came from issuer "${iss}", but this flow started at "${expected.issuer}" (RFC 9207)`, {
      details: [MIX_UP_EXPLANATION, ...untrusted],
      hint: "Start the flow again. If it happens again, another authorization server is answering for this client: check the browser's extensions, proxies and the issuer you gave.",
    });
  }
  if (iss === undefined && expected.issRequired) {
    throw new ProtocolError(
      `the authorization response has no "iss", but ${expected.issuer ?? "the server"} says it always sends one (authorization_response_iss_parameter_supported, RFC 9207 §2.4)`,
      {
        details: [MIX_UP_EXPLANATION, ...untrusted],
        hint: "Start the flow again. A response without iss from a server that promises one may not come from that server.",
      },
    );
  }

  if (claimedError) {
    const report = readErrorForm(params, "redirect");
    if (report) return { kind: "error", report, iss };
  }
  const code = params.get("code");
  if (code === null || code === "") {
    throw new ProtocolError("the authorization response carries neither code nor error (RFC 6749 §4.1.2)", {
      details: [`parameters: ${[...params.keys()].join(", ") || "(none)"}`],
    });
  }
  return { kind: "code", code, state, iss, issUnchecked: iss !== undefined && expected.issuer === undefined };
}
