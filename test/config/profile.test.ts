import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { BASIC, introspect, POST, startTestProvider, type Sandbox } from "../support/provider.js";
import { refusingHttp, seedStore, tempDir } from "../store/support.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestProvider();
});
afterAll(async () => sandbox?.close());

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** A fresh XDG config home; returns the env and where the config file must end up. */
function xdg() {
  const home = tempDir("config");
  return { env: { XDG_CONFIG_HOME: join(home, "xdg") }, file: join(home, "xdg", "oauth-cli", "config.json"), home };
}

describe("profile list|show|set|delete", () => {
  it("round trip in $XDG_CONFIG_HOME/oauth-cli/config.json, 0600 in a 0700 folder", async () => {
    const { env, file } = xdg();
    const set = await runCli(["profile", "set", "work", "--issuer", "https://id.example.com", "--client-id", "app", "--scope", "openid email", "--redirect-port", "8400"], { env });
    expect(set.exitCode).toBe(0);
    expect(set.stderr).toContain(`saved profile "work" in ${file}`);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(join(file, ".."))).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      version: 1,
      profiles: { work: { issuer: "https://id.example.com", "client-id": "app", scope: "openid email", "redirect-port": 8400 } },
    });

    // set merges; --unset removes one setting.
    expect((await runCli(["profile", "set", "work", "--auth-method", "client_secret_post", "--unset", "scope"], { env })).exitCode).toBe(0);
    expect((await runCli(["profile", "set", "other", "--token-endpoint", "https://other.example.com/token"], { env })).exitCode).toBe(0);

    const list = await runCli(["profile", "list"], { env });
    expect(list.stdout).toBe("work\thttps://id.example.com\nother\thttps://other.example.com/token\n");
    const show = await runCli(["profile", "show", "work"], { env });
    expect(JSON.parse(show.stdout)).toEqual({ issuer: "https://id.example.com", "client-id": "app", "redirect-port": 8400, "auth-method": "client_secret_post" });

    const del = await runCli(["profile", "delete", "work"], { env });
    expect(del.exitCode).toBe(0);
    expect((await runCli(["profile", "list"], { env })).stdout).toBe("other\thttps://other.example.com/token\n");
    const gone = await runCli(["profile", "show", "work"], { env });
    expect(gone.exitCode).toBe(2);
    expect(gone.stderr).toMatch(/no profile "work" .*\n.*Known profiles: other/);
  });

  it("without XDG_CONFIG_HOME the file is ~/.config/oauth-cli/config.json; --config overrides both", async () => {
    const home = tempDir("home");
    expect((await runCli(["profile", "set", "p", "--client-id", "a"], { homedir: home })).exitCode).toBe(0);
    expect(existsSync(join(home, ".config", "oauth-cli", "config.json"))).toBe(true);

    const other = join(tempDir(), "elsewhere.json");
    expect((await runCli(["profile", "set", "q", "--client-id", "b", "--config", other], { homedir: home })).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(other, "utf8")).profiles).toEqual({ q: { "client-id": "b" } });
    expect((await runCli(["profile", "list", "--config", other], { homedir: home })).stdout).toBe("q\n");
    expect((await runCli(["profile", "list"], { homedir: home })).stdout).toBe("p\n");
  });

  it.each([
    ["--client-secret", "s3cret"],
    ["--client-secret-file", "/tmp/secret.txt"],
    ["--refresh-token", "rt-value"],
  ])("refuses %s: secrets are never written to the config", async (flag, value) => {
    const { env, file } = xdg();
    const run = await runCli(["profile", "set", "p", "--client-id", "a", flag, value], { env });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${flag}: secrets are never written to the config file`);
    expect(run.stderr).toMatch(/OAUTH_CLIENT_SECRET/);
    expect(existsSync(file)).toBe(false);
  });

  it("bad values and names are usage errors naming the flag", async () => {
    const { env } = xdg();
    const port = await runCli(["profile", "set", "p", "--redirect-port", "99999"], { env });
    expect(port.exitCode).toBe(2);
    expect(port.stderr).toContain('--redirect-port: "99999" must be a port number');
    const url = await runCli(["profile", "set", "p", "--issuer", "id.example.com"], { env });
    expect(url.stderr).toContain('--issuer: "id.example.com" must be a URL');
    const name = await runCli(["profile", "set", "../x", "--client-id", "a"], { env });
    expect(name.exitCode).toBe(2);
    expect(name.stderr).toMatch(/profile name "..\/x"/);
  });

  it("a malformed config file is exit 2 naming the file, and is left untouched", async () => {
    const { env, file } = xdg();
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, '{"profiles": {"p": {"client-secret": "x"}}}');
    const run = await runCli(["profile", "set", "p", "--client-id", "a"], { env });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`the config file ${file} is unusable: profile "p" has an unknown setting "client-secret"`);
    expect(readFileSync(file, "utf8")).toBe('{"profiles": {"p": {"client-secret": "x"}}}');
  });
});

describe("--profile on token commands", () => {
  async function profileFor(settings: string[]) {
    const { env } = xdg();
    const set = await runCli(["profile", "set", "svc", ...settings], { env });
    expect(set.exitCode).toBe(0);
    return env;
  }

  it("fills issuer, client id and scope; a flag overrides the profile's value", async () => {
    const env = await profileFor(["--issuer", sandbox.issuer, "--client-id", BASIC.id, "--scope", "api:read"]);
    const run = await runCli(["client-credentials", "--profile", "svc"], { env: { ...env, OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(run.exitCode).toBe(0);
    expect(await introspect(sandbox, JSON.parse(run.stdout).access_token)).toMatchObject({ active: true, client_id: BASIC.id, scope: "api:read" });

    const flagged = await runCli(["client-credentials", "--profile", "svc", "--client-id", POST.id, "--auth-method", "client_secret_post"], {
      env: { ...env, OAUTH_CLIENT_SECRET: POST.secret },
    });
    expect(flagged.exitCode).toBe(0);
    expect(await introspect(sandbox, JSON.parse(flagged.stdout).access_token)).toMatchObject({ active: true, client_id: POST.id });
  });

  it("OAUTH_PROFILE selects the profile; the profile's token endpoint is used unless a flag gives another", async () => {
    const env = await profileFor(["--token-endpoint", "http://127.0.0.1:1/token", "--client-id", BASIC.id]);
    const fromProfile = await runCli(["client-credentials", "--timeout", "5"], { env: { ...env, OAUTH_PROFILE: "svc", OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(fromProfile.exitCode).toBe(3);
    expect(fromProfile.stderr).toContain("http://127.0.0.1:1/token");
    const flag = await runCli(["client-credentials", "--token-endpoint", `${sandbox.issuer}/token`], { env: { ...env, OAUTH_PROFILE: "svc", OAUTH_CLIENT_SECRET: BASIC.secret } });
    expect(flag.exitCode).toBe(0);
  });

  it("the profile's store path is used by refresh", async () => {
    const store = join(tempDir(), "profile-store.json");
    const seeded = await seedStore(sandbox, store);
    const env = await profileFor(["--store", store]);
    const run = await runCli(["refresh", "--profile", "svc", "-o", "token"], { env, http: refusingHttp() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`${seeded.access_token}\n`);
  });

  it("an unknown profile is exit 2 naming it, where it looked, and the known ones", async () => {
    const env = await profileFor(["--client-id", "a"]);
    const run = await runCli(["refresh", "--profile", "nope", "--refresh-token", "x"], { env });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--profile: no profile "nope" in .*config\.json/);
    expect(run.stderr).toContain("Known profiles: svc");
    const viaEnv = await runCli(["refresh", "--refresh-token", "x"], { env: { ...env, OAUTH_PROFILE: "nope" } });
    expect(viaEnv.stderr).toMatch(/OAUTH_PROFILE: no profile "nope"/);
  });
});
