import { enabledPipelines } from '../config/collector-config';
import { customMetricsMonthlyUsd } from '../config/cost-estimate';
import { DEFAULT_METRICS_DESTINATION, sendsEmf } from '../config/metrics-destination';
import type { ClusterLoad, CollectorConfigOptions, CostLine, ScrapedPods } from '../config/pipelines/pipeline';
import { CLOUDWATCH_DASHBOARD_MONTHLY_USD, CLOUDWATCH_LOGS_PRICES_US_EAST_1 } from '../core/aws-prices';
import type { CollectorSizing } from '../fargate/collector-sizing';
import { type FargatePodSize, fargateMonthlyCost } from '../fargate/fargate-size';
import { dashboardName } from '../prerequisites/dashboard';
import { FLEET_DASHBOARD_NAME } from '../prerequisites/fleet-dashboard';

/**
 * What a cluster's Container Insights cost a month, line by line: each
 * pipeline the collector runs says what it costs for the cluster's load
 * (`Pipeline.cost`), then the dashboard and the collector's and the other
 * workloads' Fargate pods, at the prices of core/aws-prices.ts. The app and
 * a fleet print the same lines; a fleet's are the clusters' added up
 * (fleet-bill.ts).
 */

/** A cluster's monthly bill. */
export interface ClusterBill {
  /** The collector's size for the cluster's pods and replicas. */
  readonly sizing: CollectorSizing;
  /** What the load is. */
  readonly load: ClusterLoad;
  /** Each enabled pipeline's lines, in `PIPELINES` order, then the collector's, then the other workloads'. */
  readonly lines: CostLine[];
  /** What the priced lines add up to, in US dollars a month. */
  readonly totalUsd: number;
  /** The AWS account the cluster's metrics are billed to (its collector role's); absent: not known. */
  readonly account?: string;
}

/** The unit of the lines that count CloudWatch custom metrics. */
const CUSTOM_METRICS_UNIT = 'custom metrics';

/** The item of the line that prices an account's custom metrics together. */
export const PRICE_TIERS_ITEM = 'custom metrics price tiers';

/**
 * CloudWatch prices an account's custom metrics together, in tiers (the
 * first 10,000 at one price, the next at a lower, ...), while each line of a
 * bill prices its own from the first tier: the difference, as a line of its
 * own, when there is one; `undefined` when all fit in the first tier.
 */
export function priceTiersLine(lines: readonly CostLine[], where: string): CostLine | undefined {
  const counted = lines.filter((line) => line.usage?.unit === CUSTOM_METRICS_UNIT && line.notPriced === undefined);
  const metrics = counted.reduce((total, line) => total + (line.usage?.amount ?? 0), 0);
  const difference = customMetricsMonthlyUsd(metrics) - sumOfLines(counted);
  if (Math.abs(difference) < 0.005) return undefined;
  return {
    item: PRICE_TIERS_ITEM,
    monthlyUsd: difference,
    basis: `${metrics} custom metrics ${where}, priced together in CloudWatch's tiers (the lines above price each from the first)`,
  };
}

/** The account of an IAM role ARN: its fifth field. */
export function accountOf(roleArn: string): string {
  return roleArn.split(':')[4] ?? '';
}

/** The items of what the output runs besides the pipelines, in the order a bill lists them, last. */
export const WORKLOAD_ITEMS = {
  dashboard: 'CloudWatch dashboard',
  collector: 'collector',
  sample: 'sample application',
  logs: 'Fargate container logs',
} as const;

/** What the collector's own Fargate pods cost. */
function collectorCost(sizing: CollectorSizing): CostLine {
  const { input } = sizing;
  const size = `${sizing.fargateSize.vcpu} vCPU ${sizing.fargateSize.memoryGiB} GB`;
  return {
    item: WORKLOAD_ITEMS.collector,
    monthlyUsd: sizing.monthlyUsd,
    basis: `${input.replicas} × ${size} on Fargate, sized for ${input.expectedPods} pods (${sizing.nodesPerReplica} per replica) scraped every ${input.scrapeIntervalSeconds} s`,
    usage: { amount: input.replicas, unit: 'Fargate pods' },
  };
}

/** The cluster's dashboard, which the AWS side creates (the companion construct, the CloudFormation template). */
function dashboardCost(clusterName: string): CostLine {
  return {
    item: WORKLOAD_ITEMS.dashboard,
    monthlyUsd: CLOUDWATCH_DASHBOARD_MONTHLY_USD,
    basis: `${dashboardName(clusterName)}, with the AWS side (the companion construct or the CloudFormation template)`,
    note: "an account's first three dashboards are free",
    usage: { amount: 1, unit: 'dashboards' },
  };
}

/** The fleet's overview dashboard (`_fleet/`), when some cluster has a dashboard. */
export function fleetDashboardCost(): CostLine {
  return {
    item: 'fleet overview dashboard',
    monthlyUsd: CLOUDWATCH_DASHBOARD_MONTHLY_USD,
    basis: `${FLEET_DASHBOARD_NAME}, a line per cluster in each cluster-wide graph, from the prerequisites folder`,
    usage: { amount: 1, unit: 'dashboards' },
  };
}

/** The item of a cluster's dashboard line: a fleet's overview follows it. */
export const DASHBOARD_ITEM = WORKLOAD_ITEMS.dashboard;

/** What lines add up to, in US dollars a month. */
export const sumOfLines = (lines: readonly CostLine[]): number =>
  lines.reduce((total, line) => total + line.monthlyUsd, 0);

/** What the sample application's pods cost on Fargate. */
export function sampleCost(replicas: number, size: FargatePodSize): CostLine {
  return {
    item: WORKLOAD_ITEMS.sample,
    monthlyUsd: replicas * fargateMonthlyCost(size),
    basis: `${replicas} × ${size.vcpu} vCPU ${size.memoryGiB} GB on Fargate`,
    usage: { amount: replicas, unit: 'Fargate pods' },
  };
}

/** What Fargate's log router sends: priced per GB, of a volume only the workloads know. */
export function fargateLoggingCost(logGroupName: string): CostLine {
  return {
    item: WORKLOAD_ITEMS.logs,
    monthlyUsd: 0,
    notPriced: `CloudWatch Logs bills $${CLOUDWATCH_LOGS_PRICES_US_EAST_1.ingestionPerGb.toFixed(2)} per GB ingested, and how much your pods write is theirs to say`,
    basis: `every Fargate pod's stdout and stderr, to ${logGroupName}`,
  };
}

/**
 * A cluster's bill, from its collector's options and sizing and its load;
 * `workloads` are the lines of what else the output runs (the sample
 * application), after the collector's.
 */
export function estimateCluster(
  options: CollectorConfigOptions,
  sizing: CollectorSizing,
  load: ClusterLoad,
  workloads: readonly CostLine[] = [],
  account?: string,
): ClusterBill {
  const pipelines = enabledPipelines(options).flatMap((pipeline) => pipeline.cost(options, load));
  const tiers = priceTiersLine(pipelines, 'in the cluster');
  const lines = [
    ...pipelines,
    ...(tiers === undefined ? [] : [tiers]),
    ...(sendsEmf(options.metricsDestination ?? DEFAULT_METRICS_DESTINATION)
      ? [dashboardCost(options.clusterName)]
      : []),
    collectorCost(sizing),
    ...workloads,
  ];
  return { sizing, load, lines, totalUsd: sumOfLines(lines), ...(account === undefined ? {} : { account }) };
}

/** The sample application as the application scrape finds it: its pods, of one app, in one namespace. */
export function sampleScrapedPods(replicas: number): ScrapedPods {
  return { pods: replicas, apps: 1, namespaces: 1, description: `the sample application (${replicas} pods)` };
}
