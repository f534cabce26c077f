/** The numbered causes of an explanation on stderr, each with its "seen:" lines, as printed. */
export function causes(stderr: string): { text: string; seen: string[] }[] {
  const out: { text: string; seen: string[] }[] = [];
  for (const line of stderr.split("\n")) {
    const cause = /^ {2}\d+\. (.*)$/.exec(line);
    if (cause) out.push({ text: cause[1]!, seen: [] });
    const seen = /^ {5}seen: (.*)$/.exec(line);
    if (seen && out.length) out[out.length - 1]!.seen.push(seen[1]!);
  }
  return out;
}
