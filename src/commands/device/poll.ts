import { CliError, ExitCode, InterruptedError, OAuthServerError } from "../../errors/cli-error.js";
import { DEFAULT_POLL_INTERVAL_S, type DeviceAuthorization, pollVerdict, SLOW_DOWN_STEP_S } from "../../oauth/device-authorization.js";
import { eraseLine, writeVerbatim } from "../../output/sink.js";
import { type SaveResult, sendIntoStore } from "../shared/save-tokens.js";
import type { Session } from "../shared/session.js";
import type { StoreSettings } from "../shared/store.js";
import { type TokenRequest, type TokenStep, traceTokenStep } from "../shared/token-request.js";

/** A timer that stops at once on Ctrl-C; the Context may bring its own (tests do). */
function timerSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new InterruptedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export interface PollResult {
  readonly step: TokenStep;
  readonly saved?: SaveResult;
  /** How many token requests were sent. */
  readonly polls: number;
}

/**
 * Polls the token endpoint until the server ends the wait: never sooner than `interval` after the
 * last poll, 5 s more after every slow_down, on through authorization_pending. Returns the last
 * step (tokens, or the error that ended it); with --store the tokens are saved first. A live
 * countdown only when stderr is a terminal; without one nothing is animated.
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.4
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 */
export async function pollForTokens(session: Session, request: TokenRequest, auth: DeviceAuthorization, store: StoreSettings | undefined, issuedAt: number): Promise<PollResult> {
  const { ctx } = session;
  const sleep = (ms: number) => (ctx.sleep ?? timerSleep)(ms, ctx.signal).catch((error: unknown) => {
    throw ctx.signal.aborted ? new InterruptedError() : error;
  });
  const live = ctx.stderr.isTTY;
  const expiresAt = issuedAt + auth.expires_in * 1000;
  // interval 0 (seen from misconfigured servers) would poll in a tight loop: one second at least.
  let intervalS = Math.max(auth.interval ?? DEFAULT_POLL_INTERVAL_S, 1);
  const show = (waitS: number) => {
    if (!live) return;
    eraseLine(ctx);
    writeVerbatim(ctx, `Waiting for approval · the code expires in ${clock((expiresAt - ctx.now()) / 1000)} · next check in ${Math.ceil(waitS)} s · Ctrl-C to stop`);
  };
  const clear = () => live && eraseLine(ctx);
  /** One wait of `intervalS`, in one-second ticks on a terminal so the countdown moves. */
  const wait = async () => {
    let left = intervalS * 1000;
    if (!live) return sleep(left);
    while (left > 0) {
      show(left / 1000);
      const tick = Math.min(1000, left);
      await sleep(tick);
      left -= tick;
    }
  };

  if (!live) ctx.stderr.write(`Waiting for approval (checking every ${intervalS} s; the code expires in ${auth.expires_in} s; Ctrl-C to stop)\n`);
  let polls = 0;
  try {
    for (;;) {
      await wait();
      if (session.options.verbose) {
        clear();
        session.traceText(`* poll ${polls + 1}, ${intervalS} s after the ${polls === 0 ? "device authorization" : "last poll"}\n`);
      }
      const { step, saved } = await sendIntoStore(session, request, store);
      polls++;
      clear();
      traceTokenStep(session, request, step);
      const error = step.outcome.kind === "failed" ? step.outcome.error : undefined;
      const verdict = error instanceof OAuthServerError ? pollVerdict(error.report.error) : "stop";
      if (verdict === "stop") return { step, saved, polls };
      if (verdict === "slow-down") {
        // GitHub names the new interval in the slow_down body; never less than RFC 8628's +5 s.
        const named = Number((error as OAuthServerError).report.extra.interval);
        intervalS = Math.max(intervalS + SLOW_DOWN_STEP_S, Number.isFinite(named) ? named : 0);
        session.note(`the server asked to slow down (slow_down): checking every ${intervalS} s from now on`);
      }
      if (ctx.now() >= expiresAt) {
        throw new CliError(ExitCode.oauth, `the device code expired (after ${auth.expires_in} s) and the server still answers ${error instanceof OAuthServerError ? error.report.error : "pending"}`, {
          hint: "Nobody approved in time. Run the command again for a new code, and enter it sooner.",
        });
      }
    }
  } finally {
    clear();
  }
}
