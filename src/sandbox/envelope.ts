/**
 * Body rewrites that reproduce real providers' non-standard token endpoints (seeds 001 and 003)
 * in front of a standards-compliant server. Pure functions: no I/O.
 */

/** Seed 003's exact wording for a form-encoded token request. */
export const JSON_ONLY_DESCRIPTION = "Unsupported Media Type for POST body. Must be json.";

export type JsonToForm =
  | { ok: true; form: string }
  | { ok: false; status: number; body: { error: string; error_description: string } };

/** requireJsonBody: a JSON object body becomes the form body the real server expects. */
export function jsonBodyToForm(contentType: string | undefined, body: Buffer): JsonToForm {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") {
    return { ok: false, status: 415, body: { error: "invalid_request", error_description: JSON_ONLY_DESCRIPTION } };
  }
  if (body.length === 0) {
    return { ok: false, status: 400, body: { error: "invalid_request", error_description: "POST body is empty." } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { ok: false, status: 400, body: { error: "invalid_request", error_description: "POST body must be a JSON object." } };
  }
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(parsed)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== null && item !== undefined) form.append(key, String(item));
    }
  }
  return { ok: true, form: form.toString() };
}

/** Seed 001's legacy timestamp format, PHP `Y-m-d\TH:i:s\Z`. */
export function formatLegacyDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** legacyEnvelope: `{success, data}` on success, `{success, errorMessage, errorDetails, errorCode}` on error. */
export function toLegacyEnvelope(status: number, body: unknown, nowMs: number): unknown {
  if (!isRecord(body)) return body;
  if (status === 200 && typeof body.access_token === "string") {
    const ttl = typeof body.expires_in === "number" ? body.expires_in : 0;
    return {
      success: true,
      data: {
        access_token: body.access_token,
        token_type: "bearer",
        ...(typeof body.refresh_token === "string" ? { refresh_token: body.refresh_token } : {}),
        ttl: String(ttl),
        issued_at: formatLegacyDate(nowMs),
        expires_at: formatLegacyDate(nowMs + ttl * 1000),
      },
    };
  }
  if (typeof body.error === "string") {
    const description = typeof body.error_description === "string" ? body.error_description : body.error;
    return { success: false, errorMessage: description, errorDetails: [description], errorCode: body.error };
  }
  return body;
}

/** arrayDescriptions: `error_description` as an array of strings. */
export function withArrayDescription(body: unknown): unknown {
  if (!isRecord(body) || typeof body.error !== "string" || typeof body.error_description !== "string") return body;
  return { ...body, error_description: [body.error_description] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
