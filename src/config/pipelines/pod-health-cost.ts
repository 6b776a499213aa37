import { OTLP_PRICE_NOTE } from '../../core/aws-prices';
import { podHealthFamilies } from '../catalog/kube-state-metrics-resources';
import {
  POD_HEALTH_LEVELS,
  type PodHealthLevel,
  type PodHealthLevelSpec,
  type PodHealthProfile,
  podHealthLevel,
  podHealthLevels,
  podHealthSeries,
} from '../catalog/pod-health-metrics';
import { customMetricsMonthlyUsd, estimateLogs } from '../cost-estimate';
import { DEFAULT_METRICS_DESTINATION, sendsEmf, sendsOtlp } from '../metrics-destination';
import type { PodNaming } from '../pod-naming';
import { performanceLogGroupName } from './emf-pipeline';
import type { ClusterLoad, CollectorConfigOptions, CostLine } from './pipeline';

/** What pod health costs: the custom metrics it declares and the log events it writes, per level and load. */

/** How many of what a value is counted per a cluster has. */
function valuesPer(per: PodHealthLevelSpec['per'], load: ClusterLoad): number {
  const counts: Readonly<Record<PodHealthLevelSpec['per'], number>> = {
    pod: load.pods,
    namespace: load.namespaces,
    cluster: 1,
    service: load.services,
    workload: load.workloads,
  };
  return counts[per];
}

/** What a dimension set's values are counted per: a pod's by its workload, unless it has `FullPodName` or names pods. */
function setPer(level: PodHealthLevel, set: readonly string[], podNaming: PodNaming): PodHealthLevelSpec['per'] {
  const per = POD_HEALTH_LEVELS[level].per;
  if (per !== 'pod') return per;
  return set.includes('FullPodName') || !podNaming.byWorkload ? 'pod' : 'workload';
}

/**
 * A profile's custom metrics in a cluster: each declared metric once per
 * value of each of its level's dimension sets, grouped by what the values
 * are counted per (a metric counted once per group).
 */
export function podHealthCustomMetrics(
  profile: PodHealthProfile,
  load: ClusterLoad,
  podNaming: PodNaming,
): Array<{
  readonly per: string;
  readonly metrics: number;
  readonly values: number;
}> {
  const byPer = new Map<string, { per: string; names: Set<string>; values: number }>();
  for (const s of podHealthSeries(profile)) {
    if (s.computation.logsOnly === true) continue;
    for (const set of podHealthLevel(s.computation.level, podNaming).dimensions) {
      const per = setPer(s.computation.level, set, podNaming);
      const group = byPer.get(per) ?? {
        per,
        names: new Set(),
        values: valuesPer(per, load),
      };
      group.names.add(s.metric.name);
      byPer.set(per, group);
    }
  }
  const order = ['cluster', 'namespace', 'service', 'workload', 'pod'];
  return [...byPer.values()]
    .sort((a, b) => order.indexOf(a.per) - order.indexOf(b.per))
    .map((g) => ({ per: g.per, metrics: g.names.size, values: g.values }));
}

/** The JSON of one Embedded Metric Format event of a level, with 40-character names: what one value set weighs. */
function podHealthEventBytes(level: PodHealthLevel, metrics: readonly string[], podNaming: PodNaming): number {
  const spec = podHealthLevel(level, podNaming);
  const name = 'x'.repeat(40);
  const dimensions = [...new Set(spec.dimensions.flat())];
  const event = {
    _aws: {
      Timestamp: 1_764_547_200_000,
      CloudWatchMetrics: [
        {
          Namespace: 'ContainerInsights',
          Dimensions: spec.dimensions,
          Metrics: metrics.map((metric) => ({ Name: metric, Unit: 'Count' })),
        },
      ],
    },
    ...Object.fromEntries([...dimensions, ...(level === 'pod' ? ['FullPodName'] : [])].map((d) => [d, name])),
    Type: spec.type,
    ...Object.fromEntries(metrics.map((metric) => [metric, 10])),
  };
  return JSON.stringify(event).length;
}

/**
 * What pod health costs a month: its custom metrics (EMF path), the events'
 * ingestion and storage in the performance log group, its OTLP volume
 * (not priced), and kube-state-metrics' own Fargate pod.
 */
export function podHealthCost(options: CollectorConfigOptions, load: ClusterLoad): CostLine[] {
  const podHealth = options.podHealth;
  if (podHealth === undefined) return [];
  const destination = options.metricsDestination ?? DEFAULT_METRICS_DESTINATION;
  const lines: CostLine[] = [];
  if (sendsEmf(destination)) {
    const terms = podHealthCustomMetrics(podHealth.profile, load, options.podNaming);
    const count = terms.reduce((total, t) => total + t.metrics * t.values, 0);
    lines.push({
      item: 'pod health custom metrics',
      monthlyUsd: customMetricsMonthlyUsd(count),
      basis: `${terms.map((t) => `${t.metrics} per ${t.per} × ${t.values}`).join(' + ')} = ${count} custom metrics`,
      usage: { amount: count, unit: 'custom metrics' },
    });
    const bytesPerScrape = podHealthLevels(podHealth.profile).reduce((total, level) => {
      const metrics = [
        ...new Set(
          podHealthSeries(podHealth.profile)
            .filter((s) => s.computation.level === level)
            .map((s) => s.metric.name),
        ),
      ];
      return (
        total + podHealthEventBytes(level, metrics, options.podNaming) * valuesPer(POD_HEALTH_LEVELS[level].per, load)
      );
    }, 0);
    const logs = estimateLogs({
      bytesPerScrape,
      scrapeIntervalSeconds: options.scrapeIntervalMs / 1000,
      retentionDays: options.logRetentionDays,
    });
    lines.push({
      item: 'pod health logs',
      monthlyUsd: logs.ingestionUsd + logs.storageUsd,
      basis: `${Math.round(bytesPerScrape / 1000)} KB of events a scrape, ${logs.ingestedGb.toFixed(2)} GB ingested a month into ${performanceLogGroupName(options.clusterName)}`,
      usage: { amount: logs.ingestedGb, unit: 'GB ingested' },
    });
  }
  if (sendsOtlp(destination)) {
    lines.push({
      item: 'pod health over OTLP',
      monthlyUsd: 0,
      notPriced: OTLP_PRICE_NOTE,
      basis: `kube-state-metrics' ${podHealthFamilies(podHealth.profile).length} families as they are, for ${load.pods} pods`,
    });
  }
  lines.push({
    item: 'kube-state-metrics',
    monthlyUsd: podHealth.pod.monthlyUsd,
    basis: `1 × ${podHealth.pod.size} on Fargate`,
    usage: { amount: 1, unit: 'Fargate pods' },
  });
  return lines;
}
