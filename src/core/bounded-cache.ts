/**
 * A map of computed values, bounded: the oldest entry goes when it is full.
 * For pure functions a fleet calls with the same arguments for many
 * clusters (the collector configuration of a setting, its text, its
 * checksum), so each is computed once per distinct argument.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  public constructor(private readonly size: number) {}

  /** The value for `key`, computed by `make` the first time. */
  public get(key: K, make: () => V): V {
    if (this.entries.has(key)) return this.entries.get(key) as V;
    const value = make();
    if (this.entries.size >= this.size) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
    return value;
  }
}
