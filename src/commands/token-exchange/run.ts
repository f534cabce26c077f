import type { Context } from "../../context.js";
import { UsageError } from "../../errors/cli-error.js";
import { expandTokenType, TOKEN_EXCHANGE_GRANT_TYPE, TOKEN_EXCHANGE_PARAMETERS } from "../../oauth/token-exchange.js";
import { envValue } from "../shared/env.js";
import { runExtensionGrant } from "../shared/extension-grant.js";
import { flagName } from "../shared/flag-table.js";
import { checkRequired } from "../shared/required.js";
import { resolveOutputMode, resolveTokenTarget, sessionOptions } from "../shared/resolve.js";
import { Session } from "../shared/session.js";
import { readStoreFor, resolveStoreSettings } from "../shared/store.js";
import type { TokenRequest } from "../shared/token-request.js";
import { TOKEN_EXCHANGE_REQUIRED, type TokenExchangeOptions } from "./flags.js";

/** A token type flag's value as sent: a short name expanded to its URN (RFC 8693 §3), a URI as given. */
function tokenType(flag: string, value: string): string {
  const expanded = expandTokenType(value);
  if (expanded === undefined) {
    throw new UsageError(`${flag}: "${value}" is not a token type`, { hint: "Give access_token, refresh_token, id_token, jwt, saml1, saml2, or a token type URI (RFC 8693 §3)." });
  }
  return expanded;
}

/** A token from its flag, `-` (standard input) or its environment variable. */
async function readToken(session: Session, flag: string, value: string | undefined, env: string): Promise<string | undefined> {
  if (value === "-") return session.readStdin(flag);
  return value ?? envValue(session.ctx.env, env);
}

/**
 * Trades a token for another: for another audience or resource, of another type, or for an actor
 * acting on the subject's behalf.
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1
 */
export async function runTokenExchange(ctx: Context, opts: TokenExchangeOptions): Promise<void> {
  const session = new Session(ctx, sessionOptions(opts));
  const mode = resolveOutputMode(opts, ctx);
  checkRequired(TOKEN_EXCHANGE_REQUIRED, opts, ctx.env);
  const subjectTokenType = tokenType("--subject-token-type", opts.subjectTokenType!);
  const actorGiven = opts.actorToken !== undefined || !!envValue(ctx.env, "OAUTH_ACTOR_TOKEN");
  // RFC 8693 §2.1: actor_token_type is required with actor_token and must not come without it.
  if (actorGiven && opts.actorTokenType === undefined) throw new UsageError("--actor-token needs --actor-token-type TYPE (RFC 8693 §2.1)");
  if (!actorGiven && opts.actorTokenType !== undefined) throw new UsageError("--actor-token-type without --actor-token (or OAUTH_ACTOR_TOKEN): give the actor token too, or drop the type");
  const actorTokenType = opts.actorTokenType === undefined ? undefined : tokenType("--actor-token-type", opts.actorTokenType);
  const requestedTokenType = opts.requestedTokenType === undefined ? undefined : tokenType("--requested-token-type", opts.requestedTokenType);
  // The exchange's own parameters come from their flags: a --param copy would send them twice.
  for (const item of opts.param ?? []) {
    const name = item.slice(0, Math.max(0, item.indexOf("=")));
    if (TOKEN_EXCHANGE_PARAMETERS.includes(name)) {
      const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      throw new UsageError(`--param ${name}: set by the command itself; use ${flagName(camel)}`);
    }
  }
  const store = resolveStoreSettings(opts, ctx);
  if (store) readStoreFor(session, store.path);
  const subjectToken = (await readToken(session, "--subject-token", opts.subjectToken, "OAUTH_SUBJECT_TOKEN"))!;
  const actorToken = await readToken(session, "--actor-token", opts.actorToken, "OAUTH_ACTOR_TOKEN");
  const target = await resolveTokenTarget(session, opts);

  const grant: Record<string, string> = { grant_type: TOKEN_EXCHANGE_GRANT_TYPE, subject_token: subjectToken, subject_token_type: subjectTokenType };
  if (actorToken !== undefined) Object.assign(grant, { actor_token: actorToken, actor_token_type: actorTokenType! });
  if (requestedTokenType !== undefined) grant.requested_token_type = requestedTokenType;
  // audience may repeat (RFC 8693 §2.1), so it goes with the other repeatable parameters.
  const audiences = (opts.audience ?? []).map((a): [string, string] => ["audience", a]);
  const request: TokenRequest = { ...target, grant, scope: opts.scope, params: [...audiences, ...target.params] };

  await runExtensionGrant(session, "token-exchange", request, {
    mode,
    store,
    check: (tokens) => {
      const issued = tokens.issued_token_type;
      // RFC 8693 §2.2.1: issued_token_type is REQUIRED in a successful response.
      if (issued === undefined) session.warn("the answer has no issued_token_type (required by RFC 8693 §2.2.1): the type of the token received is unknown");
      else if (requestedTokenType !== undefined && issued !== requestedTokenType) session.note(`asked for ${requestedTokenType}, the server issued ${String(issued)}`);
    },
  });
}
