import type { AttributesProcessorConfig } from './components/attributes-processor';
import type {
  AwsEmfApplicationExporterConfig,
  AwsEmfExporterConfig,
  AwsEmfPodHealthExporterConfig,
} from './components/awsemf-exporter';
import type { BatchProcessorConfig } from './components/batch-processor';
import type { CumulativeToDeltaProcessorConfig } from './components/cumulativetodelta-processor';
import type { DeltaToRateProcessorConfig } from './components/deltatorate-processor';
import type { FilterConditionsProcessorConfig, FilterProcessorConfig } from './components/filter-processor';
import type { HealthCheckExtensionConfig } from './components/health-check-extension';
import type { MemoryLimiterProcessorConfig } from './components/memory-limiter-processor';
import type { MetricsGenerationProcessorConfig } from './components/metricsgeneration-processor';
import type { MetricsTransformProcessorConfig } from './components/metricstransform-processor';
import type { OtlpHttpExporterConfig } from './components/otlphttp-exporter';
import type {
  ApplicationPrometheusReceiverConfig,
  PodHealthPrometheusReceiverConfig,
  PrometheusReceiverConfig,
} from './components/prometheus-receiver';
import type { PrometheusRemoteWriteExporterConfig } from './components/prometheusremotewrite-exporter';
import type { ResourceProcessorConfig } from './components/resource-processor';
import type { ResourceDetectionProcessorConfig } from './components/resourcedetection-processor';
import type { MetricsPipelineConfig, ServiceConfig } from './components/service';
import type { SigV4AuthExtensionConfig } from './components/sigv4auth-extension';

/** Any processor of the pipeline. */
export type ProcessorConfig =
  | MemoryLimiterProcessorConfig
  | MetricsTransformProcessorConfig
  | FilterProcessorConfig
  | FilterConditionsProcessorConfig
  | CumulativeToDeltaProcessorConfig
  | DeltaToRateProcessorConfig
  | MetricsGenerationProcessorConfig
  | ResourceDetectionProcessorConfig
  | ResourceProcessorConfig
  | AttributesProcessorConfig
  | BatchProcessorConfig;
/** The whole collector configuration file. */
export interface CollectorConfig {
  /** The receivers, by id. */
  readonly receivers: {
    /** The cAdvisor scrape of the Embedded Metric Format path. */
    readonly prometheus?: PrometheusReceiverConfig;
    /** The cAdvisor scrape of the OTLP path. */
    readonly 'prometheus/otlp'?: PrometheusReceiverConfig;
    /** With application metrics: the scrape of the annotated pods. */
    readonly 'prometheus/application'?: ApplicationPrometheusReceiverConfig;
    /** With pod health: the scrape of kube-state-metrics. */
    readonly 'prometheus/pod_health'?: PodHealthPrometheusReceiverConfig;
  };
  /** The processors, by id, in pipeline order. */
  readonly processors: Readonly<Record<string, ProcessorConfig>>;
  /** The exporters, by id. */
  readonly exporters: {
    /** Embedded Metric Format to CloudWatch Logs. */
    readonly awsemf?: AwsEmfExporterConfig;
    /** OTLP to CloudWatch's metrics endpoint. */
    readonly 'otlphttp/cloudwatch'?: OtlpHttpExporterConfig;
    /** With application metrics to CloudWatch: their Embedded Metric Format. */
    readonly 'awsemf/application'?: AwsEmfApplicationExporterConfig;
    /** With application metrics to Amazon Managed Service for Prometheus: remote write. */
    readonly 'prometheusremotewrite/application'?: PrometheusRemoteWriteExporterConfig;
    /** With pod health and the EMF path: its Embedded Metric Format. */
    readonly 'awsemf/pod_health'?: AwsEmfPodHealthExporterConfig;
  };
  /** The extensions, by id. */
  readonly extensions: {
    /** The health endpoint the probes read. */
    readonly health_check: HealthCheckExtensionConfig;
    /** With application metrics to Amazon Managed Service for Prometheus: the request signer. */
    readonly 'sigv4auth/application'?: SigV4AuthExtensionConfig;
    /** With the OTLP path: the signer of the requests to CloudWatch's metrics endpoint. */
    readonly 'sigv4auth/monitoring'?: SigV4AuthExtensionConfig;
  };
  /** What runs. */
  readonly service: ServiceConfig;
}

/** A configuration with the Embedded Metric Format path (destination `emf` or `both`). */
export interface EmfCollectorConfig extends CollectorConfig {
  /** The receivers, the cAdvisor scrape of the EMF path among them. */
  readonly receivers: CollectorConfig['receivers'] & {
    /** The cAdvisor scrape of the EMF path. */
    readonly prometheus: PrometheusReceiverConfig;
  };
  /** The exporters, awsemf among them. */
  readonly exporters: CollectorConfig['exporters'] & {
    /** Embedded Metric Format to CloudWatch Logs. */
    readonly awsemf: AwsEmfExporterConfig;
  };
  /** What runs, the EMF pipeline among it. */
  readonly service: ServiceConfig & {
    /** The pipelines, `metrics` among them. */
    readonly pipelines: ServiceConfig['pipelines'] & {
      /** The Container Insights pipeline to Embedded Metric Format. */
      readonly metrics: MetricsPipelineConfig;
    };
  };
}

/** Whether a configuration has the Embedded Metric Format path. */
export function hasEmfPath(config: CollectorConfig): config is EmfCollectorConfig {
  return (
    config.receivers.prometheus !== undefined &&
    config.exporters.awsemf !== undefined &&
    config.service.pipelines.metrics !== undefined
  );
}
