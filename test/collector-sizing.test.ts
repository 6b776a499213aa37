import { describe, expect, test } from 'vitest';
import { PROFILE_DECLARATIONS } from '../src/config/catalog/profiles';
import { memoryLimiterFor } from '../src/config/components/memory-limiter-processor';
import { estimateCustomMetrics, estimatePerformanceLogs, monthlyBill } from '../src/config/cost-estimate';
import { ValidationError } from '../src/core/errors';
import {
  COLLECTOR_HEADROOM,
  formatCollectorSizing,
  MAX_NODES_PER_REPLICA,
  sizeCollector,
} from '../src/fargate/collector-sizing';
import { estimateFleet, formatFleetBill, formatFleetCollectors } from '../src/fleet/fleet';
import type { Fleet } from '../src/fleet/fleet-spec';

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
      `Invalid expectedPods ${pods}: expected a whole number of pods, at least 1.`,
    );
  });

  test('what npm run synth prints, with the advice when a replica has too many pods', () => {
    const input = { expectedPods: 100, replicas: 1, scrapeIntervalSeconds: 60 };
    expect(formatCollectorSizing(sizeCollector(input))).toBe(
      'Collector: 1 × 0.25 vCPU 1 GB on Fargate, about $10.63 a month (us-east-1), sized for 100 pods (100 per replica) scraped every 60 s.',
    );
    const big = { expectedPods: 2500, replicas: 1, scrapeIntervalSeconds: 60 };
    expect(formatCollectorSizing(sizeCollector(big))).toMatch(/Above 1000 pods per replica: set replicas to 3\.$/);
    // The app says it with its own variable.
    expect(formatCollectorSizing(sizeCollector(big), 'REPLICAS')).toMatch(/set REPLICAS to 3\.$/);
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
  const cluster = (pods: number, replicas: number) =>
    monthlyBill(
      estimateCustomMetrics({ declarations: PROFILE_DECLARATIONS.reference, namespaces: Math.min(10, pods), pods }),
      estimatePerformanceLogs({ pods, scrapeIntervalSeconds: 60, retentionDays: 30 }),
      sizeCollector({ expectedPods: pods, replicas, scrapeIntervalSeconds: 60 }).monthlyUsd,
    );

  test('adds up every cluster and names those that need replicas', () => {
    const estimate = estimateFleet(fleet);
    const [small, big] = [cluster(100, 1), cluster(2500, 2)];
    expect(estimate.pods).toBe(3);
    expect(estimate.needMoreReplicas).toStrictEqual([{ name: 'big', replicas: 3 }]);
    for (const key of ['metricsUsd', 'logsUsd', 'collectorUsd', 'totalUsd'] as const) {
      expect(estimate.bill[key], key).toBeCloseTo(small[key] + big[key], 9);
    }
    expect(formatFleetCollectors(fleet, estimate)).toBe(
      `Collectors: 3 pod(s) for 2 cluster(s), about $${(small.collectorUsd + big.collectorUsd).toFixed(2)} a month on Fargate (us-east-1). More replicas recommended: big (3).`,
    );
    expect(formatFleetBill(fleet, estimate)).toMatch(
      /^Monthly estimate for 2 cluster\(s\) \(us-east-1\): \$[\d.]+ = custom metrics/,
    );
  });
});
