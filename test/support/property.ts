import * as fc from 'fast-check';
import { expect } from 'vitest';
import { ValidationError } from '../../src/core/errors';
import { type KubernetesObject, validateManifest } from '../../tools/manifests';

/**
 * The settings every property-based suite shares (CONTRIBUTING.md, "Property
 * tests"): a fixed seed, so a run is repeatable, and a time budget, so
 * `npm test` stays about a minute longer. `PROPERTY_SEED` picks another seed;
 * `PROPERTY_SECONDS` gives the whole budget (default 60, shared by the
 * properties by weight); a failure prints its seed and shrunk counterexample.
 */

/** The seed of every property. */
export const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 20261201);

/** The budget of all properties together, in seconds. */
export const PROPERTY_SECONDS = Number(process.env.PROPERTY_SECONDS ?? 60);

/** The weights of the properties, summing to 1: each gets its share of {@link PROPERTY_SECONDS}. */
const SHARES = {
  messages: 0.02,
  collectorProps: 0.3,
  otherConstructs: 0.08,
  clustersFiles: 0.22,
  cliPaths: 0.2,
  appVariables: 0.18,
} as const;

/** The fast-check parameters of one property: its seed, its share of the budget, and runs enough to fill it. */
export function budget(property: keyof typeof SHARES): fc.Parameters<unknown> & { readonly timeoutMs: number } {
  const ms = Math.round(PROPERTY_SECONDS * 1000 * SHARES[property]);
  return {
    seed: PROPERTY_SEED,
    numRuns: 1_000_000,
    interruptAfterTimeLimit: ms,
    markInterruptAsFailure: false,
    endOnFailure: true,
    // The vitest timeout of the test running it: the budget plus room to shrink a failure.
    timeoutMs: ms + 60_000,
  } as fc.Parameters<unknown> & { readonly timeoutMs: number };
}

/** Runs `property` with its budget. */
export function check<T>(property: fc.IProperty<T>, name: keyof typeof SHARES): void {
  const { timeoutMs: _, ...parameters } = budget(name);
  fc.assert(property, parameters as fc.Parameters<T>);
}

/**
 * Counts how generated cases ended, so that a suite can show it is not
 * vacuous: a property whose every case is rejected proves nothing about
 * the output, one whose every case is accepted nothing about the errors.
 */
export class Tally {
  private readonly counts = new Map<string, number>();

  /** Counts one case that ended as `kind`. */
  public add(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  /** How many cases ended as `kind`. */
  public count(kind: string): number {
    return this.counts.get(kind) ?? 0;
  }

  /** How many cases ran. */
  public get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  /** Expects at least `share` of the cases to have ended as each of `kinds`. */
  public expectEach(kinds: readonly string[], share = 0.05): void {
    for (const kind of kinds) {
      expect(this.count(kind), `${kind} in ${this.summary()}`).toBeGreaterThanOrEqual(Math.max(1, this.total * share));
    }
  }

  /** Expects each of `kinds` (as {@link expectEach}), then prints the counts under `name`. */
  public report(name: string, kinds: readonly string[]): void {
    this.expectEach(kinds);
    console.info(`${name}: ${this.summary()}`);
  }

  /** The counts, for a message: `1200 cases: 300 accepted, 900 rejected`. */
  public summary(): string {
    return `${this.total} cases: ${[...this.counts].map(([kind, n]) => `${n} ${kind}`).join(', ')}`;
  }
}

/** Cases an asynchronous property runs between two looks at the clock. */
const ASYNC_CHUNK = 25;

/**
 * Runs an asynchronous property within its budget. fast-check's time limit
 * would abandon the case in flight (it races it against a timer), which then
 * goes on in the background; so the cases run in chunks of seeds
 * `PROPERTY_SEED`, `PROPERTY_SEED + 1`, ..., each chunk to its end (and its
 * shrinking), until the budget is spent.
 */
export async function checkAsync<T>(property: fc.IAsyncProperty<T>, name: keyof typeof SHARES): Promise<void> {
  const { interruptAfterTimeLimit: ms = 0 } = budget(name);
  const deadline = Date.now() + ms;
  for (let chunk = 0; chunk === 0 || Date.now() < deadline; chunk++) {
    await fc.assert(property, { seed: PROPERTY_SEED + chunk, numRuns: ASYNC_CHUNK, endOnFailure: true });
  }
}

/**
 * Values no prop should ever get, and some of them slip past a careless
 * check: the numbers JSON cannot write, strings where numbers belong, and
 * objects where strings belong.
 */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    0,
    -1,
    1.5,
    1e20,
    '',
    ' ',
    'NaN',
    '1',
    'true',
    null,
    true,
    false,
    [],
    {},
    ['a'],
    { tag: 'v0.49.0' },
  ),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.array(fc.integer(), { maxLength: 3 }),
);

/** Mostly `valid`, sometimes junk. */
export function mostly<T>(valid: fc.Arbitrary<T>, weight = 8): fc.Arbitrary<T | unknown> {
  return fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: junk });
}

/** The outcome of building something from generated input: rejected by name, or accepted with its objects. */
export type Outcome = { readonly rejected: ValidationError } | { readonly objects: readonly KubernetesObject[] };

/**
 * Runs `build`; a ValidationError is a rejection, any other exception fails
 * the property (it would escape to the user as a crash).
 */
export function outcomeOf(build: () => readonly KubernetesObject[]): Outcome {
  try {
    return { objects: build() };
  } catch (error) {
    if (error instanceof ValidationError) return { rejected: error };
    throw error;
  }
}

/** Every object valid against its schema, and no two the same object (kind, namespace, name). */
export function expectValidAndUnique(objects: readonly KubernetesObject[]): void {
  const seen = new Set<string>();
  for (const object of objects) {
    validateManifest(object);
    const key = `${object.apiVersion.split('/').slice(0, -1).join('/')}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    expect(seen.has(key), `duplicate object ${key}`).toBe(false);
    seen.add(key);
  }
}

/**
 * What the collector reads, with nothing a careless rendering leaves: no
 * non-finite number, no "NaN", "Infinity" or "undefined" text, and every
 * Prometheus duration a plain Go duration.
 */
export function expectSaneCollectorConfig(config: unknown, path = 'config'): void {
  if (typeof config === 'number') {
    expect(Number.isFinite(config), `${path} is ${config}`).toBe(true);
  } else if (typeof config === 'string') {
    expect(config, path).not.toMatch(/\bNaN\b|\bInfinity\b|\bundefined\b|\[object Object\]/);
    if (/(scrape_interval|scrape_timeout)$/.test(path)) expect(config, path).toMatch(/^[1-9]\d*(ms|s|m|h)$/);
  } else if (Array.isArray(config)) {
    config.forEach((item, i) => {
      expectSaneCollectorConfig(item, `${path}[${i}]`);
    });
  } else if (config !== null && typeof config === 'object') {
    for (const [key, value] of Object.entries(config)) expectSaneCollectorConfig(value, `${path}.${key}`);
  }
}
