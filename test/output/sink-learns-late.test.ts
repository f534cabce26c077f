import { describe, expect, it } from "vitest";
import { OutputGuard } from "../../src/output/sink.js";

// No module mock: vitest's workers keep modules between files (isolate: false), so a mock would
// not reach a module another file loaded first. The guard's count of known forms shows instead
// whether it has worked any out.

describe("the output guard learns secrets when the first text is redacted, not when they are handed to it", () => {
  it("a run that prints nothing on stderr works out no secret's forms; the first redaction learns all, in order", () => {
    const guard = new OutputGuard();
    const request = {
      url: "https://user:url-pass@id.example/token?api_key=key-in-query",
      headers: { Authorization: `Basic ${Buffer.from("svc:basic secret").toString("base64")}`, Accept: "application/json" },
      body: "grant_type=client_credentials&client_secret=body-secret",
    };
    guard.learnRequest(request);
    guard.learnFields('{"access_token":"tok-from-answer","token_type":"Bearer"}');
    guard.addSecret("added-secret");
    // The caller reusing its objects changes nothing learned: the request is taken as it was sent.
    request.headers.Authorization = "Basic other";
    expect(guard.formsKnown).toBe(0);

    const text = "url-pass basic secret key-in-query body-secret tok-from-answer added-secret";
    expect(guard.redact(text)).toBe(
      "[redacted 8 chars] [redacted 12 chars] [redacted 12 chars] [redacted 11 chars] [redacted 15 chars] [redacted 12 chars]",
    );
    expect(guard.formsKnown).toBeGreaterThanOrEqual(6);
    const basic = Buffer.from("svc:basic secret").toString("base64");
    expect(guard.secrets).toEqual([basic, "basic secret", "url-pass", "key-in-query", "body-secret", "tok-from-answer", "added-secret"]);
  });

  it("the secrets list learns what is pending too (the -v trace reads it, not redact)", () => {
    const guard = new OutputGuard();
    guard.addSecret("late-secret");
    expect(guard.secrets).toEqual(["late-secret"]);
    guard.addSecret("x"); // too short to be one: never learned
    expect(guard.secrets).toEqual(["late-secret"]);
  });
});
