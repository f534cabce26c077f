import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allEntries } from "../../../src/errors/catalogue/index.js";
import { parseErrorInput, type ParsedInput } from "../../../src/errors/parse/index.js";
import { binaryString } from "../../support/arbitraries.js";

/** Total: a value of one of the three kinds, never a throw. */
function checkTotal(input: string): ParsedInput {
  const r = parseErrorInput(input);
  expect(["report", "reports", "unrecognised"]).toContain(r.kind);
  if (r.kind === "report") expect(typeof r.report.error).toBe("string");
  if (r.kind === "reports") expect(r.reports.length).toBeGreaterThan(1);
  if (r.kind === "unrecognised") expect(r.reason.length).toBeGreaterThan(0);
  // The result must be printable as JSON (decode-error --json).
  expect(() => JSON.stringify(r)).not.toThrow();
  return r;
}

const VALID = [
  "invalid_grant",
  `{"error":"invalid_grant","error_description":["Code expired","Try again"]}`,
  `{"success":false,"errorMessage":"Missing required params","errorDetails":["client_id"],"errorCode":"invalid_request"}`,
  `{"ErrorCode":"invalid_scope","ErrorDescription":"bad scope","HttpMeta":{"Response":{"StatusCode":400,"Headers":{"X-Request-Id":["a"]}}}}`,
  `{"ok":false,"error":"invalid_code"}`,
  `{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}`,
  "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.&error_uri=https%3A%2F%2Fdocs.github.com",
  "https://app.example.com/cb#error=access_denied&state=xyz",
  `WWW-Authenticate: Bearer realm="x", error="invalid_token", error_description="The access token expired"`,
  `DPoP error="use_dpop_nonce", algs="ES256"`,
  `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nX-Request-Id: r1\r\n\r\n{"error":"invalid_grant"}`,
  "AADSTS54005: OAuth2 Authorization code was already redeemed.\r\nTrace ID: a-b\r\nCorrelation ID: c-d\r\nTimestamp: 2024-05-01 10:00:00Z",
  "error: invalid_grant (Code not valid)",
];

const mutated = fc
  .tuple(fc.constantFrom(...VALID), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }))
  .map(([s, a, b, ins]) => {
    const i = a % (s.length + 1);
    const j = Math.min(s.length, i + (b % 8));
    return s.slice(0, i) + ins + s.slice(j);
  });

const truncated = fc.tuple(fc.constantFrom(...VALID), fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1)));

const latin1Bytes = fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes).toString("latin1"));

describe("parseErrorInput is total", () => {
  it("on random strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (s) => void checkTotal(s)), { numRuns: 500 });
    fc.assert(fc.property(binaryString({ maxLength: 500 }), (s) => void checkTotal(s)), { numRuns: 300 });
  });

  it("on random JSON values, as text and wrapped in a log line", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.string({ maxLength: 20 }), (v, prefix) => {
        const json = JSON.stringify(v);
        checkTotal(json);
        checkTotal(`${prefix} ${json} trailing`);
        checkTotal(JSON.stringify(json));
      }),
      { numRuns: 300 },
    );
  });

  it("on objects that carry the fields the rules look for, with odd value types", () => {
    const keys = fc.constantFrom("error", "Error", "error_description", "errorCode", "ErrorCode", "ErrorDescription", "HttpMeta", "errors", "errorDetails", "errorMessage", "success", "ok", "message", "code", "status", "trace_id", "error_codes", "state");
    fc.assert(fc.property(fc.dictionary(keys, fc.jsonValue({ maxDepth: 3 })), (o) => void checkTotal(JSON.stringify(o))), { numRuns: 500 });
  });

  it("on mutated and truncated valid inputs", () => {
    fc.assert(fc.property(mutated, (s) => void checkTotal(s)), { numRuns: 1000 });
    fc.assert(fc.property(truncated, (s) => void checkTotal(s)), { numRuns: 500 });
  });

  it("on random bytes decoded as latin1", () => {
    fc.assert(fc.property(latin1Bytes, (s) => void checkTotal(s)), { numRuns: 300 });
  });

  it("on header- and URL-like strings built from their grammar's characters", () => {
    const chars = fc.constantFrom('"', "\\", ",", "=", " ", "\t", "a", "Bearer", "error", "&", "?", "#", "%", "+", ":", "\r\n", "< ", "HTTP/1.1 400 ", "{", "}", "[", "]", "'");
    const s = fc.array(chars, { maxLength: 200 }).map((a) => a.join(""));
    fc.assert(fc.property(s, (x) => void checkTotal(x)), { numRuns: 1000 });
    fc.assert(fc.property(s, (x) => void checkTotal(`WWW-Authenticate: ${x}`)), { numRuns: 500 });
    fc.assert(fc.property(s, (x) => void checkTotal(`HTTP/1.1 401 Unauthorized\r\n${x}`)), { numRuns: 500 });
  });
});

describe("parseErrorInput on hostile sizes and shapes", () => {
  const MiB = 1024 * 1024;

  it("on deep nesting", () => {
    checkTotal("[".repeat(200_000));
    checkTotal(`${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    checkTotal('{"a":'.repeat(100_000));
    checkTotal(`${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`);
    checkTotal(`log: ${"{".repeat(200_000)}`);
  });

  it("on ~1 MiB inputs of every kind", () => {
    const big = "x".repeat(MiB);
    const inputs = [
      big,
      `{"error":"invalid_grant","error_description":"${big}"}`,
      `error=invalid_request&error_description=${"a+".repeat(MiB / 2)}`,
      `https://app.example.com/cb?error=access_denied&state=${big}`,
      `WWW-Authenticate: Bearer error="invalid_token", error_description="${"\\\\".repeat(MiB / 2)}`,
      `Bearer ${'a="b", '.repeat(MiB / 7)}`,
      `HTTP/1.1 400 Bad Request\r\n${"X-A: b\r\n".repeat(MiB / 8)}\r\n{}`,
      `HTTP/1.1 400 Bad Request\r\n\r\n${"{".repeat(MiB)}`,
      `AADSTS${"9".repeat(MiB)}`,
      `invalid_grant: ${"a ".repeat(MiB / 2)}`,
      "_".repeat(MiB),
      "a_".repeat(MiB / 2),
      `${'"'.repeat(MiB)}`,
      `{"a":"${"\\".repeat(MiB)}`,
      ` ${"\t ".repeat(MiB / 2)}x`,
      "\r".repeat(MiB),
      `${"error: ".repeat(MiB / 7)}`,
      `${"{\"error\":".repeat(MiB / 9)}`,
      JSON.stringify({ error: "invalid_grant", extra: Array.from({ length: 50_000 }, (_, i) => ({ i })) }),
    ];
    for (const input of inputs) checkTotal(input);
  });

  it("keeps recognising the error in a big body", () => {
    const r = checkTotal(`{"error":"invalid_grant","error_description":"${"x".repeat(MiB)}"}`);
    expect(r.kind === "report" && r.report.error).toBe("invalid_grant");
  });
});

describe("the shortcut for a bare snake_case code reads it as the whole parser does", () => {
  const same = (input: string): void => {
    expect(parseErrorInput(input)).toEqual(parseErrorInput(input, { bareCodeShortcut: false }));
  };

  it("every code of the catalogue, as typed and with the blanks and byte-order mark a paste brings", () => {
    const codes = [...new Set(allEntries().map((e) => e.code))];
    expect(codes.filter((code) => /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(code)).length).toBeGreaterThan(50);
    for (const code of codes) for (const input of [code, ` ${code}\n`, `\ufeff${code}`, code.toUpperCase()]) same(input);
  });

  it("any snake_case-like word, and words near it (a leading digit, a double or trailing underscore, a dot, a dash)", () => {
    const word = fc.oneof(fc.stringMatching(/^[a-z0-9_.-]{1,40}$/), fc.stringMatching(/^[a-z][a-z0-9]{0,10}(?:_[a-z0-9]{1,10}){1,3}$/));
    fc.assert(fc.property(word, (w) => {
      same(w);
    }), { numRuns: 2000 });
  });
});
