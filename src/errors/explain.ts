import { genericAdviceForStatus, lookupCode, entriesForCode, matchDescription, type DescriptionRule } from "./catalogue/index.js";
import { nearestCodes } from "./catalogue/nearest.js";
import { providerName } from "./catalogue/provider-names.js";
import { providerForUrl } from "./provider-hosts.js";
import type { CatalogueEntry, Cause, OAuthErrorReport, SpecLink, UsedAt } from "./types.js";

export interface RankedCause extends Cause {
  /** What this run saw that points at (or away from) this cause. */
  readonly evidence: readonly string[];
  /** Higher is likelier; catalogue order gives the base. */
  readonly weight: number;
}

/** Everything we can say about one error, before it is rendered as text or JSON. */
export interface Explanation {
  readonly report: OAuthErrorReport;
  /** The code is in the catalogue (standard or a provider's). */
  readonly known: boolean;
  readonly title: string;
  readonly meaning: string;
  readonly spec?: SpecLink;
  /** Provider pages for provider-specific codes and descriptions. */
  readonly references: readonly SpecLink[];
  readonly usedAt: readonly UsedAt[];
  readonly expectedStatus: readonly number[];
  /** Set when the response's status differs from what the spec or the provider's table gives. */
  readonly statusNote?: string;
  readonly causes: readonly RankedCause[];
  readonly nextSteps: readonly string[];
  /** Ids of the description rules and provider entries that matched: internal, never printed as they are. */
  readonly matched: readonly string[];
  /** What matched, as output may show it: a provider's code, or a description a provider documents. */
  readonly recognised: readonly Recognised[];
  /** The providers (catalogue keys: print them with providerName) this error was recognised as coming from, and why. */
  readonly providers: readonly { readonly provider: string; readonly because: string }[];
  /** For an unknown code: the known codes it is closest to (a typo such as invalid_grnat). */
  readonly didYouMean?: readonly string[];
}

/** One match: the provider (a catalogue key) and its code, or the meaning of the description it documents. */
export interface Recognised {
  readonly provider: string;
  readonly code?: string;
  readonly description?: string;
}

/** What is known about where the error came from, beyond the error itself. */
export interface ExplainHints {
  /** The URL the request went to (the token endpoint): its host can name the provider. */
  readonly endpoint?: string;
}

function rank(causes: readonly Cause[], base: number): RankedCause[] {
  return causes.map((cause, i) => ({ ...cause, evidence: [], weight: base - i }));
}

function mergeCauses(lists: readonly RankedCause[][]): RankedCause[] {
  const seen = new Map<string, RankedCause>();
  for (const list of lists) for (const cause of list) if (!seen.has(cause.id)) seen.set(cause.id, cause);
  return [...seen.values()].sort((a, b) => b.weight - a.weight);
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * Description rules for every description item (an array is joined with "; ", and a rule anchored
 * on a whole sentence must still match its own item), then for the joined text. Best first, no repeats.
 */
function matchRules(report: OAuthErrorReport): DescriptionRule[] {
  const texts = [...(report.descriptions ?? []), ...(report.error_description ? [report.error_description] : [])];
  const rules = new Map<string, DescriptionRule>();
  for (const text of texts) for (const rule of matchDescription(text, report.error || undefined)) if (!rules.has(rule.id)) rules.set(rule.id, rule);
  return [...rules.values()];
}

/** Providers we have evidence for: a matched rule of theirs, a provider code, the endpoint's host. */
function evidencedProviders(rules: readonly DescriptionRule[], providerEntries: readonly CatalogueEntry[], hints: ExplainHints): Map<string, string> {
  const found = new Map<string, string>();
  for (const rule of rules) if (!found.has(rule.provider)) found.set(rule.provider, rule.code ? `the description names ${rule.code}` : "the description is worded as this provider documents it");
  for (const entry of providerEntries) if (entry.provider && !found.has(entry.provider)) found.set(entry.provider, `the provider code ${entry.code}`);
  const byHost = providerForUrl(hints.endpoint);
  if (byHost && !found.has(byHost)) found.set(byHost, `the endpoint's host ${new URL(hints.endpoint!).hostname}`);
  return found;
}

function recognisedOf(rules: readonly DescriptionRule[], entries: readonly CatalogueEntry[]): Recognised[] {
  const all: Recognised[] = [
    ...rules.map((r) => (r.code ? { provider: r.provider, code: r.code } : { provider: r.provider, description: r.meaning })),
    ...entries.map((e) => ({ provider: e.provider ?? "", code: e.code })),
  ];
  return all.filter((r, i) => all.findIndex((o) => o.provider === r.provider && o.code === r.code && o.description === r.description) === i);
}

/** "RFC 6749 §5.2 gives 400" / "GitHub documents 200" */
function sourceOf(entry: CatalogueEntry): string {
  return entry.provider ? `${providerName(entry.provider)} documents ${entry.httpStatus.join("/")}` : `${entry.spec.name} gives ${entry.httpStatus.join("/")}`;
}

function describeStatus(status: number | undefined, expected: readonly number[], sources: readonly CatalogueEntry[], others: readonly CatalogueEntry[]): string | undefined {
  if (status === undefined || expected.length === 0 || expected.includes(status)) return undefined;
  const given = sources.filter((e) => e.httpStatus.length > 0).map(sourceOf);
  let note = `the response's status is ${status}, but ${given.join("; ") || `the catalogue expects ${expected.join("/")}`}`;
  const agreeing = others.filter((e) => e.httpStatus.includes(status));
  if (agreeing.length > 0) note += `; ${agreeing.map((e) => providerName(e.provider!)).join("; ")} document${agreeing.length === 1 ? "s" : ""} ${status} for this code, which hints the server may be ${agreeing.length === 1 ? "that provider" : "one of them"}`;
  return note;
}

/**
 * Looks the error up: description rules (most specific: the provider's own words), then the
 * provider's codes, then the standard code; unknown codes get advice by HTTP status.
 * A provider's own variant of a standard code only contributes causes and next steps when there is
 * evidence the server is that provider (see {@link evidencedProviders}); it still informs the status note.
 */
export function explainReport(report: OAuthErrorReport, hints: ExplainHints = {}): Explanation {
  const rules = matchRules(report);
  const providerEntries: CatalogueEntry[] = unique((report.providerCodes ?? []).map((c) => lookupCode(c)).filter((e): e is CatalogueEntry => !!e));
  const all = report.error ? entriesForCode(report.error) : [];
  const standard = all.find((e) => e.provider === undefined);
  const providers = evidencedProviders(rules, providerEntries, hints);
  // A code only a provider uses (bad_verification_code) is evidence of that provider by itself.
  const variants = all.filter((e) => e !== standard && e.provider !== undefined && (!standard || providers.has(e.provider)));
  const unevidenced = all.filter((e) => e !== standard && !variants.includes(e));
  for (const v of variants) if (v.provider && !providers.has(v.provider)) providers.set(v.provider, `the code ${v.code} is this provider's own`);
  const entries = [...providerEntries, ...(standard ? [standard] : []), ...variants];
  const status = report.http?.status;
  const providerList = [...providers].map(([provider, because]) => ({ provider, because }));

  if (entries.length === 0 && rules.length === 0) {
    const generic = genericAdviceForStatus(status ?? 400);
    const near = report.error ? nearestCodes(report.error) : [];
    return {
      report,
      known: false,
      title: report.error ? `unknown error code "${report.error}"${near.length ? ` (did you mean ${near.join(" or ")}?)` : ""}` : `HTTP ${status ?? "?"} without an OAuth error code`,
      ...(near.length && { didYouMean: near }),
      meaning: `${report.error ? `"${report.error}" is not in the catalogue (neither a registered OAuth error nor a provider code we know). ` : ""}Advice for HTTP ${status ?? "400 (assumed)"}: ${generic.meaning}`,
      references: [],
      usedAt: [],
      expectedStatus: [],
      statusNote: describeStatus(status, unique(unevidenced.flatMap((e) => e.httpStatus)), [], unevidenced),
      causes: rank(generic.causes, 100),
      nextSteps: generic.nextSteps,
      matched: [],
      recognised: [],
      providers: providerList,
    };
  }

  const primary = standard ?? providerEntries[0] ?? entries[0];
  const causes = mergeCauses([
    ...rules.map((rule, i) => rank(rule.causes, 1000 - i * 50)),
    ...providerEntries.map((entry, i) => rank(entry.causes, 800 - i * 50)),
    ...(standard ? [rank(standard.causes, 500)] : []),
    ...variants.map((entry) => rank(entry.causes, 300)),
  ]);
  const sources = unique([primary, ...variants].filter((e): e is CatalogueEntry => !!e));
  const expectedStatus = unique([...sources.flatMap((e) => e.httpStatus), ...rules.flatMap((r) => r.httpStatus ?? [])]);
  const rule = rules[0];
  const spec = standard?.spec ?? primary?.spec ?? rule?.spec;
  return {
    report,
    known: true,
    title: rule && !primary ? rule.meaning : primary!.title,
    // A rule made from a provider code repeats that code's meaning after "AADSTS54005: ": say it once.
    meaning: [rule?.meaning, providerEntries[0]?.meaning, primary?.meaning].filter((m, i, a): m is string => !!m && !a.slice(0, i).some((o) => o?.includes(m))).join(" "),
    spec,
    // The spec line already links its page: a reference to the same page would print the same line again.
    references: unique([...rules.map((r) => r.spec), ...providerEntries.map((e) => e.spec), ...variants.map((e) => e.spec)]).filter((s, i, a) => s.url !== spec?.url && a.findIndex((o) => o.url === s.url) === i),
    usedAt: unique(entries.flatMap((e) => e.usedAt)),
    expectedStatus,
    statusNote: describeStatus(status, expectedStatus, sources, unevidenced),
    causes,
    nextSteps: unique([...rules.flatMap((r) => r.nextSteps), ...providerEntries.flatMap((e) => e.nextSteps), ...(standard?.nextSteps ?? []), ...variants.flatMap((e) => e.nextSteps)]),
    matched: [...rules.map((r) => r.id), ...providerEntries.map((e) => e.code), ...variants.map((e) => `${e.provider}:${e.code}`)],
    recognised: recognisedOf(rules, [...providerEntries, ...variants]),
    providers: providerList,
  };
}
