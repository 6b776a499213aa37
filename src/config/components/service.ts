import type { AdotVersion, TelemetryPrometheusFlags } from '../adot-version';

/** Port of the collector's own metrics endpoint (its default). */
export const TELEMETRY_PORT = 8888;

/** The Prometheus exporter of the collector's own metrics. */
export interface TelemetryPrometheusExporter extends TelemetryPrometheusFlags {
  /** The address it listens on. */
  readonly host: string;
  /** The port it listens on. */
  readonly port: number;
}

/** A Prometheus pull exporter serving the collector's own metrics. */
export interface TelemetryPrometheusReader {
  /** A reader that is scraped. */
  readonly pull: {
    /** How the metrics are exported. */
    readonly exporter: {
      /** As Prometheus text. */
      readonly prometheus: TelemetryPrometheusExporter;
    };
  };
}

/** `service.telemetry.metrics` up to ADOT v0.41.x: one address. */
export interface TelemetryMetricsAddress {
  /** The address the collector's own metrics are served on. */
  readonly address: string;
}

/** `service.telemetry.metrics` from ADOT v0.42.0: metric readers. */
export interface TelemetryMetricsReaders {
  /** The readers. */
  readonly readers: readonly TelemetryPrometheusReader[];
}

/** `service.telemetry.metrics`, in the form the release reads. */
export type TelemetryMetricsConfig = TelemetryMetricsAddress | TelemetryMetricsReaders;

/** A metrics pipeline: component ids, in order. */
export interface MetricsPipelineConfig {
  /** The receivers. */
  readonly receivers: readonly string[];
  /** The processors, in the order data passes through them. */
  readonly processors: readonly string[];
  /** The exporters. */
  readonly exporters: readonly string[];
}

/** The `service` section: what runs. */
export interface ServiceConfig {
  /** The pipelines, by id. */
  readonly pipelines: {
    /** The Container Insights pipeline to Embedded Metric Format (destination `emf` or `both`). */
    readonly metrics?: MetricsPipelineConfig;
    /** The Container Insights pipeline to CloudWatch's OTLP endpoint (destination `otlp` or `both`). */
    readonly 'metrics/otlp'?: MetricsPipelineConfig;
    /** With application metrics to CloudWatch: the declared metrics, as EMF. */
    readonly 'metrics/application_cloudwatch'?: MetricsPipelineConfig;
    /** With application metrics to Amazon Managed Service for Prometheus: every scraped metric, by remote write. */
    readonly 'metrics/application_prometheus'?: MetricsPipelineConfig;
    /** With pod health and the EMF path: kube-state-metrics' series as Container Insights metrics. */
    readonly 'metrics/pod_health'?: MetricsPipelineConfig;
    /** With pod health and the OTLP path: kube-state-metrics' series as they are. */
    readonly 'metrics/pod_health_otlp'?: MetricsPipelineConfig;
  };
  /** The extensions started. */
  readonly extensions: readonly string[];
  /** The collector's own telemetry. */
  readonly telemetry: {
    /** Its own metrics. */
    readonly metrics: TelemetryMetricsConfig;
  };
}

/**
 * The collector's own metrics, on all interfaces so that the Service (and a
 * Prometheus that scrapes it) can reach them. Up to ADOT v0.41.x that is the
 * `address` default already; from v0.42.0 the default reader listens on
 * localhost only, so it is replaced by the same reader on 0.0.0.0, with the
 * release's default flags so the metric names do not change.
 */
export function telemetryMetrics(version: AdotVersion): TelemetryMetricsConfig {
  const telemetry = version._telemetryMetrics;
  if (telemetry.style === 'address') return { address: `0.0.0.0:${TELEMETRY_PORT}` };
  return {
    readers: [
      { pull: { exporter: { prometheus: { host: '0.0.0.0', port: TELEMETRY_PORT, ...telemetry.defaultFlags } } } },
    ],
  };
}
