import { OAuthServerError } from "../../errors/cli-error.js";
import { type AssertionFacts, type CertificateFacts, type TokenRun, tokenCallFacts, withTokenCall } from "../../errors/facts.js";
import { discover, type ServerMetadata } from "../../oauth/discovery.js";
import { explainDpopRefusal } from "./dpop-explain.js";
import type { Endpoints } from "./resolve.js";
import type { Session } from "./session.js";
import type { TokenRequest, TokenStep } from "./token-request.js";
import type { GrantRecord, SpentGrant } from "./used-grants.js";

/**
 * The failure of a token step, ready to throw: an OAuth error carries what the command knows that
 * could explain it (the facts the diagnosis ranks causes with); any other failure as it is.
 */
export async function explainFailure(
  session: Session,
  request: TokenRequest,
  step: TokenStep,
  evidence: { readonly run: TokenRun; readonly spent?: SpentGrant; readonly priorUse?: GrantRecord },
): Promise<Error> {
  if (step.outcome.kind !== "failed") return new Error("explainFailure: the token step did not fail");
  const error = step.outcome.error;
  if (!(error instanceof OAuthServerError)) return error;
  const { spent, priorUse } = evidence;
  const metadata = request.endpoints.metadata ?? (await lateMetadata(session, request.endpoints, error.report.error));
  error.diagnosis = withTokenCall(
    evidence.run,
    tokenCallFacts({
      grantType: request.grant.grant_type,
      scope: request.scope,
      client: request.client,
      ...clientProofFacts(request, step, metadata),
      receivedAt: step.receivedAt,
      spent: spent && { kind: spent.kind, record: priorUse && { ...(priorUse.sent && { sentBefore: priorUse.sent }), ...(priorUse.arrival && { arrival: priorUse.arrival }) } },
      metadata,
    }),
  );
  return explainDpopRefusal(error, step.exchange, step.earlier ?? [], metadata);
}

/** Errors that discovery metadata can explain (auth methods, grant types, scopes). */
const METADATA_ERRORS = new Set(["invalid_client", "unauthorized_client", "unsupported_grant_type", "invalid_scope"]);

/**
 * With --token-endpoint there was no discovery; when --issuer is known, fetch it now, on the error
 * path only, so the diagnosis can compare what was asked with what the server advertises.
 */
async function lateMetadata(session: Session, endpoints: Endpoints, error: string): Promise<ServerMetadata | undefined> {
  if (!endpoints.issuer || !METADATA_ERRORS.has(error)) return undefined;
  try {
    return await discover(endpoints.issuer, (url) => session.get(url));
  } catch {
    return undefined; // the error being explained matters more than a failed look-up
  }
}

/** What the client proved itself with, beyond a secret: the assertion sent, the certificate offered. */
function clientProofFacts(request: TokenRequest, step: TokenStep, metadata: ServerMetadata | undefined): { assertion?: AssertionFacts; certificate?: CertificateFacts } {
  const { client, endpoints } = request;
  const algs = metadata?.token_endpoint_auth_signing_alg_values_supported;
  const assertion: AssertionFacts | undefined = step.assertion && {
    alg: String(step.assertion.header.alg),
    ...(typeof step.assertion.header.kid === "string" && { kid: step.assertion.header.kid }),
    ...(client.assertion?.key && { keyType: client.assertion.key.type }),
    ...step.assertion.claims,
    tokenEndpoint: endpoints.tokenEndpoint,
    issuer: metadata?.issuer ?? endpoints.issuer,
    ...(Array.isArray(algs) && { serverSigningAlgs: algs.map(String) }),
  };
  const cert = client.certificate;
  const certificate: CertificateFacts | undefined = cert && { subject: cert.subject, issuer: cert.issuer, selfSigned: cert.subject === cert.issuer };
  return { ...(assertion && { assertion }), ...(certificate && { certificate }) };
}
