/** A count and its noun, in the number the count takes: `1 cluster`, `2 clusters`, `0 files`. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
