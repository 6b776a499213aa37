import type { AdotVersion, TelemetryPrometheusFlags } from './adot-version';
import {
  APPLICATION_CLUSTER_LABEL,
  APPLICATION_LABELS,
  type ApplicationMetricsConfigOptions,
} from './application-metrics';
import {
  findMetric,
  type LabelMatchers,
  METRIC_CATALOG,
  type MetricDeclarationSpec,
  type MetricDefinition,
  type MetricScope,
  operandsOf,
} from './metric-catalog';
import {
  DEFAULT_METRICS_DESTINATION,
  type MetricsDestination,
  OTLP_BATCH_SIZE,
  OTLP_CADVISOR_FAMILIES,
  otlpMetricsEndpoint,
  sendsEmf,
  sendsOtlp,
} from './otlp';

/**
 * The collector configuration as a typed object, built from the metric
 * catalog and the ADOT version table. Field names are the collector's own
 * configuration keys (checked against each component's `config.go`), so the
 * object renders to the collector's YAML one to one. String values hold
 * literal `$` characters; `renderCollectorConfig` escapes them.
 */

/** Where the collector reads the service account's credentials inside its pod. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Port of the `health_check` extension (its default). */
export const HEALTH_CHECK_PORT = 13133;

/** Port of the collector's own metrics endpoint (its default). */
export const TELEMETRY_PORT = 8888;

/**
 * A value the collector fills in from its environment when it loads the
 * configuration: rendered as `${env:NAME}`, the one `$` that is not escaped.
 */
export class EnvReference {
  public constructor(
    /** Name of the environment variable. */
    public readonly name: string,
  ) {}

  /** The reference as the collector reads it. */
  public toString(): string {
    return `\${env:${this.name}}`;
  }

  /** The same text in JSON, so a JSON copy of the model reads like the rendered file. */
  public toJSON(): string {
    return this.toString();
  }
}

/** Environment variable that holds the collector pod's shard number (its StatefulSet pod index). */
export const SHARD_ENV = 'SHARD';

/** Prometheus relabel rule (`relabel_configs` / `metric_relabel_configs` entry). */
export interface RelabelConfig {
  /** What the rule does; Prometheus' default is `replace`. */
  readonly action?: 'replace' | 'keep' | 'drop' | 'labelmap' | 'hashmod' | 'labeldrop';
  /** Labels whose values, joined with `;`, the rule reads. */
  readonly source_labels?: readonly string[];
  /** Regular expression matched (anchored) against the joined source values, or the value of an environment variable. */
  readonly regex?: string | EnvReference;
  /** Label the rule writes. */
  readonly target_label?: string;
  /** Value written to `target_label`; may refer to `regex` groups as `${1}`. */
  readonly replacement?: string;
  /** For `hashmod`: the modulus of the hash written to `target_label`. */
  readonly modulus?: number;
}

/** The Kubernetes service discovery of a scrape job: every object of one role. */
export interface KubernetesSdConfig {
  /** Which objects become targets: `node`, every node of the cluster. */
  readonly role: 'node';
}

/** One Prometheus scrape job. */
export interface ScrapeConfig {
  /** Name of the job, the `job` label of its series. */
  readonly job_name: string;
  /** A scrape with more samples than this fails whole. */
  readonly sample_limit: number;
  /** Protocol of the scrape: the API server proxy is HTTPS. */
  readonly scheme: 'https';
  /** How the targets are found: Kubernetes service discovery. */
  readonly kubernetes_sd_configs: readonly KubernetesSdConfig[];
  /** The CA that signs the API server's certificate. */
  readonly tls_config: {
    /** Path of the CA bundle, the service account's `ca.crt`. */
    readonly ca_file: string;
  };
  /** The credentials sent with each scrape. */
  readonly authorization: {
    /** Path of the bearer token, the service account's `token`, read again at every scrape. */
    readonly credentials_file: string;
  };
  /** Rules applied to each discovered target before the scrape: which nodes, and the proxy path. */
  readonly relabel_configs: readonly RelabelConfig[];
  /** Rules applied to each scraped series: which metric families are kept. */
  readonly metric_relabel_configs: readonly RelabelConfig[];
}

/** The Kubernetes service discovery of the application scrape: every pod, of some namespaces or all. */
export interface PodSdConfig {
  /** Which objects become targets: `pod`, each pod (one target per declared container port). */
  readonly role: 'pod';
  /** Only these namespaces; absent: every namespace. */
  readonly namespaces?: {
    /** The namespace names. */
    readonly names: readonly string[];
  };
}

/** The scrape job of the pods annotated `prometheus.io/scrape: "true"`, over the pod network. */
export interface PodScrapeConfig {
  /** Name of the job, the `job` label of its series. */
  readonly job_name: string;
  /** A scrape with more samples than this fails whole. */
  readonly sample_limit: number;
  /** How the targets are found: Kubernetes service discovery of pods. */
  readonly kubernetes_sd_configs: readonly PodSdConfig[];
  /** Rules applied to each discovered pod: which pods, their address, path and scheme, and their labels. */
  readonly relabel_configs: readonly RelabelConfig[];
  /** Rules applied to each scraped series: with CloudWatch the only destination, the declared metrics are kept. */
  readonly metric_relabel_configs?: readonly RelabelConfig[];
}

/** The prometheus receiver of the application metrics. */
export interface ApplicationPrometheusReceiverConfig {
  /** The Prometheus configuration, as Prometheus reads it. */
  readonly config: {
    /** Settings of every scrape job: the same interval and timeout as the cAdvisor scrape. */
    readonly global: {
      /** How often each target is scraped, as a Prometheus duration. */
      readonly scrape_interval: string;
      /** How long a scrape may take, as a Prometheus duration. */
      readonly scrape_timeout: string;
    };
    /** The one scrape job. */
    readonly scrape_configs: readonly PodScrapeConfig[];
  };
}

/** The prometheus receiver: an embedded Prometheus scrape configuration. */
export interface PrometheusReceiverConfig {
  /** The Prometheus configuration, as Prometheus reads it. */
  readonly config: {
    /** Settings of every scrape job. */
    readonly global: {
      /** How often each target is scraped, as a Prometheus duration. */
      readonly scrape_interval: string;
      /** How long a scrape may take, as a Prometheus duration. */
      readonly scrape_timeout: string;
    };
    /** The scrape jobs. */
    readonly scrape_configs: readonly ScrapeConfig[];
  };
}

/** A metricstransform label operation that renames a label. */
export interface UpdateLabelOperation {
  /** The operation. */
  readonly action: 'update_label';
  /** The label to rename. */
  readonly label: string;
  /** Its new name. */
  readonly new_label: string;
}

/** A metricstransform label operation that adds a label with a fixed value. */
export interface AddLabelOperation {
  /** The operation. */
  readonly action: 'add_label';
  /** The label to add. */
  readonly new_label: string;
  /** Its value. */
  readonly new_value: string;
}

/** A metricstransform label operation that keeps only some labels, merging the data points that then share them. */
export interface AggregateLabelsOperation {
  /** Keep only `label_set`, merging the data points that then share their labels. */
  readonly action: 'aggregate_labels';
  /** The labels kept. */
  readonly label_set: readonly string[];
  /** How merged data points combine. */
  readonly aggregation_type: 'sum' | 'max';
}

/** A metricstransform label operation. */
export type MetricsTransformOperation = UpdateLabelOperation | AddLabelOperation | AggregateLabelsOperation;

/** A metricstransform transform. */
export interface MetricsTransform {
  /** The metric name, or with `match_type: regexp` an (unanchored) regular expression, the transform applies to. */
  readonly include: string;
  /** How `include` is matched. */
  readonly match_type: 'strict' | 'regexp';
  /** `combine` merges every matching metric into `new_name`, data points with equal labels by `aggregation_type`. */
  readonly action: 'update' | 'insert' | 'combine';
  /** The metric's new name (`update`), the copy's name (`insert`) or the merged metric's name (`combine`). */
  readonly new_name?: string;
  /** For `combine`: how data points with equal labels merge. */
  readonly aggregation_type?: 'max';
  /** Only data points whose labels match these regular expressions are transformed. */
  readonly experimental_match_labels?: LabelMatchers;
  /** Label operations applied to the matched metrics. */
  readonly operations?: readonly MetricsTransformOperation[];
}

/** The `metricstransform` processor. */
export interface MetricsTransformProcessorConfig {
  /** The transforms, applied in order. */
  readonly transforms: readonly MetricsTransform[];
}

/** The `filter` processor, with its `metrics.include` name matching. */
export interface FilterProcessorConfig {
  /** Which metrics pass. */
  readonly metrics: {
    /** Only metrics whose name matches pass. */
    readonly include: {
      /** How `metric_names` are matched. */
      readonly match_type: 'strict' | 'regexp';
      /** The names, or regular expressions, of the metrics kept. */
      readonly metric_names: readonly string[];
    };
  };
}

/**
 * The `filter` processor with OTTL conditions: a data point is dropped when
 * any condition is true. The processor refuses to mix them with `include`.
 */
export interface FilterConditionsProcessorConfig {
  /** What the processor does with a condition that fails to evaluate: `ignore` logs it and goes on. */
  readonly error_mode: 'ignore' | 'propagate';
  /** The conditions, by the kind of item they drop. */
  readonly metrics: {
    /** OTTL conditions on data points. */
    readonly datapoint: readonly string[];
  };
}

/** The `cumulativetodelta` processor. */
export interface CumulativeToDeltaProcessorConfig {
  /** The metrics converted. */
  readonly include: {
    /** Their names. */
    readonly metrics: readonly string[];
    /** How the names are matched. */
    readonly match_type: 'strict';
  };
}

/** The `deltatorate` processor. */
export interface DeltaToRateProcessorConfig {
  /** Names of the delta metrics turned into per-second rates. */
  readonly metrics: readonly string[];
}

/** A metricsgeneration rule that computes a metric from two others. */
export interface CalculateRule {
  /** Name of the new metric. */
  readonly name: string;
  /** Its unit. */
  readonly unit: string;
  /** The kind of rule. */
  readonly type: 'calculate';
  /** The first operand's metric name. */
  readonly metric1: string;
  /** The second operand's metric name (its first data point is used). */
  readonly metric2: string;
  /** The arithmetic: `add`, `subtract`, `multiply`, `divide` or `percent`. */
  readonly operation: string;
}

/** A metricsgeneration rule that scales a metric by a constant. */
export interface ScaleRule {
  /** Name of the new metric. */
  readonly name: string;
  /** Its unit. */
  readonly unit: string;
  /** The kind of rule. */
  readonly type: 'scale';
  /** The metric scaled. */
  readonly metric1: string;
  /** The arithmetic: `multiply` or `divide`. */
  readonly operation: string;
  /** The constant. */
  readonly scale_by: number;
}

/** A metricsgeneration rule. */
export type MetricsGenerationRule = CalculateRule | ScaleRule;

/** The `metricsgeneration` (`experimental_metricsgeneration` up to ADOT v0.41.x) processor. */
export interface MetricsGenerationProcessorConfig {
  /** The rules, applied in order. */
  readonly rules: readonly MetricsGenerationRule[];
}

/** The `resourcedetection` processor. */
export interface ResourceDetectionProcessorConfig {
  /** The detectors run: `env` reads `OTEL_RESOURCE_ATTRIBUTES`. */
  readonly detectors: readonly string[];
}

/** The `memory_limiter` processor. */
export interface MemoryLimiterProcessorConfig {
  /** How often memory use is measured. */
  readonly check_interval: string;
  /** Memory at which the collector refuses data and forces garbage collection (hard limit). */
  readonly limit_mib: number;
  /** Headroom below `limit_mib` where it starts refusing data (soft limit = limit_mib - spike_limit_mib). */
  readonly spike_limit_mib: number;
}

/** The `batch` processor. */
export interface BatchProcessorConfig {
  /** How long data is held before a batch is sent. */
  readonly timeout: string;
  /** Data points that trigger a send before `timeout`. */
  readonly send_batch_size?: number;
  /** Most data points in one batch: larger ones are split. */
  readonly send_batch_max_size?: number;
}

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

/** An awsemf metric declaration: which metrics become CloudWatch metrics, with which dimensions. */
export interface MetricDeclaration {
  /** The dimension sets: each selected metric becomes a CloudWatch metric in each set. */
  readonly dimensions: ReadonlyArray<readonly string[]>;
  /** Regular expressions (unanchored, as awsemf reads them) selecting the metrics by name. */
  readonly metric_name_selectors: readonly string[];
}

/** An awsemf metric descriptor: the unit a metric is written with. */
export interface MetricDescriptorConfig {
  /** The metric's name. */
  readonly metric_name: string;
  /** Its CloudWatch unit, one of {@link EMF_UNITS}. */
  readonly unit: string;
  /** Replace the unit the metric already has, not only an empty one. */
  readonly overwrite: boolean;
}

/** What both `awsemf` exporters set: where the events go, and which metrics CloudWatch extracts. */
export interface AwsEmfCommonConfig {
  /** The log group, with `{ClusterName}` filled in from the resource attribute. */
  readonly log_group_name: string;
  /** The log stream, with `{NodeName}` or `{pod}` filled in from each data point's label. */
  readonly log_stream_name: string;
  /** The CloudWatch metric namespace. */
  readonly namespace: string;
  /** The region the logs are sent to. */
  readonly region: string;
  /** Retention, in days, set when the exporter creates the log group; absent: never expire. */
  readonly log_retention?: number;
  /** Tags set when the exporter creates the log group. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Copies resource attributes (such as `ClusterName`) onto every data point. */
  readonly resource_to_telemetry_conversion: {
    /** Whether they are copied. */
    readonly enabled: boolean;
  };
  /** Which metrics become CloudWatch metrics; the rest stay log fields. */
  readonly metric_declarations: readonly MetricDeclaration[];
}

/** The `awsemf` exporter: Embedded Metric Format logs to CloudWatch. */
export interface AwsEmfExporterConfig extends AwsEmfCommonConfig {
  /** The exporter's Container Insights handling for EKS on Fargate. */
  readonly eks_fargate_container_insights_enabled: boolean;
  /** Attributes whose JSON-encoded values are written as JSON objects. */
  readonly parse_json_encoded_attr_values: readonly string[];
  /** Which dimension sets the exporter adds on its own: none, with `NoDimensionRollup`. */
  readonly dimension_rollup_option: 'NoDimensionRollup' | 'SingleDimensionRollupOnly' | 'ZeroAndSingleDimensionRollup';
  /** The units of the declared metrics. */
  readonly metric_descriptors: readonly MetricDescriptorConfig[];
}

/** The `awsemf` exporter of the application metrics: their own log group and metric namespace. */
export interface AwsEmfApplicationExporterConfig extends AwsEmfCommonConfig {
  /** Which dimension sets the exporter adds on its own: none. */
  readonly dimension_rollup_option: 'NoDimensionRollup';
}

/** The `prometheusremotewrite` exporter: Prometheus remote write to Amazon Managed Service for Prometheus. */
export interface PrometheusRemoteWriteExporterConfig {
  /** The workspace's remote write URL. */
  readonly endpoint: string;
  /** The request signer. */
  readonly auth: {
    /** The id of the `sigv4auth` extension that signs each request. */
    readonly authenticator: string;
  };
  /** Labels added to every series sent. */
  readonly external_labels: Readonly<Record<string, string | EnvReference>>;
}

/** The `sigv4auth` extension: signs requests with the collector's AWS credentials (IRSA). */
export interface SigV4AuthExtensionConfig {
  /** The region the requests are signed for. */
  readonly region: string;
  /** The AWS service the requests are signed for. */
  readonly service: string;
}

/** The `otlphttp` exporter: OTLP over HTTP to CloudWatch's metrics endpoint. */
export interface OtlpHttpExporterConfig {
  /** The URL metrics are posted to. */
  readonly metrics_endpoint: string;
  /** The request signer. */
  readonly auth: {
    /** The id of the `sigv4auth` extension that signs each request. */
    readonly authenticator: string;
  };
  /** Compression of the request bodies: the endpoint takes gzip or none. */
  readonly compression: 'gzip';
}

/** A `resource` (resource attributes) or `attributes` (data point attributes) processor action. */
export interface AttributeAction {
  /** The attribute acted on. */
  readonly key: string;
  /** `upsert`: set it, from `value` or `from_attribute`; `delete`: remove it. */
  readonly action: 'upsert' | 'delete';
  /** The value set. */
  readonly value?: string;
  /** The attribute whose value is copied. */
  readonly from_attribute?: string;
}

/** The `resource` processor: actions on resource attributes. */
export interface ResourceProcessorConfig {
  /** The actions, in order. */
  readonly attributes: readonly AttributeAction[];
}

/** The `attributes` processor: actions on data point attributes. */
export interface AttributesProcessorConfig {
  /** The actions, in order. */
  readonly actions: readonly AttributeAction[];
}

/** The `health_check` extension. */
export interface HealthCheckExtensionConfig {
  /** The address the extension listens on, `host:port`. */
  readonly endpoint: string;
}

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
  };
  /** The extensions started. */
  readonly extensions: readonly string[];
  /** The collector's own telemetry. */
  readonly telemetry: {
    /** Its own metrics. */
    readonly metrics: TelemetryMetricsConfig;
  };
}

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

/** Inputs of the collector configuration. All values are assumed validated. */
export interface CollectorConfigOptions {
  /** The ADOT release the configuration is written for. */
  readonly version: AdotVersion;
  /** AWS region the awsemf exporter writes to. */
  readonly region: string;
  /** Prometheus scrape interval, in milliseconds. */
  readonly scrapeIntervalMs: number;
  /** Prometheus scrape timeout, in milliseconds. */
  readonly scrapeTimeoutMs: number;
  /** Metrics sent to CloudWatch as metrics, each with its dimension sets (catalog names). */
  readonly declarations: readonly MetricDeclarationSpec[];
  /** Memory limit of the collector container, in mebibytes; sizes `memory_limiter`. */
  readonly memoryLimitMiB: number;
  /**
   * Number of collector replicas sharing the nodes. Above 1, each replica
   * scrapes the nodes whose name hashes to its shard (`${env:SHARD}`).
   */
  readonly shards: number;
  /** Scrape only nodes labelled `eks.amazonaws.com/compute-type: fargate`. */
  readonly fargateNodesOnly: boolean;
  /** Retention of the performance log group, in days, when awsemf creates it; 0 keeps the events forever. */
  readonly logRetentionDays: number;
  /** Tags of the performance log group, when awsemf creates it; none when empty. */
  readonly logGroupTags: Readonly<Record<string, string>>;
  /** Scrape the annotated pods too, into pipelines of their own; absent: no application metrics. */
  readonly applicationMetrics?: ApplicationMetricsConfigOptions;
  /** Where the Container Insights metrics go; absent: `emf`. */
  readonly metricsDestination?: MetricsDestination;
}

/**
 * The units the awsemf exporter accepts in `metric_descriptors`
 * (`eMFSupportedUnits`, the CloudWatch `MetricDatum` units, the same list at
 * every supported ADOT release). It drops a descriptor with any other unit,
 * such as Container Insights' `Millicore`.
 */
export const EMF_UNITS: readonly string[] = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
];

/**
 * The awsemf `metric_descriptors` that give each declared metric its
 * catalog unit in the EMF it writes, overriding whatever the pipeline left
 * (cAdvisor's text format carries no units). Metrics whose unit CloudWatch
 * does not define (`Millicore`) or that have none (`None`) get no descriptor:
 * the millicore metrics keep the unit their metricsgeneration rule sets.
 */
export function metricDescriptors(declarations: readonly MetricDeclarationSpec[]): MetricDescriptorConfig[] {
  const declared = new Set(declarations.flatMap((d) => d.metrics));
  return METRIC_CATALOG.filter((m) => declared.has(m.name) && m.unit !== 'None' && EMF_UNITS.includes(m.unit)).map(
    (m) => ({ metric_name: m.name, unit: m.unit, overwrite: true }),
  );
}

/** Every cAdvisor metric family the catalog's metrics are computed from, sorted. */
export const CONSUMED_CADVISOR_FAMILIES: readonly string[] = [
  ...new Set(METRIC_CATALOG.flatMap((m) => (m.source.kind === 'cadvisor' ? [m.source.family] : []))),
].sort();

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An awsemf `metric_name_selectors` entry that matches exactly one metric
 * name. awsemf matches each selector as an unanchored regular expression
 * (`regexp.MatchString`), so the bare name `pod_cpu_limit`, as the AWS
 * reference writes it, also selects `pod_cpu_limit_raw`, and every metric
 * selected is a billed custom metric per dimension set.
 */
export function exactNameSelector(metric: string): string {
  return `^${escapeRegExp(metric)}$`;
}

/**
 * A `metric_relabel_configs` rule that drops, at scrape time, every series the
 * pipeline would drop later anyway. The `metricstransform` renames select
 * families with unanchored regular expressions; Prometheus anchors its own, so
 * each family is wrapped in `.*` to keep exactly the series the renames match.
 */
export function consumedFamiliesRule(): RelabelConfig {
  return {
    source_labels: ['__name__'],
    regex: `.*(?:${CONSUMED_CADVISOR_FAMILIES.map(escapeRegExp).join('|')}).*`,
    action: 'keep',
  };
}

/** Label Prometheus sets on each discovered node from its `eks.amazonaws.com/compute-type` label. */
const COMPUTE_TYPE_META_LABEL = '__meta_kubernetes_node_label_eks_amazonaws_com_compute_type';

/** Temporary label holding a node's shard (labels starting with `__tmp` are never stored). */
const SHARD_LABEL = '__tmp_shard';

/**
 * Rules that keep only the targets of one shard: Prometheus hashes the node
 * name, or the other `sourceLabels` joined with `;` (the last 8 bytes of
 * their MD5, as a big-endian integer, modulo `shards`), and each replica
 * keeps the targets whose hash equals its own pod index.
 */
export function shardRules(
  shards: number,
  sourceLabels: readonly string[] = ['__meta_kubernetes_node_name'],
): RelabelConfig[] {
  if (shards <= 1) return [];
  return [
    { source_labels: [...sourceLabels], modulus: shards, target_label: SHARD_LABEL, action: 'hashmod' },
    { source_labels: [SHARD_LABEL], regex: new EnvReference(SHARD_ENV), action: 'keep' },
  ];
}

/**
 * The `memory_limiter` settings for a container with this memory limit: a
 * hard limit at 80% of it, leaving the Go runtime and the page cache room
 * below the point where the kernel kills the container, and a soft limit 20%
 * below that (the processor's default spike), where it starts refusing data.
 */
export function memoryLimiterFor(memoryLimitMiB: number): MemoryLimiterProcessorConfig {
  const limit = Math.floor(memoryLimitMiB * 0.8);
  return { check_interval: '1s', limit_mib: limit, spike_limit_mib: Math.floor(limit * 0.2) };
}

/**
 * The collector's own metrics, on all interfaces so that the Service (and a
 * Prometheus that scrapes it) can reach them. Up to ADOT v0.41.x that is the
 * `address` default already; from v0.42.0 the default reader listens on
 * localhost only, so it is replaced by the same reader on 0.0.0.0, with the
 * release's default flags so the metric names do not change.
 */
function telemetryMetrics(version: AdotVersion): TelemetryMetricsConfig {
  const telemetry = version._telemetryMetrics;
  if (telemetry.style === 'address') return { address: `0.0.0.0:${TELEMETRY_PORT}` };
  return {
    readers: [
      { pull: { exporter: { prometheus: { host: '0.0.0.0', port: TELEMETRY_PORT, ...telemetry.defaultFlags } } } },
    ],
  };
}

/**
 * The name a metric has inside the pipeline. Container metrics are produced as
 * `new_container_*` so that the filter can tell them from the raw cAdvisor
 * `container_*` families; the last step renames them back.
 */
export function pipelineName(metric: MetricDefinition): string {
  return metric.scope === 'container' ? `new_${metric.name}` : metric.name;
}

/** Prefix of the container metrics inside the pipeline. */
const CONTAINER_PIPELINE_PREFIX = 'new_container_';

/** Prefix of each scope's metrics inside the pipeline, and the value of their `Type` dimension. */
const SCOPE_PIPELINE: Readonly<Record<MetricScope, { readonly prefix: string; readonly type: string }>> = {
  container: { prefix: CONTAINER_PIPELINE_PREFIX, type: 'Container' },
  pod: { prefix: 'pod_', type: 'Pod' },
  node: { prefix: 'node_', type: 'Node' },
};

/**
 * Renders a duration the way Prometheus and the collector write them, with the
 * largest unit that divides it exactly: 60000 -> "1m", 40000 -> "40s", 1500 -> "1500ms".
 */
export function formatDuration(ms: number): string {
  const units: ReadonlyArray<readonly [string, number]> = [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  for (const [suffix, size] of units) {
    if (ms % size === 0) return `${ms / size}${suffix}`;
  }
  return `${ms}ms`;
}

/** How many metricsgeneration steps a metric is away from cAdvisor (0 for cAdvisor metrics). */
function generationDepth(metric: MetricDefinition): number {
  const { source } = metric;
  if (source.kind === 'cadvisor') return 0;
  return 1 + Math.max(...operandsOf(source).map((name) => generationDepth(catalogEntry(name))));
}

function catalogEntry(name: string): MetricDefinition {
  const entry = findMetric(name);
  if (!entry) throw new Error(`metric catalog: "${name}" is used as an operand but is not in the catalog`);
  return entry;
}

/** The scrape interval and timeout every receiver uses, as Prometheus durations. */
function scrapeTiming(options: CollectorConfigOptions): PrometheusReceiverConfig['config']['global'] {
  return {
    scrape_interval: formatDuration(options.scrapeIntervalMs),
    scrape_timeout: formatDuration(options.scrapeTimeoutMs),
  };
}

/** Rules that make a discovered node's target its cAdvisor endpoint, through the API server proxy. */
const CADVISOR_PROXY_RULES: readonly RelabelConfig[] = [
  // Fargate nodes cannot be reached directly: scrape through the API server...
  { target_label: '__address__', replacement: 'kubernetes.default.svc:443' },
  // ...at the kubelet proxy path of each node's cAdvisor endpoint.
  {
    source_labels: ['__meta_kubernetes_node_name'],
    regex: '(.+)',
    target_label: '__metrics_path__',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Prometheus capture group reference, not a template.
    replacement: '/api/v1/nodes/${1}/proxy/metrics/cadvisor',
  },
];

/** The rule that keeps only the nodes labelled `eks.amazonaws.com/compute-type: fargate`. */
const FARGATE_NODES_RULE: RelabelConfig = {
  source_labels: [COMPUTE_TYPE_META_LABEL],
  regex: 'fargate',
  action: 'keep',
};

/** A cAdvisor scrape of every (Fargate) node through the API server, with its own job and rules. */
function cadvisorReceiver(
  options: CollectorConfigOptions,
  job: string,
  rules: readonly RelabelConfig[],
  seriesRules: readonly RelabelConfig[],
): PrometheusReceiverConfig {
  return {
    config: {
      global: scrapeTiming(options),
      scrape_configs: [
        {
          job_name: job,
          sample_limit: 10000,
          scheme: 'https',
          // Every Fargate pod runs on its own node; discover them all.
          kubernetes_sd_configs: [{ role: 'node' }],
          // Authenticate to the API server with the pod's service-account token.
          tls_config: { ca_file: `${SERVICE_ACCOUNT_DIR}/ca.crt` },
          authorization: { credentials_file: `${SERVICE_ACCOUNT_DIR}/token` },
          relabel_configs: [...rules, ...CADVISOR_PROXY_RULES],
          metric_relabel_configs: [...seriesRules],
        },
      ],
    },
  };
}

function prometheusReceiver(options: CollectorConfigOptions): PrometheusReceiverConfig {
  return cadvisorReceiver(
    options,
    'kubelets-cadvisor-metrics',
    [
      // In clusters with EC2 node groups too, only Fargate nodes: the
      // pipeline keeps only series labelled LaunchType fargate anyway.
      ...(options.fargateNodesOnly ? [FARGATE_NODES_RULE] : []),
      // With several replicas, only this replica's share of the nodes.
      ...shardRules(options.shards),
      // Node labels onto every series: kubernetes_io_hostname, eks_amazonaws_com_compute_type, ...
      { action: 'labelmap', regex: '__meta_kubernetes_node_label_(.+)' },
    ],
    // Parse and transform only the cAdvisor families the catalog uses.
    [consumedFamiliesRule()],
  );
}

/** The `metric_relabel_configs` rule that keeps, at scrape time, the cAdvisor families the OTLP path sends. */
export function otlpFamiliesRule(): RelabelConfig {
  return {
    source_labels: ['__name__'],
    regex: OTLP_CADVISOR_FAMILIES.map((f) => escapeRegExp(f.name)).join('|'),
    action: 'keep',
  };
}

/**
 * cAdvisor labels the OTLP path drops at scrape time: `id`, the cgroup path,
 * and `name`, the container runtime's id. The pod, container and image
 * labels tell the same series apart (the pod's own cgroup has no container
 * and no image; its sandbox has the pause image), and the two are the
 * longest values of every data point, which is billed by the byte.
 */
export const OTLP_LABELDROP_RULE: RelabelConfig = { action: 'labeldrop', regex: 'id|name' };

/**
 * The OTLP path's scrape: Fargate nodes only, whatever `fargateNodesOnly`
 * says (the EMF path drops other nodes' series in its pipeline; this one has
 * no such step), sharded like the EMF path's.
 */
function otlpReceiver(options: CollectorConfigOptions): PrometheusReceiverConfig {
  return cadvisorReceiver(
    options,
    'kubelets-cadvisor-otlp',
    [FARGATE_NODES_RULE, ...shardRules(options.shards)],
    [otlpFamiliesRule(), OTLP_LABELDROP_RULE],
  );
}

/**
 * Resource attributes the prometheus receiver sets that describe the scrape
 * (the API server's address, port and scheme, the job), not the pod: removed
 * from the OTLP path, where every byte of every data point is billed. Both
 * the older and the newer semantic-convention names, by release.
 */
const SCRAPE_RESOURCE_ATTRIBUTES = [
  'service.name',
  'service.instance.id',
  'net.host.name',
  'net.host.port',
  'http.scheme',
  'server.address',
  'server.port',
  'url.scheme',
];

/** The OTLP path's resource attributes: the cluster, cloud and region; the node is the receiver's own `k8s.node.name`. */
function otlpResource(region: string): ResourceProcessorConfig {
  return {
    attributes: [
      // ClusterName comes from OTEL_RESOURCE_ATTRIBUTES, through resourcedetection.
      { key: 'k8s.cluster.name', action: 'upsert', from_attribute: 'ClusterName' },
      { key: 'ClusterName', action: 'delete' },
      { key: 'cloud.region', action: 'upsert', value: region },
      { key: 'cloud.provider', action: 'upsert', value: 'aws' },
      { key: 'cloud.platform', action: 'upsert', value: 'aws_eks' },
      ...SCRAPE_RESOURCE_ATTRIBUTES.map((key): AttributeAction => ({ key, action: 'delete' })),
    ],
  };
}

/** The OTLP path's data point attributes: the semantic-convention names beside cAdvisor's own labels. */
function otlpAttributes(): AttributesProcessorConfig {
  return {
    actions: [
      { key: 'k8s.namespace.name', action: 'upsert', from_attribute: 'namespace' },
      { key: 'k8s.pod.name', action: 'upsert', from_attribute: 'pod' },
      { key: 'k8s.container.name', action: 'upsert', from_attribute: 'container' },
    ],
  };
}

/** A transform that renames labels on every metric. */
function renameLabels(renames: Readonly<Record<string, string>>): MetricsTransform {
  return {
    include: '.*',
    match_type: 'regexp',
    action: 'update',
    operations: Object.entries(renames).map(([label, newLabel]) => ({
      action: 'update_label',
      label,
      new_label: newLabel,
    })),
  };
}

/** A transform that adds a label with a fixed value to the metrics matching `include`. */
function addLabel(include: string, label: string, value: string): MetricsTransform {
  return {
    include,
    match_type: 'regexp',
    action: 'update',
    operations: [{ action: 'add_label', new_label: label, new_value: value }],
  };
}

/** Renames labels used by every later step (cAdvisor/Prometheus names to Container Insights names). */
function labelRenames(): MetricsTransformProcessorConfig {
  return {
    transforms: [
      renameLabels({
        name: 'container_id',
        kubernetes_io_hostname: 'NodeName',
        eks_amazonaws_com_compute_type: 'LaunchType',
      }),
    ],
  };
}

/** Copies each cAdvisor series the catalog uses into its Container Insights metric. */
function metricRenames(cadvisor: readonly MetricDefinition[]): MetricsTransformProcessorConfig {
  return {
    transforms: cadvisor.map((metric) => {
      if (metric.source.kind !== 'cadvisor') throw new Error(`not a cAdvisor metric: ${metric.name}`);
      const { family, series, labels } = metric.source;
      return {
        // Anchored: an unanchored family name would also match the copies
        // earlier transforms of this processor made (`new_container_*`
        // contains `container_*`), and the pod sums read the same container series.
        include: `^${escapeRegExp(family)}$`,
        new_name: pipelineName(metric),
        action: 'insert',
        match_type: 'regexp',
        experimental_match_labels: { ...series.labels, ...labels },
      };
    }),
  };
}

function generationRule(metric: MetricDefinition): MetricsGenerationRule {
  const { source } = metric;
  switch (source.kind) {
    case 'calculate':
      return {
        name: metric.name,
        unit: metric.unit,
        type: 'calculate',
        metric1: source.metric1,
        metric2: source.metric2,
        operation: source.operation,
      };
    case 'scale':
      return {
        name: metric.name,
        unit: metric.unit,
        type: 'scale',
        metric1: source.metric1,
        operation: source.operation,
        scale_by: source.scaleBy,
      };
    case 'cadvisor':
    case 'greatest':
      throw new Error(`not a metricsgeneration metric: ${metric.name}`);
  }
}

/**
 * The transforms that make a `greatest` metric: a copy of each operand under
 * the new name, then `combine` with `max`, which merges the copies' data
 * points that share their labels into the greater one. When one operand is
 * absent the other passes through alone.
 */
function greatestTransforms(metric: MetricDefinition): MetricsTransform[] {
  const { source } = metric;
  if (source.kind !== 'greatest') throw new Error(`not a greatest metric: ${metric.name}`);
  return [
    ...[source.metric1, source.metric2].map(
      (operand): MetricsTransform => ({
        include: operand,
        match_type: 'strict',
        action: 'insert',
        new_name: metric.name,
      }),
    ),
    { include: metric.name, match_type: 'strict', action: 'combine', new_name: metric.name, aggregation_type: 'max' },
  ];
}

/**
 * Sums each `sumBy` metric's data points per distinct value of its labels
 * (after the rates): one transform per label set, matching its metrics by
 * their exact names. `aggregate_labels` works on each matched metric alone.
 */
function sums(cadvisor: readonly MetricDefinition[]): MetricsTransformProcessorConfig {
  const byLabels = new Map<string, { labels: readonly string[]; names: string[] }>();
  for (const metric of cadvisor) {
    if (metric.source.kind !== 'cadvisor' || !metric.source.sumBy) continue;
    const key = metric.source.sumBy.join(',');
    const group = byLabels.get(key) ?? { labels: metric.source.sumBy, names: [] };
    group.names.push(pipelineName(metric));
    byLabels.set(key, group);
  }
  return {
    transforms: [...byLabels.values()].map(({ labels, names }) => ({
      include: `^(?:${names.map(escapeRegExp).join('|')})$`,
      match_type: 'regexp',
      action: 'update',
      operations: [{ action: 'aggregate_labels', label_set: labels, aggregation_type: 'sum' }],
    })),
  };
}

/** OTTL conditions that drop the data points of metrics with a `dropAtOrBelow` threshold. */
function dropConditions(cadvisor: readonly MetricDefinition[]): string[] {
  return cadvisor.flatMap((metric) =>
    metric.source.kind === 'cadvisor' && metric.source.dropAtOrBelow !== undefined
      ? [`metric.name == "${pipelineName(metric)}" and value_double <= ${metric.source.dropAtOrBelow}`]
      : [],
  );
}

/** Adds the `Type` dimension, renames the label names Container Insights uses, and restores container metric names. */
function finalRenames(): MetricsTransformProcessorConfig {
  return {
    transforms: [
      ...(['pod', 'container', 'node'] as const).map((scope) =>
        addLabel(`${SCOPE_PIPELINE[scope].prefix}.*`, 'Type', SCOPE_PIPELINE[scope].type),
      ),
      renameLabels({ namespace: 'Namespace', pod: 'PodName' }),
      {
        include: `^${CONTAINER_PIPELINE_PREFIX}(.*)$`,
        match_type: 'regexp',
        action: 'update',
        new_name: 'container_$1',
      },
    ],
  };
}

/** Environment variable that holds the cluster's name, for the `cluster` label of remote-written series. */
export const CLUSTER_NAME_ENV = 'CLUSTER_NAME';

/** Label Prometheus sets on each discovered pod from one of its `prometheus.io/*` annotations. */
const podAnnotation = (name: 'scrape' | 'scheme' | 'path' | 'port'): string =>
  `__meta_kubernetes_pod_annotation_prometheus_io_${name}`;

/**
 * The relabel rules of the application scrape: keep the running pods
 * annotated `prometheus.io/scrape: "true"` (of this replica's shard), honour
 * `prometheus.io/scheme`, `prometheus.io/path` and `prometheus.io/port`, and
 * label each series with the pod's namespace, name and application.
 */
export function podRelabelRules(shards: number): RelabelConfig[] {
  return [
    // Only the pods that ask to be scraped...
    { source_labels: [podAnnotation('scrape')], regex: 'true', action: 'keep' },
    // ...and are running: a pending or finished pod serves nothing.
    { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed|Unknown', action: 'drop' },
    // With several replicas, only this replica's share of the pods.
    ...shardRules(shards, ['__meta_kubernetes_namespace', '__meta_kubernetes_pod_name']),
    { source_labels: [podAnnotation('scheme')], regex: '(https?)', target_label: '__scheme__' },
    { source_labels: [podAnnotation('path')], regex: '(.+)', target_label: '__metrics_path__' },
    // prometheus.io/port: the pod's IP at that port; an IPv6 address in brackets.
    {
      source_labels: ['__meta_kubernetes_pod_ip', podAnnotation('port')],
      regex: '([^:;]+);(\\d+)',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Prometheus capture group references, not a template.
      replacement: '${1}:${2}',
      target_label: '__address__',
    },
    {
      source_labels: ['__meta_kubernetes_pod_ip', podAnnotation('port')],
      regex: '([^;]*:[^;]*);(\\d+)',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Prometheus capture group references, not a template.
      replacement: '[${1}]:${2}',
      target_label: '__address__',
    },
    // The dimensions users filter on.
    { source_labels: ['__meta_kubernetes_namespace'], target_label: APPLICATION_LABELS.namespace },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: APPLICATION_LABELS.pod },
    // The pod's app label, or its app.kubernetes.io/name label when it has one.
    { source_labels: ['__meta_kubernetes_pod_label_app'], regex: '(.+)', target_label: APPLICATION_LABELS.app },
    {
      source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
      regex: '(.+)',
      target_label: APPLICATION_LABELS.app,
    },
  ];
}

/** Every metric name the CloudWatch destination declares, each once, in declaration order. */
export function declaredApplicationMetrics(app: ApplicationMetricsConfigOptions): string[] {
  return [...new Set((app.cloudWatch?.declarations ?? []).flatMap((d) => d.metrics))];
}

/**
 * A `metric_relabel_configs` rule that keeps, at scrape time, the series of
 * the declared metrics: a histogram or summary family by its `_bucket`,
 * `_sum` and `_count` series too.
 */
export function declaredSeriesRule(metrics: readonly string[]): RelabelConfig {
  return {
    source_labels: ['__name__'],
    regex: `(?:${metrics.map(escapeRegExp).join('|')})(?:_bucket|_sum|_count)?`,
    action: 'keep',
  };
}

function applicationReceiver(
  options: CollectorConfigOptions,
  app: ApplicationMetricsConfigOptions,
): ApplicationPrometheusReceiverConfig {
  // With CloudWatch the only destination, what it does not declare is dropped
  // before it is parsed into the pipeline; remote write takes everything.
  const keepDeclared = app.cloudWatch !== undefined && app.managedPrometheus === undefined;
  return {
    config: {
      global: scrapeTiming(options),
      scrape_configs: [
        {
          job_name: 'annotated-pods',
          sample_limit: 10000,
          kubernetes_sd_configs: [
            { role: 'pod', ...(app.namespaces.length === 0 ? {} : { namespaces: { names: [...app.namespaces] } }) },
          ],
          relabel_configs: podRelabelRules(options.shards),
          ...(keepDeclared ? { metric_relabel_configs: [declaredSeriesRule(declaredApplicationMetrics(app))] } : {}),
        },
      ],
    },
  };
}

/** The receivers, processors, exporters, extensions and pipelines the application metrics add. */
interface ApplicationSection {
  readonly receivers: Pick<CollectorConfig['receivers'], 'prometheus/application'>;
  readonly processors: ReadonlyArray<readonly [string, ProcessorConfig]>;
  readonly exporters: Pick<CollectorConfig['exporters'], 'awsemf/application' | 'prometheusremotewrite/application'>;
  readonly extensions: Pick<CollectorConfig['extensions'], 'sigv4auth/application'>;
  readonly pipelines: Pick<
    ServiceConfig['pipelines'],
    'metrics/application_cloudwatch' | 'metrics/application_prometheus'
  >;
}

function applicationSection(options: CollectorConfigOptions, app: ApplicationMetricsConfigOptions): ApplicationSection {
  const receiver = 'prometheus/application';
  const batch = 'batch/application';
  const filter = 'filter/application_cloudwatch';
  const { cloudWatch, managedPrometheus } = app;
  const processors: Array<readonly [string, ProcessorConfig]> = [
    // Shared with the Container Insights pipelines, defined here too for when they are not there.
    ['memory_limiter', memoryLimiterFor(options.memoryLimitMiB)],
    ...(cloudWatch ? [['resourcedetection', { detectors: ['env'] }] as const] : []),
    [batch, { timeout: '60s' }],
    ...(cloudWatch
      ? [
          [
            filter,
            { metrics: { include: { match_type: 'strict', metric_names: declaredApplicationMetrics(app) } } },
          ] as const,
        ]
      : []),
  ];
  return {
    receivers: { [receiver]: applicationReceiver(options, app) },
    processors,
    exporters: {
      ...(cloudWatch
        ? {
            'awsemf/application': {
              log_group_name: cloudWatch.logGroupName,
              // Every series carries the pod it came from.
              log_stream_name: `{${APPLICATION_LABELS.pod}}`,
              namespace: cloudWatch.namespace,
              region: options.region,
              ...logGroupSettings(options),
              resource_to_telemetry_conversion: { enabled: true },
              dimension_rollup_option: 'NoDimensionRollup',
              metric_declarations: metricDeclarations(cloudWatch.declarations),
            },
          }
        : {}),
      ...(managedPrometheus
        ? {
            'prometheusremotewrite/application': {
              endpoint: managedPrometheus.remoteWriteUrl,
              auth: { authenticator: 'sigv4auth/application' },
              external_labels: { [APPLICATION_CLUSTER_LABEL]: new EnvReference(CLUSTER_NAME_ENV) },
            },
          }
        : {}),
    },
    extensions: managedPrometheus
      ? { 'sigv4auth/application': { region: managedPrometheus.region, service: 'aps' } }
      : {},
    pipelines: {
      ...(cloudWatch
        ? {
            'metrics/application_cloudwatch': {
              receivers: [receiver],
              // ClusterName for the log group and the dimensions, as in the first pipeline.
              processors: ['memory_limiter', filter, 'resourcedetection', batch],
              exporters: ['awsemf/application'],
            },
          }
        : {}),
      ...(managedPrometheus
        ? {
            'metrics/application_prometheus': {
              receivers: [receiver],
              processors: ['memory_limiter', batch],
              exporters: ['prometheusremotewrite/application'],
            },
          }
        : {}),
    },
  };
}

/**
 * Builds the collector configuration: scrape cAdvisor through the API server,
 * reshape into Container Insights metrics, export as Embedded Metric Format.
 */
export function buildCollectorConfig(options: CollectorConfigOptions): CollectorConfig {
  const cadvisor = METRIC_CATALOG.filter((m) => m.source.kind === 'cadvisor');
  const rates = cadvisor.filter((m) => m.source.kind === 'cadvisor' && m.source.rate).map(pipelineName);
  const drops = dropConditions(cadvisor);

  // Each dependency level runs after the one before, so that a rule only reads
  // metrics an earlier processor has already produced: first its
  // metricsgeneration rules, then its `greatest` combinations.
  const derived = METRIC_CATALOG.filter((m) => m.source.kind !== 'cadvisor');
  const levels = Math.max(0, ...derived.map(generationDepth));
  const generation = Array.from({ length: levels }, (_, i) => {
    const atLevel = derived.filter((m) => generationDepth(m) === i + 1);
    const rules = atLevel.filter((m) => m.source.kind !== 'greatest').map(generationRule);
    const greatest = atLevel.filter((m) => m.source.kind === 'greatest').flatMap(greatestTransforms);
    return [
      ...(rules.length > 0 ? [[`${options.version._metricsGenerationProcessor}/${i + 1}`, { rules }] as const] : []),
      ...(greatest.length > 0 ? [[`metricstransform/greatest_${i + 1}`, { transforms: greatest }] as const] : []),
    ];
  }).flat();

  const processors: Array<readonly [string, ProcessorConfig]> = [
    // First, so that under memory pressure the collector refuses scrapes
    // instead of being killed by the kernel.
    ['memory_limiter', memoryLimiterFor(options.memoryLimitMiB)],
    ['metricstransform/label_1', labelRenames()],
    // ClusterName comes from OTEL_RESOURCE_ATTRIBUTES. Only `env`: the `eks`
    // detector reads EC2 instance metadata, which Fargate pods cannot reach.
    ['resourcedetection', { detectors: ['env'] }],
    ['metricstransform/rename', metricRenames(cadvisor)],
    // Keep only the metrics renamed above; drop the raw cAdvisor families.
    [
      'filter',
      {
        metrics: {
          include: { match_type: 'regexp', metric_names: Object.values(SCOPE_PIPELINE).map((s) => `${s.prefix}.*`) },
        },
      },
    ],
    // Values cAdvisor reports for settings that are absent (2 CPU shares for no CPU request).
    ...(drops.length > 0 ? [['filter/unset', { error_mode: 'ignore', metrics: { datapoint: drops } }] as const] : []),
    ['cumulativetodelta', { include: { metrics: rates, match_type: 'strict' } }],
    ['deltatorate', { metrics: rates }],
    // Pod totals: containers (the pause container is not one) and interfaces summed per pod.
    ['metricstransform/sum', sums(cadvisor)],
    ...generation,
    ['metricstransform/label_2', finalRenames()],
    ['batch', { timeout: '60s' }],
  ];

  const app = options.applicationMetrics && applicationSection(options, options.applicationMetrics);
  const destination = options.metricsDestination ?? DEFAULT_METRICS_DESTINATION;
  const emf = sendsEmf(destination);
  const otlp = sendsOtlp(destination) ? otlpSection(options) : undefined;
  // A processor shared by pipelines (memory_limiter, resourcedetection) is defined once.
  const allProcessors = new Map<string, ProcessorConfig>();
  for (const [id, config] of [...(emf ? processors : []), ...(otlp?.processors ?? []), ...(app?.processors ?? [])]) {
    if (!allProcessors.has(id)) allProcessors.set(id, config);
  }
  const extensions = { ...otlp?.extensions, ...app?.extensions };

  return {
    receivers: {
      ...(emf ? { prometheus: prometheusReceiver(options) } : {}),
      ...otlp?.receivers,
      ...app?.receivers,
    },
    processors: Object.fromEntries(allProcessors),
    exporters: {
      ...(emf ? { awsemf: awsEmfExporter(options) } : {}),
      ...otlp?.exporters,
      ...app?.exporters,
    },
    extensions: {
      // Bound on all interfaces on every version: from ADOT v0.42.0 the default
      // is localhost, which kubelet probes cannot reach.
      health_check: { endpoint: `0.0.0.0:${HEALTH_CHECK_PORT}` },
      ...extensions,
    },
    service: {
      pipelines: {
        ...(emf
          ? { metrics: { receivers: ['prometheus'], processors: processors.map(([id]) => id), exporters: ['awsemf'] } }
          : {}),
        ...otlp?.pipelines,
        ...app?.pipelines,
      },
      extensions: ['health_check', ...Object.keys(extensions)],
      telemetry: { metrics: telemetryMetrics(options.version) },
    },
  };
}

/**
 * The retention and tags an awsemf exporter sets when it creates its log
 * group (PutRetentionPolicy, and CreateLogGroup with tags); an existing group
 * keeps its own.
 */
function logGroupSettings(options: CollectorConfigOptions): Pick<AwsEmfCommonConfig, 'log_retention' | 'tags'> {
  return {
    ...(options.logRetentionDays === 0 ? {} : { log_retention: options.logRetentionDays }),
    ...(Object.keys(options.logGroupTags).length === 0 ? {} : { tags: { ...options.logGroupTags } }),
  };
}

/** awsemf declarations: each metric selected by its exact name, with every dimension set. */
function metricDeclarations(
  declarations: ReadonlyArray<{
    readonly metrics: readonly string[];
    readonly dimensionSets: ReadonlyArray<readonly string[]>;
  }>,
): MetricDeclaration[] {
  return declarations.map((declaration) => ({
    dimensions: declaration.dimensionSets.map((set) => [...set]),
    metric_name_selectors: declaration.metrics.map(exactNameSelector),
  }));
}

/** The classic path's exporter: Embedded Metric Format to the performance log group. */
function awsEmfExporter(options: CollectorConfigOptions): AwsEmfExporterConfig {
  return {
    // awsemf fills {ClusterName} and {NodeName} in from the resource
    // attributes, or else from each data point's labels. Every series
    // carries NodeName (the node's kubernetes.io/hostname label, renamed
    // by metricstransform/label_1), pod and node metrics alike, and on
    // Fargate a node runs one pod: one stream per pod's node, never one
    // named "undefined" (which {PodName} gave the node metrics).
    log_group_name: '/aws/containerinsights/{ClusterName}/performance',
    log_stream_name: '{NodeName}',
    namespace: 'ContainerInsights',
    region: options.region,
    ...logGroupSettings(options),
    resource_to_telemetry_conversion: { enabled: true },
    eks_fargate_container_insights_enabled: true,
    parse_json_encoded_attr_values: ['kubernetes'],
    dimension_rollup_option: 'NoDimensionRollup',
    metric_declarations: metricDeclarations(options.declarations),
    metric_descriptors: metricDescriptors(options.declarations),
  };
}

/** The receivers, processors, exporter, extension and pipeline of the OTLP path. */
interface OtlpSection {
  readonly receivers: Pick<CollectorConfig['receivers'], 'prometheus/otlp'>;
  readonly processors: ReadonlyArray<readonly [string, ProcessorConfig]>;
  readonly exporters: Pick<CollectorConfig['exporters'], 'otlphttp/cloudwatch'>;
  readonly extensions: Pick<CollectorConfig['extensions'], 'sigv4auth/monitoring'>;
  readonly pipelines: Pick<ServiceConfig['pipelines'], 'metrics/otlp'>;
}

/**
 * The OTLP path: cAdvisor's families as they are (cumulative counters
 * included: PromQL takes the rate), with the standard Kubernetes and cloud
 * attributes, batched within the endpoint's limits, to CloudWatch's OTLP
 * endpoint in the cluster's region, signed for `monitoring`.
 */
function otlpSection(options: CollectorConfigOptions): OtlpSection {
  const processors: Array<readonly [string, ProcessorConfig]> = [
    ['memory_limiter', memoryLimiterFor(options.memoryLimitMiB)],
    ['resourcedetection', { detectors: ['env'] }],
    ['resource/otlp', otlpResource(options.region)],
    ['attributes/otlp', otlpAttributes()],
    ['batch/otlp', { timeout: '60s', send_batch_size: OTLP_BATCH_SIZE, send_batch_max_size: OTLP_BATCH_SIZE }],
  ];
  return {
    receivers: { 'prometheus/otlp': otlpReceiver(options) },
    processors,
    exporters: {
      'otlphttp/cloudwatch': {
        metrics_endpoint: otlpMetricsEndpoint(options.region),
        auth: { authenticator: 'sigv4auth/monitoring' },
        compression: 'gzip',
      },
    },
    extensions: { 'sigv4auth/monitoring': { region: options.region, service: 'monitoring' } },
    pipelines: {
      'metrics/otlp': {
        receivers: ['prometheus/otlp'],
        processors: processors.map(([id]) => id),
        exporters: ['otlphttp/cloudwatch'],
      },
    },
  };
}
