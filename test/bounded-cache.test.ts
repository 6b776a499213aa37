import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { FargateContainerInsightsOperatorCollector } from '../src/collector/fargate-container-insights-operator-collector';
import { BoundedCache } from '../src/core/bounded-cache';
import { COLLECTOR_PROPS } from './support/fixtures';
import { PROPERTY_SEED } from './support/property';

describe('BoundedCache', () => {
  test('computes a key once, keeps at most its size, and drops the oldest first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }),
        (size, keys) => {
          const cache = new BoundedCache<number, string>(size);
          const computed: number[] = [];
          // A model of what it holds: keys in insertion order, the oldest first, at most `size`.
          let held: number[] = [];
          let misses = 0;
          for (const key of keys) {
            const value = cache.get(key, () => {
              computed.push(key);
              return `v${key}`;
            });
            expect(value).toBe(`v${key}`);
            if (!held.includes(key)) {
              misses++;
              held = [...held, key].slice(-size);
            }
          }
          // Computed again only when it had been dropped: as often as the model misses.
          expect(computed).toHaveLength(misses);
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 300 },
    );
  });
});

/** Freezes an object and everything it holds. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe('the configuration a fleet builds once per setting', () => {
  test('clusters that differ only in name share it, and no collector changes it', () => {
    const first = new FargateContainerInsightsCollector(Testing.chart(), 'C', { ...COLLECTOR_PROPS, podHealth: {} });
    const before = stringify(first._config);
    deepFreeze(first._config);
    // Collectors of both modes for other clusters with the same settings read the frozen object.
    for (const clusterName of ['second', 'third']) {
      const props = { ...COLLECTOR_PROPS, clusterName, podHealth: {} };
      const statefulSet = new FargateContainerInsightsCollector(Testing.chart(), 'C', props);
      const operatorChart = Testing.chart();
      const operator = new FargateContainerInsightsOperatorCollector(operatorChart, 'C', props);
      expect(statefulSet._config).toBe(first._config);
      expect(operator._config).toBe(first._config);
      Testing.synth(operatorChart);
    }
    expect(stringify(first._config)).toBe(before);
    // Another setting, another configuration.
    const other = new FargateContainerInsightsCollector(Testing.chart(), 'C', { ...COLLECTOR_PROPS, replicas: 2 });
    expect(other._config).not.toBe(first._config);
  });
});
