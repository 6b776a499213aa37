import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatBill } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/bill-text';
import { Dimension } from '../src/config/catalog/metric-types';
import { PROFILE_DECLARATIONS, REFERENCE_DECLARATIONS } from '../src/config/catalog/profiles';
import {
  customMetricsBasis,
  customMetricsMonthlyUsd,
  dimensionSetValues,
  estimateCustomMetrics,
  estimatePerformanceLogs,
  performanceLogsBasis,
  regionsInWords,
} from '../src/config/cost-estimate';
import { METRIC_CATALOG } from '../src/config/metric-catalog';
import { MetricsDestination } from '../src/config/metrics-destination';
import type { CostLine } from '../src/config/pipelines/pipeline';
import { PodNaming } from '../src/config/pod-naming';
import { pricesNote } from '../src/core/aws-prices';
import { ValidationError } from '../src/core/errors';
import {
  accountOf,
  type ClusterBill,
  estimateCluster,
  PRICE_TIERS_ITEM,
  priceTiersLine,
} from '../src/cost/cluster-bill';
import { fleetLines } from '../src/cost/fleet-bill';
import { sizeCollector } from '../src/fargate/collector-sizing';
import { buildConfig, DEFAULT_CONFIG_OPTIONS } from './support/collector';
import { PROPERTY_SEED } from './support/property';

describe('dimensionSetValues', () => {
  test.each<[Dimension[], number]>([
    [[Dimension.CLUSTER_NAME, Dimension.LAUNCH_TYPE], 1],
    [[Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.LAUNCH_TYPE], 7],
    // PodName is the workload: its replicas are one metric.
    [[Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.POD_NAME, Dimension.LAUNCH_TYPE], 12],
    [[Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.POD_NAME, Dimension.FULL_POD_NAME], 40],
    // On Fargate each pod is a node of its own.
    [[Dimension.CLUSTER_NAME, Dimension.NODE_NAME], 40],
    [[Dimension.NAMESPACE], 7],
  ])('%j takes %i values for 7 namespaces, 12 workloads and 40 pods', (set, values) => {
    expect(dimensionSetValues(set, { namespaces: 7, workloads: 12, pods: 40, podNamePer: 'workload' })).toBe(values);
  });

  test('with PodNaming.POD, PodName takes one value per pod', () => {
    const set = [Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.POD_NAME];
    expect(dimensionSetValues(set, { namespaces: 7, workloads: 12, pods: 40, podNamePer: 'pod' })).toBe(40);
  });
});

describe('customMetricsMonthlyUsd (us-east-1 tiers)', () => {
  test.each([
    [0, 0],
    [1, 0.3],
    [10_000, 3_000],
    [10_001, 3_000.1],
    [250_000, 3_000 + 24_000],
    [1_000_000, 3_000 + 24_000 + 37_500],
    [1_000_001, 3_000 + 24_000 + 37_500 + 0.02],
  ])('%i metrics cost $%d a month', (count, usd) => {
    expect(customMetricsMonthlyUsd(count)).toBeCloseTo(usd, 2);
  });

  test('other tiers can be given', () => {
    expect(customMetricsMonthlyUsd(5, [{ upTo: Number.POSITIVE_INFINITY, usdPerMetricMonth: 1 }])).toBe(5);
  });
});

describe('estimateCustomMetrics', () => {
  /** As the AWS reference manifest names pods (PodNaming.POD). */
  const reference = (namespaces: number, pods: number) =>
    estimateCustomMetrics({
      declarations: REFERENCE_DECLARATIONS,
      namespaces,
      pods,
      workloads: pods,
      podNamePer: 'pod',
    });

  test.each([
    [10, 30, 100, 8 * (1 + 10 + 30)],
    [10, 100, 100, 8 * (1 + 10 + 100)],
    [50, 300, 1000, 8 * (1 + 50 + 300)],
  ])('by workload, %i namespaces and %i workloads of %i pods: %i custom metrics', (ns, workloads, pods, count) => {
    const input = {
      declarations: REFERENCE_DECLARATIONS,
      namespaces: ns,
      pods,
      workloads,
      podNamePer: 'workload' as const,
    };
    expect(estimateCustomMetrics(input).customMetrics).toBe(count);
    expect(estimateCustomMetrics({ ...input, pods: pods * 2 }).customMetrics).toBe(count);
  });

  // metrics × (1 cluster + namespaces + pods), priced by tier.
  test.each([
    [2, 10, 8 * (1 + 2 + 10), 31.2],
    [10, 100, 8 * (1 + 10 + 100), 266.4],
    [50, 1000, 8 * (1 + 50 + 1000), 2522.4],
    [100, 2000, 8 * (1 + 100 + 2000), 3000 + (8 * 2101 - 10_000) * 0.1],
  ])('the default selection for %i namespaces and %i pods: %i custom metrics, $%d a month', (ns, pods, count, usd) => {
    const estimate = reference(ns, pods);
    expect(estimate.customMetrics).toBe(count);
    expect(estimate.monthlyUsd).toBeCloseTo(usd, 2);
    expect(estimate.perDimensionSet.map((s) => s.metrics)).toStrictEqual([8, 8 * ns, 8 * pods]);
  });

  test("counts the metrics the exporter's selectors select, no more", () => {
    const selectors = buildConfig().exporters.awsemf.metric_declarations[0]?.metric_name_selectors ?? [];
    const selected = METRIC_CATALOG.filter((m) => selectors.some((s) => new RegExp(s).test(m.name)));
    expect(selected).toHaveLength(reference(1, 1).perDimensionSet[0]?.metrics ?? 0);
  });

  test.each([
    [{ namespaces: 1, pods: 0 }, 'Invalid pods 0: expected a whole number of at least 1.'],
    [{ namespaces: 1, pods: 2.5 }, 'Invalid pods 2.5'],
    [{ namespaces: 0, pods: 10 }, 'Invalid namespaces 0: expected a whole number from 1 to pods (10)'],
    [{ namespaces: 11, pods: 10 }, 'Invalid namespaces 11'],
    [
      { namespaces: 5, pods: 10, workloads: 4 },
      'Invalid workloads 4: expected a whole number from namespaces (5) to pods (10)',
    ],
    [{ namespaces: 5, pods: 10, workloads: 11 }, 'Invalid workloads 11'],
  ])('rejects %j', (counts, message) => {
    const run = () =>
      estimateCustomMetrics({
        declarations: REFERENCE_DECLARATIONS,
        workloads: Math.max(1, counts.namespaces),
        podNamePer: 'workload',
        ...counts,
      });
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(message);
  });

  test('the basis shows each multiplier: per cluster, per namespace, per workload or per pod', () => {
    const input = {
      declarations: REFERENCE_DECLARATIONS,
      namespaces: 10,
      pods: 100,
      workloads: 30,
      podNamePer: 'workload' as const,
    };
    expect(customMetricsBasis(input, estimateCustomMetrics(input))).toBe(
      '8 metrics per cluster × 1 + 8 per namespace × 10 + 8 per workload × 30 = 328 custom metrics',
    );
    const byPod = { ...input, podNamePer: 'pod' as const };
    expect(customMetricsBasis(byPod, estimateCustomMetrics(byPod))).toBe(
      '8 metrics per cluster × 1 + 8 per namespace × 10 + 8 per pod × 100 = 888 custom metrics',
    );
  });

  test('the basis adds up to the count, in the same order whatever the order of declarations and sets', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...PROFILE_DECLARATIONS.console], { minLength: 1 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.boolean(),
        fc.constantFrom('workload' as const, 'pod' as const),
        (declarations, a, b, c, reverseSets, podNamePer) => {
          const [namespaces, workloads, pods] = [a, b, c].sort((x, y) => x - y) as [number, number, number];
          const input = {
            declarations: declarations.map((d) => ({
              ...d,
              dimensionSets: reverseSets ? [...d.dimensionSets].reverse() : d.dimensionSets,
            })),
            namespaces,
            pods,
            workloads,
            podNamePer,
          };
          const estimate = estimateCustomMetrics(input);
          const basis = customMetricsBasis(input, estimate);
          const [sumText, total] = basis.split(' = ') as [string, string];
          const terms = sumText.split(' + ').map((term) => term.match(/^(\d+)(?: metrics?)? per (\w+) × (\d+)$/));
          expect(
            terms.every((t) => t !== null),
            basis,
          ).toBe(true);
          const scopes = terms.map((t) => t?.[2]);
          expect(scopes, basis).toStrictEqual(
            ['cluster', 'namespace', 'workload', 'pod'].filter((s) => scopes.includes(s)),
          );
          const counted = terms.reduce((sum, t) => sum + Number(t?.[1]) * Number(t?.[3]), 0);
          expect(total).toBe(`${estimate.customMetrics} custom metrics`);
          expect(counted).toBe(estimate.customMetrics);
        },
      ),
      { seed: 20261201, numRuns: 300 },
    );
  });

  test('console: the reference, plus 4 pod metrics in 3 sets and 6 node metrics for the cluster', () => {
    for (const [namespaces, pods] of [
      [2, 10],
      [10, 100],
      [50, 1000],
    ] as const) {
      const estimate = estimateCustomMetrics({
        declarations: PROFILE_DECLARATIONS.console,
        namespaces,
        pods,
        workloads: pods,
        podNamePer: 'pod',
      });
      expect(estimate.customMetrics).toBe(12 * (1 + namespaces + pods) + 6);
      expect(estimate.perDimensionSet.map((s) => s.declaration)).toStrictEqual([0, 0, 0, 1, 1, 1, 2]);
    }
  });

  test('console: terms of one scope are added up', () => {
    const input = {
      declarations: PROFILE_DECLARATIONS.console,
      namespaces: 10,
      pods: 100,
      workloads: 100,
      podNamePer: 'pod' as const,
    };
    expect(customMetricsBasis(input, estimateCustomMetrics(input))).toBe(
      '18 metrics per cluster × 1 + 12 per namespace × 10 + 12 per pod × 100 = 1338 custom metrics',
    );
  });
});

describe('the performance log group', () => {
  test('14.1 KB per pod per scrape: about 0.62 GB per pod a month at 60 s, $0.50 per GB to ingest', () => {
    const logs = estimatePerformanceLogs({ pods: 1, scrapeIntervalSeconds: 60, retentionDays: 30 });
    // 14,100 bytes × 60 scrapes an hour × 730 hours, the month AWS prices are quoted for.
    expect(logs.ingestedGb).toBeCloseTo((14_100 * 60 * 730) / 1e9, 9);
    expect(logs.ingestionUsd).toBeCloseTo(logs.ingestedGb * 0.5, 9);
    expect(logs.storedGb).toBeCloseTo((logs.ingestedGb * 30 * 24) / 730, 9);
    expect(logs.storageUsd).toBeCloseTo(logs.storedGb * 0.03, 9);
  });

  test('grows with the pods and the scrape rate; storage with the retention, a year of it when events never expire', () => {
    const base = estimatePerformanceLogs({ pods: 100, scrapeIntervalSeconds: 60, retentionDays: 30 });
    expect(estimatePerformanceLogs({ pods: 100, scrapeIntervalSeconds: 30, retentionDays: 30 }).ingestedGb).toBeCloseTo(
      2 * base.ingestedGb,
      9,
    );
    const forever = estimatePerformanceLogs({ pods: 100, scrapeIntervalSeconds: 60, retentionDays: 0 });
    expect(forever.ingestionUsd).toBeCloseTo(base.ingestionUsd, 9);
    expect(forever.storedGb).toBeCloseTo(12 * base.ingestedGb, 9);
  });

  test('with a retention, what is held; without, that storage keeps growing', () => {
    const held = estimatePerformanceLogs({ pods: 100, scrapeIntervalSeconds: 60, retentionDays: 30 });
    expect(performanceLogsBasis(held, 30)).toBe('61.8 GB ingested a month, at most 60.9 GB held (30-day retention)');
    const forever = estimatePerformanceLogs({ pods: 100, scrapeIntervalSeconds: 60, retentionDays: 0 });
    expect(performanceLogsBasis(forever, 0)).toBe(
      "61.8 GB ingested a month; they never expire, so storage grows by as much every month (priced here at a year's, 741.1 GB)",
    );
  });
});

describe('a cluster bill: the enabled pipelines’ lines, then the collector’s', () => {
  const sizing = sizeCollector({ expectedPods: 100, replicas: 1, scrapeIntervalSeconds: 60 });
  const load = { pods: 100, namespaces: 10, workloads: 30, services: 30 };
  const items = (metricsDestination: MetricsDestination) =>
    estimateCluster({ ...DEFAULT_CONFIG_OPTIONS, metricsDestination }, sizing, load).lines.map((line) => line.item);

  test('each destination brings its own lines', () => {
    expect(items(MetricsDestination.EMF)).toStrictEqual([
      'Container Insights custom metrics',
      'performance logs',
      'CloudWatch dashboard',
      'collector',
    ]);
    // No dashboard over OTLP alone: it has no ContainerInsights metric to graph.
    expect(items(MetricsDestination.OTLP)).toStrictEqual(['OTLP metrics', 'collector']);
    expect(items(MetricsDestination.BOTH)).toStrictEqual([
      'Container Insights custom metrics',
      'performance logs',
      'OTLP metrics',
      'CloudWatch dashboard',
      'collector',
    ]);
  });

  test('the total is the priced lines added up, and the printed bill says so', () => {
    for (const metricsDestination of Object.values(MetricsDestination)) {
      const bill = estimateCluster({ ...DEFAULT_CONFIG_OPTIONS, metricsDestination }, sizing, load);
      const priced = bill.lines.filter((line) => line.notPriced === undefined);
      expect(bill.totalUsd).toBeCloseTo(
        priced.reduce((sum, line) => sum + line.monthlyUsd, 0),
        9,
      );
      const printed = formatBill('Bill:', bill.lines);
      expect(printed).toHaveLength(bill.lines.length + 2);
      const besides = priced.length < bill.lines.length ? ', besides what is not priced' : '';
      expect(printed.at(-1)?.trim()).toBe(`$${bill.totalUsd.toFixed(2)}  in all${besides}.`);
      // One column of amounts: every line's amount ends where the total's does.
      const column = (printed.at(-1) ?? '').indexOf('  in all');
      for (const line of printed.slice(1, -1)) expect(line.slice(column, column + 2)).toBe('  ');
    }
  });

  test('the reference profile for 100 pods of 30 workloads: $98.40 + $32.71 + the $3.00 dashboard + $10.63', () => {
    const bill = estimateCluster(DEFAULT_CONFIG_OPTIONS, sizing, load);
    expect(bill.lines.map((line) => line.monthlyUsd.toFixed(2))).toStrictEqual(['98.40', '32.71', '3.00', '10.63']);
    expect(bill.totalUsd.toFixed(2)).toBe('144.74');
  });

  test('with PodNaming.POD, as the AWS reference manifest: $266.40 + $32.71 + the $3.00 dashboard + $10.63', () => {
    const bill = estimateCluster({ ...DEFAULT_CONFIG_OPTIONS, podNaming: PodNaming.POD }, sizing, load);
    expect(bill.lines.map((line) => line.monthlyUsd.toFixed(2))).toStrictEqual(['266.40', '32.71', '3.00', '10.63']);
  });
});

describe('the region in every heading', () => {
  const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-gov-west-1', 'cn-north-1');

  test('us-east-1 prices, with every other region named as one whose prices may differ', () => {
    fc.assert(
      fc.property(fc.array(region, { minLength: 1, maxLength: 6 }), (regions) => {
        const note = pricesNote(regions);
        expect(note.startsWith('us-east-1 prices')).toBe(true);
        const others = new Set(regions.filter((r) => r !== 'us-east-1'));
        expect(note.includes('may differ')).toBe(others.size > 0);
        for (const other of others) expect(note).toContain(other);
        const words = regionsInWords(regions);
        for (const each of new Set(regions)) expect(words).toContain(each);
        // Each region once, whatever the order and repeats of the list.
        expect(regionsInWords([...regions].reverse().concat(regions))).toBe(words);
      }),
      { seed: PROPERTY_SEED, numRuns: 100 },
    );
    expect(pricesNote(['us-east-1'])).toBe('us-east-1 prices');
    expect(pricesNote(['eu-west-1'])).toBe("us-east-1 prices; eu-west-1's may differ");
    expect(regionsInWords(['us-east-1', 'eu-west-1', 'eu-west-1'])).toBe('eu-west-1 and us-east-1');
  });
});

describe("CloudWatch prices an account's custom metrics together, in tiers", () => {
  const metricsLine = (amount: number): CostLine => ({
    item: 'Container Insights custom metrics',
    monthlyUsd: customMetricsMonthlyUsd(amount),
    basis: '',
    usage: { amount, unit: 'custom metrics' },
  });
  const bill = (amounts: readonly number[], account: string): ClusterBill =>
    ({ lines: amounts.map(metricsLine), account }) as unknown as ClusterBill;
  const tiers = (lines: readonly CostLine[]) => lines.filter((line) => line.item === PRICE_TIERS_ITEM);

  test('within the first tier: no line', () => {
    expect(priceTiersLine([metricsLine(4000), metricsLine(5000)], 'in the cluster')).toBeUndefined();
  });

  test('two clusters of one account, 12,000 metrics: $400 less than priced one by one', () => {
    const lines = fleetLines([bill([6000], '111122223333'), bill([6000], '111122223333')]);
    expect(tiers(lines)).toHaveLength(1);
    expect(tiers(lines)[0]?.monthlyUsd).toBeCloseTo(3000 + 2000 * 0.1 - 2 * 1800, 6);
    expect(tiers(lines)[0]?.basis).toContain('12000 custom metrics in account 111122223333 (2 cluster(s))');
    // Of two accounts, each within its first tier: nothing to take off.
    expect(tiers(fleetLines([bill([6000], '111122223333'), bill([6000], '444455556666')]))).toStrictEqual([]);
  });

  test('the fleet pays, for every account, the tiers of its metrics together', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            amounts: fc.array(fc.integer({ min: 0, max: 300_000 }), { minLength: 1, maxLength: 3 }),
            account: fc.constantFrom('111122223333', '444455556666', '777788889999'),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (clusters) => {
          const lines = fleetLines(clusters.map((c) => bill(c.amounts, c.account)));
          const paid = lines.reduce((total, line) => total + line.monthlyUsd, 0);
          const accounts = [...new Set(clusters.map((c) => c.account))];
          const due = accounts.reduce((total, account) => {
            const metrics = clusters
              .filter((c) => c.account === account)
              .flatMap((c) => c.amounts)
              .reduce((a, b) => a + b, 0);
            return total + customMetricsMonthlyUsd(metrics);
          }, 0);
          expect(paid).toBeCloseTo(due, 1);
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 200 },
    );
  });

  test('the account is the role ARN’s', () => {
    expect(accountOf('arn:aws:iam::111122223333:role/adot')).toBe('111122223333');
  });
});
