/**
 * The shapes an error object takes in a JSON body, tried in this order: an `errors` array, a nested
 * `error` object (Google, Microsoft Graph), `{ErrorCode, Error}`, RFC 6749 §5.2 (and Slack's
 * `ok:false`), SDK exceptions with HttpMeta (seed 000), legacy envelopes (seed 001), Okta's
 * errorCode/errorSummary, then generic `{message, code}` / RFC 9457 problem details.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc9457#section-3
 */
import { addEntraCodes, addProviderCodes, looksLikeErrorCode } from "./codes.js";
import { type Ctx, type Draft, type Obj, REQUEST_ID_NAME, applyHeader, isObj, newDraft, scalar, setDescription } from "./draft.js";
import { Keys, collectRest, keysOf } from "./keys.js";
import { MAX_KEYS } from "./scan.js";

/** The shape rules, in order. `undefined` means "not an error object". */
export function draftFromObject(o: Obj, ctx: Ctx): Draft | undefined {
  const k = new Keys(o);
  const errorKey = k.key("error");
  const errorVal = errorKey === undefined ? undefined : o[errorKey];
  const codeKey = k.key("errorcode");

  // {"errors":[{…}]}: the first item
  const errorsKey = k.key("errors");
  if (errorKey === undefined && errorsKey !== undefined && Array.isArray(o[errorsKey])) {
    const items = o[errorsKey] as unknown[];
    const firstObj = items.slice(0, 20).find(isObj);
    if (firstObj !== undefined) {
      const inner = draftFromObject(firstObj, ctx) ?? draftFromGeneric(firstObj, new Keys(firstObj));
      if (inner !== undefined) {
        if (items.length > 1) ctx.notes.push(`the body lists ${items.length} errors; read the first`);
        collectRest(o, new Set([errorsKey]), inner, "");
        return inner;
      }
    }
  }

  // {"error":{"code":…,"message":…}} (Google APIs, Microsoft Graph, Facebook, generic)
  if (errorKey !== undefined && isObj(errorVal)) return draftFromNestedError(o, errorKey, errorVal, ctx);

  // {"ErrorCode":…,"Error":…}
  const errorText = scalar(errorVal);
  if (codeKey !== undefined && errorText !== undefined && !looksLikeErrorCode(errorText) && k.key("httpmeta") === undefined) {
    const d = newDraft("envelope", scalar(o[codeKey]) ?? "");
    setDescription(d, errorText);
    collectRest(o, new Set([codeKey, errorKey!]), d, "");
    return d;
  }

  // RFC 6749 §5.2, Entra, Auth0, Okta's OAuth endpoints; Slack's {"ok":false,"error":…}
  if (errorKey !== undefined && (typeof errorVal === "string" || typeof errorVal === "number")) {
    const slack = o.ok === false;
    const d = newDraft(slack ? "envelope" : "rfc6749", String(errorVal));
    const used = new Set([errorKey]);
    const descKey = k.key("errordescription");
    if (descKey !== undefined) {
      used.add(descKey);
      setDescription(d, o[descKey]);
    }
    const uriKey = k.key("erroruri");
    if (uriKey !== undefined && typeof o[uriKey] === "string") {
      used.add(uriKey);
      d.error_uri = o[uriKey] as string;
    }
    if (typeof o.state === "string") {
      used.add("state");
      d.state = o.state;
    }
    if (slack) used.add("ok");
    collectRest(o, used, d, "");
    addEntraCodes(d, k.get("errorcodes"));
    addProviderCodes(d, d.error_description ?? "");
    return d;
  }

  const httpMetaKey = k.key("httpmeta", "rawresponse");
  const descKey = k.key("errordescription");
  // seed 000: {"ErrorCode","ErrorDescription","HttpMeta":{"Response":{"StatusCode","Headers"},"Request":…}}
  if (httpMetaKey !== undefined || (codeKey !== undefined && descKey !== undefined)) {
    const d = newDraft("sdk-exception", scalar(codeKey === undefined ? undefined : o[codeKey]) ?? "");
    const used = new Set<string>();
    if (codeKey !== undefined) used.add(codeKey);
    if (descKey !== undefined) {
      used.add(descKey);
      setDescription(d, o[descKey]);
    }
    if (httpMetaKey !== undefined) {
      used.add(httpMetaKey);
      readHttpMeta(o[httpMetaKey], d);
    }
    collectRest(o, used, d, "");
    addProviderCodes(d, d.error_description ?? "");
    return d;
  }

  // seed 001 legacy: {"success":false,"errorMessage","errorDetails","errorCode"}
  const msgKey = k.key("errormessage");
  const detailsKey = k.key("errordetails");
  if (msgKey !== undefined || detailsKey !== undefined || (o.success === false && codeKey !== undefined)) {
    const d = newDraft("legacy-envelope", scalar(codeKey === undefined ? undefined : o[codeKey]) ?? "");
    const used = new Set<string>(["success"]);
    const parts: string[] = [];
    if (msgKey !== undefined) {
      used.add(msgKey);
      const m = scalar(o[msgKey]);
      if (m !== undefined && m !== "") parts.push(m);
    }
    if (codeKey !== undefined) used.add(codeKey);
    if (detailsKey !== undefined) {
      used.add(detailsKey);
      const det = o[detailsKey];
      const items = Array.isArray(det) ? det.slice(0, MAX_KEYS).map(scalar).filter((x) => x !== undefined) : [scalar(det)].filter((x) => x !== undefined);
      if (Array.isArray(det)) d.descriptions = items;
      parts.push(...items.filter((x) => x !== ""));
    }
    if (parts.length > 0) d.error_description = parts.join("; ");
    if (o.success !== false) used.delete("success");
    collectRest(o, used, d, "");
    return d;
  }

  // Okta management API {"errorCode":"E0000011","errorSummary":…}, {"ErrorCode":…} alone
  if (codeKey !== undefined) {
    const d = newDraft("envelope", scalar(o[codeKey]) ?? "");
    const used = new Set([codeKey]);
    const sumKey = k.key("errorsummary", "message", "description");
    if (sumKey !== undefined) {
      used.add(sumKey);
      setDescription(d, o[sumKey]);
    }
    const linkKey = k.key("errorlink");
    if (linkKey !== undefined && /^https?:/i.test(scalar(o[linkKey]) ?? "")) {
      used.add(linkKey);
      d.error_uri = o[linkKey] as string;
    }
    collectRest(o, used, d, "");
    return d;
  }

  if (o.success === true || o.ok === true) return undefined;
  return draftFromGeneric(o, k);
}

/** `{"message":…,"code":…}`, RFC 9457 problem details, GitHub's `{"message","documentation_url"}`. */
function draftFromGeneric(o: Obj, k: Keys): Draft | undefined {
  const msgKey = k.key("message", "errormessage", "msg", "detail", "title", "reason");
  const codeKey = k.key("code", "errortype", "type");
  let code = codeKey === undefined ? undefined : scalar(o[codeKey]);
  const ext = k.get("extensions");
  if (code === undefined && isObj(ext)) code = scalar(ext.code);
  if (msgKey === undefined && (code === undefined || !looksLikeErrorCode(code))) return undefined;
  if (msgKey === undefined && codeKey === undefined) return undefined;
  const d = newDraft("envelope", code ?? "");
  const used = new Set<string>();
  if (codeKey !== undefined && scalar(o[codeKey]) !== undefined) used.add(codeKey);
  if (msgKey !== undefined) {
    used.add(msgKey);
    setDescription(d, o[msgKey]);
  }
  const uriKey = k.key("documentationurl", "moreinfo", "helpurl");
  if (uriKey !== undefined && typeof o[uriKey] === "string") {
    used.add(uriKey);
    d.error_uri = o[uriKey] as string;
  }
  const status = k.get("status", "statuscode");
  if (typeof status === "number" && status >= 100 && status <= 599) d.http.status = status;
  collectRest(o, used, d, "");
  return d;
}

function draftFromNestedError(o: Obj, errorKey: string, inner: Obj, ctx: Ctx): Draft {
  const ik = new Keys(inner);
  const innerError = ik.key("error");
  if (innerError !== undefined && typeof inner[innerError] === "string") {
    const d = draftFromObject(inner, ctx)!;
    collectRest(o, new Set([errorKey]), d, "");
    return d;
  }
  const used = new Set<string>();
  const codeKey = ik.key("code", "errorcode");
  const statusKey = ik.key("status");
  const code = codeKey === undefined ? undefined : inner[codeKey];
  const status = statusKey === undefined ? undefined : inner[statusKey];
  const d = newDraft("envelope", "");
  if (typeof code === "number" && typeof status === "string") {
    // Google: {"code":401,"message":…,"status":"UNAUTHENTICATED"}
    d.error = status;
    if (code >= 100 && code <= 599) d.http.status = code;
    used.add(codeKey!).add(statusKey!);
  } else if (scalar(code) !== undefined) {
    d.error = scalar(code)!;
    used.add(codeKey!);
  } else if (typeof status === "string") {
    d.error = status;
    used.add(statusKey!);
  } else {
    const typeKey = ik.key("type");
    if (typeKey !== undefined && scalar(inner[typeKey]) !== undefined) {
      d.error = scalar(inner[typeKey])!;
      used.add(typeKey);
    }
  }
  const msgKey = ik.key("message", "errordescription", "description", "detail");
  if (msgKey !== undefined) {
    used.add(msgKey);
    setDescription(d, inner[msgKey]);
  }
  // Microsoft Graph keeps request ids in error.innerError
  const innerKey = ik.key("innererror");
  if (innerKey !== undefined && isObj(inner[innerKey])) {
    const ie = inner[innerKey] as Obj;
    for (const key of keysOf(ie).keys) {
      const v = scalar(ie[key]);
      if (v !== undefined && REQUEST_ID_NAME.test(key)) d.http.requestIds[key] = v;
    }
  }
  collectRest(o, new Set([errorKey]), d, "");
  collectRest(inner, used, d, "error.");
  addProviderCodes(d, d.error_description ?? "");
  return d;
}

/** seed 000's HttpMeta, read liberally: Response.StatusCode / statusCode / status, Headers / headers. */
function readHttpMeta(meta: unknown, d: Draft): void {
  if (!isObj(meta)) return;
  const mk = new Keys(meta);
  const resp = mk.get("response", "rawresponse");
  const r = isObj(resp) ? resp : meta;
  const rk = new Keys(r);
  const status = rk.get("statuscode", "status") ?? mk.get("statuscode", "status");
  const statusNum = typeof status === "string" ? Number(status) : status;
  if (typeof statusNum === "number" && Number.isInteger(statusNum) && statusNum >= 100 && statusNum <= 599) d.http.status = statusNum;
  const statusText = scalar(rk.get("statustext", "reasonphrase"));
  if (statusText !== undefined) d.http.statusText = statusText;
  const headers = rk.get("headers") ?? mk.get("headers");
  const pairs: [string, unknown][] = Array.isArray(headers)
    ? headers.slice(0, MAX_KEYS).filter((h): h is [string, unknown] => Array.isArray(h) && typeof h[0] === "string")
    : isObj(headers)
      ? Object.entries(headers).slice(0, MAX_KEYS)
      : [];
  for (const [name, raw] of pairs) {
    const value = Array.isArray(raw) ? raw.map(scalar).filter((x) => x !== undefined).join(", ") : scalar(raw);
    if (value !== undefined) applyHeader(d.http, name.toLowerCase(), value);
  }
  for (const key of [...keysOf(meta).keys.slice(0, 100), ...keysOf(r).keys.slice(0, 100)]) {
    const v = scalar(meta[key] ?? r[key]);
    if (v !== undefined && REQUEST_ID_NAME.test(key)) d.http.requestIds[key] = v;
  }
  const req = mk.get("request");
  if (isObj(req)) {
    const qk = new Keys(req);
    const method = scalar(qk.get("method"));
    const url = scalar(qk.get("url", "uri"));
    if (method !== undefined || url !== undefined) d.extra.request = { ...(method !== undefined && { method }), ...(url !== undefined && { url }) };
  }
}
