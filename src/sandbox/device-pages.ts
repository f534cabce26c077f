/**
 * The device flow's three pages (enter the code, confirm it, done), plain and small. oidc-provider
 * has defaults, but each prints a notice on stdout the first time it is shown, which would land in
 * the middle of `oauth-cli sandbox` output (its --json line included). Same wording as the defaults.
 */
interface PageContext {
  body?: unknown;
  oidc: { client?: { clientId: string; clientName?: string } };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function page(title: string, content: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:22em;margin:2em auto;text-align:center}input[type=text]{font-size:1.4em;text-align:center;text-transform:uppercase;width:100%}button{font-size:1em;margin:.5em}</style>
</head><body><h1>${title}</h1>${content}</body></html>`;
}

/** The page where the user types the code shown on the device. */
export async function userCodeInputSource(ctx: PageContext, form: string, _out: unknown, err?: { name?: string; userCode?: string }): Promise<void> {
  const message = err && (err.userCode || err.name === "NoCodeError")
    ? '<p class="red">The code you entered is incorrect. Try again</p>'
    : err?.name === "AbortedError"
      ? '<p class="red">The Sign-in request was interrupted</p>'
      : err
        ? '<p class="red">There was an error processing your request</p>'
        : "<p>Enter the code displayed on your device</p>";
  ctx.body = page("Sign-in", `${message}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`);
}

/** The page where the user checks the code matches the device's, and goes on or aborts. */
export async function userCodeConfirmSource(ctx: PageContext, form: string, client: { clientId: string; clientName?: string }, _deviceInfo: unknown, userCode: string): Promise<void> {
  const name = escapeHtml(client.clientName ?? client.clientId);
  ctx.body = page("Confirm Device", `<p><strong>${name}</strong></p><p>The following code should be displayed on your device</p><p><code>${escapeHtml(userCode)}</code></p>
<p><small>If you did not start this, or the code does not match, abort.</small></p>${form}
<button autofocus type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" value="yes" name="abort">[ Abort ]</button>`);
}

/** Shown once the user has approved; the device's next poll gets the tokens. */
export async function successSource(ctx: PageContext): Promise<void> {
  ctx.body = page("Sign-in Success", "<p>Your sign-in was successful; the device now has its tokens. You can close this page.</p>");
}
