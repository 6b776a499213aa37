/**
 * CloudWatch's OpenTelemetry metrics path: cAdvisor metrics, under their
 * open-source names and with Kubernetes attributes, sent over OTLP to
 * `https://monitoring.<region>.amazonaws.com/v1/metrics` and queried with
 * PromQL. This module holds its data (the endpoint and its limits, the
 * cAdvisor families, the attributes); the destinations and their regions are
 * metrics-destination.ts, its cost model otlp-cost.ts, its pipeline
 * pipelines/otlp-pipeline.ts.
 */

/** CloudWatch's OTLP metrics endpoint in a region. */
export function otlpMetricsEndpoint(region: string): string {
  return `https://monitoring.${region}.amazonaws.com/v1/metrics`;
}

/**
 * The metrics endpoint's documented limits per request (CloudWatch user
 * guide, "OTLP Endpoints", metrics table): at most 1,000 data points and
 * 1 MB uncompressed.
 */
export const OTLP_METRICS_LIMITS = {
  /** Data points per request, summed over resources, scopes and metrics. */
  dataPointsPerRequest: 1000,
  /** Uncompressed bytes per request. */
  bytesPerRequest: 1_000_000,
  /** Labels per data point, across resource, scope and data point attributes. */
  labelsPerDataPoint: 150,
} as const;

/**
 * Data points per request the batch processor sends: half the endpoint's
 * limit, so that a request stays under 1 MB even at 2 KB per data point
 * (a typical one is under 1 KB; see `otlpDataPointBytes`).
 */
export const OTLP_BATCH_SIZE = 500;

/** What cAdvisor reports a family for, once each. */
export type CadvisorSeriesScope =
  /** each cgroup of the pod: its containers, its sandbox (pause) and the pod itself */
  | 'cgroup'
  /** each network interface of the pod's sandbox */
  | 'interface'
  /** each block device of each application container */
  | 'device';

/** A cAdvisor metric family the OTLP path sends, as cAdvisor names it. */
export interface OtlpCadvisorFamily {
  /** The family's name, which is also the metric's name in CloudWatch. */
  readonly name: string;
  /** What it measures. */
  readonly category: 'CPU' | 'memory' | 'network' | 'disk and filesystem';
  /** `counter`: cumulative, query it with `rate()`; `gauge`: query it directly. */
  readonly type: 'counter' | 'gauge';
  /** What cAdvisor reports it for. */
  readonly per: CadvisorSeriesScope;
}

const family = (
  name: string,
  category: OtlpCadvisorFamily['category'],
  type: OtlpCadvisorFamily['type'],
  per: CadvisorSeriesScope = 'cgroup',
): OtlpCadvisorFamily => ({ name, category, type, per });

/**
 * The cAdvisor families the OTLP path sends: the CPU, memory, network, and
 * disk and filesystem categories OTel Container Insights collects from
 * cAdvisor for pods and containers, under their cAdvisor names. Everything
 * else cAdvisor serves is dropped at scrape time.
 */
export const OTLP_CADVISOR_FAMILIES: readonly OtlpCadvisorFamily[] = [
  family('container_cpu_usage_seconds_total', 'CPU', 'counter'),
  family('container_cpu_user_seconds_total', 'CPU', 'counter'),
  family('container_cpu_system_seconds_total', 'CPU', 'counter'),
  family('container_cpu_cfs_periods_total', 'CPU', 'counter'),
  family('container_cpu_cfs_throttled_periods_total', 'CPU', 'counter'),
  family('container_cpu_cfs_throttled_seconds_total', 'CPU', 'counter'),
  family('container_spec_cpu_quota', 'CPU', 'gauge'),
  family('container_spec_cpu_period', 'CPU', 'gauge'),
  family('container_spec_cpu_shares', 'CPU', 'gauge'),
  family('container_memory_usage_bytes', 'memory', 'gauge'),
  family('container_memory_working_set_bytes', 'memory', 'gauge'),
  family('container_memory_rss', 'memory', 'gauge'),
  family('container_memory_cache', 'memory', 'gauge'),
  family('container_memory_swap', 'memory', 'gauge'),
  family('container_memory_max_usage_bytes', 'memory', 'gauge'),
  family('container_memory_failcnt', 'memory', 'counter'),
  family('container_oom_events_total', 'memory', 'counter'),
  family('container_spec_memory_limit_bytes', 'memory', 'gauge'),
  family('container_spec_memory_reservation_limit_bytes', 'memory', 'gauge'),
  family('container_network_receive_bytes_total', 'network', 'counter', 'interface'),
  family('container_network_transmit_bytes_total', 'network', 'counter', 'interface'),
  family('container_network_receive_packets_total', 'network', 'counter', 'interface'),
  family('container_network_transmit_packets_total', 'network', 'counter', 'interface'),
  family('container_network_receive_packets_dropped_total', 'network', 'counter', 'interface'),
  family('container_network_transmit_packets_dropped_total', 'network', 'counter', 'interface'),
  family('container_network_receive_errors_total', 'network', 'counter', 'interface'),
  family('container_network_transmit_errors_total', 'network', 'counter', 'interface'),
  family('container_fs_reads_bytes_total', 'disk and filesystem', 'counter', 'device'),
  family('container_fs_writes_bytes_total', 'disk and filesystem', 'counter', 'device'),
  family('container_fs_reads_total', 'disk and filesystem', 'counter', 'device'),
  family('container_fs_writes_total', 'disk and filesystem', 'counter', 'device'),
];

/** Where an attribute lands in OTLP, and so how PromQL names it in CloudWatch. */
export type OtlpAttributeScope = 'resource' | 'datapoint';

/** A standard attribute the OTLP path sets, and where it comes from. */
export interface OtlpAttribute {
  /** The OpenTelemetry semantic-convention name. */
  readonly name: string;
  /** Resource attributes are `@resource.<name>` in PromQL; data point attributes are bare (or `@datapoint.<name>`). */
  readonly scope: OtlpAttributeScope;
  /** Where the value comes from. */
  readonly source: string;
}

/** The standard attributes on every data point the OTLP path sends. */
export const OTLP_ATTRIBUTES: readonly OtlpAttribute[] = [
  { name: 'k8s.cluster.name', scope: 'resource', source: 'the cluster name (clusterName)' },
  {
    name: 'k8s.node.name',
    scope: 'resource',
    source: 'the node the prometheus receiver scraped (__meta_kubernetes_node_name)',
  },
  { name: 'cloud.region', scope: 'resource', source: 'the region (region)' },
  { name: 'cloud.provider', scope: 'resource', source: 'the constant aws' },
  { name: 'cloud.platform', scope: 'resource', source: 'the constant aws_eks' },
  { name: 'k8s.namespace.name', scope: 'datapoint', source: "cAdvisor's namespace label" },
  { name: 'k8s.pod.name', scope: 'datapoint', source: "cAdvisor's pod label" },
  {
    name: 'k8s.container.name',
    scope: 'datapoint',
    source: "cAdvisor's container label (absent on pod and sandbox cgroups)",
  },
];
