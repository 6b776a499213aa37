import type { PodNaming } from '../pod-naming';

/** The types of the metric catalog: metrics, their sources, dimensions and declarations. */

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
  /**
   * The pod's workload (the Deployment, StatefulSet, DaemonSet, Job or
   * CronJob that owns it; an ownerless pod's own name), or with
   * `PodNaming.POD` the pod's name.
   */
  POD_NAME = 'PodName',
  /** The pod's own name, beside its workload's `PodName` (not with `PodNaming.POD`). */
  FULL_POD_NAME = 'FullPodName',
}

/**
 * The label both scrapes put on a pod's series: its workload (from the pod's
 * controller in the cAdvisor scrape, from its name in kube-state-metrics').
 */
export const WORKLOAD_LABEL = 'workload';

/**
 * The Container Insights names of the pod labels: the pod is `PodName`, or
 * by workload the workload is `PodName` and the pod `FullPodName`, as the
 * CloudWatch agent names them. Renamed in this order (the pod first).
 */
export function podLabelRenames(podNaming: PodNaming): Readonly<Record<string, string>> {
  return podNaming.byWorkload
    ? { namespace: Dimension.NAMESPACE, pod: Dimension.FULL_POD_NAME, [WORKLOAD_LABEL]: Dimension.POD_NAME }
    : { namespace: Dimension.NAMESPACE, pod: Dimension.POD_NAME };
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
