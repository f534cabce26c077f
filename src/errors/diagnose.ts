import type { DiagnosisContext } from "./cli-error.js";
import type { Explanation, RankedCause } from "./explain.js";

/** One piece of evidence for a cause: it moves the cause up (or down) and says why. */
interface Finding {
  readonly causeId: string;
  readonly weight: number;
  readonly evidence: string;
  /** A cause to add when the catalogue entry does not list it. */
  readonly text?: string;
  readonly test?: string;
}

type Rule = (explanation: Explanation, facts: Readonly<Record<string, unknown>>) => Finding[];

const client = (facts: Readonly<Record<string, unknown>>) => (facts.client ?? {}) as Record<string, unknown>;

const RULES: readonly Rule[] = [
  (e, facts) =>
    e.report.error === "invalid_client" && client(facts).secretHasWhitespace
      ? [{ causeId: "secret-whitespace", weight: 5000, evidence: `the secret we sent (from ${client(facts).secretSource}) has surrounding whitespace or a line break` }]
      : [],
  (e) =>
    /must be json/i.test(e.report.error_description ?? "")
      ? [{ causeId: "json-body-required", weight: 6000, evidence: "the server's description says the body must be JSON", text: "This provider only accepts JSON request bodies.", test: "--body-format json" }]
      : [],
];

/**
 * Re-ranks an explanation's causes with what the command knows about the request it made,
 * and attaches the evidence.
 */
export function diagnose(explanation: Explanation, diagnosis: DiagnosisContext | undefined): Explanation {
  if (!diagnosis) return explanation;
  const findings = RULES.flatMap((rule) => rule(explanation, diagnosis.facts));
  if (findings.length === 0) return explanation;
  const causes = new Map<string, RankedCause>(explanation.causes.map((c) => [c.id, c]));
  for (const finding of findings) {
    const prior = causes.get(finding.causeId);
    causes.set(finding.causeId, {
      id: finding.causeId,
      text: prior?.text ?? finding.text ?? finding.causeId,
      test: prior?.test ?? finding.test,
      evidence: [...(prior?.evidence ?? []), finding.evidence],
      weight: (prior?.weight ?? 0) + finding.weight,
    });
  }
  return { ...explanation, causes: [...causes.values()].sort((a, b) => b.weight - a.weight) };
}
