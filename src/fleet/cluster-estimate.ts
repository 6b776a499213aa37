import { DEFAULT_SCRAPE_INTERVAL } from '../collector/collector-common';
import { PROFILE_DECLARATIONS } from '../config/catalog/profiles';
import {
  type CustomMetricsEstimate,
  type CustomMetricsEstimateInput,
  defaultExpectedNamespaces,
  estimateCustomMetrics,
  estimatePerformanceLogs,
  type MonthlyBill,
  monthlyBill,
  type PerformanceLogsEstimate,
} from '../config/cost-estimate';
import { estimateOtlpIngestion, type OtlpEstimate, sendsEmf, sendsOtlp } from '../config/otlp';
import { type CollectorSizing, sizeCollector } from '../fargate/collector-sizing';
import type { ResolvedCluster } from './cluster-settings';

/** What one cluster's collector costs a month, and why: the one estimate the app and a fleet both print. */
export interface ClusterEstimate {
  /** The collector's size for the cluster's pods and replicas, at the default scrape interval. */
  readonly sizing: CollectorSizing;
  /** What the custom metrics are counted for: the profile's declarations, the namespaces and the pods. */
  readonly metricsInput: CustomMetricsEstimateInput;
  /** The custom metrics of the Embedded Metric Format path. */
  readonly metrics: CustomMetricsEstimate;
  /** The performance log group's ingestion and storage. */
  readonly logs: PerformanceLogsEstimate;
  /** What the Embedded Metric Format path costs with the collector, whether or not the cluster sends it. */
  readonly emfBill: MonthlyBill;
  /** What the cluster pays: `emfBill`, or the collector alone when it sends only over OTLP. */
  readonly bill: MonthlyBill;
  /** Whether the cluster sends Embedded Metric Format. */
  readonly emf: boolean;
  /** With OTLP: the GB it ingests there. */
  readonly otlp?: OtlpEstimate;
}

/**
 * A cluster's monthly estimate, from its resolved settings.
 *
 * @param namespaces the namespaces its pods are spread over; default `defaultExpectedNamespaces`
 */
export function estimateCluster(cluster: ResolvedCluster, namespaces?: number): ClusterEstimate {
  const { expectedPods: pods, replicas } = cluster;
  const scrapeIntervalSeconds = DEFAULT_SCRAPE_INTERVAL.toSeconds();
  const sizing = sizeCollector({ expectedPods: pods, replicas, scrapeIntervalSeconds });
  const metricsInput = {
    declarations: PROFILE_DECLARATIONS[cluster.metricProfile],
    namespaces: namespaces ?? defaultExpectedNamespaces(pods),
    pods,
  };
  const metrics = estimateCustomMetrics(metricsInput);
  const logs = estimatePerformanceLogs({
    pods,
    scrapeIntervalSeconds,
    retentionDays: cluster.performanceLogRetentionDays,
  });
  const emfBill = monthlyBill(metrics, logs, sizing.monthlyUsd);
  const emf = sendsEmf(cluster.metricsDestination);
  const collectorOnly = { metricsUsd: 0, logsUsd: 0, collectorUsd: sizing.monthlyUsd, totalUsd: sizing.monthlyUsd };
  return {
    sizing,
    metricsInput,
    metrics,
    logs,
    emfBill,
    bill: emf ? emfBill : collectorOnly,
    emf,
    ...(sendsOtlp(cluster.metricsDestination) ? { otlp: estimateOtlpIngestion({ pods, scrapeIntervalSeconds }) } : {}),
  };
}
