import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEntries } from "../../src/errors/catalogue/index.js";
import { runCli } from "../support/cli.js";
import { completeLoginHttp } from "../support/login.js";
import { authorizationUrl, BASIC, pkcePair, PUBLIC, startTestProvider, type Sandbox } from "../support/provider.js";
import { makeTempDir } from "../support/temp.js";

// Whatever the error, the explanation never says the same thing twice: no line repeats, no
// "X; X", and no sentence of the catalogue's appears in two places.

/** Repeated text in one printed explanation: whole lines, "; "-joined parts, long sentences. */
function repeats(text: string): string[] {
  const found: string[] = [];
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^[-—]+$/.test(l));
  const seenLines = new Set<string>();
  for (const line of lines) {
    if (seenLines.has(line)) found.push(`line twice: ${line}`);
    seenLines.add(line);
    const parts = line.split("; ").map((p) => p.replace(/^(?:- |error: .*?: )/, "").trim());
    if (new Set(parts).size !== parts.length) found.push(`part twice in: ${line}`);
  }
  const sentences = new Map<string, number>();
  for (const line of lines) {
    for (const sentence of line.replace(/^(?:\d+\. |- |seen: |test: )/, "").split(/(?<=\.)\s+/)) {
      if (sentence.length < 40) continue;
      sentences.set(sentence, (sentences.get(sentence) ?? 0) + 1);
    }
  }
  for (const [sentence, n] of sentences) if (n > 1) found.push(`sentence ${n} times: ${sentence}`);
  return found;
}

const PASTES = [
  "AADSTS70008",
  "AADSTS700016",
  "AADSTS700016: Application with identifier 'abc' was not found in the directory 'contoso'.",
  '{"error":"invalid_grant","error_description":"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.","error_codes":[70008]}',
  '{"error":"unauthorized_client","error_description":"AADSTS700016: Application with identifier \'abc\' was not found in the directory \'contoso\'.","error_codes":[700016]}',
  '{"success":false,"errorMessage":"Invalid grant","errorDetails":["Invalid grant"],"errorCode":"invalid_grant"}',
  '{"success":false,"errorMessage":"Invalid grant","errorDetails":["refresh_token is expired"],"errorCode":"invalid_grant"}',
  '{"error":"invalid_request","error_description":["Missing required params","client_secret"]}',
  '{"error":"invalid_grant","error_description":"Invalid refresh_token"}',
  '{"error":"invalid_grant","error_description":"Code not valid"}',
  "error=access_denied&error_description=The+user+denied+access",
];

describe("decode-error says nothing twice", () => {
  it.each(PASTES)("%s", async (paste) => {
    const run = await runCli(["decode-error", paste]);
    expect(run.exitCode).toBe(0);
    expect(repeats(run.stdout)).toEqual([]);
  });

  it("every catalogue code, pasted bare", async () => {
    const codes = [...new Set(allEntries().map((e) => e.code))];
    const found: string[] = [];
    for (const code of codes) {
      const run = await runCli(["decode-error", code]);
      for (const r of repeats(run.stdout)) found.push(`${code}: ${r}`);
    }
    expect(found).toEqual([]);
  });
});

describe("live errors say nothing twice", () => {
  let plain: Sandbox;
  let legacy: Sandbox;
  let arrays: Sandbox;
  const env = { XDG_STATE_HOME: makeTempDir("state") };
  beforeAll(async () => {
    [plain, legacy, arrays] = await Promise.all([startTestProvider(), startTestProvider({ legacyEnvelope: true }), startTestProvider({ arrayDescriptions: true })]);
  });
  afterAll(async () => Promise.all([plain?.close(), legacy?.close(), arrays?.close()]));

  it.each(["plain", "legacy", "arrays"] as const)("refresh with a foreign token, %s error shape", async (which) => {
    const server = { plain, legacy, arrays }[which];
    const run = await runCli(["refresh", "--issuer", server.issuer, "--client-id", PUBLIC.id, "--refresh-token", "foreign-token"], { env });
    expect(run.exitCode).toBe(1);
    expect(repeats(run.stderr)).toEqual([]);
  });

  it.each(["plain", "legacy", "arrays"] as const)("a wrong client secret, %s error shape", async (which) => {
    const server = { plain, legacy, arrays }[which];
    const run = await runCli(["client-credentials", "--issuer", server.issuer, "--client-id", BASIC.id], { env: { ...env, OAUTH_CLIENT_SECRET: "wrong-secret-value" } });
    expect(run.exitCode).toBe(1);
    expect(repeats(run.stderr)).toEqual([]);
  });

  it("a code exchanged twice with a wrong verifier", async () => {
    const { verifier, challenge } = pkcePair();
    const redirect = "http://127.0.0.1:8123/callback";
    const code = new URL(await completeLoginHttp(authorizationUrl(plain, { redirectUri: redirect, challenge, scope: "openid offline_access" }))).searchParams.get("code")!;
    const args = ["exchange", "--issuer", plain.issuer, "--client-id", PUBLIC.id, "--code", code, "--redirect-uri", redirect, "--code-verifier"];
    await runCli([...args, verifier], { env });
    const run = await runCli([...args, pkcePair().verifier], { env });
    expect(run.exitCode).toBe(1);
    expect(repeats(run.stderr)).toEqual([]);
  });
});
