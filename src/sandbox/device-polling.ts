import type { Upstream } from "./interactions.js";

/**
 * The sandbox's `devicePollInterval` knob: oidc-provider sends no `interval` and never answers
 * slow_down, so the front does what a strict provider does. It adds `interval` to the device
 * authorization response and answers a device_code poll that comes sooner than the code's interval
 * (since the code was issued, or since its last poll) with slow_down, raising that code's interval
 * by 5 s (RFC 8628 §3.5: "for this and all subsequent requests"). Other polls reach the provider.
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 */
export class DevicePollGate {
  readonly #intervalS: number;
  readonly #codes = new Map<string, { last: number; intervalS: number }>();

  constructor(intervalS: number) {
    this.#intervalS = intervalS;
  }

  /** A 200 from the device authorization endpoint: `interval` added, the code's clock started. */
  issued(up: Upstream, now: number): Upstream {
    if (up.status !== 200) return up;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(up.body.toString("utf8")) as Record<string, unknown>;
    } catch {
      return up;
    }
    if (typeof body.device_code !== "string") return up;
    this.#codes.set(body.device_code, { last: now, intervalS: this.#intervalS });
    return { ...up, body: Buffer.from(JSON.stringify({ ...body, interval: this.#intervalS })) };
  }

  /** A token request (form body): slow_down when it is a device_code poll that came too soon. */
  poll(form: Buffer, now: number): Upstream | undefined {
    const params = new URLSearchParams(form.toString("utf8"));
    if (params.get("grant_type") !== "urn:ietf:params:oauth:grant-type:device_code") return undefined;
    const code = this.#codes.get(params.get("device_code") ?? "");
    if (!code) return undefined;
    const waited = (now - code.last) / 1000;
    code.last = now;
    if (waited >= code.intervalS) return undefined;
    const asked = code.intervalS;
    code.intervalS += 5;
    const body = { error: "slow_down", error_description: `polled ${waited.toFixed(1)} s after the last request, ${asked} s were asked for; wait ${code.intervalS} s from now on` };
    return { status: 400, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }, body: Buffer.from(JSON.stringify(body)) };
  }
}
