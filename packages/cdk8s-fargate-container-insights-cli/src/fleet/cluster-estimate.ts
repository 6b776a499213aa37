import type { CollectorSizing, FargatePodSize } from 'cdk8s-fargate-container-insights';
import type {
  ClusterLoad,
  CollectorConfigOptions,
  CostLine,
  ScrapedPods,
} from 'cdk8s-fargate-container-insights/internal';
import {
  CLOUDWATCH_DASHBOARD_MONTHLY_USD,
  CLOUDWATCH_LOGS_PRICES_US_EAST_1,
  customMetricsMonthlyUsd,
  DEFAULT_METRICS_DESTINATION,
  dashboardName,
  enabledPipelines,
  FLEET_DASHBOARD_NAME,
  fargateMonthlyCost,
  MAX_NODES_PER_REPLICA,
  sendsEmf,
} from 'cdk8s-fargate-container-insights/internal';

/**
 * What a cluster's Container Insights cost a month, line by line: each
 * pipeline the collector runs says what it costs for the cluster's load
 * (`Pipeline.cost`), and the collector's Fargate pods come last. The app and
 * a fleet print the same lines, and a fleet's are the clusters' added up.
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
  const difference = customMetricsMonthlyUsd(metrics) - sum(counted);
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
const WORKLOAD_ITEMS = {
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

const sum = (lines: readonly CostLine[]): number => lines.reduce((total, line) => total + line.monthlyUsd, 0);

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
  return { sizing, load, lines, totalUsd: sum(lines), ...(account === undefined ? {} : { account }) };
}

/** The sample application as the application scrape finds it: its pods, of one app, in one namespace. */
export function sampleScrapedPods(replicas: number): ScrapedPods {
  return { pods: replicas, apps: 1, namespaces: 1, description: `the sample application (${replicas} pods)` };
}

/** The advice to add replicas when the expected pods call for more than the collector has. */
export function replicasAdvice(sizing: CollectorSizing, replicasSetting: string): string | undefined {
  return sizing.recommendedReplicas > sizing.input.replicas
    ? `Above ${MAX_NODES_PER_REPLICA} pods per replica: set ${replicasSetting} to ${sizing.recommendedReplicas}.`
    : undefined;
}

const usd = (amount: number): string => `$${amount.toFixed(2)}`;

/**
 * A bill for a person: the title, one line per item with its price in a
 * column (`-` when not priced) and how it was counted, and the total.
 */
export function formatBill(title: string, lines: readonly CostLine[]): string[] {
  const amounts = lines.map((line) => (line.notPriced === undefined ? usd(line.monthlyUsd) : '-'));
  const total = usd(sum(lines));
  const width = Math.max(total.length, ...amounts.map((amount) => amount.length));
  const unpriced = lines.some((line) => line.notPriced !== undefined);
  return [
    title,
    ...lines.map((line, index) => {
      const why = line.notPriced === undefined ? '' : `; not priced: ${line.notPriced}`;
      const note = line.note === undefined ? '' : `. ${line.note[0]?.toUpperCase()}${line.note.slice(1)}`;
      return `  ${(amounts[index] ?? '').padStart(width)}  ${line.item}: ${line.basis}${why}${note}.`;
    }),
    `  ${total.padStart(width)}  in all${unpriced ? ', besides what is not priced' : ''}.`,
  ];
}

/** A usage amount for a person: whole numbers as they are, others to one decimal. */
const amountText = (amount: number): string => (Number.isInteger(amount) ? String(amount) : amount.toFixed(1));

/**
 * The lines of a fleet: the clusters' lines of each item added up (the
 * priced and the unpriced apart), the pipelines' in the order they first
 * appear, then the workloads' as a cluster's bill lists them, with how many
 * clusters have each and what they use in all.
 */
export function fleetLines(bills: readonly ClusterBill[]): CostLine[] {
  const items = new Map<string, CostLine[]>();
  // Each cluster's tiers line gives way to its account's.
  for (const line of bills.flatMap((bill) => bill.lines.filter((l) => l.item !== PRICE_TIERS_ITEM))) {
    const key = `${line.item}\n${line.notPriced ?? ''}`;
    items.set(key, [...(items.get(key) ?? []), line]);
  }
  const order: readonly string[] = Object.values(WORKLOAD_ITEMS);
  const rank = (lines: readonly CostLine[]) => order.indexOf(lines[0]?.item ?? '');
  const groups = [...items.values()].sort((a, b) => rank(a) - rank(b));
  const accounts = [...new Set(bills.map((bill) => bill.account ?? ''))].sort();
  const tiers = accounts.flatMap((account) => {
    const of = bills.filter((bill) => (bill.account ?? '') === account);
    const where =
      account === ''
        ? `in the ${of.length} cluster(s) of no known account`
        : `in account ${account} (${of.length} cluster(s))`;
    const line = priceTiersLine(
      of.flatMap((bill) => bill.lines),
      where,
    );
    return line === undefined ? [] : [line];
  });
  const pipelineCount = groups.filter((lines) => rank(lines) < 0).length;
  const withTiers = [...groups.slice(0, pipelineCount), ...tiers.map((line) => [line]), ...groups.slice(pipelineCount)];
  return withTiers.map((lines) => {
    if (lines[0]?.item === PRICE_TIERS_ITEM) return lines[0];
    const [first] = lines as [CostLine, ...CostLine[]];
    const used = lines.every((line) => line.usage?.unit === first.usage?.unit) ? first.usage : undefined;
    const amount = lines.reduce((total, line) => total + (line.usage?.amount ?? 0), 0);
    const clusters = `${lines.length} of ${bills.length} cluster(s)`;
    return {
      item: first.item,
      monthlyUsd: sum(lines),
      basis: used === undefined ? clusters : `${clusters}, ${amountText(amount)} ${used.unit} in all`,
      ...(first.notPriced === undefined ? {} : { notPriced: first.notPriced }),
      ...(used === undefined ? {} : { usage: { amount, unit: used.unit } }),
    };
  });
}
