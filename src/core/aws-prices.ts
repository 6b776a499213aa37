import { inWords } from './plural';

/**
 * Every AWS price the estimates use, in one place: us-east-1's on-demand
 * prices, as published on the AWS Fargate and Amazon CloudWatch pricing pages
 * (read in 2026), and the month they are quoted for. The bills name other
 * regions beside them (`pricesNote`): prices there differ.
 */

/** Hours in the month AWS prices are quoted for (365 × 24 / 12): every monthly figure uses it. */
export const HOURS_PER_MONTH = 730;

/** Seconds in that month. */
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** Days in that month. */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/** On-demand Fargate prices, in US dollars. */
export interface FargatePrice {
  /** Per vCPU per hour. */
  readonly perVcpuHour: number;
  /** Per GB of memory per hour. */
  readonly perGbHour: number;
}

/**
 * Fargate on-demand prices for Linux/x86 (the only platform of EKS Fargate
 * pods) in US East (N. Virginia). Other regions differ; pass your own prices for them.
 */
export const FARGATE_PRICE_US_EAST_1: FargatePrice = { perVcpuHour: 0.04048, perGbHour: 0.004445 };

/** One price tier: the metrics up to `upTo` (in total) cost `usdPerMetricMonth` each. */
export interface MetricPriceTier {
  /** The tier covers the metrics up to this count, from the previous tier's. */
  readonly upTo: number;
  /** The price of one metric for a month, in US dollars. */
  readonly usdPerMetricMonth: number;
}

/** CloudWatch custom metric prices in us-east-1, per metric-month, by tier (an account's metrics together). */
export const CLOUDWATCH_METRIC_PRICES_US_EAST_1: readonly MetricPriceTier[] = [
  { upTo: 10_000, usdPerMetricMonth: 0.3 },
  { upTo: 250_000, usdPerMetricMonth: 0.1 },
  { upTo: 1_000_000, usdPerMetricMonth: 0.05 },
  { upTo: Number.POSITIVE_INFINITY, usdPerMetricMonth: 0.02 },
];

/**
 * CloudWatch Logs prices in us-east-1: standard ingestion per GB, and storage
 * per GB-month (billed on the compressed size).
 */
export const CLOUDWATCH_LOGS_PRICES_US_EAST_1 = {
  /** US dollars per GB ingested (standard log class). */
  ingestionPerGb: 0.5,
  /** US dollars per GB stored for a month. */
  storagePerGbMonth: 0.03,
} as const;

/**
 * CloudWatch's price of a dashboard a month, in US dollars (us-east-1; an
 * account's first three dashboards, of up to 50 metrics each, are free).
 */
export const CLOUDWATCH_DASHBOARD_MONTHLY_USD = 3;

/**
 * What CloudWatch's OTLP metrics cost, in words: the user guide describes
 * per-GB ingestion but gives no figure, and the path launched in public
 * preview at no charge (2026-04-02).
 */
export const OTLP_PRICE_NOTE =
  'CloudWatch bills OTLP metrics per GB ingested, free during the public preview from 2026-04-02';

/**
 * The words a bill's heading gives its prices: every figure is at us-east-1
 * prices, the only ones this library knows, so the regions the clusters run
 * in are named beside them when they are others.
 */
export function pricesNote(regions: readonly string[]): string {
  const others = [...new Set(regions)].filter((region) => region !== 'us-east-1').sort();
  if (others.length === 0) return 'us-east-1 prices';
  const named = others.length === 1 ? `${others[0]}'s` : `those of ${inWords(others)}`;
  return `us-east-1 prices; ${named} may differ`;
}
