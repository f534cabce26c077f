import type { OAuthErrorReport } from "../errors/types.js";

/** Everything echoed into a page goes through here (MSAL Python 3427c25: an XSS through error_description). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface Page {
  readonly status: number;
  readonly html: string;
}

/** Headers for every page: nothing cached, no referrer (the URL holds the code), nothing loaded from anywhere. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  connection: "close",
};

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}.ok{color:#17703a}.bad{color:#a61b1b}code,pre{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px}
pre{padding:.6rem;white-space:pre-wrap;word-break:break-all}li{margin:.3rem 0}small{color:#666}`;

function renderPage(status: number, title: string, body: string): Page {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · oauth-cli</title><style>${STYLE}</style></head>
<body>${body}
<p><small>oauth-cli authorize</small></p></body></html>
`;
  return { status, html };
}

/** No token, code or verifier on the page: it stays in the browser's history and may be screenshotted. */
export function renderSuccessPage(opts: { exchanged: boolean }): Page {
  const what = opts.exchanged ? "The terminal has the tokens." : "The terminal has the authorization code (not exchanged, as asked).";
  return renderPage(200, "Signed in", `<h1 class="ok">✓ Signed in</h1><p>${escapeHtml(what)}</p><p>You can close this tab and go back to the terminal.</p>`);
}

/** What the page says about an error: filled from the catalogue when it can be, else the raw error. */
export interface PageExplanation {
  readonly title: string;
  readonly meaning?: string;
  readonly specName?: string;
  readonly specUrl?: string;
  readonly nextSteps: readonly string[];
}

/** The catalogue's explanation for the page; the raw error when the catalogue cannot be loaded. */
export async function explainForPage(report: OAuthErrorReport): Promise<PageExplanation> {
  try {
    const { explainReport } = await import("../errors/explain.js");
    const explanation = explainReport(report);
    return {
      title: explanation.title,
      meaning: explanation.meaning,
      specName: explanation.spec?.name,
      specUrl: explanation.spec?.url,
      nextSteps: explanation.nextSteps.slice(0, 6),
    };
  } catch {
    return { title: report.error, nextSteps: [] };
  }
}

export function renderOAuthErrorPage(report: OAuthErrorReport, explanation: PageExplanation, where: string): Page {
  const parts = [
    `<h1 class="bad">✗ ${escapeHtml(where)}: <code>${escapeHtml(report.error)}</code></h1>`,
    `<p><strong>${escapeHtml(explanation.title)}</strong></p>`,
  ];
  if (report.error_description) parts.push(`<p>The server said:</p><pre>${escapeHtml(report.error_description)}</pre>`);
  if (report.error_uri) parts.push(`<p>More from the server: <code>${escapeHtml(report.error_uri)}</code></p>`);
  if (explanation.meaning) parts.push(`<h2>What it means</h2><p>${escapeHtml(explanation.meaning)}</p>`);
  if (explanation.specName) parts.push(`<p><small>${escapeHtml(explanation.specName)} ${escapeHtml(explanation.specUrl ?? "")}</small></p>`);
  if (explanation.nextSteps.length) {
    parts.push(`<h2>What to try</h2><ul>${explanation.nextSteps.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>`);
  }
  parts.push("<p>The terminal has the details. You can close this tab.</p>");
  return renderPage(200, `Failed: ${report.error}`, parts.join("\n"));
}

/** Any other failure (mix-up, a broken response): the message and its details, escaped. */
export function renderFailurePage(message: string, details: readonly string[] = [], hint?: string): Page {
  const parts = [`<h1 class="bad">✗ Sign-in failed</h1>`, `<p><strong>${escapeHtml(message)}</strong></p>`];
  for (const detail of details) parts.push(`<p>${escapeHtml(detail)}</p>`);
  if (hint) parts.push(`<h2>What to try</h2><p>${escapeHtml(hint)}</p>`);
  parts.push("<p>The terminal has the details. You can close this tab.</p>");
  return renderPage(200, "Sign-in failed", parts.join("\n"));
}

export function renderNotFoundPage(): Page {
  return renderPage(404, "Not found", "<h1>Not found</h1><p>This address only answers the OAuth redirect.</p>");
}

/** A callback that is not a response to this run (wrong or missing state, wrong Host). */
export function renderRejectedPage(reason: string): Page {
  return renderPage(
    400,
    "Not accepted",
    `<h1 class="bad">Not accepted</h1><p>${escapeHtml(reason)}.</p><p>oauth-cli is still waiting for the redirect of the sign-in it started. If you opened an old link, use the URL the terminal printed.</p>`,
  );
}

export function renderAlreadyHandledPage(): Page {
  return renderPage(200, "Already done", "<h1>Already done</h1><p>This sign-in was already received; nothing more happens here. You can close this tab.</p>");
}

/** A form_post body over the size cap: no real authorization response is that large. */
export function renderTooLargePage(limitBytes: number): Page {
  return renderPage(413, "Too large", `<h1 class="bad">Too large</h1><p>A redirect body may be at most ${limitBytes} bytes; this one was not read.</p>`);
}

/** A request target that is not a path (or an absolute http URL) cannot be the redirect. */
export function renderBadRequestPage(): Page {
  return renderPage(400, "Bad request", "<h1 class=\"bad\">Bad request</h1><p>This address only answers the OAuth redirect.</p>");
}
