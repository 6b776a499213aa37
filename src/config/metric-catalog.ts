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

/**
 * Whether a metric describes one container, a whole pod or a node. On Fargate
 * every pod runs on a node of its own (a microVM), so a node metric describes
 * that VM: the pod plus the kubelet and container runtime beside it.
 */
export type MetricScope = 'pod' | 'container' | 'node';

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

/**
 * Network statistics, once per interface of the pod's network namespace.
 * Under containerd, cAdvisor reports network only for the pod's sandbox (its
 * `needNet()` is true for `io.cri-containerd.kind: sandbox` alone), so the
 * application containers, which share that namespace, do not repeat them.
 */
export const POD_NETWORK_SERIES: SeriesSelector = {
  name: 'pod network',
  labels: { pod: '\\S', ...ON_FARGATE },
};

/** The node's root cgroup (`id="/"`): everything running on the node, its pod and the kubelet included. */
export const NODE_CGROUP_SERIES: SeriesSelector = {
  name: 'node root cgroup',
  labels: { id: '^/$', ...ON_FARGATE },
};

/** cAdvisor's machine series (`machine_*`): the node's capacity as its kernel sees it. */
export const MACHINE_SERIES: SeriesSelector = {
  name: 'machine',
  labels: { ...ON_FARGATE },
};

/**
 * Labels a pod metric keeps when it is summed over its containers or
 * interfaces: the pod's identity and the node labels the dimensions use.
 * Names are those after the first metricstransform step.
 */
export const POD_LABELS: readonly string[] = ['namespace', 'pod', 'NodeName', 'LaunchType'];

/** A metric renamed from a cAdvisor series. */
export interface CadvisorMetricSource {
  /** Read from a cAdvisor family. */
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
  /**
   * Sum the selected series (after the rate, for counters) into one per
   * distinct value of these labels, dropping all others: a pod metric summed
   * over the pod's containers or network interfaces.
   */
  readonly sumBy?: readonly string[];
  /**
   * Drop the values at or below this number before anything reads them. cAdvisor
   * reports a cgroup without a CPU request as 2 CPU shares, the kernel's minimum.
   */
  readonly dropAtOrBelow?: number;
}

/** Arithmetic the metricsgeneration processor applies to two metrics. */
export type CalculateOperation = 'add' | 'subtract' | 'multiply' | 'divide' | 'percent';

/** A metric computed from two others (metricsgeneration rule type `calculate`). */
export interface CalculatedMetricSource {
  /** Computed from two metrics. */
  readonly kind: 'calculate';
  /** The first operand. */
  readonly metric1: string;
  /** The second operand. */
  readonly metric2: string;
  /** The arithmetic. */
  readonly operation: CalculateOperation;
}

/** A metric computed by scaling another (metricsgeneration rule type `scale`). */
export interface ScaledMetricSource {
  /** Another metric, scaled. */
  readonly kind: 'scale';
  /** The metric scaled. */
  readonly metric1: string;
  /** Multiply or divide it. */
  readonly operation: 'multiply' | 'divide';
  /** By this constant. */
  readonly scaleBy: number;
}

/**
 * The greater of two metrics, per series (metricstransform `combine` with
 * `aggregation_type: max`); only one of them when the other is absent.
 */
export interface GreatestMetricSource {
  /** The greater of two metrics. */
  readonly kind: 'greatest';
  /** The first. */
  readonly metric1: string;
  /** The second. */
  readonly metric2: string;
}

/** Where a metric's values come from. */
export type MetricSource = CadvisorMetricSource | CalculatedMetricSource | ScaledMetricSource | GreatestMetricSource;

/** The metrics a derived metric reads (none for a cAdvisor metric). */
export function operandsOf(source: MetricSource): readonly string[] {
  switch (source.kind) {
    case 'cadvisor':
      return [];
    case 'scale':
      return [source.metric1];
    case 'calculate':
    case 'greatest':
      return [source.metric1, source.metric2];
  }
}

/** One metric the collector produces. */
export interface MetricDefinition {
  /** Name of the metric as it reaches CloudWatch, e.g. `pod_memory_working_set`. */
  readonly name: string;
  /** What the metric describes: a pod, a container or a Fargate node. */
  readonly scope: MetricScope;
  /** Unit of the values (CloudWatch unit names; `Millicore` as Container Insights uses it). */
  readonly unit: string;
  /** What the metric is, and how it is computed. */
  readonly description: string;
  /** Where its values come from. */
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
  readonly dropAtOrBelow?: number;
  /**
   * Where the pod's value comes from. Usage is summed over the pod's
   * application containers, which leaves out the sandbox (pause) container
   * that the pod cgroup also holds. Limits, requests and the other per-cgroup
   * values are the pod cgroup's own: the kubelet sets a CPU quota or memory
   * limit on it only when every container has one, which is the pod's limit in
   * Kubernetes terms, where a sum over containers would count a partial one.
   */
  readonly pod?: 'sum of containers' | 'pod cgroup';
}

/** cAdvisor measurements taken for both containers and pods. */
const CGROUP_MEASUREMENTS: readonly Measurement[] = [
  {
    suffix: 'cpu_limit_raw',
    family: 'container_spec_cpu_quota',
    unit: 'None',
    description: 'CFS CPU quota, in microseconds per 100 ms period (absent without a CPU limit)',
    pod: 'pod cgroup',
  },
  {
    suffix: 'cpu_request_raw',
    family: 'container_spec_cpu_shares',
    unit: 'None',
    description: 'CPU shares, set by the kubelet from the CPU request (absent without a request)',
    // A cgroup without a CPU request gets the kernel's minimum of 2 shares.
    dropAtOrBelow: 2,
    pod: 'pod cgroup',
  },
  {
    suffix: 'cpu_usage_seconds_total',
    family: 'container_cpu_usage_seconds_total',
    unit: 'None',
    description: 'CPU time used, as a rate in cores',
    rate: true,
    pod: 'sum of containers',
  },
  {
    suffix: 'memory_limit',
    family: 'container_spec_memory_limit_bytes',
    unit: 'Bytes',
    description: 'Memory limit (0 without one)',
    pod: 'pod cgroup',
  },
  {
    suffix: 'memory_cache',
    family: 'container_memory_cache',
    unit: 'Bytes',
    description: 'Page cache memory',
    pod: 'sum of containers',
  },
  {
    suffix: 'memory_max_usage',
    family: 'container_memory_max_usage_bytes',
    unit: 'Bytes',
    description: 'Maximum memory usage recorded',
    pod: 'pod cgroup',
  },
  {
    suffix: 'memory_usage',
    family: 'container_memory_usage_bytes',
    unit: 'Bytes',
    description: 'Memory usage, including cache',
    pod: 'sum of containers',
  },
  {
    suffix: 'memory_working_set',
    family: 'container_memory_working_set_bytes',
    unit: 'Bytes',
    description: 'Working set memory: usage less inactive file cache (what the OOM killer watches)',
    pod: 'sum of containers',
  },
  {
    suffix: 'memory_rss',
    family: 'container_memory_rss',
    unit: 'Bytes',
    description: 'Resident set size',
    pod: 'sum of containers',
  },
  {
    suffix: 'memory_swap',
    family: 'container_memory_swap',
    unit: 'Bytes',
    description: 'Swap usage',
    pod: 'sum of containers',
  },
  {
    suffix: 'memory_failcnt',
    family: 'container_memory_failcnt',
    unit: 'Count',
    description: 'Number of times memory usage hit the limit',
    pod: 'pod cgroup',
  },
  {
    suffix: 'memory_hierarchical_pgfault',
    family: 'container_memory_failures_total',
    labels: { failure_type: 'pgfault', scope: 'hierarchy' },
    unit: 'Count/Second',
    description: 'Page faults of the cgroup hierarchy, per second',
    rate: true,
    pod: 'sum of containers',
  },
  {
    suffix: 'memory_hierarchical_pgmajfault',
    family: 'container_memory_failures_total',
    labels: { failure_type: 'pgmajfault', scope: 'hierarchy' },
    unit: 'Count/Second',
    description: 'Major page faults of the cgroup hierarchy, per second',
    rate: true,
    pod: 'sum of containers',
  },
  {
    suffix: 'memory_pgfault',
    family: 'container_memory_failures_total',
    labels: { failure_type: 'pgfault', scope: 'container' },
    unit: 'Count/Second',
    description: 'Page faults, per second',
    rate: true,
    pod: 'sum of containers',
  },
  {
    suffix: 'memory_pgmajfault',
    family: 'container_memory_failures_total',
    labels: { failure_type: 'pgmajfault', scope: 'container' },
    unit: 'Count/Second',
    description: 'Major page faults, per second',
    rate: true,
    pod: 'sum of containers',
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
  {
    suffix: 'filesystem_usage',
    family: 'container_fs_usage_bytes',
    unit: 'Bytes',
    description: 'Filesystem usage',
  },
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
      description: `${label} ${long === 'receive' ? 'received' : 'transmitted'}, per second, summed over the pod's interfaces`,
      rate: true,
    }),
  ),
);

function fromCadvisor(
  scope: MetricScope,
  series: SeriesSelector,
  m: Measurement,
  sumBy?: readonly string[],
): MetricDefinition {
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
      ...(sumBy ? { sumBy } : {}),
      ...(m.dropAtOrBelow !== undefined ? { dropAtOrBelow: m.dropAtOrBelow } : {}),
    },
  };
}

/** A pod metric: the pod cgroup's own value, or the sum over the pod's containers. */
function podMetric(m: Measurement): MetricDefinition {
  return m.pod === 'sum of containers'
    ? fromCadvisor('pod', CONTAINER_SERIES, m, POD_LABELS)
    : fromCadvisor('pod', POD_CGROUP_SERIES, m);
}

/** Node measurements: the root cgroup's usage and the machine's capacity. */
const NODE_METRICS: readonly MetricDefinition[] = [
  fromCadvisor('node', NODE_CGROUP_SERIES, {
    suffix: 'cpu_usage_seconds_total',
    family: 'container_cpu_usage_seconds_total',
    unit: 'None',
    description: 'CPU time used on the node, as a rate in cores',
    rate: true,
  }),
  fromCadvisor('node', NODE_CGROUP_SERIES, {
    suffix: 'memory_working_set',
    family: 'container_memory_working_set_bytes',
    unit: 'Bytes',
    description: 'Working set memory of everything on the node (Container Insights `node_memory_working_set`)',
  }),
  fromCadvisor('node', MACHINE_SERIES, {
    suffix: 'cpu_cores',
    family: 'machine_cpu_cores',
    unit: 'Count',
    description: "CPU cores of the node's machine",
  }),
  fromCadvisor('node', MACHINE_SERIES, {
    suffix: 'memory_limit',
    family: 'machine_memory_bytes',
    unit: 'Bytes',
    description: "Memory of the node's machine (Container Insights `node_memory_limit`)",
  }),
];

/** Shares the kubelet gives a cgroup per CPU core of request (`MilliCPUToShares`: shares = millicores × 1024 / 1000). */
const SHARES_PER_CORE = 1024;

/**
 * Metrics computed from other metrics. Names that Container Insights also
 * uses follow its definitions in the CloudWatch user guide, "Amazon EKS and
 * Kubernetes Container Insights metrics"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-EKS.html).
 */
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
    description:
      'Working set memory as a percentage of the pod memory limit (absent without one: cAdvisor does not report memory requests)',
    source: { kind: 'calculate', metric1: 'pod_memory_working_set', metric2: 'pod_memory_limit', operation: 'percent' },
  },
  {
    name: 'pod_cpu_usage_total',
    scope: 'pod',
    unit: 'Millicore',
    description: "CPU usage in millicores (cores x 1000), summed over the pod's containers",
    source: { kind: 'scale', metric1: 'pod_cpu_usage_seconds_total', operation: 'multiply', scaleBy: 1000 },
  },
  {
    name: 'pod_cpu_limit',
    scope: 'pod',
    unit: 'Millicore',
    description: 'CPU limit in millicores (CFS quota per 100 ms period / 100; absent unless every container has one)',
    source: { kind: 'scale', metric1: 'pod_cpu_limit_raw', operation: 'divide', scaleBy: 100 },
  },
  {
    name: 'pod_cpu_request',
    scope: 'pod',
    unit: 'Millicore',
    description:
      'CPU request in millicores (CPU shares x 1000 / 1024; exact on cgroup v1, within the rounding of cpu.weight on cgroup v2; absent without a request)',
    source: { kind: 'scale', metric1: 'pod_cpu_request_raw', operation: 'multiply', scaleBy: 1000 / SHARES_PER_CORE },
  },
  {
    name: 'pod_cpu_limit_or_request',
    scope: 'pod',
    unit: 'Millicore',
    description:
      'The pod CPU limit, or its CPU request when it has no limit (a limit is never below the request, so this is the greater of the two)',
    source: { kind: 'greatest', metric1: 'pod_cpu_limit', metric2: 'pod_cpu_request' },
  },
  {
    name: 'pod_cpu_utilization_over_pod_limit',
    scope: 'pod',
    unit: 'Percent',
    description:
      'CPU usage as a percentage of the pod CPU limit or, for a pod without a CPU limit, of its CPU request (absent with neither)',
    source: {
      kind: 'calculate',
      metric1: 'pod_cpu_usage_total',
      metric2: 'pod_cpu_limit_or_request',
      operation: 'percent',
    },
  },
  {
    name: 'node_cpu_usage_total',
    scope: 'node',
    unit: 'Millicore',
    description: 'CPU used on the node in millicores: the pod, the kubelet and the container runtime',
    source: { kind: 'scale', metric1: 'node_cpu_usage_seconds_total', operation: 'multiply', scaleBy: 1000 },
  },
  {
    name: 'node_cpu_limit',
    scope: 'node',
    unit: 'Millicore',
    description:
      "CPU capacity of the node in millicores. On Fargate this is the microVM's, which the EKS user guide says is unrelated to the pod's Fargate size",
    source: { kind: 'scale', metric1: 'node_cpu_cores', operation: 'multiply', scaleBy: 1000 },
  },
  {
    name: 'node_cpu_utilization',
    scope: 'node',
    unit: 'Percent',
    description: "CPU used on the node as a percentage of the node's CPU capacity",
    source: { kind: 'calculate', metric1: 'node_cpu_usage_total', metric2: 'node_cpu_limit', operation: 'percent' },
  },
  {
    name: 'node_memory_utilization',
    scope: 'node',
    unit: 'Percent',
    description:
      "Working set memory of the node as a percentage of the node's memory (node_memory_working_set / node_memory_limit)",
    source: {
      kind: 'calculate',
      metric1: 'node_memory_working_set',
      metric2: 'node_memory_limit',
      operation: 'percent',
    },
  },
];

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

/** A CloudWatch dimension (metric label) the pipeline can attach to a metric. */
export enum Dimension {
  /** The cluster's name, on every metric. */
  CLUSTER_NAME = 'ClusterName',
  /** `fargate`, as the AWS reference manifest sets it. */
  LAUNCH_TYPE = 'LaunchType',
  /** The pod's namespace. */
  NAMESPACE = 'Namespace',
  /** The Fargate node's name. */
  NODE_NAME = 'NodeName',
  /** The pod's name. */
  POD_NAME = 'PodName',
}

/** Every dimension, in the order messages list them. */
export const DIMENSIONS: readonly Dimension[] = Object.values(Dimension);

/**
 * The dimensions each scope's metrics carry. Node series belong to no pod,
 * so node metrics have no `Namespace` or `PodName`.
 */
export const SCOPE_DIMENSIONS: Readonly<Record<MetricScope, readonly Dimension[]>> = {
  container: DIMENSIONS,
  pod: DIMENSIONS,
  node: [Dimension.CLUSTER_NAME, Dimension.LAUNCH_TYPE, Dimension.NODE_NAME],
};

/** Metrics sent to CloudWatch with the same dimension sets: one awsemf `metric_declarations` entry. */
export interface MetricDeclarationSpec {
  /** Catalog names of the metrics. */
  readonly metrics: string[];
  /** The dimension sets each of them is sent with (each set is one custom metric per value). */
  readonly dimensionSets: Dimension[][];
}

/** The 8 pod metrics the AWS reference manifest sends to CloudWatch. */
export const DEFAULT_METRICS: string[] = [
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
export const DEFAULT_DIMENSION_SETS: Dimension[][] = [
  [Dimension.CLUSTER_NAME, Dimension.LAUNCH_TYPE],
  [Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.LAUNCH_TYPE],
  [Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.POD_NAME, Dimension.LAUNCH_TYPE],
];

/**
 * The metrics and dimension sets of the CloudWatch user guide's table for
 * Amazon EKS and Kubernetes, "Amazon EKS and Kubernetes Container Insights
 * metrics"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-EKS.html;
 * source awsdocs/amazon-cloudwatch-user-guide, doc_source/Container-Insights-metrics-EKS.md).
 * These are what the Container Insights console reads. The `console` profile
 * takes from here every pair the pipeline can produce on Fargate, and
 * `NOT_PRODUCED_METRICS` / `NOT_PRODUCED_DIMENSIONS` say why the rest is left out.
 */
export const CONTAINER_INSIGHTS_EKS_METRICS: Readonly<Record<string, ReadonlyArray<readonly string[]>>> = (() => {
  const cluster = [['ClusterName']];
  const node = [['NodeName', 'ClusterName', 'InstanceId'], ['ClusterName']];
  const pod = [
    [Dimension.POD_NAME, Dimension.NAMESPACE, Dimension.CLUSTER_NAME],
    [Dimension.NAMESPACE, Dimension.CLUSTER_NAME],
    ['Service', Dimension.NAMESPACE, Dimension.CLUSTER_NAME],
    [Dimension.CLUSTER_NAME],
  ];
  const podReserved = [['PodName', 'Namespace', 'ClusterName'], ['ClusterName']];
  return {
    cluster_failed_node_count: cluster,
    cluster_node_count: cluster,
    namespace_number_of_running_pods: [['Namespace', 'ClusterName'], ['ClusterName']],
    node_cpu_limit: cluster,
    node_cpu_reserved_capacity: node,
    node_cpu_usage_total: cluster,
    node_cpu_utilization: node,
    node_filesystem_utilization: node,
    node_memory_limit: cluster,
    node_memory_reserved_capacity: node,
    node_memory_utilization: node,
    node_memory_working_set: cluster,
    node_network_total_bytes: node,
    node_number_of_running_containers: node,
    node_number_of_running_pods: node,
    pod_cpu_reserved_capacity: podReserved,
    pod_cpu_utilization: pod,
    pod_cpu_utilization_over_pod_limit: pod,
    pod_memory_reserved_capacity: podReserved,
    pod_memory_utilization: pod,
    pod_memory_utilization_over_pod_limit: pod,
    pod_number_of_container_restarts: [['PodName', 'Namespace', 'ClusterName']],
    pod_network_rx_bytes: pod,
    pod_network_tx_bytes: pod,
    service_number_of_running_pods: [['Service', 'Namespace', 'ClusterName'], ['ClusterName']],
  };
})();

/**
 * A named choice of what becomes CloudWatch metrics.
 *
 * - `reference`: what the AWS reference manifest sends, 8 pod metrics with
 *   `LaunchType` in each of 3 dimension sets. The default.
 * - `console`: `reference`, plus the metric names and dimension sets the
 *   Container Insights console reads for pods, namespaces and the cluster, as
 *   far as cAdvisor on Fargate can honestly give them (see `CONSOLE_DECLARATIONS`).
 */
export enum MetricProfile {
  /** What the AWS reference manifest sends. The default. */
  REFERENCE = 'reference',
  /** `REFERENCE`, plus what the Container Insights console reads, as far as Fargate gives it. */
  CONSOLE = 'console',
}

/** Every metric profile, for validation messages. */
export const METRIC_PROFILES: readonly MetricProfile[] = Object.values(MetricProfile);

/** The `reference` profile. */
export const REFERENCE_DECLARATIONS: readonly MetricDeclarationSpec[] = [
  { metrics: DEFAULT_METRICS, dimensionSets: DEFAULT_DIMENSION_SETS },
];

/**
 * What the `console` profile adds to `reference`. Every name and dimension set
 * is one the CloudWatch user guide lists for Amazon EKS, "Amazon EKS and
 * Kubernetes Container Insights metrics"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-EKS.html),
 * with none of `LaunchType`:
 *
 * - pod metrics with [PodName, Namespace, ClusterName], [Namespace, ClusterName]
 *   and [ClusterName]; the guide's fourth set, with `Service`, is in
 *   `NOT_PRODUCED_DIMENSIONS`;
 * - node metrics with [ClusterName], the one set the guide gives every node
 *   metric; its other, with `InstanceId`, cannot exist on Fargate.
 *
 * The guide's metrics left out are in `NOT_PRODUCED_METRICS`, with the reason.
 */
export const CONSOLE_DECLARATIONS: readonly MetricDeclarationSpec[] = [
  {
    metrics: [
      'pod_cpu_utilization_over_pod_limit',
      'pod_memory_utilization_over_pod_limit',
      'pod_network_rx_bytes',
      'pod_network_tx_bytes',
    ],
    dimensionSets: [
      [Dimension.POD_NAME, Dimension.NAMESPACE, Dimension.CLUSTER_NAME],
      [Dimension.NAMESPACE, Dimension.CLUSTER_NAME],
      [Dimension.CLUSTER_NAME],
    ],
  },
  {
    metrics: [
      'node_cpu_limit',
      'node_cpu_usage_total',
      'node_cpu_utilization',
      'node_memory_limit',
      'node_memory_working_set',
      'node_memory_utilization',
    ],
    dimensionSets: [[Dimension.CLUSTER_NAME]],
  },
];

/** The metric declarations of each profile. */
export const PROFILE_DECLARATIONS: Readonly<Record<MetricProfile, readonly MetricDeclarationSpec[]>> = {
  [MetricProfile.REFERENCE]: REFERENCE_DECLARATIONS,
  [MetricProfile.CONSOLE]: [...REFERENCE_DECLARATIONS, ...CONSOLE_DECLARATIONS],
};

const FARGATE_NODE_SIZE =
  "it is defined against the node's capacity, and a Fargate node's capacity is unrelated to the pod's Fargate size (EKS user guide, Fargate pod configuration)";
const FROM_THE_API = 'it counts Kubernetes objects, which come from the Kubernetes API, not from cAdvisor';

/**
 * Metrics of the CloudWatch user guide's EKS table that this pipeline does not
 * produce, and why. Asking for one is an error that gives the reason.
 */
export const NOT_PRODUCED_METRICS: Readonly<Record<string, string>> = {
  pod_cpu_utilization: `${FARGATE_NODE_SIZE}; pod_cpu_utilization_over_pod_limit is measured against the pod's own limit or request`,
  pod_memory_utilization: `${FARGATE_NODE_SIZE}; pod_memory_utilization_over_pod_limit is measured against the pod's own limit`,
  pod_cpu_reserved_capacity: FARGATE_NODE_SIZE,
  pod_memory_reserved_capacity: `${FARGATE_NODE_SIZE}, and cAdvisor does not report memory requests`,
  pod_number_of_container_restarts: 'restart counts are in the pod status of the Kubernetes API, not in cAdvisor',
  node_cpu_reserved_capacity: "it needs the node's pods' requests, and cAdvisor does not report memory requests",
  node_memory_reserved_capacity: "it needs the node's pods' requests, and cAdvisor does not report memory requests",
  node_filesystem_utilization:
    "cAdvisor's filesystem series for a Fargate node have not been checked against the node's real storage",
  node_network_total_bytes:
    "the node's own interfaces on Fargate have not been checked; pod_network_rx_bytes and pod_network_tx_bytes carry the pod's traffic",
  node_number_of_running_containers: FROM_THE_API,
  node_number_of_running_pods: FROM_THE_API,
  cluster_node_count: FROM_THE_API,
  cluster_failed_node_count: `${FROM_THE_API} (node conditions)`,
  namespace_number_of_running_pods: FROM_THE_API,
  service_number_of_running_pods: FROM_THE_API,
};

/** Dimensions of the CloudWatch user guide's EKS table that this pipeline cannot set, and why. */
export const NOT_PRODUCED_DIMENSIONS: Readonly<Record<string, string>> = {
  Service: 'which Services select a pod is known from the Kubernetes API (endpoints), not from cAdvisor',
  InstanceId: 'Fargate nodes are not EC2 instances',
};

/** Looks up a catalog entry by its CloudWatch name. */
export function findMetric(name: string): MetricDefinition | undefined {
  return METRIC_CATALOG.find((m) => m.name === name);
}
