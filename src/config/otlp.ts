import { invalidInput, showValue, ValidationError } from '../core/errors';

/**
 * CloudWatch's OpenTelemetry metrics path: cAdvisor metrics, under their
 * open-source names and with Kubernetes attributes, sent over OTLP to
 * `https://monitoring.<region>.amazonaws.com/v1/metrics` and queried with
 * PromQL. This module holds its data (the cAdvisor families, the attributes,
 * the regions, the endpoint's limits) and its cost model; its pipeline is
 * pipelines/otlp-pipeline.ts, which collector-config.ts merges with the others.
 */

/**
 * Where the Container Insights metrics go:
 * - `emf`: the classic path, Embedded Metric Format logs from which CloudWatch
 *   extracts the declared metrics (billed per metric);
 * - `otlp`: OpenTelemetry metrics over OTLP (billed per GB, queried with PromQL);
 * - `both`: both at once, to migrate.
 */
export enum MetricsDestination {
  /** Embedded Metric Format log events, from which CloudWatch extracts the declared metrics. The default. */
  EMF = 'emf',
  /** OpenTelemetry metrics over OTLP, queried with PromQL. */
  OTLP = 'otlp',
  /** Both at once, to migrate. */
  BOTH = 'both',
}

/** Where Container Insights metrics go unless told otherwise. */
export const DEFAULT_METRICS_DESTINATION = MetricsDestination.EMF;

/** Every metrics destination. */
export const METRICS_DESTINATIONS: readonly MetricsDestination[] = Object.values(MetricsDestination);

/**
 * The paths each destination turns on: the one place that says what a
 * destination means. A new destination is a row here (the compiler asks for
 * it) and its pipeline's `enabled`.
 */
export const DESTINATION_PATHS: Readonly<
  Record<MetricsDestination, { readonly emf: boolean; readonly otlp: boolean }>
> = {
  [MetricsDestination.EMF]: { emf: true, otlp: false },
  [MetricsDestination.OTLP]: { emf: false, otlp: true },
  [MetricsDestination.BOTH]: { emf: true, otlp: true },
};

/** Whether a destination includes the classic Embedded Metric Format path. */
export const sendsEmf = (destination: MetricsDestination): boolean => DESTINATION_PATHS[destination].emf;

/** Whether a destination includes the OTLP path. */
export const sendsOtlp = (destination: MetricsDestination): boolean => DESTINATION_PATHS[destination].otlp;

/** The destinations with the Embedded Metric Format path, which what shapes that path needs. */
export const EMF_DESTINATIONS: readonly MetricsDestination[] = METRICS_DESTINATIONS.filter(sendsEmf);

/**
 * The regions where the CloudWatch user guide lists OTLP metrics ingestion
 * ("Query metrics with PromQL", Supported AWS Regions), as read on
 * 2026-11-29: 31 regions. Not listed then: the Middle East and Israel
 * regions, China, AWS GovCloud (US) and the isolated partitions.
 */
export const OTLP_METRICS_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'ca-west-1',
  'mx-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
];

/**
 * Checks a metrics destination and, when it includes OTLP, that the region
 * has the OTLP metrics endpoint.
 *
 * @param skipRegionCheck accept a region the list does not have (one added since)
 * @throws ValidationError naming the input, the region and the listed regions
 */
export function validateMetricsDestination(
  input: string,
  destination: string,
  region: string,
  skipRegionCheck = false,
  skipInput = 'allowUnlistedRegion',
): MetricsDestination {
  if (!(METRICS_DESTINATIONS as readonly string[]).includes(destination)) {
    invalidInput(
      input,
      destination,
      `one of ${METRICS_DESTINATIONS.join(', ')} (emf: the classic Embedded Metric Format path; otlp: OpenTelemetry metrics for PromQL; both: both, to migrate)`,
    );
  }
  const checked = destination as MetricsDestination;
  if (sendsOtlp(checked) && !skipRegionCheck && !OTLP_METRICS_REGIONS.includes(region)) {
    throw new ValidationError(
      `Invalid ${input} ${showValue(destination)} in region ${showValue(region)}: CloudWatch's OTLP metrics endpoint is not listed for that region. Expected emf there, or a region with OTLP metrics ingestion (${OTLP_METRICS_REGIONS.join(', ')}); if the endpoint has been added since, set ${skipInput}.`,
    );
  }
  return checked;
}

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

/**
 * A Fargate pod, as far as the size of what the OTLP path sends depends on
 * it: its number of application containers, network interfaces and block
 * devices, and typical lengths of the values its attributes carry.
 */
export interface OtlpPodShape {
  /** Application containers (besides the sandbox). */
  readonly containers: number;
  /** Network interfaces of the sandbox. */
  readonly interfaces: number;
  /** Block devices per application container. */
  readonly devices: number;
  /** Typical attribute values, by attribute, data point then resource (cAdvisor's own labels included). */
  readonly datapointAttributes: Readonly<Record<string, string>>;
  /** Typical resource attribute values. */
  readonly resourceAttributes: Readonly<Record<string, string>>;
}

/**
 * The pod the estimate assumes: one application container, one interface,
 * one block device, and values of typical length (an ECR image, a
 * Deployment's pod name, a Fargate node name). cAdvisor's `id` and `name`
 * labels are dropped at scrape time.
 */
export const TYPICAL_OTLP_POD: OtlpPodShape = {
  containers: 1,
  interfaces: 1,
  devices: 1,
  datapointAttributes: {
    container: 'checkout',
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout:1.4.2',
    namespace: 'payments',
    pod: 'checkout-7d9f8b6c5d-x2x8k',
    'k8s.container.name': 'checkout',
    'k8s.namespace.name': 'payments',
    'k8s.pod.name': 'checkout-7d9f8b6c5d-x2x8k',
  },
  resourceAttributes: {
    'k8s.cluster.name': 'prod-eu',
    'k8s.node.name': 'fargate-ip-192-168-101-23.eu-west-1.compute.internal',
    'cloud.region': 'eu-west-1',
    'cloud.provider': 'aws',
    'cloud.platform': 'aws_eks',
  },
};

/** Bytes of a protobuf varint. */
function varintBytes(value: number): number {
  let bytes = 1;
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) bytes++;
  return bytes;
}

/** Bytes of a length-delimited protobuf field (one-byte tag) holding `length` bytes. */
const delimited = (length: number): number => 1 + varintBytes(length) + length;

/** Bytes of an OTLP `KeyValue` with a string value, as a repeated field entry. */
function keyValueBytes(key: string, value: string): number {
  const anyValue = delimited(Buffer.byteLength(value));
  return delimited(delimited(Buffer.byteLength(key)) + delimited(anyValue));
}

/**
 * The serialized size of one data point as CloudWatch counts it for
 * billing: its metric name, its attributes, the resource attributes, its
 * timestamps and its value, in OTLP's protobuf encoding (start and end
 * times as fixed64, the value as a double).
 */
export function otlpDataPointBytes(
  metricName: string,
  datapointAttributes: Readonly<Record<string, string>>,
  resourceAttributes: Readonly<Record<string, string>>,
): number {
  const attributes = (record: Readonly<Record<string, string>>) =>
    Object.entries(record).reduce((sum, [key, value]) => sum + keyValueBytes(key, value), 0);
  const timestampsAndValue = 3 * 9;
  return (
    delimited(Buffer.byteLength(metricName)) +
    attributes(datapointAttributes) +
    attributes(resourceAttributes) +
    timestampsAndValue
  );
}

/** How many series of a family one pod has. */
function seriesPerPod(per: CadvisorSeriesScope, pod: OtlpPodShape): number {
  switch (per) {
    case 'cgroup':
      return pod.containers + 2;
    case 'interface':
      return pod.interfaces;
    case 'device':
      return pod.containers * pod.devices;
  }
}

/** The series the prometheus receiver adds per scraped node: up and the scrape's own four. */
const SCRAPE_SERIES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
];

/** Data points and bytes the OTLP path sends per pod per scrape. */
export interface OtlpPodScrape {
  /** Data points. */
  readonly dataPoints: number;
  /** Bytes, as CloudWatch counts them. */
  readonly bytes: number;
}

/** What one pod's scrape sends over OTLP: every family's series, and the scrape's own series. */
export function otlpPodScrape(pod: OtlpPodShape = TYPICAL_OTLP_POD): OtlpPodScrape {
  let dataPoints = 0;
  let bytes = 0;
  for (const { name, per } of OTLP_CADVISOR_FAMILIES) {
    const series = seriesPerPod(per, pod);
    dataPoints += series;
    bytes += series * otlpDataPointBytes(name, pod.datapointAttributes, pod.resourceAttributes);
  }
  for (const name of SCRAPE_SERIES) {
    dataPoints += 1;
    bytes += otlpDataPointBytes(name, {}, pod.resourceAttributes);
  }
  return { dataPoints, bytes };
}

/**
 * What the estimates say about the OTLP path's price: the user guide
 * describes per-GB ingestion but gives no figure, and the path launched in
 * public preview at no charge (2026-04-02).
 */
export const OTLP_PRICE_NOTE =
  'CloudWatch bills OTLP metrics per GB ingested, free during the public preview from 2026-04-02';

/** Days in an average month. */
const DAYS_PER_MONTH = 365.25 / 12;

/** What the OTLP estimate is computed from. */
export interface OtlpEstimateInput {
  /** Fargate pods running at the same time, the collector's included. */
  readonly pods: number;
  /** Seconds between two scrapes of a pod's node. */
  readonly scrapeIntervalSeconds: number;
  /**
   * Price of a GB ingested, in US dollars. CloudWatch's user guide gives the
   * per-GB model but no figure; during the public preview it was free.
   *
   * @default 0
   */
  readonly usdPerGb?: number;
  /**
   * The pod the estimate assumes.
   *
   * @default TYPICAL_OTLP_POD
   */
  readonly pod?: OtlpPodShape;
}

/** The OTLP path's monthly ingestion. */
export interface OtlpEstimate {
  /** Data points sent per pod per scrape. */
  readonly dataPointsPerPodScrape: number;
  /** Bytes sent per pod per scrape, as CloudWatch counts them. */
  readonly bytesPerPodScrape: number;
  /** GB (10^9 bytes) ingested a month. */
  readonly ingestedGb: number;
  /** What ingesting them costs a month at `usdPerGb`, in US dollars. */
  readonly monthlyUsd: number;
}

/**
 * Estimates what the OTLP path ingests a month, from the bytes each pod's
 * scrape sends ({@link otlpPodScrape}), and its price at `usdPerGb`.
 */
export function estimateOtlpIngestion(input: OtlpEstimateInput): OtlpEstimate {
  const scrape = otlpPodScrape(input.pod);
  const scrapesPerMonth = (DAYS_PER_MONTH * 86_400) / input.scrapeIntervalSeconds;
  const ingestedGb = (input.pods * scrapesPerMonth * scrape.bytes) / 1e9;
  return {
    dataPointsPerPodScrape: scrape.dataPoints,
    bytesPerPodScrape: scrape.bytes,
    ingestedGb,
    monthlyUsd: ingestedGb * (input.usdPerGb ?? 0),
  };
}

/**
 * The price per GB at which the OTLP path costs what the EMF path's custom
 * metrics and performance logs cost: below it, OTLP is cheaper.
 */
export function otlpBreakEvenUsdPerGb(emfMonthlyUsd: number, otlp: OtlpEstimate): number {
  return emfMonthlyUsd / otlp.ingestedGb;
}

/** How the OTLP ingestion was counted, for a person. */
export function otlpBasis(otlp: OtlpEstimate): string {
  return `${otlp.ingestedGb.toFixed(1)} GB ingested a month (${otlp.dataPointsPerPodScrape} data points, ${(otlp.bytesPerPodScrape / 1000).toFixed(1)} KB, per pod per scrape)`;
}

/** What the EMF path's custom metrics and performance logs cost against the OTLP path, for a person. */
export function otlpComparison(otlp: OtlpEstimate, emfMonthlyUsd: number): string {
  return `the Embedded Metric Format path's custom metrics and performance logs would cost $${emfMonthlyUsd.toFixed(2)} a month: OTLP is the cheaper path below $${otlpBreakEvenUsdPerGb(emfMonthlyUsd, otlp).toFixed(2)} per GB`;
}
