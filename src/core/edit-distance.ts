/** How many single-character insertions, deletions and substitutions turn `a` into `b` (Levenshtein). */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] ?? Number.POSITIVE_INFINITY;
}

/**
 * The candidate nearest to a mistyped `value`, if one is at most two edits
 * away or differs only in case: the "did you mean" of a message.
 */
export function nearestName(value: string, candidates: readonly string[]): string | undefined {
  const scored = candidates
    .map((name) => ({ name, score: name.toLowerCase() === value.toLowerCase() ? 0 : editDistance(value, name) }))
    .filter(({ score }) => score <= 2)
    .sort((a, b) => a.score - b.score);
  return scored[0]?.name;
}
