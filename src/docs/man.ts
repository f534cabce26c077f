import type { CommandDoc, FlagDoc } from "./tree.js";

/**
 * The manual page, oauth-cli(1), in man(7) roff, built at build time (scripts/man.mjs) from the
 * same command tree and help data as --help and completion: nothing in it is written twice.
 */

/** Text as roff reads it: backslashes escaped, non-ASCII as \[uXXXX], and a line starting with . or ' kept as text. */
function roff(text: string): string {
  return text
    .replace(/\\/g, "\\e")
    .replace(/[^\x00-\x7f]/gu, (c) => `\\[u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}]`)
    .replace(/-/g, "\\-")
    .split("\n")
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join("\n");
}

const flagTerm = (flag: FlagDoc): string =>
  [flag.short, flag.long].filter(Boolean).map((n) => `\\fB${roff(n!)}\\fR`).join(", ") + (flag.value ? ` \\fI${roff(flag.value)}\\fR` : "");

function flags(doc: CommandDoc): string[] {
  const out: string[] = [];
  let group = "";
  for (const flag of doc.flags) {
    if (flag.group !== group) {
      group = flag.group;
      out.push(".PP", `\\fI${roff(group.replace(/:$/, ""))}\\fR`);
    }
    const choices = flag.choices ? ` One of: ${flag.choices.join(", ")}.` : "";
    out.push(".TP", flagTerm(flag), roff(`${flag.description}${choices}`));
  }
  return out;
}

function section(doc: CommandDoc): string[] {
  const out = [".SS " + roff(doc.usage), roff(doc.purpose)];
  if (doc.help?.about) out.push(".PP", roff(doc.help.about.replace(/\n/g, " ")));
  out.push(...flags(doc));
  if (doc.help) {
    out.push(".PP", "\\fIExamples\\fR", ".RS", ".nf", ...doc.help.examples.map(roff), ".fi", ".RE");
    out.push(".PP", "\\fIExit codes\\fR");
    for (const { code, meaning } of doc.help.exitCodes) out.push(".TP", `\\fB${code}\\fR`, roff(meaning));
    if (doc.help.notes) out.push(".PP", ".nf", roff(doc.help.notes), ".fi");
  }
  for (const sub of doc.subcommands) out.push(...section(sub));
  return out;
}

export function manPage(root: CommandDoc, version: string, overview: string): string {
  return [
    `.TH OAUTH\\-CLI 1 "" "oauth-cli ${roff(version)}" "User Commands"`,
    ".SH NAME",
    `oauth\\-cli \\- ${roff(root.purpose)}`,
    ".SH SYNOPSIS",
    ".B oauth\\-cli",
    "\\fICOMMAND\\fR [\\fIOPTIONS\\fR]",
    ".br",
    ".B oauth\\-cli",
    "\\fICOMMAND\\fR \\fB\\-\\-help\\fR",
    ".SH DESCRIPTION",
    roff(overview),
    ".SH COMMANDS",
    ...root.subcommands.flatMap((sub) => [".TP", `\\fB${roff(sub.name.split(" ").slice(1).join(" "))}\\fR`, roff(sub.purpose)]),
    ".SH OPTIONS",
    ...root.flags.flatMap((flag) => [".TP", flagTerm(flag), roff(flag.description)]),
    ".SH COMMAND DETAILS",
    ...root.subcommands.flatMap(section),
    ".SH ENVIRONMENT",
    ".TP",
    "\\fBOAUTH_CLIENT_ID\\fR, \\fBOAUTH_CLIENT_SECRET\\fR, \\fBOAUTH_REFRESH_TOKEN\\fR, \\fBOAUTH_PROFILE\\fR",
    "What the flags of the same names take; a secret there is not visible in the process list.",
    ".TP",
    "\\fBNO_COLOR\\fR",
    "No colour in pretty output.",
    ".TP",
    "\\fBHTTPS_PROXY\\fR, \\fBHTTP_PROXY\\fR, \\fBNO_PROXY\\fR, \\fBNODE_EXTRA_CA_CERTS\\fR",
    "Proxies and extra trusted certificates, as elsewhere.",
    ".SH SEE ALSO",
    "RFC 6749, RFC 7636, RFC 8628, RFC 7662, RFC 7009, OpenID Connect Core 1.0.",
    "",
  ].join("\n");
}
