/** An awsemf metric declaration: which metrics become CloudWatch metrics, with which dimensions. */
export interface MetricDeclaration {
  /** The dimension sets: each selected metric becomes a CloudWatch metric in each set. */
  readonly dimensions: ReadonlyArray<readonly string[]>;
  /** Regular expressions (unanchored, as awsemf reads them) selecting the metrics by name. */
  readonly metric_name_selectors: readonly string[];
  /**
   * Only data points whose labels match every matcher: the values of
   * `label_names`, joined with `;`, matched (unanchored) by `regex`.
   */
  readonly label_matchers?: ReadonlyArray<{
    /** The labels read. */
    readonly label_names: readonly string[];
    /** The regular expression their joined values must match. */
    readonly regex: string;
  }>;
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
  /** The units of the declared metrics that have one (given, or read from the name). */
  readonly metric_descriptors: readonly MetricDescriptorConfig[];
}

/** The `awsemf` exporter of pod health: the performance log group, a stream of its own. */
export interface AwsEmfPodHealthExporterConfig extends AwsEmfCommonConfig {
  /** Which dimension sets the exporter adds on its own: none. */
  readonly dimension_rollup_option: 'NoDimensionRollup';
  /** The units of the declared metrics: all counts. */
  readonly metric_descriptors: readonly MetricDescriptorConfig[];
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
