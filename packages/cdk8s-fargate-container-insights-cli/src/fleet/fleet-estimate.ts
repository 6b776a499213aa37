import type { ClusterBill, CostLine } from 'cdk8s-fargate-container-insights/internal';
import {
  accountOf,
  applicationLogGroupName,
  DEFAULT_SAMPLE_FARGATE_SIZE,
  DEFAULT_SAMPLE_REPLICAS,
  defaultExpectedNamespaces,
  defaultExpectedServices,
  defaultExpectedWorkloads,
  estimateCluster,
  fargateLoggingCost,
  fleetLines,
  pricesNote,
  regionsInWords,
  resolveCollectorProps,
  sampleCost,
  sampleScrapedPods,
  sumOfLines,
} from 'cdk8s-fargate-container-insights/internal';
import { formatBill } from './bill-text';
import { clusterProps } from './cluster-charts';
import { type FleetCluster, resolveCluster } from './cluster-settings';
import type { Fleet } from './fleet-spec';

/**
 * A fleet's bill: each cluster's collector sized and priced as the fleet
 * builds it, and the lines a person reads.
 */

/** A fleet's collectors and monthly bill, each cluster estimated as {@link addClusterCharts} builds it, summed. */
export interface FleetEstimate {
  /** Collector pods in all: the replicas of every cluster. */
  readonly pods: number;
  /** The clusters whose expected pods call for more replicas, with the number recommended. */
  readonly needMoreReplicas: ReadonlyArray<{
    /** The cluster. */
    readonly name: string;
    /** The replicas recommended. */
    readonly replicas: number;
  }>;
  /** Each cluster's bill, in the clusters file's order. */
  readonly clusters: ClusterBill[];
  /**
   * The fleet's bill: the clusters' lines of each item added up. Each
   * cluster is counted for its expected pods in at most 10 namespaces, as
   * the app assumes, with the sample application as its one scraped
   * workload when it has it.
   */
  readonly lines: CostLine[];
  /** What the priced lines add up to, in US dollars a month. */
  readonly totalUsd: number;
}

/**
 * A fleet cluster's bill, from its settings: its collector as
 * {@link clusterProps} configures it, for its expected pods in at most 10
 * namespaces and, with the sample application, the sample as its one scraped
 * workload.
 */
function estimateFleetCluster(cluster: FleetCluster): ClusterBill {
  const resolved = resolveCluster(cluster);
  const { configOptions, sizing } = resolveCollectorProps(clusterProps(cluster));
  const pods = resolved.expectedPods;
  const workloads = resolved.expectedWorkloads ?? defaultExpectedWorkloads(pods, defaultExpectedNamespaces(pods));
  return estimateCluster(
    configOptions,
    sizing,
    {
      pods,
      namespaces: Math.min(defaultExpectedNamespaces(pods), workloads),
      workloads,
      services: resolved.expectedServices ?? defaultExpectedServices(workloads),
      ...(resolved.sampleApp ? { scrapedPods: sampleScrapedPods(DEFAULT_SAMPLE_REPLICAS) } : {}),
    },
    [
      ...(resolved.sampleApp ? [sampleCost(DEFAULT_SAMPLE_REPLICAS, DEFAULT_SAMPLE_FARGATE_SIZE)] : []),
      ...(resolved.fargateLogging ? [fargateLoggingCost(applicationLogGroupName(resolved.name))] : []),
    ],
    accountOf(resolved.serviceAccountRoleArn),
  );
}

/** Sizes every cluster's collector and estimates its bill, and adds them up. */
export function estimateFleet(fleet: Fleet): FleetEstimate {
  const clusters = fleet.clusters.map(estimateFleetCluster);
  const needMoreReplicas = fleet.clusters.flatMap((cluster, index) => {
    const { sizing } = clusters[index] as ClusterBill;
    return sizing.recommendedReplicas > sizing.input.replicas
      ? [{ name: cluster.name, replicas: sizing.recommendedReplicas }]
      : [];
  });
  const lines = fleetLines(clusters);
  return {
    pods: clusters.reduce((total, bill) => total + bill.sizing.input.replicas, 0),
    needMoreReplicas,
    clusters,
    lines,
    totalUsd: sumOfLines(lines),
  };
}

/** One line for a person: the fleet's collectors and their monthly price. */
export function formatFleetCollectors(fleet: Fleet, estimate: FleetEstimate): string {
  const more = estimate.needMoreReplicas.map((c) => `${c.name} (${c.replicas})`).join(', ');
  const collectorUsd = estimate.clusters.reduce((total, bill) => total + bill.sizing.monthlyUsd, 0);
  return `Collectors: ${estimate.pods} pod(s) for ${fleet.clusters.length} cluster(s), about $${collectorUsd.toFixed(2)} a month on Fargate (us-east-1).${more === '' ? '' : ` More replicas recommended (set replicas in the clusters file): ${more}.`}`;
}

/** Lines for a person: the fleet's monthly bill, item by item, and its total. */
export function formatFleetBill(fleet: Fleet, estimate: FleetEstimate): string[] {
  const regions = fleet.clusters.map((cluster) => cluster.region);
  return formatBill(
    `Monthly estimate for ${fleet.clusters.length} cluster(s) in ${regionsInWords(regions)} (${pricesNote(regions)}):`,
    estimate.lines,
  );
}
