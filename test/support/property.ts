import * as fc from 'fast-check';
import { expect } from 'vitest';
import { ValidationError } from '../../src/core/errors';
import { type KubernetesObject, validateManifest } from '../../tools/manifests';

/**
 * The settings every property-based suite shares (CONTRIBUTING.md, "Property
 * tests"): a fixed seed and a fixed number of cases, so a run checks the
 * same cases on any machine, however busy. `PROPERTY_SEED` picks another
 * seed; `PROPERTY_SCALE` multiplies every property's cases (default 1; 10
 * for a deep run). Time is only a cap: the vitest timeout of each property,
 * far above what its cases take, so a machine four times as loaded still
 * runs them all. A failure prints its seed and shrunk counterexample.
 */

/** The seed of every property. */
export const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 20261201);

/** What multiplies every property's cases. */
export const PROPERTY_SCALE = Number(process.env.PROPERTY_SCALE ?? 1);

/**
 * The cases each property runs at scale 1, chosen to take 1 to 4 seconds
 * each on the documented machine (2 cores), idle.
 */
const RUNS = {
  messages: 1000,
  collectorProps: 300,
  otherConstructs: 4000,
  clustersFiles: 1000,
  cliPaths: 300,
  appVariables: 1500,
  templateShapes: 40,
  companionProps: 150,
  dashboards: 60,
} as const;

/** The longest a property may take at scale 1: a cap far above the seconds its cases take. */
const CAP_MS = 600_000;

/** The fast-check parameters of one property: its seed, its cases, and the vitest timeout that caps it. */
export function budget(property: keyof typeof RUNS): fc.Parameters<unknown> & { readonly timeoutMs: number } {
  const numRuns = Math.max(1, Math.round(RUNS[property] * PROPERTY_SCALE));
  return {
    seed: PROPERTY_SEED,
    numRuns,
    endOnFailure: true,
    timeoutMs: CAP_MS * Math.max(1, PROPERTY_SCALE),
  } as fc.Parameters<unknown> & { readonly timeoutMs: number };
}

/** Runs `property` for its cases. */
export function check<T>(property: fc.IProperty<T>, name: keyof typeof RUNS): void {
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

/** Cases an asynchronous property runs per seed. */
const ASYNC_CHUNK = 25;

/**
 * Runs an asynchronous property for its cases, in chunks of seeds
 * `PROPERTY_SEED`, `PROPERTY_SEED + 1`, ..., each chunk to its end (and its
 * shrinking): the same cases on every machine.
 */
export async function checkAsync<T>(property: fc.IAsyncProperty<T>, name: keyof typeof RUNS): Promise<void> {
  const { numRuns = ASYNC_CHUNK } = budget(name);
  for (let done = 0, chunk = 0; done < numRuns; done += ASYNC_CHUNK, chunk++) {
    await fc.assert(property, {
      seed: PROPERTY_SEED + chunk,
      numRuns: Math.min(ASYNC_CHUNK, numRuns - done),
      endOnFailure: true,
    });
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
