/**
 * The Container Insights metrics the collector derives from cAdvisor on EKS
 * Fargate, as data. Everything in the collector's metrics pipeline that names
 * a metric (the metricstransform renames, the filter, cumulativetodelta,
 * deltatorate, the metricsgeneration rules and the awsemf declarations) is
 * computed from this table, so adding a metric is one entry here.
 *
 * The entries reproduce the metric set of the AWS reference manifest for
 * Container Insights on EKS Fargate (aws-otel-collector
 * `deployment-template/eks/otel-fargate-container-insights.yaml`).
 */

/** Whether a metric describes one container or a whole pod. */
export type MetricScope = 'pod' | 'container';

/** Label values (regular expressions) a cAdvisor series must match to feed a metric. */
export type LabelMatchers = Readonly<Record<string, string>>;

/**
 * Which cAdvisor series feed a metric. cAdvisor reports the same metric family
 * for each container's cgroup, for the pod's own cgroup and for the network
 * namespace, told apart by their labels.
 */
export interface SeriesSelector {
  /** Name of the selector, for documentation and errors. */
  readonly name: string;
  /** Label matchers (regular expressions, as metricstransform's `experimental_match_labels`). */
  readonly labels: LabelMatchers;
}

/**
 * Label names the matchers use are the ones after the first metricstransform
 * step renames them: the Prometheus `labelmap` copies node labels onto each
 * series, and `eks.amazonaws.com/compute-type` becomes `LaunchType`.
 */
const ON_FARGATE = { LaunchType: 'fargate' } as const;

/** Series of one application container: the `container` label is set. */
export const CONTAINER_SERIES: SeriesSelector = {
  name: 'container',
  labels: { container: '\\S', ...ON_FARGATE },
};

/** The pod-level cgroup: no image and no container, but a pod. */
export const POD_CGROUP_SERIES: SeriesSelector = {
  name: 'pod cgroup',
  labels: { image: '^$', container: '^$', pod: '\\S', ...ON_FARGATE },
};

/** Network statistics, which cAdvisor reports once per pod network namespace. */
export const POD_NETWORK_SERIES: SeriesSelector = {
  name: 'pod network',
  labels: { pod: '\\S', ...ON_FARGATE },
};

/** A metric renamed from a cAdvisor series. */
export interface CadvisorMetricSource {
  readonly kind: 'cadvisor';
  /** cAdvisor metric family, e.g. `container_memory_working_set_bytes`. */
  readonly family: string;
  /** Which series of the family (container, pod cgroup or pod network). */
  readonly series: SeriesSelector;
  /** Further label matchers that pick one variant of the family, e.g. `failure_type`. */
  readonly labels?: LabelMatchers;
  /**
   * The family is a cumulative counter that the pipeline turns into a
   * per-second rate (cumulativetodelta, then deltatorate).
   */
  readonly rate: boolean;
}

/** Arithmetic the metricsgeneration processor applies to two metrics. */
export type CalculateOperation = 'add' | 'subtract' | 'multiply' | 'divide' | 'percent';

/** A metric computed from two others (metricsgeneration rule type `calculate`). */
export interface CalculatedMetricSource {
  readonly kind: 'calculate';
  readonly metric1: string;
  readonly metric2: string;
  readonly operation: CalculateOperation;
}

/** A metric computed by scaling another (metricsgeneration rule type `scale`). */
export interface ScaledMetricSource {
  readonly kind: 'scale';
  readonly metric1: string;
  readonly operation: 'multiply' | 'divide';
  readonly scaleBy: number;
}

/** Where a metric's values come from. */
export type MetricSource = CadvisorMetricSource | CalculatedMetricSource | ScaledMetricSource;

/** One metric the collector produces. */
export interface MetricDefinition {
  /** Name of the metric as it reaches CloudWatch, e.g. `pod_memory_working_set`. */
  readonly name: string;
  readonly scope: MetricScope;
  /** Unit of the values (CloudWatch unit names; `Millicore` as Container Insights uses it). */
  readonly unit: string;
  readonly description: string;
  readonly source: MetricSource;
}

interface Measurement {
  /** Name without the scope prefix, e.g. `memory_working_set`. */
  readonly suffix: string;
  readonly family: string;
  readonly unit: string;
  readonly description: string;
  readonly labels?: LabelMatchers;
  readonly rate?: boolean;
}

/** cAdvisor measurements taken for both containers and pods. */
const CGROUP_MEASUREMENTS: readonly Measurement[] = [
  {
    suffix: 'cpu_limit_raw',
    family: 'container_spec_cpu_quota',
    unit: 'None',
    description: 'CFS CPU quota, in microseconds per 100 ms period (absent without a CPU limit)',
  },
  {
    suffix: 'cpu_request',
    family: 'container_spec_cpu_shares',
    unit: 'None',
    description: 'CPU shares, derived by the kubelet from the CPU request',
  },
  {
    suffix: 'cpu_usage_seconds_total',
    family: 'container_cpu_usage_seconds_total',
    unit: 'None',
    description: 'CPU time used, as a rate in cores',
    rate: true,
  },
  {
    suffix: 'memory_limit',
    family: 'container_spec_memory_limit_bytes',
    unit: 'Bytes',
    description: 'Memory limit',
  },
  { suffix: 'memory_cache', family: 'container_memory_cache', unit: 'Bytes', description: 'Page cache memory' },
  {
    suffix: 'memory_max_usage',
    family: 'container_memory_max_usage_bytes',
    unit: 'Bytes',
    description: 'Maximum memory usage recorded',
  },
  {
    suffix: 'memory_usage',
    family: 'container_memory_usage_bytes',
    unit: 'Bytes',
    description: 'Memory usage, including cache',
  },
  {
    suffix: 'memory_working_set',
    family: 'container_memory_working_set_bytes',
    unit: 'Bytes',
    description: 'Working set memory: usage less inactive file cache (what the OOM killer watches)',
  },
  { suffix: 'memory_rss', family: 'container_memory_rss', unit: 'Bytes', description: 'Resident set size' },
  { suffix: 'memory_swap', family: 'container_memory_swap', unit: 'Bytes', description: 'Swap usage' },
  {
    suffix: 'memory_failcnt',
    family: 'container_memory_failcnt',
    unit: 'Count',
    description: 'Number of times memory usage hit the limit',
  },
  {
    suffix: 'memory_hierarchical_pgfault',
    family: 'container_memory_failures_total',
    labels: { failure_type: 'pgfault', scope: 'hierarchy' },
    unit: 'Count/Second',
    description: 'Page faults of the cgroup hierarchy, per second',
    rate: true,
  },
  {
    suffix: 'memory_hierarchical_pgmajfault',
    family: 'container_memory_failures_total',
    labels: { failure_type: 'pgmajfault', scope: 'hierarchy' },
    unit: 'Count/Second',
    description: 'Major page faults of the cgroup hierarchy, per second',
    rate: true,
  },
  {
    suffix: 'memory_pgfault',
    family: 'container_memory_failures_total',
    labels: { failure_type: 'pgfault', scope: 'container' },
    unit: 'Count/Second',
    description: 'Page faults, per second',
    rate: true,
  },
  {
    suffix: 'memory_pgmajfault',
    family: 'container_memory_failures_total',
    labels: { failure_type: 'pgmajfault', scope: 'container' },
    unit: 'Count/Second',
    description: 'Major page faults, per second',
    rate: true,
  },
];

/** cAdvisor measurements taken for containers only. */
const CONTAINER_ONLY_MEASUREMENTS: readonly Measurement[] = [
  {
    suffix: 'filesystem_capacity',
    family: 'container_fs_limit_bytes',
    unit: 'Bytes',
    description: 'Filesystem capacity',
  },
  { suffix: 'filesystem_usage', family: 'container_fs_usage_bytes', unit: 'Bytes', description: 'Filesystem usage' },
];

/** Network measurements, per pod. */
const NETWORK_MEASUREMENTS: readonly Measurement[] = (
  [
    ['rx', 'receive'],
    ['tx', 'transmit'],
  ] as const
).flatMap(([short, long]) =>
  (
    [
      ['bytes', 'bytes', 'Bytes/Second', 'Bytes'],
      ['dropped', 'packets_dropped', 'Count/Second', 'Packets dropped'],
      ['errors', 'errors', 'Count/Second', 'Errors'],
      ['packets', 'packets', 'Count/Second', 'Packets'],
    ] as const
  ).map(
    ([what, family, unit, label]): Measurement => ({
      suffix: `network_${short}_${what}`,
      family: `container_network_${long}_${family}_total`,
      unit,
      description: `${label} ${long === 'receive' ? 'received' : 'transmitted'}, per second`,
      rate: true,
    }),
  ),
);

function fromCadvisor(scope: MetricScope, series: SeriesSelector, m: Measurement): MetricDefinition {
  return {
    name: `${scope}_${m.suffix}`,
    scope,
    unit: m.unit,
    description: m.description,
    source: {
      kind: 'cadvisor',
      family: m.family,
      series,
      ...(m.labels ? { labels: m.labels } : {}),
      rate: m.rate ?? false,
    },
  };
}

/** Metrics computed from other metrics, pod scope. Order matters only for readability. */
const GENERATED: readonly MetricDefinition[] = [
  {
    name: 'pod_network_total_bytes',
    scope: 'pod',
    unit: 'Bytes/Second',
    description: 'Bytes received and transmitted, per second',
    source: { kind: 'calculate', metric1: 'pod_network_rx_bytes', metric2: 'pod_network_tx_bytes', operation: 'add' },
  },
  {
    name: 'pod_memory_utilization_over_pod_limit',
    scope: 'pod',
    unit: 'Percent',
    description: 'Working set memory as a percentage of the pod memory limit',
    source: { kind: 'calculate', metric1: 'pod_memory_working_set', metric2: 'pod_memory_limit', operation: 'percent' },
  },
  {
    name: 'pod_cpu_usage_total',
    scope: 'pod',
    unit: 'Millicore',
    description: 'CPU usage in millicores (cores x 1000)',
    source: { kind: 'scale', metric1: 'pod_cpu_usage_seconds_total', operation: 'multiply', scaleBy: 1000 },
  },
  {
    name: 'pod_cpu_limit',
    scope: 'pod',
    unit: 'Millicore',
    description: 'CPU limit in millicores (CFS quota per 100 ms period / 100)',
    source: { kind: 'scale', metric1: 'pod_cpu_limit_raw', operation: 'divide', scaleBy: 100 },
  },
  {
    name: 'pod_cpu_utilization_over_pod_limit',
    scope: 'pod',
    unit: 'Percent',
    description: 'CPU usage as a percentage of the pod CPU limit (absent for pods without a CPU limit)',
    source: { kind: 'calculate', metric1: 'pod_cpu_usage_total', metric2: 'pod_cpu_limit', operation: 'percent' },
  },
];

/** Every metric the collector produces, in pipeline order. */
export const METRIC_CATALOG: readonly MetricDefinition[] = [
  ...[...CGROUP_MEASUREMENTS, ...CONTAINER_ONLY_MEASUREMENTS].map((m) =>
    fromCadvisor('container', CONTAINER_SERIES, m),
  ),
  ...CGROUP_MEASUREMENTS.map((m) => fromCadvisor('pod', POD_CGROUP_SERIES, m)),
  ...NETWORK_MEASUREMENTS.map((m) => fromCadvisor('pod', POD_NETWORK_SERIES, m)),
  ...GENERATED,
];

/** Dimensions (metric labels) that the pipeline sets on every pod metric. */
export const DIMENSIONS = ['ClusterName', 'LaunchType', 'Namespace', 'NodeName', 'PodName'] as const;

/** A CloudWatch dimension the pipeline can attach to a metric. */
export type Dimension = (typeof DIMENSIONS)[number];

/** The 8 pod metrics the AWS reference manifest sends to CloudWatch. */
export const DEFAULT_METRICS: readonly string[] = [
  'pod_cpu_utilization_over_pod_limit',
  'pod_cpu_usage_total',
  'pod_cpu_limit',
  'pod_memory_utilization_over_pod_limit',
  'pod_memory_working_set',
  'pod_memory_limit',
  'pod_network_rx_bytes',
  'pod_network_tx_bytes',
];

/** The 3 dimension sets of the AWS reference manifest: cluster, namespace and pod. */
export const DEFAULT_DIMENSION_SETS: ReadonlyArray<readonly Dimension[]> = [
  ['ClusterName', 'LaunchType'],
  ['ClusterName', 'Namespace', 'LaunchType'],
  ['ClusterName', 'Namespace', 'PodName', 'LaunchType'],
];

/** Looks up a catalog entry by its CloudWatch name. */
export function findMetric(name: string): MetricDefinition | undefined {
  return METRIC_CATALOG.find((m) => m.name === name);
}
