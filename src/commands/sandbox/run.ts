import { readFileSync } from "node:fs";
import type { Context } from "../../context.js";
import { UsageError } from "../../errors/cli-error.js";
import { styleFor } from "../../output/style.js";
import { wrapFor } from "../../output/wrap.js";
import type { SandboxOptions } from "../../sandbox/types.js";
import type { SandboxCommandOptions } from "./flags.js";


/**
 * Runs a real authorization server on loopback until Ctrl-C or SIGTERM, then stops it and
 * returns (exit 0: stopping is how a server ends). oidc-provider is imported only here.
 */
export async function runSandbox(ctx: Context, opts: SandboxCommandOptions): Promise<void> {
  const settings = parseSandboxOptions(opts);
  const { isLoopbackHost } = await import("../../sandbox/host.js");
  if (!isLoopbackHost(settings.host ?? "127.0.0.1")) {
    throw new UsageError(`--host ${settings.host}: the sandbox only listens on loopback (its client secrets are public)`, {
      hint: "use --host 127.0.0.1 (the default), another 127.x.y.z address, ::1 or localhost",
    });
  }
  const explicitPort = opts.port !== undefined;
  const { DEFAULT_SANDBOX_PORT, describeSandbox, formatSandboxJson, formatSandboxText } = await import("../../sandbox/describe.js");
  const { startSandbox } = await import("../../sandbox/server.js");
  const logger = opts.quiet ? undefined : (line: string) => ctx.stderr.write(`sandbox: ${line}\n`);
  const port = explicitPort ? settings.port! : DEFAULT_SANDBOX_PORT;
  const start = (p: number) => startSandbox({ ...settings, port: p, logger, now: () => ctx.now() });

  let sandbox;
  try {
    sandbox = await start(port).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || explicitPort) throw error;
      return start(0).then((fallback) => {
        ctx.stderr.write(`note: the default port ${port} is in use; the sandbox listens on ${fallback.port} instead (--port N to choose)\n`);
        return fallback;
      });
    });
  } catch (error) {
    throw explainStartFailure(error, settings, port);
  }

  try {
    const description = describeSandbox(sandbox.issuer, sandbox.port, sandbox.clients, settings);
    ctx.stdout.write(opts.json ? formatSandboxJson(description) : wrapFor(ctx.stdout)(formatSandboxText(description, await styleFor(ctx, ctx.stdout))));
    if (!opts.json) ctx.stderr.write("Running until Ctrl-C.\n");
    await waitForAbort(ctx.signal);
  } finally {
    await sandbox.close();
  }
  ctx.stderr.write("sandbox stopped\n");
}

/** Start-up failures the user can fix become usage errors naming the flag. */
function explainStartFailure(error: unknown, settings: SandboxOptions, port: number): unknown {
  const e = error as NodeJS.ErrnoException;
  const host = settings.host ?? "127.0.0.1";
  if (e.code === "EADDRINUSE") return new UsageError(`--port ${port}: the port is in use on ${host}`, { hint: "choose another --port, or --port 0 for any free one" });
  if (e.code === "EACCES") return new UsageError(`--port ${port}: not allowed to listen on ${host}:${port}`, { hint: "ports below 1024 need privileges; pick one above 1024" });
  if (e.code === "EADDRNOTAVAIL") return new UsageError(`--host ${host}: this machine has no such loopback address`);
  const file = settings.stateFile;
  if (file && (e instanceof SyntaxError || e.message?.includes(file) || e.path?.startsWith(file))) {
    return new UsageError(`--state-file ${file}: ${e.message}`, { hint: "give a new path, or a file an earlier sandbox wrote" });
  }
  return error;
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** Flags → SandboxOptions; every bad value is a usage error naming its flag. */
export function parseSandboxOptions(opts: SandboxCommandOptions): SandboxOptions {
  const rotate = opts.rotateRefreshTokens;
  if (rotate !== undefined && rotate !== "on" && rotate !== "off") {
    throw new UsageError(`--rotate-refresh-tokens: "${rotate}" is not on or off`);
  }
  return {
    host: opts.host ?? "127.0.0.1",
    port: opts.port === undefined ? undefined : parseInteger("--port", opts.port, 0, 65535),
    codeTtl: parseOptional("--code-ttl", opts.codeTtl, 1),
    accessTokenTtl: parseOptional("--access-token-ttl", opts.accessTokenTtl, 1),
    refreshTokenTtl: parseOptional("--refresh-token-ttl", opts.refreshTokenTtl, 1),
    deviceCodeTtl: parseOptional("--device-code-ttl", opts.deviceCodeTtl, 1),
    devicePollInterval: parseOptional("--device-poll-interval", opts.devicePollInterval, 1),
    rotateRefreshTokens: rotate === undefined ? undefined : rotate === "on",
    requirePkce: opts.requirePkce ? "all" : undefined,
    localhostRedirectOnly: opts.localhostRedirectOnly || undefined,
    withoutRefreshGrant: opts.withoutRefreshGrant || undefined,
    requireJsonBody: opts.requireJsonBody || undefined,
    legacyEnvelope: opts.legacyEnvelope || undefined,
    arrayDescriptions: opts.arrayDescriptions || undefined,
    clockSkew: opts.clockSkew === undefined ? undefined : parseInteger("--clock-skew", opts.clockSkew, -315_360_000, 315_360_000),
    autoLogin: opts.autoLogin === undefined ? undefined : requireText("--auto-login", opts.autoLogin),
    stateFile: opts.stateFile === undefined ? undefined : requireText("--state-file", opts.stateFile),
    ...clientProofOptions(opts),
  };
}

/** --client-jwks, --tls-cert, --tls-key, --client-ca: the files the key- and certificate-authenticated clients need. */
function clientProofOptions(opts: SandboxCommandOptions): Pick<SandboxOptions, "clientJwks" | "tls"> {
  const read = (flag: string, path: string): string => {
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      throw new UsageError(`${flag}: cannot read "${path}" (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
  };
  let clientJwks: SandboxOptions["clientJwks"];
  if (opts.clientJwks !== undefined) {
    let parsed: { keys?: unknown } | undefined;
    try {
      parsed = JSON.parse(read("--client-jwks", opts.clientJwks)) as { keys?: unknown };
    } catch (error) {
      if (error instanceof UsageError) throw error;
    }
    if (!parsed || !Array.isArray(parsed.keys)) throw new UsageError(`--client-jwks: "${opts.clientJwks}" is not a JWK Set (a JSON object with a "keys" array)`);
    clientJwks = { keys: parsed.keys as Record<string, unknown>[] };
  }
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) throw new UsageError("--tls-cert and --tls-key go together");
  if (opts.clientCa !== undefined && opts.tlsCert === undefined) throw new UsageError("--client-ca needs --tls-cert and --tls-key: client certificates come with TLS");
  const tls = opts.tlsCert !== undefined && opts.tlsKey !== undefined
    ? { cert: read("--tls-cert", opts.tlsCert), key: read("--tls-key", opts.tlsKey), ...(opts.clientCa !== undefined && { clientCa: read("--client-ca", opts.clientCa) }) }
    : undefined;
  return { ...(clientJwks && { clientJwks }), ...(tls && { tls }) };
}

function parseOptional(flag: string, value: string | undefined, min: number): number | undefined {
  return value === undefined ? undefined : parseInteger(flag, value, min, 315_360_000);
}

function parseInteger(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) throw new UsageError(`${flag}: "${value}" is not a whole number from ${min} to ${max}`);
  return n;
}

function requireText(flag: string, value: string): string {
  if (value.trim() === "") throw new UsageError(`${flag}: the value is empty`);
  return value;
}
