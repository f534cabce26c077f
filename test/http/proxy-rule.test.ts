import { describe, expect, it } from "vitest";
import { excludedByNoProxy, isLoopbackTarget, mayUseProxy, readProxySettings } from "../../src/http/proxy.js";

describe("which requests may go through HTTP(S)_PROXY", () => {
  it("loopback names and addresses are loopback; look-alikes are not", () => {
    const hostOf = (url: string) => new URL(url).hostname;
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "localhost.", "app.localhost", "[::1]", "::1", hostOf("http://[::ffff:127.0.0.1]/")]) expect(isLoopbackTarget(host), host).toBe(true);
    for (const host of ["128.0.0.1", "localhost.example.com", "mylocalhost", "10.0.0.1", "[::2]", "example.test", hostOf("http://[::ffff:10.0.0.1]/")]) expect(isLoopbackTarget(host), host).toBe(false);
  });

  it("no proxy without HTTP(S)_PROXY; loopback bypasses it unless OAUTH_CLI_PROXY_LOOPBACK=1", () => {
    const local = new URL("http://127.0.0.1:9000/token");
    const remote = new URL("https://login.example.test/token");
    expect(readProxySettings({ NO_PROXY: "x" })).toBeUndefined();
    const env = { HTTPS_PROXY: "http://proxy.example.test:3128", HTTP_PROXY: "http://proxy.example.test:3128" };
    expect(mayUseProxy(remote, readProxySettings(env))).toBe(true);
    expect(mayUseProxy(local, readProxySettings(env))).toBe(false);
    // An empty NO_PROXY is no reason to proxy loopback either.
    expect(mayUseProxy(local, readProxySettings({ ...env, NO_PROXY: "" }))).toBe(false);
    expect(mayUseProxy(local, readProxySettings({ ...env, OAUTH_CLI_PROXY_LOOPBACK: "1" }))).toBe(true);
    expect(mayUseProxy(local, readProxySettings({ ...env, OAUTH_CLI_PROXY_LOOPBACK: "0" }))).toBe(false);
  });

  it("NO_PROXY and the scheme's own variable decide as undici does: no proxy means a direct request", () => {
    const remote = new URL("https://login.example.test/token");
    expect(excludedByNoProxy(remote, "example.test")).toBe(true);
    expect(excludedByNoProxy(remote, ".example.test")).toBe(true);
    expect(excludedByNoProxy(remote, "*.example.test")).toBe(true);
    expect(excludedByNoProxy(remote, "other.test, login.example.test:443")).toBe(true);
    expect(excludedByNoProxy(remote, "login.example.test:8443")).toBe(false);
    expect(excludedByNoProxy(remote, "xample.test")).toBe(false);
    expect(excludedByNoProxy(remote, "*")).toBe(true);
    expect(excludedByNoProxy(remote, "")).toBe(false);
    expect(mayUseProxy(remote, readProxySettings({ HTTPS_PROXY: "http://p.example.test:3128", NO_PROXY: "example.test" }))).toBe(false);
    // HTTPS_PROXY alone leaves http:// direct; HTTP_PROXY alone serves https:// too (undici's fallback).
    expect(mayUseProxy(new URL("http://api.example.test/"), readProxySettings({ HTTPS_PROXY: "http://p.example.test:3128" }))).toBe(false);
    expect(mayUseProxy(remote, readProxySettings({ HTTP_PROXY: "http://p.example.test:3128" }))).toBe(true);
  });
});
