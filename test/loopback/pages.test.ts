import { describe, expect, it } from "vitest";
import { escapeHtml, explainForPage, renderFailurePage, renderOAuthErrorPage, renderSuccessPage } from "../../src/loopback/pages.js";

describe("loopback pages", () => {
  it("escapes every character that could open markup or an attribute", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe("&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#96;&#60;/a&#62;");
  });

  it("the success page says the terminal has the tokens and the tab can be closed", () => {
    const page = renderSuccessPage({ exchanged: true });
    expect(page.status).toBe(200);
    expect(page.html).toContain("The terminal has the tokens.");
    expect(page.html).toContain("You can close this tab");
  });

  it("an error page explains from the catalogue and escapes the server's words", async () => {
    const report = { format: "redirect" as const, error: "access_denied", error_description: "<img src=x onerror=alert(1)>", extra: {} };
    const page = renderOAuthErrorPage(report, await explainForPage(report), "The provider refused");
    expect(page.html).toContain("access_denied");
    expect(page.html).toContain("What it means");
    expect(page.html).toContain("&#60;img src=x onerror=alert(1)&#62;");
    expect(page.html).not.toContain("<img");
  });

  it("an unknown code still gets a page with the raw error", async () => {
    const report = { format: "redirect" as const, error: "<b>weird</b>", extra: {} };
    const page = renderOAuthErrorPage(report, await explainForPage(report), "The provider refused");
    expect(page.html).toContain("&#60;b&#62;weird&#60;/b&#62;");
    expect(page.html).not.toContain("<b>weird");
    expect(renderFailurePage("bad <thing>", ["d<1>"], "h<2>").html).not.toMatch(/<thing>|<1>|<2>/);
  });
});
