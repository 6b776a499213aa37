import {
  type LabelMatchers,
  type MetricDefinition,
  type MetricScope,
  type SeriesSelector,
  WORKLOAD_LABEL,
} from './metric-types';

/** The cAdvisor series on Fargate, and the Container Insights metrics measured from them directly. */

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
const POD_CGROUP_SERIES: SeriesSelector = {
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
const NODE_CGROUP_SERIES: SeriesSelector = {
  name: 'node root cgroup',
  labels: { id: '^/$', ...ON_FARGATE },
};

/** cAdvisor's machine series (`machine_*`): the node's capacity as its kernel sees it. */
const MACHINE_SERIES: SeriesSelector = {
  name: 'machine',
  labels: { ...ON_FARGATE },
};

/**
 * Labels a pod metric keeps when it is summed over its containers or
 * interfaces: the pod's identity (its workload too, when the scrape
 * names it), and the node labels the dimensions use. Names are those after
 * the first metricstransform step.
 */
export const POD_LABELS: readonly string[] = ['namespace', 'pod', WORKLOAD_LABEL, 'NodeName', 'LaunchType'];

export interface Measurement {
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
export const CGROUP_MEASUREMENTS: readonly Measurement[] = [
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
export const CONTAINER_ONLY_MEASUREMENTS: readonly Measurement[] = [
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
export const NETWORK_MEASUREMENTS: readonly Measurement[] = (
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

export function fromCadvisor(
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
export function podMetric(m: Measurement): MetricDefinition {
  return m.pod === 'sum of containers'
    ? fromCadvisor('pod', CONTAINER_SERIES, m, POD_LABELS)
    : fromCadvisor('pod', POD_CGROUP_SERIES, m);
}

/** Node measurements: the root cgroup's usage and the machine's capacity. */
export const NODE_METRICS: readonly MetricDefinition[] = [
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
