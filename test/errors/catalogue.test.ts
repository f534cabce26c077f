import { describe, expect, it } from "vitest";
import {
  IANA_REGISTRY_CODES,
  microsoftCodes,
  NON_REGISTRY_CODES,
  SEED_002_TABLE,
  SEED_CODES,
  allEntries,
  allRules,
  entriesForCode,
  findProviderCodes,
  genericAdviceForStatus,
  lookupCode,
  matchDescription,
} from "../../src/errors/catalogue/index.js";
import type { SpecLink } from "../../src/errors/types.js";

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function checkLink(link: SpecLink): void {
  expect(link.name.trim()).not.toBe("");
  const url = new URL(link.url);
  expect(url.protocol).toBe("https:");
  if (link.name.includes("§")) expect(url.hash.length, `${link.name} needs a fragment`).toBeGreaterThan(1);
}

describe("catalogue entries are complete", () => {
  for (const e of allEntries()) {
    it(`${e.provider ?? "standard"}:${e.code}`, () => {
      expect(e.code.trim()).not.toBe("");
      expect(e.title.trim()).not.toBe("");
      expect(e.meaning.trim()).not.toBe("");
      expect(e.source.trim()).not.toBe("");
      expect(e.usedAt.length).toBeGreaterThan(0);
      expect(e.causes.length).toBeGreaterThan(0);
      expect(e.nextSteps.length).toBeGreaterThan(0);
      for (const s of e.nextSteps) expect(s.trim()).not.toBe("");
      const ids = e.causes.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of e.causes) {
        expect(c.id).toMatch(KEBAB);
        expect(c.text.trim()).not.toBe("");
      }
      for (const s of e.httpStatus) expect(s >= 100 && s <= 599).toBe(true);
      checkLink(e.spec);
    });
  }

  it("has no duplicate (provider, code) pairs", () => {
    const keys = allEntries().map((e) => `${e.provider ?? ""}|${e.code.toLowerCase()}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("description rules are complete", () => {
  it("have unique kebab-case ids", () => {
    const ids = allRules().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(KEBAB);
  });
  for (const r of allRules()) {
    it(r.id, () => {
      expect(r.match.flags).toContain("i");
      expect(r.match.flags).not.toContain("g");
      expect(r.provider.trim()).not.toBe("");
      expect(r.meaning.trim()).not.toBe("");
      expect(r.source.trim()).not.toBe("");
      expect(r.causes.length).toBeGreaterThan(0);
      expect(r.nextSteps.length).toBeGreaterThan(0);
      const ids = r.causes.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const c of r.causes) expect(c.id).toMatch(KEBAB);
      checkLink(r.spec);
    });
  }
});

describe("coverage of the registry and the seeds", () => {
  it("has a standard entry for every IANA registry code and every real non-registry code", () => {
    for (const code of [...IANA_REGISTRY_CODES, ...NON_REGISTRY_CODES]) {
      const e = lookupCode(code);
      expect(e, code).toBeDefined();
      expect(e?.provider, code).toBeUndefined();
    }
    expect(IANA_REGISTRY_CODES.length).toBe(49);
  });

  it("has every seed code", () => {
    for (const code of SEED_CODES) expect(lookupCode(code), code).toBeDefined();
    for (const code of ["not_supported", "account_locked", "account_disabled", "authorization_expired", "internal_server_error"]) {
      expect(SEED_CODES).toContain(code);
    }
  });

  const seed002: [string, number][] = [
    ["access_denied", 302],
    ["invalid_request", 400],
    ["invalid_client", 401],
    ["invalid_grant", 400],
    ["unauthorized_client", 400],
    ["unsupported_grant_type", 400],
    ["invalid_scope", 400],
    ["not_supported", 400],
    ["account_locked", 401],
    ["account_disabled", 401],
    ["authorization_pending", 401],
    ["authorization_expired", 401],
    ["slow_down", 401],
  ];
  it("SEED_002_TABLE matches the seed table", () => {
    expect(SEED_002_TABLE.map(([c, s]) => [c, s])).toEqual(seed002);
  });
  for (const [code, status] of seed002) {
    it(`seed 002: ${code} → ${status}`, () => {
      const e = lookupCode(code, "seed-002");
      expect(e?.provider).toBe("seed-002");
      expect(e?.httpStatus).toEqual([status]);
    });
  }
  it("keeps the spec status beside the seed 002 status", () => {
    expect(lookupCode("authorization_pending")?.httpStatus).toEqual([400]);
    expect(lookupCode("authorization_pending", "seed-002")?.httpStatus).toEqual([401]);
    expect(lookupCode("slow_down")?.httpStatus).toEqual([400]);
    expect(lookupCode("access_denied")?.usedAt).toContain("device-flow");
    expect(entriesForCode("slow_down").map((e) => e.provider)).toEqual(expect.arrayContaining([undefined, "seed-002"]));
  });

  it("seed 003 statuses", () => {
    expect(lookupCode("internal_server_error")?.httpStatus).toEqual([500]);
    expect(lookupCode("invalid_grant", "seed-003")?.httpStatus).toEqual([400, 401]);
    expect(lookupCode("invalid_client", "seed-003")?.httpStatus).toEqual([401]);
    expect(lookupCode("invalid_request", "seed-003")?.httpStatus).toContain(404);
  });
});

/** Seed 003, copied verbatim: [error, error_description, status or undefined, advice that must appear]. */
const SEED_003: [string, string, number | undefined, string | undefined][] = [
  ["invalid_grant", "grant_type is invalid. Accepted values: refresh_token, client_credentials, authorization_code", 400, undefined],
  ["invalid_grant", "Invalid refresh_token", 400, undefined],
  ["invalid_request", "Invalid client_id", 400, "--client-id"],
  ["invalid_request", "Missing fields in POST body client_id, client_secret, grant_type and scope required.", 400, "--body-format json"],
  ["invalid_request", "OAuth 2.0 Parameter: <parameter name> missing", 400, "--param"],
  ["invalid_request", "POST body is empty.", 400, "--body-format json"],
  ["invalid_request", "Unsupported Media Type for POST body. Must be json.", 400, "--body-format json"],
  ["invalid_scope", "scope is invalid. Accepted values: business_connect", 400, "business_connect"],
  ["invalid_client", "Invalid client_id or client_secret", 401, "--client-secret-file"],
  ["invalid_grant", "Invalid refresh_token", 401, undefined],
  ["404 Not Found", "invalid_request", 404, "--token-endpoint"],
  ["internal_server_error", "AN_UNKNOWN_ERROR_OCCURRED", 500, undefined],
  ["internal_server_error", "server error", 500, undefined],
  ["unsupported_response_type", "response_type must be code", undefined, undefined],
  ["invalid_request", "code_challenge_method must be S256", undefined, "--pkce S256"],
  ["invalid_request", "client_id does not match a registered OAuth app", undefined, "--client-id"],
  ["invalid_request", "bad request", undefined, undefined],
  ["invalid_request", "redirect_uri must not be empty string", undefined, "--redirect-uri"],
  ["invalid_request", "redirect_uri is not valid", undefined, undefined],
  ["invalid_request", "localhost is not allowed for redirect_uri. Use the IP literal (127.0.0.1) instead", undefined, "--redirect-host 127.0.0.1"],
  ["invalid_request", "redirect_uri does not match one of the registered redirect_uri on OAuth app", undefined, "--redirect-uri"],
  ["invalid_request", "scope must not be empty string", undefined, "--scope"],
  ["invalid_scope", "scope is not valid", undefined, "--scope"],
  ["invalid_request", "client_id must not be empty string", undefined, "--client-id"],
  ["server_error", "server error", undefined, undefined],
];

function adviceText(r: ReturnType<typeof matchDescription>[number]): string {
  return [r.meaning, ...r.nextSteps, ...r.causes.flatMap((c) => [c.text, c.test ?? ""])].join("\n");
}

describe("seed 003 descriptions", () => {
  for (const [error, description, status, advice] of SEED_003) {
    for (const variant of [description, description.replace(/ /g, "+")]) {
      it(`${error}: ${variant}`, () => {
        // The 404 row's "error" column is not an OAuth code; match on the description alone.
        const found = matchDescription(variant, error === "404 Not Found" ? undefined : error);
        expect(found.length, variant).toBeGreaterThan(0);
        const best = found[0]!;
        expect(best.provider).toBe("seed-003");
        if (best.error && error !== "404 Not Found") expect(best.error).toBe(error);
        if (status !== undefined && best.httpStatus && best.httpStatus.length > 0) expect(best.httpStatus).toContain(status);
        if (advice) expect(adviceText(best)).toContain(advice);
      });
    }
  }

  it("the redirect example from seed 003 (form-encoded) matches", () => {
    const q = new URLSearchParams("error=unsupported_response_type&error_description=response_type+must+be+code&state=xyzABC123");
    expect(matchDescription("response_type+must+be+code", "unsupported_response_type")[0]?.id).toBe("seed-003-response-type-must-be-code");
    expect(matchDescription(q.get("error_description")!, q.get("error")!)[0]?.id).toBe("seed-003-response-type-must-be-code");
  });

  it("Invalid refresh_token lists the troubleshooting causes", () => {
    const ids = matchDescription("Invalid refresh_token", "invalid_grant")[0]!.causes.map((c) => c.id);
    expect(ids.slice(0, 2)).toEqual(["consent-revoked", "code-expired"]);
  });

  it("does not confuse Invalid client_id with Invalid client_id or client_secret", () => {
    expect(matchDescription("Invalid client_id", "invalid_request")[0]?.id).toBe("seed-003-invalid-client-id");
    expect(matchDescription("Invalid client_id or client_secret", "invalid_client")[0]?.id).toBe("seed-003-invalid-client-credentials");
  });

  it("filters by error when one is given", () => {
    expect(matchDescription("code_challenge_method must be S256", "invalid_grant")).toEqual([]);
  });
});

describe("seed 001 legacy messages", () => {
  for (const msg of ["Redirect URI is invalid", "Missing required params", "Invalid grant type"]) {
    it(msg, () => expect(matchDescription(msg)[0]?.provider).toBe("seed-001"));
  }
});

describe("invalid_grant and invalid_client cause ids", () => {
  it("invalid_grant has the full root-cause list in order", () => {
    expect(lookupCode("invalid_grant")?.causes.map((c) => c.id)).toEqual([
      "code-reused", "code-expired", "redirect-uri-mismatch", "pkce-verifier-mismatch", "refresh-token-reused",
      "refresh-token-expired", "consent-revoked", "clock-skew", "wrong-client", "password-changed",
    ]);
  });
  it("invalid_client has its ids", () => {
    expect(lookupCode("invalid_client")?.causes.map((c) => c.id)).toEqual([
      "wrong-secret", "secret-whitespace", "wrong-auth-method", "unknown-client", "secret-expired", "public-client-sent-secret",
    ]);
  });
  it("every cause of these two says how to test it", () => {
    for (const code of ["invalid_grant", "invalid_client"]) for (const c of lookupCode(code)!.causes) expect(c.test).toBeTruthy();
  });
});

describe("lookups", () => {
  it("is case-insensitive on standard codes", () => {
    expect(lookupCode("INVALID_GRANT")?.code).toBe("invalid_grant");
    expect(lookupCode(" Invalid_Client ")?.code).toBe("invalid_client");
  });
  it("accepts AADSTS codes in all forms", () => {
    expect(lookupCode("AADSTS54005")?.code).toBe("AADSTS54005");
    expect(lookupCode("aadsts54005")?.code).toBe("AADSTS54005");
    expect(lookupCode("54005", "microsoft")?.code).toBe("AADSTS54005");
    expect(lookupCode("54005")).toBeUndefined();
    expect(lookupCode("AADSTS54005")?.causes[0]?.id).toBe("code-reused");
    expect(lookupCode("AADSTS501481")?.causes[0]?.id).toBe("pkce-verifier-mismatch");
  });
  it("has every Entra code from the reference", () => {
    const nums = [70008, 700082, 700084, 70043, 50173, 54005, 700005, 70000, 501481, 50147, 501491, 7000215, 7000222, 7000218,
      700025, 700027, 70002, 500133, 50011, 70004, 700016, 700011, 500011, 65001, 65004, 90094, 650056, 650057, 50076, 50079,
      50058, 50126, 53003, 70011, 28002, 28003, 90023, 9002313, 900144, 90014, 9001023, 70016, 70018, 70019, 50196, 9002326, 9002327];
    for (const n of nums) expect(microsoftCodes(), String(n)).toContain(`AADSTS${n}`);
  });

  it("every Entra code starts with AADSTS and no other entry's does (the index builds the Entra table only for such a code)", () => {
    expect(microsoftCodes().filter((code) => !/^AADSTS\d+$/.test(code))).toEqual([]);
    expect(allEntries().filter((e) => /^aadsts/i.test(e.code) && !microsoftCodes().includes(e.code))).toEqual([]);
  });
  it("finds AADSTS codes in text and matches them", () => {
    const text = "AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.\r\nTrace ID: 1";
    expect(findProviderCodes(text)).toEqual(["AADSTS54005"]);
    expect(findProviderCodes("aadsts7000215: x; AADSTS7000215 again; AADSTS50011")).toEqual(["AADSTS7000215", "AADSTS50011"]);
    expect(findProviderCodes("no codes here")).toEqual([]);
    const best = matchDescription(text, "invalid_grant")[0];
    expect(best?.provider).toBe("microsoft");
    expect(best?.causes[0]?.id).toBe("code-reused");
  });
  it("returns provider variants", () => {
    const providers = entriesForCode("invalid_grant").map((e) => e.provider);
    expect(providers[0]).toBeUndefined();
    expect(providers).toContain("seed-002");
  });
  it("prefers the provider's entry, falls back to the standard one", () => {
    expect(lookupCode("invalid_client", "seed-002")?.provider).toBe("seed-002");
    expect(lookupCode("invalid_token", "seed-002")?.provider).toBeUndefined();
  });
  it("unknown code → undefined", () => {
    expect(lookupCode("definitely_not_a_code")).toBeUndefined();
    expect(entriesForCode("definitely_not_a_code")).toEqual([]);
    expect(matchDescription("nothing in the catalogue says this")).toEqual([]);
  });
});

describe("genericAdviceForStatus", () => {
  for (const status of [400, 401, 403, 404, 405, 413, 415, 429, 500, 502, 503, 418, 302]) {
    it(String(status), () => {
      const a = genericAdviceForStatus(status);
      expect(a.meaning).not.toBe("");
      expect(a.causes.length).toBeGreaterThan(0);
      expect(a.nextSteps.length).toBeGreaterThan(0);
    });
  }
  it("gives specific advice", () => {
    expect(genericAdviceForStatus(415).causes[0]?.test).toContain("--body-format json");
    expect(genericAdviceForStatus(405).meaning).toMatch(/POST/);
    expect(genericAdviceForStatus(503).meaning).toMatch(/Server error/);
  });
});

describe("provider facts", () => {
  it.each([
    ["Token has been expired or revoked.", "invalid_grant", "google"],
    ["Code not valid", "invalid_grant", "keycloak"],
    ["Token is not active", "invalid_grant", "keycloak"],
    ["The refresh token is invalid or expired.", "invalid_grant", "okta"],
    ["Unknown or invalid refresh token.", "invalid_grant", "auth0"],
    ["expired access/refresh token", "invalid_grant", "salesforce"],
    ["Refresh Token has expired", "invalid_grant", "cognito"],
    ["localhost is not allowed as redirect URI", undefined, "spotify"],
  ])("%s → %s", (text, error, provider) => {
    expect(matchDescription(text, error)[0]?.provider).toBe(provider);
  });
  it("Auth0 invalid_grant is a 403", () => {
    expect(matchDescription("Unknown or invalid refresh token.")[0]?.httpStatus).toEqual([403]);
  });
  it("has GitHub and Slack codes with their standard equivalents", () => {
    for (const code of ["incorrect_client_credentials", "redirect_uri_mismatch", "bad_verification_code", "unverified_user_email",
      "application_suspended", "bad_refresh_token", "incorrect_device_code", "device_flow_disabled"]) {
      expect(lookupCode(code)?.provider, code).toBe("github");
    }
    expect(lookupCode("slow_down", "github")?.provider).toBe("github");
    for (const code of ["invalid_code", "code_already_used", "bad_redirect_uri", "invalid_client_id", "bad_client_secret"]) {
      expect(lookupCode(code, "slack")?.provider, code).toBe("slack");
    }
    expect(lookupCode("code_already_used")?.causes[0]?.id).toBe("code-reused");
    expect(lookupCode("invalid_rapt")?.standardCode).toBe("invalid_grant");
  });
});
