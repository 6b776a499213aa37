import { SECONDS_PER_MONTH } from '../core/aws-prices';
import { type CadvisorSeriesScope, OTLP_CADVISOR_FAMILIES } from './otlp';

/**
 * What the OTLP path sends and costs: a protobuf size model of its data
 * points per pod and scrape, and its monthly ingestion against the Embedded
 * Metric Format path's bill.
 */

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
  const scrapesPerMonth = SECONDS_PER_MONTH / input.scrapeIntervalSeconds;
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
