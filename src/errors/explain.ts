import { genericAdviceForStatus, lookupCode, entriesForCode, matchDescription, type DescriptionRule } from "./catalogue/index.js";
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
  /** Ids of the description rules and provider entries that matched. */
  readonly matched: readonly string[];
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
 * Looks the error up: description rules (most specific: the provider's own words), then the
 * provider's codes, then the standard code; unknown codes get advice by HTTP status.
 */
export function explainReport(report: OAuthErrorReport): Explanation {
  const rules: DescriptionRule[] = report.error_description ? matchDescription(report.error_description, report.error) : [];
  const providerEntries: CatalogueEntry[] = (report.providerCodes ?? []).map((c) => lookupCode(c)).filter((e): e is CatalogueEntry => !!e);
  const all = entriesForCode(report.error);
  const standard = lookupCode(report.error) ?? all[0];
  const variants = all.filter((e) => e !== standard);
  const entries = [...providerEntries, ...(standard ? [standard] : []), ...variants];
  const status = report.http?.status;

  if (entries.length === 0 && rules.length === 0) {
    const generic = genericAdviceForStatus(status ?? 400);
    return {
      report,
      known: false,
      title: report.error ? `unknown error code "${report.error}"` : `HTTP ${status ?? "?"} without an OAuth error code`,
      meaning: generic.meaning,
      references: [],
      usedAt: [],
      expectedStatus: [],
      causes: rank(generic.causes, 100),
      nextSteps: generic.nextSteps,
      matched: [],
    };
  }

  const primary = standard ?? providerEntries[0] ?? entries[0];
  const causes = mergeCauses([
    ...rules.map((rule, i) => rank(rule.causes, 1000 - i * 50)),
    ...providerEntries.map((entry, i) => rank(entry.causes, 800 - i * 50)),
    ...(standard ? [rank(standard.causes, 500)] : []),
    ...variants.map((entry) => rank(entry.causes, 300)),
  ]);
  const expectedStatus = unique([...(primary?.httpStatus ?? []), ...variants.flatMap((v) => v.httpStatus), ...rules.flatMap((r) => r.httpStatus ?? [])]);
  let statusNote: string | undefined;
  if (status !== undefined && expectedStatus.length > 0 && !expectedStatus.includes(status)) {
    const bySource = [primary, ...variants].filter((e): e is CatalogueEntry => !!e && e.httpStatus.length > 0).map((e) => `${e.provider ? `${e.provider}'s table` : e.spec.name} gives ${e.httpStatus.join("/")}`);
    statusNote = `the response's status is ${status}, but ${bySource.join("; ") || `the catalogue expects ${expectedStatus.join("/")}`}`;
  }
  const rule = rules[0];
  return {
    report,
    known: true,
    title: rule && !primary ? rule.meaning : primary!.title,
    meaning: [rule?.meaning, providerEntries[0]?.meaning, primary?.meaning].filter((m, i, a): m is string => !!m && a.indexOf(m) === i).join(" "),
    spec: standard?.spec ?? primary?.spec ?? rule?.spec,
    references: unique([...rules.map((r) => r.spec), ...providerEntries.map((e) => e.spec), ...variants.map((e) => e.spec)]).filter((s) => s.url !== standard?.spec.url),
    usedAt: unique(entries.flatMap((e) => e.usedAt)),
    expectedStatus,
    statusNote,
    causes,
    nextSteps: unique([...rules.flatMap((r) => r.nextSteps), ...providerEntries.flatMap((e) => e.nextSteps), ...(standard?.nextSteps ?? []), ...variants.flatMap((e) => e.nextSteps)]),
    matched: [...rules.map((r) => r.id), ...providerEntries.map((e) => e.code), ...variants.map((e) => `${e.provider}:${e.code}`)],
  };
}
