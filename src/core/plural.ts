/** A list in words: `a`, `a and b`, `a, b and c`; empty for none. */
export function inWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** A count and its noun, in the number the count takes: `1 cluster`, `2 clusters`, `0 files`. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
