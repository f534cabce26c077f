import { describe, expect, it } from "vitest";
import { DevicePollGate } from "../../src/sandbox/device-polling.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const poll = (code: string) => Buffer.from(new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: code, client_id: "sandbox-device" }).toString());

function issue(gate: DevicePollGate, code: string, at: number): Record<string, unknown> {
  const up = gate.issued({ status: 200, headers: {}, body: Buffer.from(JSON.stringify({ device_code: code, user_code: "ABCD-EFGH", expires_in: 600 })) }, at);
  return JSON.parse(up.body.toString()) as Record<string, unknown>;
}

describe("the sandbox's device poll gate (RFC 8628 §3.5, as a strict server does it)", () => {
  it("adds interval to the device authorization response", () => {
    expect(issue(new DevicePollGate(10), "dc", T0)).toMatchObject({ device_code: "dc", interval: 10 });
  });

  it("a poll after the interval goes through; one sooner gets slow_down and 5 s more for every later poll", () => {
    const gate = new DevicePollGate(10);
    issue(gate, "dc", T0);
    expect(gate.poll(poll("dc"), T0 + 10_000)).toBeUndefined();
    const early = gate.poll(poll("dc"), T0 + 19_000);
    expect(early?.status).toBe(400);
    expect(JSON.parse(early!.body.toString())).toMatchObject({ error: "slow_down" });
    // Now 15 s are asked for: 14 s is still too soon, 15 s is fine.
    expect(gate.poll(poll("dc"), T0 + 33_000)?.status).toBe(400);
    expect(gate.poll(poll("dc"), T0 + 33_000 + 20_000)).toBeUndefined();
  });

  it("other grants and unknown device codes are not its business", () => {
    const gate = new DevicePollGate(10);
    issue(gate, "dc", T0);
    expect(gate.poll(Buffer.from("grant_type=refresh_token&refresh_token=x"), T0 + 1)).toBeUndefined();
    expect(gate.poll(poll("other"), T0 + 1)).toBeUndefined();
  });
});
