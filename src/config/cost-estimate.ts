import {
  CLOUDWATCH_LOGS_PRICES_US_EAST_1,
  CLOUDWATCH_METRIC_PRICES_US_EAST_1,
  DAYS_PER_MONTH,
  type MetricPriceTier,
  SECONDS_PER_MONTH,
} from '../core/aws-prices';
import { showValue, ValidationError } from '../core/errors';
import { inWords } from '../core/plural';
import { Dimension, type MetricDeclarationSpec } from './catalog/metric-types';

/**
 * How many CloudWatch custom metrics a metric selection creates, and what they
 * cost a month. Every metric of a declaration is one custom metric per
 * dimension set of the declaration per distinct combination of dimension values:
 *
 * - `[ClusterName]` or `[ClusterName, LaunchType]`: one per cluster (node
 *   metrics in `[ClusterName]` too: CloudWatch aggregates every node's values
 *   into the one metric);
 * - with `Namespace`: one per namespace that has pods;
 * - with `PodName`: one per workload (`PodNaming.WORKLOAD`: the replicas of
 *   a workload are one metric), or per pod (`PodNaming.POD`);
 * - with `FullPodName` or `NodeName`: one per pod (on Fargate every pod runs
 *   on a node of its own, so a node name is as many as the pods).
 *
 * custom metrics = Σ over declarations, Σ over their dimension sets of
 *                  (metrics × values of that set).
 * CloudWatch bills custom metrics per month in tiers, prorated by the hour:
 * a pod that runs a week costs a quarter of a metric-month per metric and set.
 */

/** The regions of a list, each once, sorted, in words: `eu-west-1 and us-east-1`. */
export function regionsInWords(regions: readonly string[]): string {
  return inWords([...new Set(regions)].sort());
}

/** What an estimate is for. */
export interface CustomMetricsEstimateInput {
  /** The metrics sent to CloudWatch as metrics, with their dimension sets (a collector's `metricDeclarations`). */
  readonly declarations: readonly MetricDeclarationSpec[];
  /** Namespaces with Fargate pods, the collector's included. */
  readonly namespaces: number;
  /** Fargate pods running at the same time, the collector's included. */
  readonly pods: number;
  /** The workloads the pods belong to; at least `namespaces`, at most `pods`. */
  readonly workloads: number;
  /** What `PodName` names: the pod's workload (`PodNaming.WORKLOAD`), or the pod (`PodNaming.POD`). */
  readonly podNamePer: 'workload' | 'pod';
}

/** An estimate: the custom metrics, by declaration and dimension set and in total, and their monthly price. */
export interface CustomMetricsEstimate {
  /** The custom metrics of each declaration in each of its dimension sets. */
  readonly perDimensionSet: ReadonlyArray<{
    /** Index of the declaration in the input. */
    readonly declaration: number;
    /** The dimension set. */
    readonly dimensions: readonly Dimension[];
    /** Custom metrics of this declaration in this set: its metrics × the values the set takes. */
    readonly metrics: number;
  }>;
  /** The custom metrics in all. */
  readonly customMetrics: number;
  /** Their monthly price, in US dollars, by the tiers. */
  readonly monthlyUsd: number;
}

/**
 * The namespaces an estimate assumes a cluster's pods are spread over unless
 * told: 10, or one per pod in a smaller cluster (a namespace without pods
 * sends no metrics). The app's `EXPECTED_NAMESPACES` default and a fleet's.
 */
export function defaultExpectedNamespaces(pods: number): number {
  return Math.min(10, pods);
}

/**
 * The workloads an estimate assumes a cluster's pods belong to unless told:
 * 3 for every 10 pods (a Deployment of about three replicas), rounded, at
 * least one per namespace and at most one per pod. The app's
 * `EXPECTED_WORKLOADS` default and a fleet's `expectedWorkloads`.
 */
export function defaultExpectedWorkloads(pods: number, namespaces: number): number {
  return Math.min(pods, Math.max(namespaces, Math.round((pods * 3) / 10)));
}

/**
 * The Services with ready pods an estimate assumes unless told: one per
 * workload. The app's `EXPECTED_SERVICES` default and a fleet's `expectedServices`.
 */
export function defaultExpectedServices(workloads: number): number {
  return workloads;
}

/** What a dimension set's values are counted per. */
type DimensionScope = 'pod' | 'workload' | 'namespace' | 'cluster';

/**
 * What a dimension set's values are counted per: a pod (on Fargate every
 * pod is a node of its own, so a node name is one per pod too), a `PodName`
 * (a workload, or a pod with `PodNaming.POD`), a namespace, or the cluster.
 */
function dimensionScope(set: readonly Dimension[], podNamePer: 'workload' | 'pod'): DimensionScope {
  if (set.includes(Dimension.FULL_POD_NAME) || set.includes(Dimension.NODE_NAME)) return 'pod';
  if (set.includes(Dimension.POD_NAME)) return podNamePer;
  if (set.includes(Dimension.NAMESPACE)) return 'namespace';
  return 'cluster';
}

/** How many distinct value combinations a dimension set takes. */
export function dimensionSetValues(
  set: readonly Dimension[],
  load: Pick<CustomMetricsEstimateInput, 'namespaces' | 'pods' | 'workloads' | 'podNamePer'>,
): number {
  return { pod: load.pods, workload: load.workloads, namespace: load.namespaces, cluster: 1 }[
    dimensionScope(set, load.podNamePer)
  ];
}

/** The monthly price of `count` custom metrics under `tiers`. */
export function customMetricsMonthlyUsd(
  count: number,
  tiers: readonly MetricPriceTier[] = CLOUDWATCH_METRIC_PRICES_US_EAST_1,
): number {
  let remaining = count;
  let from = 0;
  let usd = 0;
  for (const tier of tiers) {
    const inTier = Math.min(remaining, tier.upTo - from);
    usd += inTier * tier.usdPerMetricMonth;
    remaining -= inTier;
    from = tier.upTo;
    if (remaining <= 0) break;
  }
  return Math.round(usd * 100) / 100;
}

/**
 * Estimates the custom metrics of a selection for a number of namespaces and
 * pods, and their monthly price (us-east-1 unless other tiers are given).
 *
 * @throws ValidationError when the counts are not whole numbers with 1 ≤ namespaces ≤ pods
 */
export function estimateCustomMetrics(
  input: CustomMetricsEstimateInput,
  tiers: readonly MetricPriceTier[] = CLOUDWATCH_METRIC_PRICES_US_EAST_1,
): CustomMetricsEstimate {
  const { namespaces, pods } = input;
  if (!Number.isInteger(pods) || pods < 1) {
    throw new ValidationError(`Invalid pods ${showValue(pods)}: expected a whole number of at least 1.`);
  }
  if (!Number.isInteger(namespaces) || namespaces < 1 || namespaces > pods) {
    throw new ValidationError(
      `Invalid namespaces ${showValue(namespaces)}: expected a whole number from 1 to pods (${pods}); a namespace without pods sends no metrics.`,
    );
  }
  if (!Number.isInteger(input.workloads) || input.workloads < namespaces || input.workloads > pods) {
    throw new ValidationError(
      `Invalid workloads ${showValue(input.workloads)}: expected a whole number from namespaces (${namespaces}) to pods (${pods}); every namespace with pods has a workload, and every workload a pod.`,
    );
  }
  const perDimensionSet = input.declarations.flatMap((declaration, index) =>
    declaration.dimensionSets.map((dimensions) => ({
      declaration: index,
      dimensions,
      metrics: declaration.metrics.length * dimensionSetValues(dimensions, input),
    })),
  );
  const customMetrics = perDimensionSet.reduce((sum, s) => sum + s.metrics, 0);
  return { perDimensionSet, customMetrics, monthlyUsd: customMetricsMonthlyUsd(customMetrics, tiers) };
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * Custom metrics as a sum over what they are counted per, with the
 * multipliers in view and in a fixed order whatever the order of the
 * declarations: `8 metrics per cluster × 1 + 8 per namespace × 10 + ...`.
 * Each term counts (metric, dimension set) pairs of one scope.
 */
function perScopeSum(
  terms: ReadonlyArray<{ readonly scope: string; readonly pairs: number; readonly values: number }>,
  scopes: readonly string[],
): string {
  const byScope = scopes.flatMap((scope) => {
    const of = terms.filter((term) => term.scope === scope);
    if (of.length === 0) return [];
    return [{ scope, pairs: of.reduce((sum, term) => sum + term.pairs, 0), values: of[0]?.values ?? 0 }];
  });
  return byScope
    .map(({ scope, pairs, values }, index) =>
      index === 0 ? `${plural(pairs, 'metric')} per ${scope} × ${values}` : `${pairs} per ${scope} × ${values}`,
    )
    .join(' + ');
}

/** How the custom metrics were counted, for a person: `8 metrics per cluster × 1 + ... = 888 custom metrics`. */
export function customMetricsBasis(input: CustomMetricsEstimateInput, estimate: CustomMetricsEstimate): string {
  const terms = estimate.perDimensionSet.map((s) => ({
    scope: dimensionScope(s.dimensions, input.podNamePer),
    pairs: input.declarations[s.declaration]?.metrics.length ?? 0,
    values: dimensionSetValues(s.dimensions, input),
  }));
  return `${perScopeSum(terms, ['cluster', 'namespace', 'workload', 'pod'])} = ${estimate.customMetrics} custom metrics`;
}

/**
 * Embedded Metric Format bytes the collector writes per pod per scrape: 14.1 KB,
 * measured with the real ADOT collector (v0.42.0) running this library's
 * default configuration against a simulated EKS Fargate cluster (the same at
 * 20, 100 and 300 nodes, within 1%). Every metric of the catalog is written,
 * declared or not, so the figure hardly depends on the profile.
 */
const EMF_BYTES_PER_POD_SCRAPE = 14_100;

/** What the performance log group's estimate is computed from. */
export interface PerformanceLogsEstimateInput {
  /** Fargate pods running at the same time, the collector's included. */
  readonly pods: number;
  /** Seconds between two scrapes of a pod's node. */
  readonly scrapeIntervalSeconds: number;
  /** The log group's retention in days; 0: never expire, estimated after a year. */
  readonly retentionDays: number;
}

/** The performance log group's monthly bill. */
export interface PerformanceLogsEstimate {
  /** GB (10^9 bytes) of EMF ingested a month. */
  readonly ingestedGb: number;
  /** What ingesting them costs a month, in US dollars. */
  readonly ingestionUsd: number;
  /** GB held at once: a retention's worth, or a year's with none. */
  readonly storedGb: number;
  /** What holding them costs a month, in US dollars, at most (uncompressed). */
  readonly storageUsd: number;
}

/** Estimates what the performance log group costs a month, from {@link EMF_BYTES_PER_POD_SCRAPE}. */
export function estimatePerformanceLogs(input: PerformanceLogsEstimateInput): PerformanceLogsEstimate {
  return estimateLogs({ ...input, bytesPerScrape: input.pods * EMF_BYTES_PER_POD_SCRAPE });
}

/**
 * What a log group costs a month when each scrape writes `bytesPerScrape`:
 * ingestion, and storage for the retention (a year's with none).
 */
export function estimateLogs(input: {
  readonly bytesPerScrape: number;
  readonly scrapeIntervalSeconds: number;
  readonly retentionDays: number;
}): PerformanceLogsEstimate {
  const scrapesPerMonth = SECONDS_PER_MONTH / input.scrapeIntervalSeconds;
  const ingestedGb = (input.bytesPerScrape * scrapesPerMonth) / 1e9;
  const heldMonths = input.retentionDays === 0 ? 12 : input.retentionDays / DAYS_PER_MONTH;
  const storedGb = ingestedGb * heldMonths;
  const prices = CLOUDWATCH_LOGS_PRICES_US_EAST_1;
  return {
    ingestedGb,
    ingestionUsd: ingestedGb * prices.ingestionPerGb,
    storedGb,
    storageUsd: storedGb * prices.storagePerGbMonth,
  };
}

/** How the performance logs were counted, for a person: what is ingested, and what is held. */
export function performanceLogsBasis(logs: PerformanceLogsEstimate, retentionDays: number): string {
  const ingested = `${logs.ingestedGb.toFixed(1)} GB ingested a month`;
  return retentionDays === 0
    ? `${ingested}; they never expire, so storage grows by as much every month (priced here at a year's, ${logs.storedGb.toFixed(1)} GB)`
    : `${ingested}, at most ${logs.storedGb.toFixed(1)} GB held (${retentionDays}-day retention)`;
}

/** What the estimate of the application metrics sent to CloudWatch is for. */
export interface ApplicationMetricsEstimateInput {
  /** The declarations of the CloudWatch destination. */
  readonly declarations: ReadonlyArray<{
    /** Metric names. */
    readonly metrics: readonly string[];
    /** Dimension sets. */
    readonly dimensionSets: ReadonlyArray<readonly string[]>;
  }>;
  /** Namespaces with scraped pods. */
  readonly namespaces: number;
  /** Distinct `app` label values among the scraped pods. */
  readonly apps: number;
  /** Scraped pods running at the same time. */
  readonly pods: number;
}

/** The application metrics' custom metrics, by declaration and dimension set and in total, and their monthly price. */
export interface ApplicationMetricsEstimate {
  /** The custom metrics of each declaration in each of its dimension sets. */
  readonly perDimensionSet: ReadonlyArray<{
    /** Index of the declaration in the input. */
    readonly declaration: number;
    /** The dimension set. */
    readonly dimensions: readonly string[];
    /** Custom metrics of this declaration in this set. */
    readonly metrics: number;
  }>;
  /** The custom metrics in all. */
  readonly customMetrics: number;
  /** Their monthly price, in US dollars, by the tiers. */
  readonly monthlyUsd: number;
}

/**
 * How many values an application dimension set takes: one per pod with
 * `pod`, else one per application with `app`, else one per namespace with
 * `namespace`, else one. A label of the application's own counts once: the
 * estimate is then a lower bound (multiply by that label's values).
 */
function applicationDimensionSetValues(
  set: readonly string[],
  input: Pick<ApplicationMetricsEstimateInput, 'namespaces' | 'apps' | 'pods'>,
): number {
  return { pod: input.pods, app: input.apps, namespace: input.namespaces, cluster: 1 }[applicationScope(set)];
}

/** What an application dimension set's values are counted per. */
function applicationScope(set: readonly string[]): 'pod' | 'app' | 'namespace' | 'cluster' {
  return (['pod', 'app', 'namespace'] as const).find((label) => set.includes(label)) ?? 'cluster';
}

/** Labels an application dimension set has beyond those the estimate knows the values of. */
function ownLabels(set: readonly string[]): string[] {
  return set.filter((label) => !['ClusterName', 'namespace', 'app', 'pod'].includes(label));
}

/**
 * Estimates the custom metrics the application metrics' declarations create
 * in CloudWatch, and their monthly price on their own (us-east-1 unless other
 * tiers are given). Undeclared metrics are not sent, so they cost nothing.
 *
 * @throws ValidationError when the counts are not whole numbers with 1 ≤ namespaces, apps ≤ pods
 */
export function estimateApplicationMetrics(
  input: ApplicationMetricsEstimateInput,
  tiers: readonly MetricPriceTier[] = CLOUDWATCH_METRIC_PRICES_US_EAST_1,
): ApplicationMetricsEstimate {
  const { pods, namespaces, apps } = input;
  if (!Number.isInteger(pods) || pods < 1) {
    throw new ValidationError(`Invalid pods ${showValue(pods)}: expected a whole number of at least 1.`);
  }
  for (const [name, value] of [
    ['namespaces', namespaces],
    ['apps', apps],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > pods) {
      throw new ValidationError(
        `Invalid ${name} ${showValue(value)}: expected a whole number from 1 to pods (${pods}).`,
      );
    }
  }
  const perDimensionSet = input.declarations.flatMap((declaration, index) =>
    declaration.dimensionSets.map((dimensions) => ({
      declaration: index,
      dimensions,
      metrics: declaration.metrics.length * applicationDimensionSetValues(dimensions, input),
    })),
  );
  const customMetrics = perDimensionSet.reduce((sum, s) => sum + s.metrics, 0);
  return { perDimensionSet, customMetrics, monthlyUsd: customMetricsMonthlyUsd(customMetrics, tiers) };
}

/** How the application metrics' custom metrics were counted, for a person; a lower bound with labels of their own. */
export function applicationMetricsBasis(
  input: ApplicationMetricsEstimateInput,
  estimate: ApplicationMetricsEstimate,
): string {
  const terms = estimate.perDimensionSet.map((s) => ({
    scope: applicationScope(s.dimensions),
    pairs: input.declarations[s.declaration]?.metrics.length ?? 0,
    values: applicationDimensionSetValues(s.dimensions, input),
  }));
  const own = [...new Set(input.declarations.flatMap((d) => d.dimensionSets.flatMap(ownLabels)))];
  const bound = own.length === 0 ? '' : `, at least (times the values of ${own.join(', ')})`;
  return `${perScopeSum(terms, ['cluster', 'namespace', 'app', 'pod'])} = ${estimate.customMetrics} custom metrics${bound}`;
}
