import { describe, expect, test } from 'vitest';
import { Dimension } from '../src/config/catalog/metric-types';
import { PROFILE_DECLARATIONS, REFERENCE_DECLARATIONS } from '../src/config/catalog/profiles';
import {
  customMetricsMonthlyUsd,
  dimensionSetValues,
  estimateCustomMetrics,
  estimatePerformanceLogs,
  formatEstimate,
  formatMonthlyBill,
  monthlyBill,
} from '../src/config/cost-estimate';
import { METRIC_CATALOG } from '../src/config/metric-catalog';
import { ValidationError } from '../src/core/errors';
import { buildConfig } from './support/collector';

describe('dimensionSetValues', () => {
  test.each<[Dimension[], number]>([
    [[Dimension.CLUSTER_NAME, Dimension.LAUNCH_TYPE], 1],
    [[Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.LAUNCH_TYPE], 7],
    [[Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.POD_NAME, Dimension.LAUNCH_TYPE], 40],
    // On Fargate each pod is a node of its own.
    [[Dimension.CLUSTER_NAME, Dimension.NODE_NAME], 40],
    [[Dimension.NAMESPACE], 7],
  ])('%j takes %i values for 7 namespaces and 40 pods', (set, values) => {
    expect(dimensionSetValues(set, 7, 40)).toBe(values);
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
  const reference = (namespaces: number, pods: number) =>
    estimateCustomMetrics({ declarations: REFERENCE_DECLARATIONS, namespaces, pods });

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
  ])('rejects %j', (counts, message) => {
    const run = () => estimateCustomMetrics({ declarations: REFERENCE_DECLARATIONS, ...counts });
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(message);
  });

  test('formatEstimate says how the number is made up', () => {
    const input = { declarations: REFERENCE_DECLARATIONS, namespaces: 10, pods: 100 };
    expect(formatEstimate(input, estimateCustomMetrics(input))).toBe(
      'CloudWatch custom metrics for 10 namespaces and 100 pods: 8 metrics × 3 dimension sets = 8 + 80 + 800 = 888, about $266.40 a month (us-east-1 prices).',
    );
  });

  test('console: the reference, plus 4 pod metrics in 3 sets and 6 node metrics for the cluster', () => {
    for (const [namespaces, pods] of [
      [2, 10],
      [10, 100],
      [50, 1000],
    ] as const) {
      const estimate = estimateCustomMetrics({ declarations: PROFILE_DECLARATIONS.console, namespaces, pods });
      expect(estimate.customMetrics).toBe(12 * (1 + namespaces + pods) + 6);
      expect(estimate.perDimensionSet.map((s) => s.declaration)).toStrictEqual([0, 0, 0, 1, 1, 1, 2]);
    }
  });

  test('formatEstimate names each declaration', () => {
    const input = { declarations: PROFILE_DECLARATIONS.console, namespaces: 10, pods: 100 };
    expect(formatEstimate(input, estimateCustomMetrics(input))).toBe(
      'CloudWatch custom metrics for 10 namespaces and 100 pods: 8 metrics × 3 dimension sets, 4 metrics × 3 dimension sets, 6 metrics × 1 dimension set = 8 + 80 + 800 + 400 + 40 + 4 + 6 = 1338, about $401.40 a month (us-east-1 prices).',
    );
  });
});

describe('the performance log group', () => {
  test('14.1 KB per pod per scrape: about 0.62 GB per pod a month at 60 s, $0.50 per GB to ingest', () => {
    const logs = estimatePerformanceLogs({ pods: 1, scrapeIntervalSeconds: 60, retentionDays: 30 });
    // 14,100 bytes × 1,440 scrapes a day × 30.4375 days.
    expect(logs.ingestedGb).toBeCloseTo((14_100 * 1440 * 30.4375) / 1e9, 9);
    expect(logs.ingestionUsd).toBeCloseTo(logs.ingestedGb * 0.5, 9);
    expect(logs.storedGb).toBeCloseTo((logs.ingestedGb * 30) / 30.4375, 9);
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

  test('the bill is the sum of its parts', () => {
    const metrics = estimateCustomMetrics({ declarations: REFERENCE_DECLARATIONS, namespaces: 10, pods: 100 });
    const logs = estimatePerformanceLogs({ pods: 100, scrapeIntervalSeconds: 60, retentionDays: 30 });
    const bill = monthlyBill(metrics, logs, 10.63);
    expect(bill.totalUsd).toBeCloseTo(metrics.monthlyUsd + logs.ingestionUsd + logs.storageUsd + 10.63, 9);
    expect(formatMonthlyBill(bill, logs)).toMatch(
      /^Monthly estimate \(us-east-1\): \$309\.\d\d = custom metrics \$266\.40 \+ performance logs \$32\.\d\d \(61\.8 GB ingested, at most 60\.9 GB stored\) \+ collector \$10\.63\.$/,
    );
  });
});
