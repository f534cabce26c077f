import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startAuthorize } from "../support/authorize.js";
import { type CliRun, runCli } from "../support/cli.js";
import type { DotServer } from "../support/dot-server/index.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, BASIC, pkcePair, POST, PUBLIC, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

/**
 * The scenario corpus: each entry makes a real server refuse a real CLI run, and names the cause a
 * human expert would name first, knowing what the scenario did. The run uses `-o json`, so the
 * diagnosis is read from the JSON line on stderr (the same as `decode-error --json`).
 *
 * False evidence: each scenario lists what must NOT be claimed in any "seen:" line, because the
 * scenario did otherwise (it sent a verifier, the code was seconds old, the token was never used
 * before, …). A claim matching one of these patterns is counted as false evidence.
 */
export interface Scenario {
  readonly server: "oidc-provider" | "django-oauth-toolkit";
  readonly name: string;
  /** The cause id an expert names first; a list when the ids name the same cause in other words. */
  readonly expected: string | readonly string[];
  /** Patterns a "seen:" line must not match, each with the fact of the scenario it would contradict. */
  readonly notClaimed: readonly { readonly pattern: RegExp; readonly because: string }[];
  run(): Promise<CliRun>;
}

/** Every "seen:" line that claims what the scenario rules out, with the fact it contradicts. */
export function falseClaims(notClaimed: Scenario["notClaimed"], causes: readonly { readonly evidence: readonly string[] }[]): string[] {
  return causes.flatMap((cause) => cause.evidence.flatMap((seen) => notClaimed.filter((n) => n.pattern.test(seen)).map((n) => `"${seen}" (${n.because})`)));
}

export interface Servers {
  readonly sandbox: Sandbox;
  /** A second oidc-provider whose codes live one second (its own expiry check, on a clock the test moves). */
  readonly shortCodes: Sandbox;
  /** A third whose refresh tokens live two seconds. */
  readonly shortRefresh: Sandbox;
  /** Moves shortCodes' and shortRefresh's clock on, instead of waiting real seconds for their expiry. */
  readonly advanceShort: (seconds: number) => void;
  readonly dot: DotServer;
  /** A fresh XDG_STATE_HOME per corpus: our record of used codes and refresh tokens. */
  readonly env: Record<string, string>;
}

const REDIRECT = "http://127.0.0.1:8123/callback";
export const NEVER_SENT_BEFORE = { pattern: /already (sent|used|redeemed) this/, because: "the scenario never sent this grant before" };
export const SENT_VERIFIER = { pattern: /sent no code_verifier|without a code_verifier/, because: "the scenario sent a code_verifier" };
export const SENT_SCOPE = { pattern: /(?:authorization|token) request carried no scope|no scope was sent/, because: "the scenario sent a scope" };
export const NO_WHITESPACE = { pattern: /(?<!no )surrounding whitespace/, because: "the secret had no whitespace" };
export const FRESH_CODE = { pattern: /code[^.]*\b(expired|older than|too old)\b/, because: "the code was seconds old" };

export const NOT_ROTATED = { pattern: /already used this refresh token|it rotates refresh tokens, so this one was spent/, because: "the token was never used, so nothing rotated it" };

/** A secret file as editors and `echo` leave them. */
function secretFile(content: string): string {
  const file = join(makeTempDir("secret"), "secret");
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}


/** A code for oidc-provider's public client, through its real login and consent pages (no browser needed). */
async function sandboxCode(server: Sandbox, scope = "openid offline_access"): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const final = new URL(await completeLoginHttp(authorizationUrl(server, { redirectUri: REDIRECT, challenge, scope })));
  return { code: final.searchParams.get("code")!, verifier };
}

/** A code for DOT's public client: its login (auto-signed-in in the test project) and no consent page. */
async function dotCode(dot: DotServer, scope = "read"): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const url = new URL(dot.authorizationEndpoint);
  for (const [k, v] of Object.entries({ response_type: "code", client_id: dot.clients.public.client_id, redirect_uri: REDIRECT, scope, state: "s", code_challenge: challenge, code_challenge_method: "S256" })) {
    url.searchParams.set(k, v);
  }
  const final = new URL(await completeLoginHttp(url.href));
  const code = final.searchParams.get("code");
  if (!code) throw new Error(`DOT gave no code: ${final.href}`);
  return { code, verifier };
}

export function scenarios(s: Servers): Scenario[] {
  const { sandbox, shortCodes, shortRefresh, advanceShort, dot, env } = s;
  const cli = (argv: string[], extraEnv: Record<string, string> = {}) => runCli([...argv, "-o", "json"], { env: { ...env, ...extraEnv } });

  const op = {
    exchange: (server: Sandbox, code: string, opts: { verifier?: string; redirect?: string } = {}) =>
      cli(["exchange", "--issuer", server.issuer, "--client-id", PUBLIC.id, "--code", code, "--redirect-uri", opts.redirect ?? REDIRECT, ...(opts.verifier ? ["--code-verifier", opts.verifier] : [])]),
    refresh: (token: string, scope?: string, server = sandbox) => cli(["refresh", "--issuer", server.issuer, "--client-id", PUBLIC.id, "--refresh-token", token, ...(scope ? ["--scope", scope] : [])]),
    tokens: async (server = sandbox) => {
      const { code, verifier } = await sandboxCode(server);
      const run = await op.exchange(server, code, { verifier });
      if (run.exitCode !== 0) throw new Error(`setup exchange failed: ${run.stderr}`);
      return JSON.parse(run.stdout) as { refresh_token: string };
    },
  };
  const dt = {
    exchange: (code: string, opts: { verifier?: string; redirect?: string } = {}) =>
      cli(["exchange", "--token-endpoint", dot.tokenEndpoint, "--client-id", dot.clients.public.client_id, "--code", code, "--redirect-uri", opts.redirect ?? REDIRECT, ...(opts.verifier ? ["--code-verifier", opts.verifier] : [])]),
    refresh: (token: string, scope?: string) =>
      cli(["refresh", "--token-endpoint", dot.tokenEndpoint, "--client-id", dot.clients.public.client_id, "--refresh-token", token, ...(scope ? ["--scope", scope] : [])]),
    service: (argv: string[], secret = dot.clients.service.client_secret!) =>
      cli(["client-credentials", "--token-endpoint", dot.tokenEndpoint, ...argv], { OAUTH_CLIENT_SECRET: secret }),
    tokens: async () => {
      const { code, verifier } = await dotCode(dot);
      const run = await dt.exchange(code, { verifier });
      if (run.exitCode !== 0) throw new Error(`setup exchange failed: ${run.stderr}`);
      return JSON.parse(run.stdout) as { refresh_token: string };
    },
  };

  /** authorize with the login done over HTTP and the redirect delivered to the CLI's listener. */
  const authorizeWith = async (argv: string[]) => {
    const run = startAuthorize([...argv, "-o", "json"], {
      env,
      openBrowser: async (url) => {
        await fetch(await completeLoginHttp(url));
      },
    });
    return run.done;
  };

  const list: Scenario[] = [
    // ---------------- oidc-provider ----------------
    {
      server: "oidc-provider", name: "code exchanged twice", expected: "code-reused", notClaimed: [SENT_VERIFIER, FRESH_CODE],
      run: async () => {
        const { code, verifier } = await sandboxCode(sandbox);
        await op.exchange(sandbox, code, { verifier });
        return op.exchange(sandbox, code, { verifier });
      },
    },
    {
      server: "oidc-provider", name: "code expired before the exchange", expected: "code-expired", notClaimed: [SENT_VERIFIER, NEVER_SENT_BEFORE],
      run: async () => {
        const { code, verifier } = await sandboxCode(shortCodes);
        advanceShort(2.5); // the server's code lifetime is 1 s
        return op.exchange(shortCodes, code, { verifier });
      },
    },
    {
      server: "oidc-provider", name: "wrong client secret", expected: "wrong-secret", notClaimed: [NO_WHITESPACE],
      run: () => cli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id], { OAUTH_CLIENT_SECRET: "not-the-secret" }),
    },
    {
      server: "oidc-provider", name: "unknown client id", expected: "unknown-client", notClaimed: [NO_WHITESPACE],
      // The server says "client not found" (the same invalid_client as a wrong secret otherwise).
      run: () => cli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", "no-such-client"], { OAUTH_CLIENT_SECRET: "whatever" }),
    },
    {
      // The sandbox holds each client to its registered method (DOT accepts either, so it has no twin here).
      server: "oidc-provider", name: "a client_secret_post client sending Basic", expected: "wrong-auth-method", notClaimed: [NO_WHITESPACE],
      run: () => cli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", POST.id, "--auth-method", "client_secret_basic"], { OAUTH_CLIENT_SECRET: POST.secret }),
    },
    {
      server: "oidc-provider", name: "secret file with a trailing space", expected: "secret-whitespace", notClaimed: [],
      run: () => cli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--client-secret-file", secretFile(`${BASIC.secret} \n`)]),
    },
    {
      server: "oidc-provider", name: "redirect_uri differs at the token endpoint", expected: "redirect-uri-mismatch", notClaimed: [SENT_VERIFIER, NEVER_SENT_BEFORE, FRESH_CODE],
      run: async () => {
        const { code, verifier } = await sandboxCode(sandbox);
        return op.exchange(sandbox, code, { verifier, redirect: "http://127.0.0.1:8123/cb" });
      },
    },
    {
      server: "oidc-provider", name: "exchange without the PKCE verifier", expected: ["pkce-verifier-missing", "pkce-verifier-mismatch"], notClaimed: [NEVER_SENT_BEFORE, FRESH_CODE],
      run: async () => {
        const { code } = await sandboxCode(sandbox);
        return op.exchange(sandbox, code);
      },
    },
    {
      server: "oidc-provider", name: "wrong PKCE verifier", expected: "pkce-verifier-mismatch", notClaimed: [SENT_VERIFIER, NEVER_SENT_BEFORE, FRESH_CODE],
      run: async () => {
        const { code } = await sandboxCode(sandbox);
        return op.exchange(sandbox, code, { verifier: pkcePair().verifier });
      },
    },
    // No "unknown scope" scenario here: oidc-provider drops scopes it does not know and answers with tokens.
    {
      server: "oidc-provider", name: "rotated refresh token used again", expected: "refresh-token-reused", notClaimed: [],
      run: async () => {
        const { refresh_token } = await op.tokens();
        await op.refresh(refresh_token);
        return op.refresh(refresh_token);
      },
    },
    {
      server: "oidc-provider", name: "refresh token this server never issued", expected: ["refresh-token-unknown", "refresh-token-foreign", "refresh-token-not-issued"], notClaimed: [NEVER_SENT_BEFORE, NOT_ROTATED],
      run: () => op.refresh("not-a-refresh-token-from-this-server"),
    },
    {
      server: "oidc-provider", name: "refresh asking for more scope than granted", expected: "scope-exceeds-grant", notClaimed: [SENT_SCOPE],
      run: async () => {
        const { refresh_token } = await op.tokens();
        return op.refresh(refresh_token, "openid offline_access api:write");
      },
    },
    {
      server: "oidc-provider", name: "client credentials for a client without that grant", expected: "grant-not-enabled", notClaimed: [],
      // invalid_request "requested grant type is not allowed for this client": a cause invalid_request's entry lacks.
      run: () => cli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--auth-method", "none"]),
    },
    {
      server: "oidc-provider", name: "authorize --pkce none where PKCE is required", expected: ["pkce-required", "pkce-missing", "pkce-challenge-missing"], notClaimed: [SENT_SCOPE],
      run: () => authorizeWith(["--issuer", sandbox.issuer, "--client-id", PUBLIC.id, "--scope", "openid", "--pkce", "none"]),
    },

    {
      server: "oidc-provider", name: "an expired code sent a second time", expected: "code-expired", notClaimed: [SENT_VERIFIER, { pattern: /answered with tokens|redeemed/, because: "the first attempt was refused, nothing was redeemed" }],
      run: async () => {
        const { code, verifier } = await sandboxCode(shortCodes);
        advanceShort(2.5);
        await op.exchange(shortCodes, code, { verifier });
        return op.exchange(shortCodes, code, { verifier });
      },
    },
    {
      server: "oidc-provider", name: "a code redeemed by another client than the one it was issued to", expected: "wrong-client", notClaimed: [SENT_VERIFIER, NEVER_SENT_BEFORE, FRESH_CODE],
      run: async () => {
        const { code, verifier } = await sandboxCode(sandbox);
        return cli(["exchange", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--code", code, "--redirect-uri", REDIRECT, "--code-verifier", verifier], { OAUTH_CLIENT_SECRET: BASIC.secret });
      },
    },
    {
      server: "oidc-provider", name: "a confidential client that sends no secret", expected: "public-client-sent-secret", notClaimed: [NO_WHITESPACE],
      run: () => cli(["client-credentials", "--issuer", sandbox.issuer, "--client-id", BASIC.id, "--auth-method", "none"]),
    },
    {
      server: "oidc-provider", name: "a refresh token past its lifetime", expected: "refresh-token-expired", notClaimed: [NOT_ROTATED],
      run: async () => {
        const { refresh_token } = await op.tokens(shortRefresh);
        advanceShort(3); // the server's refresh token lifetime is 2 s
        return op.refresh(refresh_token, undefined, shortRefresh);
      },
    },

    // ---------------- Django OAuth Toolkit ----------------
    {
      server: "django-oauth-toolkit", name: "code exchanged twice", expected: "code-reused", notClaimed: [SENT_VERIFIER, FRESH_CODE],
      run: async () => {
        const { code, verifier } = await dotCode(dot);
        await dt.exchange(code, { verifier });
        return dt.exchange(code, { verifier });
      },
    },
    {
      server: "django-oauth-toolkit", name: "code expired before the exchange", expected: "code-expired", notClaimed: [SENT_VERIFIER, NEVER_SENT_BEFORE],
      run: async () => {
        const { code, verifier } = await dotCode(dot);
        await dot.ageCodes();
        return dt.exchange(code, { verifier });
      },
    },
    {
      server: "django-oauth-toolkit", name: "wrong client secret", expected: "wrong-secret", notClaimed: [NO_WHITESPACE],
      run: () => dt.service(["--client-id", dot.clients.service.client_id], "not-the-secret"),
    },
    {
      // DOT's answer is byte for byte the one for a wrong secret (401, {"error": "invalid_client"}, no
      // description): an expert reading it names "client id or secret wrong", which either id says.
      server: "django-oauth-toolkit", name: "unknown client id", expected: ["unknown-client", "wrong-secret"], notClaimed: [NO_WHITESPACE],
      run: () => dt.service(["--client-id", "no-such-client"]),
    },
    {
      server: "django-oauth-toolkit", name: "redirect_uri differs at the token endpoint", expected: "redirect-uri-mismatch", notClaimed: [SENT_VERIFIER, NEVER_SENT_BEFORE, FRESH_CODE],
      // invalid_request "Mismatching redirect URI." (a space, and invalid_request rather than invalid_grant).
      run: async () => {
        const { code, verifier } = await dotCode(dot);
        return dt.exchange(code, { verifier, redirect: "http://127.0.0.1:8123/cb" });
      },
    },
    {
      server: "django-oauth-toolkit", name: "exchange without the PKCE verifier", expected: ["pkce-verifier-missing", "pkce-verifier-mismatch"], notClaimed: [NEVER_SENT_BEFORE, FRESH_CODE],
      run: async () => {
        const { code } = await dotCode(dot);
        return dt.exchange(code);
      },
    },
    {
      // DOT answers a bare invalid_grant (no description) for a wrong verifier, an expired code and a
      // reused one alike; only what the run recorded can tell them apart: here the code came from
      // `authorize --no-exchange` seconds before, so it is neither old nor spent.
      server: "django-oauth-toolkit", name: "wrong PKCE verifier after authorize --no-exchange", expected: "pkce-verifier-mismatch", notClaimed: [SENT_VERIFIER, NEVER_SENT_BEFORE, FRESH_CODE],
      run: async () => {
        const got = await authorizeWith(["--issuer", dot.issuer, "--client-id", dot.clients.public.client_id, "--scope", "read", "--no-exchange"]);
        if (got.exitCode !== 0) throw new Error(`authorize --no-exchange failed: ${got.stderr}`);
        const { code, redirect_uri } = JSON.parse(got.stdout) as { code: string; redirect_uri: string };
        return dt.exchange(code, { verifier: pkcePair().verifier, redirect: redirect_uri });
      },
    },
    {
      server: "django-oauth-toolkit", name: "unknown scope on client credentials", expected: "scope-unknown", notClaimed: [SENT_SCOPE],
      run: () => dt.service(["--client-id", dot.clients.service.client_id, "--scope", "no-such-scope"]),
    },
    {
      server: "django-oauth-toolkit", name: "rotated refresh token used again", expected: "refresh-token-reused", notClaimed: [],
      run: async () => {
        const { refresh_token } = await dt.tokens();
        await dt.refresh(refresh_token);
        return dt.refresh(refresh_token);
      },
    },
    {
      server: "django-oauth-toolkit", name: "refresh token this server never issued", expected: ["refresh-token-unknown", "refresh-token-foreign", "refresh-token-not-issued"], notClaimed: [NEVER_SENT_BEFORE, NOT_ROTATED],
      run: () => dt.refresh("not-a-refresh-token-from-this-server"),
    },
    {
      server: "django-oauth-toolkit", name: "refresh asking for more scope than granted", expected: "scope-exceeds-grant", notClaimed: [SENT_SCOPE],
      // A bare invalid_scope and no scopes_supported in DOT's metadata.
      run: async () => {
        const { refresh_token } = await dt.tokens();
        return dt.refresh(refresh_token, "read write");
      },
    },
    {
      server: "django-oauth-toolkit", name: "client credentials for a client without that grant", expected: "grant-not-enabled", notClaimed: [],
      run: () => dt.service(["--client-id", dot.clients.confidential.client_id], dot.clients.confidential.client_secret!),
    },
    {
      server: "django-oauth-toolkit", name: "authorize --pkce none where PKCE is required", expected: ["pkce-required", "pkce-missing", "pkce-challenge-missing"], notClaimed: [SENT_SCOPE],
      run: () => authorizeWith(["--issuer", dot.issuer, "--client-id", dot.clients.public.client_id, "--scope", "read", "--pkce", "none"]),
    },
  ];
  return list;
}
