import {
  CGROUP_MEASUREMENTS,
  CONTAINER_ONLY_MEASUREMENTS,
  CONTAINER_SERIES,
  fromCadvisor,
  NETWORK_MEASUREMENTS,
  NODE_METRICS,
  POD_LABELS,
  POD_NETWORK_SERIES,
  podMetric,
} from './catalog/cadvisor-measures';
import { GENERATED } from './catalog/derived-metrics';
import type { MetricDefinition } from './catalog/metric-types';

/**
 * The Container Insights metrics the collector derives from cAdvisor on EKS
 * Fargate, as data. Everything in the collector's metrics pipeline that names
 * a metric (the metricstransform renames, the filter, cumulativetodelta,
 * deltatorate, the metricsgeneration rules and the awsemf declarations) is
 * computed from this table, so adding a metric is one entry in
 * catalog/cadvisor-measures.ts (a cAdvisor measure) or catalog/derived-metrics.ts
 * (a metric computed from others).
 *
 * The entries reproduce the metric set of the AWS reference manifest for
 * Container Insights on EKS Fargate (aws-otel-collector
 * `deployment-template/eks/otel-fargate-container-insights.yaml`).
 */

/** Every metric the collector produces, in pipeline order. */
export const METRIC_CATALOG: readonly MetricDefinition[] = [
  ...[...CGROUP_MEASUREMENTS, ...CONTAINER_ONLY_MEASUREMENTS].map((m) =>
    fromCadvisor('container', CONTAINER_SERIES, m),
  ),
  ...CGROUP_MEASUREMENTS.map(podMetric),
  ...NETWORK_MEASUREMENTS.map((m) => fromCadvisor('pod', POD_NETWORK_SERIES, m, POD_LABELS)),
  ...NODE_METRICS,
  ...GENERATED,
];

/** Looks up a catalog entry by its CloudWatch name. */
export function findMetric(name: string): MetricDefinition | undefined {
  return METRIC_CATALOG.find((m) => m.name === name);
}
