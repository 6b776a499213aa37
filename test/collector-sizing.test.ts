import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { replicasAdvice } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/bill-text';
import {
  estimateFleet,
  formatFleetBill,
  formatFleetCollectors,
} from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/fleet-estimate';
import type { Fleet } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/fleet-spec';
import { PROFILE_DECLARATIONS } from '../src/config/catalog/profiles';
import { memoryLimiterFor } from '../src/config/components/memory-limiter-processor';
import { defaultExpectedWorkloads, estimateCustomMetrics, estimatePerformanceLogs } from '../src/config/cost-estimate';
import { ValidationError } from '../src/core/errors';
import {
  COLLECTOR_HEADROOM,
  MAX_EXPECTED_PODS,
  MAX_NODES_PER_REPLICA,
  MAX_REPLICAS,
  sizeCollector,
} from '../src/fargate/collector-sizing';
import { PROPERTY_SEED } from './support/property';

/** The real ADOT collector (v0.42.0) on a simulated Fargate cluster: 10 s scrapes, 5 s batches. */
const MEASURED = [
  { nodes: 20, cpuMsPerScrape: 7.3, peakRssMiB: 114 },
  { nodes: 100, cpuMsPerScrape: 6.4, peakRssMiB: 159 },
  { nodes: 300, cpuMsPerScrape: 5.8, peakRssMiB: 273 },
];

describe('sizeCollector', () => {
  test.each(MEASURED)(
    'holds at least twice what was measured at $nodes nodes',
    ({ nodes, cpuMsPerScrape, peakRssMiB }) => {
      const sizing = sizeCollector({ expectedPods: nodes, replicas: 1, scrapeIntervalSeconds: 10 });
      const usedCores = (nodes * cpuMsPerScrape) / 1000 / 10;
      expect(sizing.cpuMillis / 1000).toBeGreaterThanOrEqual(COLLECTOR_HEADROOM * usedCores);
      // The memory_limiter refuses data at 80% of the limit: that is what must hold twice the peak.
      expect(memoryLimiterFor(sizing.memoryMiB).limit_mib).toBeGreaterThanOrEqual(COLLECTOR_HEADROOM * peakRssMiB);
    },
  );

  test.each([
    [10, { vcpu: 0.25, memoryGiB: 1 }, 250, 768],
    [100, { vcpu: 0.25, memoryGiB: 1 }, 250, 768],
    [500, { vcpu: 0.25, memoryGiB: 2 }, 250, 1792],
    [1000, { vcpu: 0.5, memoryGiB: 4 }, 500, 3840],
  ])('%i pods on one replica at 60 s: %j, the container filling it', (pods, size, cpuMillis, memoryMiB) => {
    const sizing = sizeCollector({ expectedPods: pods, replicas: 1, scrapeIntervalSeconds: 60 });
    expect(sizing.fargateSize).toStrictEqual(size);
    expect({ cpuMillis: sizing.cpuMillis, memoryMiB: sizing.memoryMiB }).toStrictEqual({ cpuMillis, memoryMiB });
    // Requests plus Fargate's 256 MiB fill the size exactly: nothing paid for is left unused.
    expect(sizing.memoryMiB + 256).toBe(size.memoryGiB * 1024);
  });

  test('replicas share the pods, and each is priced', () => {
    const one = sizeCollector({ expectedPods: 1000, replicas: 1, scrapeIntervalSeconds: 60 });
    const three = sizeCollector({ expectedPods: 1000, replicas: 3, scrapeIntervalSeconds: 60 });
    expect(three.nodesPerReplica).toBe(334);
    expect(three.fargateSize.memoryGiB).toBeLessThan(one.fargateSize.memoryGiB);
    expect(three.monthlyUsd).toBeCloseTo(
      3 * sizeCollector({ expectedPods: 334, replicas: 1, scrapeIntervalSeconds: 60 }).monthlyUsd,
      6,
    );
  });

  test(`recommends a replica per ${MAX_NODES_PER_REPLICA} pods`, () => {
    expect(sizeCollector({ expectedPods: 1000, replicas: 1, scrapeIntervalSeconds: 60 }).recommendedReplicas).toBe(1);
    expect(sizeCollector({ expectedPods: 2500, replicas: 1, scrapeIntervalSeconds: 60 }).recommendedReplicas).toBe(3);
    expect(sizeCollector({ expectedPods: 2500, replicas: 4, scrapeIntervalSeconds: 60 }).recommendedReplicas).toBe(4);
  });

  test('shorter scrape intervals need more CPU', () => {
    const slow = sizeCollector({ expectedPods: 1000, replicas: 1, scrapeIntervalSeconds: 60 });
    const fast = sizeCollector({ expectedPods: 1000, replicas: 1, scrapeIntervalSeconds: 5 });
    expect(fast.expectedCpuCores).toBeCloseTo(12 * slow.expectedCpuCores, 6);
    expect(fast.cpuMillis).toBeGreaterThan(slow.cpuMillis);
  });

  test.each([0, 1.5, -3])('rejects %d expected pods by name', (pods) => {
    expect(() => sizeCollector({ expectedPods: pods, replicas: 1, scrapeIntervalSeconds: 60 })).toThrow(
      ValidationError,
    );
    expect(() => sizeCollector({ expectedPods: pods, replicas: 1, scrapeIntervalSeconds: 60 })).toThrow(
      `Invalid expectedPods ${pods}: expected a whole number of pods from 1 to ${MAX_EXPECTED_PODS}, what ${MAX_REPLICAS} replicas (the most) scrape.`,
    );
  });

  test('the advice when a replica has too many pods names the setting to change', () => {
    const input = { expectedPods: 1000, replicas: 1, scrapeIntervalSeconds: 60 };
    expect(replicasAdvice(sizeCollector(input), 'replicas')).toBeUndefined();
    const big = { expectedPods: 2500, replicas: 1, scrapeIntervalSeconds: 60 };
    expect(replicasAdvice(sizeCollector(big), 'replicas')).toBe('Above 1000 pods per replica: set replicas to 3.');
    // The app says it with its own variable.
    expect(replicasAdvice(sizeCollector(big), 'COLLECTOR_REPLICAS')).toBe(
      'Above 1000 pods per replica: set COLLECTOR_REPLICAS to 3.',
    );
  });
});

describe('the bounds of the sizing', () => {
  test('GIVEN any pods and replicas the sizing takes, WHEN it advises replicas, THEN the advice is one it takes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_EXPECTED_PODS }),
        fc.integer({ min: 1, max: MAX_REPLICAS }),
        fc.boolean(),
        (expectedPods, replicas, podHealth) => {
          let sizing: ReturnType<typeof sizeCollector>;
          try {
            sizing = sizeCollector({ expectedPods, replicas, scrapeIntervalSeconds: 60, podHealth });
          } catch (error) {
            // Too many pods for these replicas of Fargate's largest size: refused by name, with the way out.
            expect(error).toBeInstanceOf(ValidationError);
            expect((error as Error).message).toMatch(/^Invalid expectedPods .*add replicas/);
            return;
          }
          expect(sizing.recommendedReplicas).toBeLessThanOrEqual(MAX_REPLICAS);
          expect(() =>
            sizeCollector({ expectedPods, replicas: sizing.recommendedReplicas, scrapeIntervalSeconds: 60, podHealth }),
          ).not.toThrow();
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 500 },
    );
  });

  test('GIVEN more pods than the most replicas scrape, THEN refused by name with the bound, not advised 1000 replicas', () => {
    expect(() => sizeCollector({ expectedPods: 1_000_000, replicas: 100, scrapeIntervalSeconds: 60 })).toThrow(
      `Invalid expectedPods 1000000: expected a whole number of pods from 1 to ${MAX_EXPECTED_PODS}, what ${MAX_REPLICAS} replicas (the most) scrape.`,
    );
    expect(() => sizeCollector({ expectedPods: 10, replicas: 101, scrapeIntervalSeconds: 60 })).toThrow(
      'Invalid replicas 101: expected a whole number of replicas from 1 to 100.',
    );
  });
});

describe('estimateFleet', () => {
  const ROLE = 'arn:aws:iam::111122223333:role/r';
  const fleet: Fleet = {
    clusters: [
      { name: 'small', region: 'eu-west-1', serviceAccountRoleArn: ROLE },
      { name: 'big', region: 'eu-west-1', serviceAccountRoleArn: ROLE, expectedPods: 2500, replicas: 2 },
    ],
  };
  /** One cluster's bill, as its construct sizes it and the app estimates it. */
  const cluster = (pods: number, replicas: number) => {
    const metrics = estimateCustomMetrics({
      declarations: PROFILE_DECLARATIONS.reference,
      namespaces: Math.min(10, pods),
      pods,
      workloads: defaultExpectedWorkloads(pods, Math.min(10, pods)),
      podNamePer: 'workload',
    });
    const logs = estimatePerformanceLogs({ pods, scrapeIntervalSeconds: 60, retentionDays: 30 });
    return {
      metricsUsd: metrics.monthlyUsd,
      logsUsd: logs.ingestionUsd + logs.storageUsd,
      collectorUsd: sizeCollector({ expectedPods: pods, replicas, scrapeIntervalSeconds: 60 }).monthlyUsd,
    };
  };

  test('adds up every cluster and names those that need replicas', () => {
    const estimate = estimateFleet(fleet);
    const [small, big] = [cluster(100, 1), cluster(2500, 2)];
    expect(estimate.pods).toBe(3);
    expect(estimate.needMoreReplicas).toStrictEqual([{ name: 'big', replicas: 3 }]);
    const usd = Object.fromEntries(estimate.lines.map((line) => [line.item, line.monthlyUsd]));
    expect(usd['Container Insights custom metrics']).toBeCloseTo(small.metricsUsd + big.metricsUsd, 9);
    expect(usd['performance logs']).toBeCloseTo(small.logsUsd + big.logsUsd, 9);
    expect(usd.collector).toBeCloseTo(small.collectorUsd + big.collectorUsd, 9);
    // Each cluster's dashboard, at CloudWatch's $3.00 a month.
    expect(usd['CloudWatch dashboard']).toBe(6);
    const total = (c: typeof small) => c.metricsUsd + c.logsUsd + c.collectorUsd + 3;
    // And the fleet's overview dashboard.
    expect(usd['fleet overview dashboard']).toBe(3);
    expect(estimate.totalUsd).toBeCloseTo(total(small) + total(big) + 3, 9);
    expect(formatFleetCollectors(fleet, estimate)).toBe(
      `Collectors: 3 pod(s) for 2 cluster(s), about $${(small.collectorUsd + big.collectorUsd).toFixed(2)} a month on Fargate (us-east-1). More replicas recommended (set replicas in the clusters file): big (3).`,
    );
    const printed = formatFleetBill(fleet, estimate);
    expect(printed[0]).toBe(
      "Monthly estimate for 2 cluster(s) in eu-west-1 (us-east-1 prices; eu-west-1's may differ):",
    );
    expect(printed.at(-1)?.trim()).toBe(`$${estimate.totalUsd.toFixed(2)}  in all.`);
    expect(printed).toContainEqual(expect.stringMatching(/ collector: 2 of 2 cluster\(s\), 3 Fargate pods in all\.$/));
  });
});
