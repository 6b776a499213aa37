import { invalidInput } from '../core/errors';
import { FARGATE_POD_OVERHEAD_MIB, type FargatePodSize, fargateMonthlyCost, fargatePodSize } from './fargate-size';

/**
 * How big the collector must be for the cluster it scrapes. Every Fargate pod
 * is a node of its own, and each collector replica scrapes its share of the
 * nodes, so the work grows with the number of pods per replica and how often
 * they are scraped.
 *
 * The figures come from the real ADOT collector (v0.42.0, built from its
 * release sources) running this library's default configuration against a
 * simulated EKS Fargate cluster (cAdvisor through the API server proxy,
 * 10 s scrapes, 5 s batches): 7.3, 6.4 and 5.8 ms of CPU per node scrape, and
 * a peak RSS of 114, 159 and 273 MiB, at 20, 100 and 300 nodes: about
 * 100 MiB plus 0.6 MiB per node.
 */
const COLLECTOR_MEASUREMENTS = {
  /** CPU time per node scrape, the largest measured (at 20 nodes), in milliseconds. */
  cpuMsPerNodeScrape: 7.3,
  /** Resident memory with no node, in mebibytes. */
  baseMiB: 100,
  /** Resident memory per node scraped, in mebibytes, at 10 s scrapes with 5 s batches. */
  miBPerNode: 0.6,
  /**
   * Multiplies the per-node memory for the default 60 s batch, which can hold a
   * whole round of scrapes where the measured 5 s batch held half of one.
   */
  batchFactor: 2,
} as const;

/**
 * The kube-state-metrics scrape of pod health, in node scrapes per pod: it
 * serves about 30 series per pod (5 phases, 3 readiness conditions, 6 per
 * container, a Fargate node's info and about 16 condition series, its
 * endpoint address), where a Fargate node's cAdvisor scrape keeps about 150
 * (24 families over the node's 5 or so cgroups). Counted as that share of
 * a node scrape each, an estimate from the two exposition formats, not a
 * measurement.
 */
const KSM_NODE_SCRAPES_PER_POD = 0.2;

/** The sizing keeps at least this much more CPU and memory than the model expects. */
export const COLLECTOR_HEADROOM = 2;

/**
 * Past this many nodes per replica, add replicas. Twice the largest measured
 * cluster (300 nodes) with room to spare: it keeps every replica within the
 * range the measurements extrapolate from, and the scrape of one replica's
 * nodes well inside a scrape interval through the API server proxy.
 */
export const MAX_NODES_PER_REPLICA = 1000;

/** The most collector replicas. */
export const MAX_REPLICAS = 100;

/**
 * The most Fargate pods a collector can be sized for: what its most
 * replicas scrape, {@link MAX_NODES_PER_REPLICA} each. Far past what one EKS
 * cluster runs (an account's Fargate pods quota in a region is 1,000 unless
 * raised).
 */
export const MAX_EXPECTED_PODS = MAX_REPLICAS * MAX_NODES_PER_REPLICA;

/** The share of the container's memory limit the `memory_limiter` may use (its hard limit). */
const MEMORY_LIMITER_SHARE = 0.8;

/** What the collector is sized for. */
export interface CollectorSizingInput {
  /** Fargate pods expected in the cluster, the collector's own included: each is a node to scrape. */
  readonly expectedPods: number;
  /** Collector replicas sharing the nodes. */
  readonly replicas: number;
  /** Seconds between two scrapes of a node. */
  readonly scrapeIntervalSeconds: number;
  /** One replica also scrapes kube-state-metrics for pod health (all replicas are sized alike). */
  readonly podHealth?: boolean;
}

/** The collector's size for a cluster. */
export interface CollectorSizing {
  /** What it was sized for. */
  readonly input: CollectorSizingInput;
  /** Nodes each replica scrapes, rounded up. */
  readonly nodesPerReplica: number;
  /** CPU the model expects one replica to use, in cores. */
  readonly expectedCpuCores: number;
  /** Memory the model expects one replica to use, in mebibytes. */
  readonly expectedMemoryMiB: number;
  /** The CPU request and limit of the collector container, in millicores. */
  readonly cpuMillis: number;
  /** The memory request and limit of the collector container, in mebibytes: the Fargate size less its 256 MiB. */
  readonly memoryMiB: number;
  /** The Fargate size of each replica. */
  readonly fargateSize: FargatePodSize;
  /** The monthly price of all replicas, us-east-1 on-demand. */
  readonly monthlyUsd: number;
  /** The replicas that keep each within the per-replica node limit; more than `replicas` means add some. */
  readonly recommendedReplicas: number;
}

/**
 * Sizes the collector: the smallest Fargate size whose CPU is at least
 * {@link COLLECTOR_HEADROOM} times what the model expects, and whose memory,
 * less Fargate's 256 MiB and with the `memory_limiter` at 80% of it, is at
 * least that many times the expected memory. The container then takes the
 * whole size, requests equal to limits.
 *
 * @param expectedPodsInput the prop or variable `expectedPods` came from, for the message
 */
export function sizeCollector(
  input: CollectorSizingInput,
  expectedPodsInput = 'expectedPods',
  replicasInput = 'replicas',
): CollectorSizing {
  const { expectedPods, replicas, scrapeIntervalSeconds } = input;
  if (!Number.isInteger(expectedPods) || expectedPods < 1 || expectedPods > MAX_EXPECTED_PODS) {
    invalidInput(
      expectedPodsInput,
      expectedPods,
      `a whole number of pods from 1 to ${MAX_EXPECTED_PODS}, what ${MAX_REPLICAS} replicas (the most) scrape`,
    );
  }
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) {
    invalidInput(replicasInput, replicas, `a whole number of replicas from 1 to ${MAX_REPLICAS}`);
  }
  const nodesPerReplica = Math.ceil(expectedPods / replicas);
  // The replica that scrapes kube-state-metrics does that much more.
  const scrapes = nodesPerReplica + (input.podHealth ? Math.ceil(expectedPods * KSM_NODE_SCRAPES_PER_POD) : 0);
  const m = COLLECTOR_MEASUREMENTS;
  const expectedCpuCores = (scrapes * m.cpuMsPerNodeScrape) / 1000 / scrapeIntervalSeconds;
  const expectedMemoryMiB = m.baseMiB + scrapes * m.miBPerNode * m.batchFactor;
  const needed = {
    cpuMillis: Math.ceil(COLLECTOR_HEADROOM * expectedCpuCores * 1000),
    memoryMiB: Math.ceil((COLLECTOR_HEADROOM * expectedMemoryMiB) / MEMORY_LIMITER_SHARE),
  };
  const fargateSize = fargatePodSize(needed);
  if (fargateSize === undefined) {
    invalidInput(
      expectedPodsInput,
      expectedPods,
      `at most what ${replicas} replica(s) of Fargate's largest size can scrape: add replicas (at most ${MAX_NODES_PER_REPLICA} pods each)`,
    );
  }
  return {
    input,
    nodesPerReplica,
    expectedCpuCores,
    expectedMemoryMiB,
    cpuMillis: fargateSize.vcpu * 1000,
    memoryMiB: fargateSize.memoryGiB * 1024 - FARGATE_POD_OVERHEAD_MIB,
    fargateSize,
    monthlyUsd: replicas * fargateMonthlyCost(fargateSize),
    recommendedReplicas: Math.max(replicas, Math.ceil(expectedPods / MAX_NODES_PER_REPLICA)),
  };
}
