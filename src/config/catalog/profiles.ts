import { Dimension, type MetricDeclarationSpec } from './metric-types';

/** The named choices of CloudWatch metrics, and the reference manifest's defaults they build on. */

/** The 8 pod metrics the AWS reference manifest sends to CloudWatch. */
export const DEFAULT_METRICS: string[] = [
  'pod_cpu_utilization_over_pod_limit',
  'pod_cpu_usage_total',
  'pod_cpu_limit',
  'pod_memory_utilization_over_pod_limit',
  'pod_memory_working_set',
  'pod_memory_limit',
  'pod_network_rx_bytes',
  'pod_network_tx_bytes',
];

/** The 3 dimension sets of the AWS reference manifest: cluster, namespace and pod. */
export const DEFAULT_DIMENSION_SETS: Dimension[][] = [
  [Dimension.CLUSTER_NAME, Dimension.LAUNCH_TYPE],
  [Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.LAUNCH_TYPE],
  [Dimension.CLUSTER_NAME, Dimension.NAMESPACE, Dimension.POD_NAME, Dimension.LAUNCH_TYPE],
];

/**
 * A named choice of what becomes CloudWatch metrics.
 *
 * - `reference`: what the AWS reference manifest sends, 8 pod metrics with
 *   `LaunchType` in each of 3 dimension sets. The default.
 * - `console`: `reference`, plus the metric names and dimension sets the
 *   Container Insights console reads for pods, namespaces and the cluster, as
 *   far as cAdvisor on Fargate can honestly give them (see `CONSOLE_DECLARATIONS`).
 */
export enum MetricProfile {
  /** What the AWS reference manifest sends. The default. */
  REFERENCE = 'reference',
  /** `REFERENCE`, plus what the Container Insights console reads, as far as Fargate gives it. */
  CONSOLE = 'console',
}

/** The profile of the default selection (`MetricSelection.DEFAULT`). */
export const DEFAULT_METRIC_PROFILE = MetricProfile.REFERENCE;

/** Every metric profile, for validation messages. */
export const METRIC_PROFILES: readonly MetricProfile[] = Object.values(MetricProfile);

/** The `reference` profile. */
export const REFERENCE_DECLARATIONS: readonly MetricDeclarationSpec[] = [
  { metrics: DEFAULT_METRICS, dimensionSets: DEFAULT_DIMENSION_SETS },
];

/**
 * What the `console` profile adds to `reference`. Every name and dimension set
 * is one the CloudWatch user guide lists for Amazon EKS, "Amazon EKS and
 * Kubernetes Container Insights metrics"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-EKS.html),
 * with none of `LaunchType`:
 *
 * - pod metrics with [PodName, Namespace, ClusterName], [Namespace, ClusterName]
 *   and [ClusterName]; the guide's fourth set, with `Service`, is in
 *   `NOT_PRODUCED_DIMENSIONS`;
 * - node metrics with [ClusterName], the one set the guide gives every node
 *   metric; its other, with `InstanceId`, cannot exist on Fargate.
 *
 * The guide's metrics left out are in `NOT_PRODUCED_METRICS`, with the reason.
 */
export const CONSOLE_DECLARATIONS: readonly MetricDeclarationSpec[] = [
  {
    metrics: [
      'pod_cpu_utilization_over_pod_limit',
      'pod_memory_utilization_over_pod_limit',
      'pod_network_rx_bytes',
      'pod_network_tx_bytes',
    ],
    dimensionSets: [
      [Dimension.POD_NAME, Dimension.NAMESPACE, Dimension.CLUSTER_NAME],
      [Dimension.NAMESPACE, Dimension.CLUSTER_NAME],
      [Dimension.CLUSTER_NAME],
    ],
  },
  {
    metrics: [
      'node_cpu_limit',
      'node_cpu_usage_total',
      'node_cpu_utilization',
      'node_memory_limit',
      'node_memory_working_set',
      'node_memory_utilization',
    ],
    dimensionSets: [[Dimension.CLUSTER_NAME]],
  },
];

/** The metric declarations of each profile. */
export const PROFILE_DECLARATIONS: Readonly<Record<MetricProfile, readonly MetricDeclarationSpec[]>> = {
  [MetricProfile.REFERENCE]: REFERENCE_DECLARATIONS,
  [MetricProfile.CONSOLE]: [...REFERENCE_DECLARATIONS, ...CONSOLE_DECLARATIONS],
};
