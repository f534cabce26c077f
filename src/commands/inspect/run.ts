import type { Context } from "../../context.js";
import { CliError, ExitCode, UsageError } from "../../errors/cli-error.js";
import { failureLine } from "../../jwt/checks.js";
import type { Inspection } from "../../jwt/inspect.js";
import { inspectSigned } from "../../jwt/inspect.js";
import { type Jose, loadJose } from "../../jwt/jose.js";
import { readToken, tokenText } from "../../jwt/read-token.js";
import { inspectionJson, renderInspection } from "../../jwt/render.js";
import { styleFor } from "../../output/style.js";
import { wrapFor } from "../../output/wrap.js";
import { envValue } from "../shared/env.js";
import { expandPath } from "../shared/paths.js";
import { sessionOptions } from "../shared/resolve.js";
import { Session } from "../shared/session.js";
import { readStoreFor } from "../shared/store.js";
import type { InspectOptions } from "./flags.js";
import { checkKeyFlags, KeyFinder } from "./keys.js";

/** One token to look at, and what it is checked against. */
interface Subject {
  readonly label: string;
  /** The key in --json output when there are several (a store's access_token and id_token). */
  readonly name: string;
  readonly token: string;
  readonly issuer?: string;
  readonly clientId?: string;
  readonly accessToken?: string;
  /** A token from a store that turns out opaque is said so, not an error. */
  readonly fromStore: boolean;
}

type Result = { readonly subject: Subject; readonly inspection: Inspection } | { readonly subject: Subject; readonly opaque: string };

function seconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new UsageError(`${flag}: "${value}" is not a number of seconds`);
  return n;
}

async function optionalSecret(session: Session, flag: string, value: string | undefined): Promise<string | undefined> {
  const resolved = value === "-" ? await session.readStdin(flag, { secret: true }) : value;
  session.addSecret(resolved);
  return resolved;
}

async function subjectsOf(session: Session, arg: string | undefined, opts: InspectOptions): Promise<Subject[]> {
  const { ctx } = session;
  const clientId = opts.clientId ?? envValue(ctx.env, "OAUTH_CLIENT_ID");
  const accessToken = await optionalSecret(session, "--access-token", opts.accessToken);
  if (opts.store !== undefined) {
    if (arg !== undefined) throw new UsageError("give the token or --store FILE, not both");
    const path = expandPath(ctx, opts.store);
    const stored = readStoreFor(session, path);
    if (!stored) throw new UsageError(`--store: there is no token store at ${path}`);
    const issuer = opts.issuer ?? stored.issuer;
    const subjects: Subject[] = [{ label: "access token", name: "access_token", token: stored.access_token, issuer, fromStore: true }];
    if (stored.id_token !== undefined) {
      subjects.push({ label: "ID token", name: "id_token", token: stored.id_token, issuer, clientId: clientId ?? stored.client_id, accessToken: accessToken ?? stored.access_token, fromStore: true });
    }
    return subjects;
  }
  let token: string;
  if (arg === "-" || (arg === undefined && !ctx.stdin.isTTY)) token = await session.readStdin("the token");
  else if (arg === undefined) throw new UsageError("give the token to inspect (an argument, or - for standard input), or --store FILE");
  else token = arg;
  session.addSecret(tokenText(token));
  return [{ label: clientId !== undefined ? "ID token" : "token", name: "token", token, issuer: opts.issuer, clientId, accessToken, fromStore: false }];
}

async function inspectOne(jose: Jose, session: Session, keys: KeyFinder, subject: Subject, opts: InspectOptions, code: string | undefined): Promise<Result> {
  const read = readToken(jose, subject.token);
  if (read.kind === "not-a-token" || read.kind === "opaque") {
    if (subject.fromStore) return { subject, opaque: read.reason };
    throw new UsageError(read.kind === "opaque" ? `this looks like an opaque token, not a JWT: ${read.reason}` : `this is not a token: ${read.reason}`, {
      hint: read.kind === "opaque"
        ? "An opaque token means something only to the server that issued it: ask it with `oauth-cli introspect --token - --issuer URL` (RFC 7662)."
        : "Give a JWT (three base64url parts separated by dots), - for standard input, or --store FILE.",
    });
  }
  if (read.kind === "jwe") return { subject, inspection: { kind: "jwe", header: read.header } };
  const signatureKeys = await keys.keysFor(subject.issuer, read.claims.iss);
  const inspection = await inspectSigned(jose, tokenText(subject.token), read, signatureKeys, {
    issuer: subject.issuer,
    clientId: subject.clientId,
    nonce: opts.nonce,
    accessToken: subject.accessToken,
    code,
    toleranceSeconds: seconds("--clock-tolerance", opts.clockTolerance, 30),
    nowSeconds: Math.floor(session.ctx.now() / 1000),
  });
  return { subject, inspection };
}

/**
 * Decodes a JWT, verifies its signature with jose and checks its claims; prints what it found.
 * Exit 0 valid, 1 a check failed, 2 not a JWT.
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.2
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export async function runInspect(ctx: Context, arg: string | undefined, opts: InspectOptions): Promise<void> {
  const session = new Session(ctx, sessionOptions(opts));
  if (opts.json && opts.output !== undefined && opts.output !== "json") throw new UsageError(`--json conflicts with --output ${opts.output}`);
  const mode = opts.json ? "json" : (opts.output ?? (ctx.stdout.isTTY ? "pretty" : "json"));
  const tolerance = seconds("--clock-tolerance", opts.clockTolerance, 30);
  checkKeyFlags(opts);
  const subjects = await subjectsOf(session, arg, opts);
  const code = await optionalSecret(session, "--code", opts.code);
  const jose = await loadJose();
  const keys = new KeyFinder(session, opts);
  const results: Result[] = [];
  for (const subject of subjects) results.push(await inspectOne(jose, session, keys, subject, opts, code));

  if (mode === "json") {
    const documents = results.map((r) => ("opaque" in r ? { type: "opaque", reason: r.opaque } : inspectionJson(r.inspection)));
    const document = results.length === 1 ? documents[0] : Object.fromEntries(results.map((r, i) => [r.subject.name, documents[i]]));
    ctx.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    const style = await styleFor(ctx, ctx.stdout);
    const now = Math.floor(ctx.now() / 1000);
    ctx.stdout.write(wrapFor(ctx.stdout)(results.map((r) => ("opaque" in r
      ? `${style.bold(`${r.subject.label}: opaque`)} ${style.dim(`(${r.opaque}); ask its server with oauth-cli introspect`)}\n`
      : renderInspection(r.subject.label, r.inspection, now, style, tolerance))).join("\n")));
  }

  const failed = results.flatMap((r) => ("inspection" in r && r.inspection.kind === "jws" ? r.inspection.checks.filter((c) => !c.ok).map((c) => `  ${results.length > 1 ? `${r.subject.label}: ` : ""}${failureLine(c)}`) : []));
  if (failed.length > 0) {
    throw new CliError(ExitCode.oauth, `the token is not valid: ${failed.length} check${failed.length > 1 ? "s" : ""} failed`, { details: failed });
  }
}
