import { describe, expect, it, vi } from "vitest";
import { headerSecret, secretForms } from "../../src/output/redact.js";
import { OutputGuard } from "../../src/output/sink.js";

// The real functions, watched: the guard must not call them before a text needs redacting.
vi.mock("../../src/output/redact.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/output/redact.js")>();
  return { ...real, secretForms: vi.fn(real.secretForms), headerSecret: vi.fn(real.headerSecret) };
});

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
    expect(vi.mocked(secretForms)).not.toHaveBeenCalled();
    expect(vi.mocked(headerSecret)).not.toHaveBeenCalled();

    const text = "url-pass basic secret key-in-query body-secret tok-from-answer added-secret";
    expect(guard.redact(text)).toBe(
      "[redacted 8 chars] [redacted 12 chars] [redacted 12 chars] [redacted 11 chars] [redacted 15 chars] [redacted 12 chars]",
    );
    expect(vi.mocked(secretForms)).toHaveBeenCalled();
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
