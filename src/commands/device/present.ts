import type { DeviceAuthorization } from "../../oauth/device-authorization.js";
import { guardOf, writeVerbatim } from "../../output/sink.js";
import { colorWanted, styleFor } from "../../output/style.js";
import type { Session } from "../shared/session.js";
import { qrMatrix, renderQr } from "./qr.js";

/**
 * What the user needs to approve on another device, on stderr whatever the output mode (stdout
 * is for the tokens): the address and the code, big and clear; on a terminal the complete URI as
 * a QR code for a phone camera, otherwise as plain text. Then --open, if asked.
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.3
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.3.1 (the QR code of verification_uri_complete)
 */
export async function presentUserCode(session: Session, auth: DeviceAuthorization, opts: { qr: boolean; open: boolean }): Promise<void> {
  const { ctx } = session;
  const style = await styleFor(ctx, ctx.stderr);
  const complete = auth.verification_uri_complete;
  // The user code is a secret in the -v trace, but here the user must read it (and the URI that
  // carries it) as sent: the sink keeps these whole.
  const guard = guardOf(ctx);
  guard?.keep(auth.user_code);
  if (complete !== undefined) guard?.keep(complete);
  const lines = [
    "To sign in, open this address on any device (a phone, another computer):",
    "",
    `    ${style.bold(style.cyan(auth.verification_uri))}`,
    "",
    "and enter the code:",
    "",
    `    ${style.bold(auth.user_code)}`,
    "",
  ];
  ctx.stderr.write(`${lines.join("\n")}\n`);
  if (complete !== undefined) {
    if (ctx.stderr.isTTY && opts.qr) {
      ctx.stderr.write(`Or scan this with a phone camera; it opens ${complete}, the code filled in:\n\n`);
      // A QR code's rows must stay whole, however narrow the terminal.
      writeVerbatim(ctx, `${renderQr(await qrMatrix(complete), { color: colorWanted(ctx, ctx.stderr) })}\n`);
    } else {
      ctx.stderr.write(`Or open this address, which carries the code:\n\n    ${complete}\n\n`);
    }
  }
  if (!opts.open) return;
  try {
    await ctx.openBrowser(complete ?? auth.verification_uri);
  } catch (error) {
    session.note(`could not open a browser (${error instanceof Error ? error.message : String(error)}); open the address above yourself`);
  }
}

