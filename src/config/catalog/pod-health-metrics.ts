import type { PodNaming } from '../pod-naming';
import { type LabelMatchers, podLabelRenames, WORKLOAD_LABEL } from './metric-types';

/**
 * The pod and workload health metrics, as data: what Container Insights on
 * EC2 reports from the Kubernetes API (pod status, container states and
 * restarts, running pods per namespace, service and cluster, nodes, workload
 * replicas), computed on Fargate from kube-state-metrics' series. Everything
 * the pod health pipeline names (the scrape's allowlist, kube-state-metrics'
 * `--resources` and `--metric-allowlist`, its RBAC, the metricstransform
 * copies and sums, the awsemf declarations, the cost estimate and the docs'
 * table) is computed from this table.
 *
 * Names, `Type` values and dimension sets are those of the CloudWatch user
 * guide's "Amazon EKS and Kubernetes Container Insights metrics" and
 * "... with enhanced observability metrics" tables
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-EKS.html,
 * .../Container-Insights-metrics-enhanced-EKS.html), as the CloudWatch agent
 * emits them on EC2 (opentelemetry-collector-contrib
 * `receiver/awscontainerinsightreceiver/internal/k8sapiserver` and
 * `internal/aws/containerinsight/const.go`): the workload metrics carry the
 * workload's name as `PodName`, as the agent sets it.
 */

/** Which pod health metrics are sent: everything, or only the cluster- and namespace-wide counts. */
export enum PodHealthProfile {
  /**
   * Every metric with the Container Insights dimension sets: per pod, per
   * namespace, per service, per workload and per cluster.
   */
  FULL = 'full',
  /**
   * Only the counts per namespace and per cluster (pods in each phase,
   * container states and restarts, running pods, nodes, unavailable
   * replicas): a few dozen custom metrics whatever the number of pods.
   */
  CLUSTER = 'cluster',
}

/** Every pod health profile, for validation messages. */
export const POD_HEALTH_PROFILES: readonly PodHealthProfile[] = Object.values(PodHealthProfile);

/** What a value describes: the object it is counted per. */
export type PodHealthLevel = 'pod' | 'namespace' | 'cluster' | 'service' | 'deployment' | 'statefulset' | 'daemonset';

/** How the values of one level are grouped, labelled and declared. */
export interface PodHealthLevelSpec {
  /** The `Type` field of its Embedded Metric Format events, which the console reads. */
  readonly type: string;
  /** The kube-state-metrics labels its values are summed by. */
  readonly groupBy: readonly string[];
  /** Its CloudWatch dimension sets. */
  readonly dimensions: ReadonlyArray<readonly string[]>;
  /** What one value stands for, for the estimate and the docs. */
  readonly per: 'pod' | 'namespace' | 'cluster' | 'service' | 'workload';
}

/** A workload kind's level: its values per workload, named (as on EC2) by `PodName`. */
function workloadLevel(label: string, type: string): PodHealthLevelSpec {
  return {
    type,
    groupBy: ['namespace', label],
    dimensions: [['PodName', 'Namespace', 'ClusterName']],
    per: 'workload',
  };
}

/**
 * The characters of the names Kubernetes generates (`utilrand.String` and
 * `SafeEncodeString`: no vowels, no 0, 1 or 3): the suffix a controller's
 * `generateName` gets, a Deployment's pod-template-hash, an EndpointSlice's.
 */
const GENERATED_CHARACTERS = '[bcdfghjklmnpqrstvwxz2456789]';

/**
 * The label the scrape sets on EndpointSlice series: the Service's name.
 * kube-state-metrics labels them with the slice's own name only; the
 * EndpointSlice controller names a Service's slices `<service>-<5 random
 * characters>` (`generateName`, from the alphabet of Kubernetes'
 * `utilrand.String`), which the scrape's rule strips
 * ({@link SERVICE_FROM_ENDPOINTSLICE}). A Service name longer than 57
 * characters is cut to fit in the slice's name, so its count carries the cut name.
 */
export const SERVICE_LABEL = 'service';

/** The Service's name from an EndpointSlice's: `(.+)-` and the five characters `generateName` appends. */
export const SERVICE_FROM_ENDPOINTSLICE = `(.+)-${GENERATED_CHARACTERS}{5}`;

/**
 * How a pod's workload is read from its name, as the controllers name their
 * pods (kube-state-metrics' pod series carry the pod's name, and its owner
 * only in a series of its own, `kube_pod_owner`, which no collector
 * component can join to the others): each pattern's first group is the
 * workload, and a later pattern that matches wins.
 *
 * - any pod: its own name;
 * - a StatefulSet's: `<statefulset>-<ordinal>`;
 * - a DaemonSet's, a Job's or a bare ReplicaSet's: `<owner>-` and 5 generated characters;
 * - a Deployment's: `<deployment>-<pod-template-hash>-` and 5 (the hash is
 *   6 to 10 generated characters), and a CronJob's: `<cronjob>-<scheduled
 *   time in minutes>-` and 5.
 *
 * An ownerless pod named like a controller's (`tools-1`) is taken for one.
 */
export const WORKLOAD_FROM_POD_NAME: readonly string[] = [
  '(.+)',
  '(.+)-[0-9]+',
  `(.+)-${GENERATED_CHARACTERS}{5}`,
  `(.+)-(?:${GENERATED_CHARACTERS}{6,10}|[0-9]{8,})-${GENERATED_CHARACTERS}{5}`,
];

/**
 * Every level, in the order the pipeline and the docs list them, with `PodName`
 * the pod's own name. {@link podHealthLevel} gives them for a pod naming.
 */
export const POD_HEALTH_LEVELS: Readonly<Record<PodHealthLevel, PodHealthLevelSpec>> = {
  pod: {
    type: 'Pod',
    groupBy: ['namespace', 'pod'],
    dimensions: [['PodName', 'Namespace', 'ClusterName']],
    per: 'pod',
  },
  namespace: {
    type: 'ClusterNamespace',
    groupBy: ['namespace'],
    dimensions: [['Namespace', 'ClusterName']],
    per: 'namespace',
  },
  cluster: { type: 'Cluster', groupBy: [], dimensions: [['ClusterName']], per: 'cluster' },
  service: {
    type: 'ClusterService',
    groupBy: ['namespace', SERVICE_LABEL],
    dimensions: [['Service', 'Namespace', 'ClusterName']],
    per: 'service',
  },
  deployment: workloadLevel('deployment', 'ClusterDeployment'),
  statefulset: workloadLevel('statefulset', 'ClusterStatefulSet'),
  daemonset: workloadLevel('daemonset', 'ClusterDaemonSet'),
};

/**
 * A level as a pod naming computes and declares it. By workload, a pod's
 * values carry its workload as `PodName` and itself as `FullPodName`, and
 * are declared in `[PodName, Namespace, ClusterName]`, where CloudWatch
 * adds up the replicas of a workload (Sum); with pods too, also in
 * `[PodName, FullPodName, Namespace, ClusterName]`.
 */
export function podHealthLevel(level: PodHealthLevel, podNaming: PodNaming): PodHealthLevelSpec {
  const spec = POD_HEALTH_LEVELS[level];
  if (level !== 'pod' || !podNaming.byWorkload) return spec;
  return {
    ...spec,
    groupBy: ['namespace', WORKLOAD_LABEL, 'pod'],
    dimensions: podNaming.withPods
      ? [
          ['PodName', 'Namespace', 'ClusterName'],
          ['PodName', 'FullPodName', 'Namespace', 'ClusterName'],
        ]
      : [['PodName', 'Namespace', 'ClusterName']],
  };
}

/** Every level, in table order. */
const POD_HEALTH_LEVEL_NAMES = Object.keys(POD_HEALTH_LEVELS) as PodHealthLevel[];

/**
 * The kube-state-metrics labels that become dimensions, and their Container
 * Insights names: a workload's name is its `PodName`, as the CloudWatch agent
 * sets it, and a service's Endpoints object has the service's name. By
 * workload a pod is its `FullPodName` and its workload its `PodName`.
 */
export function podHealthLabelRenames(podNaming: PodNaming): Readonly<Record<string, string>> {
  return {
    ...podLabelRenames(podNaming),
    [SERVICE_LABEL]: 'Service',
    deployment: 'PodName',
    statefulset: 'PodName',
    daemonset: 'PodName',
  };
}

/** Which kube-state-metrics series feed a value. */
export interface KsmSource {
  /** The kube-state-metrics family, e.g. `kube_pod_status_phase`. */
  readonly family: string;
  /** Label matchers (anchored regular expressions) that pick the series. */
  readonly labels?: LabelMatchers;
  /**
   * Before the sum, keep one series per distinct value of these labels (the
   * greatest): a pod can be listed in two EndpointSlices of its Service
   * for a while (the controller moves endpoints between slices), and is one running pod.
   */
  readonly distinctBy?: readonly string[];
}

/** One metric computed at one level, and the profiles that send it. */
export interface PodHealthComputation {
  /** The level: what each value is counted per. */
  readonly level: PodHealthLevel;
  /** Its series. */
  readonly source: KsmSource;
  /** The profiles that compute it. */
  readonly profiles: readonly PodHealthProfile[];
  /**
   * Computed into the log events only, not declared as a CloudWatch metric:
   * neither the console nor an alarm reads it at this level (docs/pod-health.md says why).
   */
  readonly logsOnly?: boolean;
}

/** One pod health metric. */
export interface PodHealthMetric {
  /** Its CloudWatch name, e.g. `pod_status_pending`. */
  readonly name: string;
  /** Its unit: every one is a count. */
  readonly unit: 'Count';
  /** What it is, for the docs. */
  readonly description: string;
  /**
   * The family is a cumulative counter: the pipeline sends its increase
   * since the previous scrape (cumulativetodelta), summed.
   */
  readonly counter?: boolean;
  /** The levels it is computed at. */
  readonly computations: readonly PodHealthComputation[];
}

const BOTH = [PodHealthProfile.FULL, PodHealthProfile.CLUSTER] as const;
const FULL = [PodHealthProfile.FULL] as const;

/**
 * How a pod-level state is sent at each level: `metric` in both profiles,
 * `full` a metric in the full profile only, `logs` in the full profile's
 * log events only.
 */
type Sending = 'metric' | 'full' | 'logs';

const computed = (level: PodHealthLevel, source: KsmSource, sending: Sending): PodHealthComputation => ({
  level,
  source,
  profiles: sending === 'metric' ? BOTH : FULL,
  ...(sending === 'logs' ? { logsOnly: true } : {}),
});

/**
 * A pod-level state, per pod (by workload: summed by CloudWatch over the
 * workload's replicas), per namespace and per cluster, each level sent as
 * `sending` says; per cluster always a metric.
 */
function podState(
  name: string,
  description: string,
  source: KsmSource,
  sending: { readonly pod: Sending; readonly namespace: Sending },
  counter = false,
): PodHealthMetric {
  return {
    name,
    unit: 'Count',
    description,
    ...(counter ? { counter } : {}),
    computations: [
      computed('pod', source, sending.pod),
      computed('namespace', source, sending.namespace),
      computed('cluster', source, 'metric'),
    ],
  };
}

/** In the log events per pod and per namespace, a metric per cluster. */
const CLUSTER_WIDE = { pod: 'logs', namespace: 'logs' } as const;
/** In the log events per pod, a metric per namespace and per cluster. */
const PER_NAMESPACE = { pod: 'logs', namespace: 'metric' } as const;

const exactly = (value: string): string => `^${value}$`;
const phase = (value: string): KsmSource => ({ family: 'kube_pod_status_phase', labels: { phase: exactly(value) } });

/** The workload kinds' series for each replica count, by level. */
function workload(
  name: string,
  description: string,
  families: Partial<Record<'deployment' | 'statefulset' | 'daemonset', string>>,
  options: { readonly clusterWide?: boolean; readonly logsOnly?: boolean } = {},
): PodHealthMetric {
  const kinds = (['deployment', 'statefulset', 'daemonset'] as const).filter((kind) => families[kind] !== undefined);
  return {
    name,
    unit: 'Count',
    description,
    computations: [
      ...kinds.map(
        (kind): PodHealthComputation =>
          computed(kind, { family: families[kind] as string }, options.logsOnly ? 'logs' : 'full'),
      ),
      ...(options.clusterWide
        ? kinds.map((kind): PodHealthComputation => computed('cluster', { family: families[kind] as string }, 'metric'))
        : []),
    ],
  };
}

/** The pod health metrics, in the order the docs list them. */
export const POD_HEALTH_METRICS: readonly PodHealthMetric[] = [
  // The same count as namespace_number_of_running_pods and cluster_number_of_running_pods, which the console reads.
  {
    name: 'pod_status_running',
    unit: 'Count',
    description: 'Pods in phase Running',
    computations: (['pod', 'namespace', 'cluster'] as const).map((level) => computed(level, phase('Running'), 'logs')),
  },
  podState(
    'pod_status_pending',
    'Pods in phase Pending (on Fargate: waiting for a node or pulling images)',
    phase('Pending'),
    PER_NAMESPACE,
  ),
  podState('pod_status_succeeded', 'Pods in phase Succeeded', phase('Succeeded'), CLUSTER_WIDE),
  podState('pod_status_failed', 'Pods in phase Failed', phase('Failed'), PER_NAMESPACE),
  podState('pod_status_unknown', 'Pods in phase Unknown', phase('Unknown'), CLUSTER_WIDE),
  podState(
    'pod_status_ready',
    'Pods whose Ready condition is true',
    { family: 'kube_pod_status_ready', labels: { condition: exactly('true') } },
    CLUSTER_WIDE,
  ),
  podState(
    'pod_container_status_running',
    'Containers in state running',
    { family: 'kube_pod_container_status_running' },
    CLUSTER_WIDE,
  ),
  podState(
    'pod_container_status_waiting',
    'Containers in state waiting',
    { family: 'kube_pod_container_status_waiting' },
    CLUSTER_WIDE,
  ),
  podState(
    'pod_container_status_terminated',
    'Containers in state terminated',
    { family: 'kube_pod_container_status_terminated' },
    CLUSTER_WIDE,
  ),
  podState(
    'pod_container_status_waiting_reason_crash_loop_back_off',
    'Containers waiting in CrashLoopBackOff',
    { family: 'kube_pod_container_status_waiting_reason', labels: { reason: exactly('CrashLoopBackOff') } },
    PER_NAMESPACE,
  ),
  podState(
    'pod_container_status_waiting_reason_image_pull_error',
    'Containers waiting because their image cannot be pulled (ErrImagePull, ImagePullBackOff, InvalidImageName)',
    {
      family: 'kube_pod_container_status_waiting_reason',
      labels: { reason: '^(?:ErrImagePull|ImagePullBackOff|InvalidImageName)$' },
    },
    PER_NAMESPACE,
  ),
  podState(
    'pod_container_status_terminated_reason_oom_killed',
    'Containers whose last termination was OOMKilled (their memory limit was reached)',
    { family: 'kube_pod_container_status_last_terminated_reason', labels: { reason: exactly('OOMKilled') } },
    PER_NAMESPACE,
  ),
  podState(
    'pod_number_of_container_restarts',
    "Container restarts since the previous scrape (the increase of the pods' restart counts)",
    { family: 'kube_pod_container_status_restarts_total' },
    { pod: 'full', namespace: 'metric' },
    true,
  ),
  {
    name: 'namespace_number_of_running_pods',
    unit: 'Count',
    description: 'Pods in phase Running, per namespace and in the cluster',
    computations: [computed('namespace', phase('Running'), 'metric'), computed('cluster', phase('Running'), 'metric')],
  },
  {
    name: 'cluster_number_of_running_pods',
    unit: 'Count',
    description: 'Pods in phase Running in the cluster',
    computations: [computed('cluster', phase('Running'), 'metric')],
  },
  {
    name: 'service_number_of_running_pods',
    unit: 'Count',
    description: "Ready pods behind each Service (its EndpointSlices' ready addresses), and in all",
    computations: (['service', 'cluster'] as const).map((level) =>
      computed(
        level,
        { family: 'kube_endpointslice_endpoints', labels: { ready: exactly('true') }, distinctBy: ['address'] },
        level === 'service' ? 'full' : 'metric',
      ),
    ),
  },
  {
    name: 'cluster_node_count',
    unit: 'Count',
    description: 'Nodes in the cluster (on Fargate, one per pod)',
    computations: [computed('cluster', { family: 'kube_node_info' }, 'metric')],
  },
  {
    name: 'cluster_failed_node_count',
    unit: 'Count',
    description: 'Nodes whose Ready condition is false or unknown',
    computations: [
      computed(
        'cluster',
        {
          family: 'kube_node_status_condition',
          labels: { condition: exactly('Ready'), status: '^(?:false|unknown)$' },
        },
        'metric',
      ),
    ],
  },
  workload('replicas_desired', 'Replicas the workload asks for (a DaemonSet: the nodes it should run on)', {
    deployment: 'kube_deployment_spec_replicas',
    statefulset: 'kube_statefulset_replicas',
    daemonset: 'kube_daemonset_status_desired_number_scheduled',
  }),
  workload('replicas_ready', 'Replicas that are ready', {
    deployment: 'kube_deployment_status_replicas_ready',
    statefulset: 'kube_statefulset_status_replicas_ready',
    daemonset: 'kube_daemonset_status_number_ready',
  }),
  workload(
    'status_replicas_available',
    'Replicas available (ready for minReadySeconds)',
    {
      deployment: 'kube_deployment_status_replicas_available',
      statefulset: 'kube_statefulset_status_replicas_available',
      daemonset: 'kube_daemonset_status_number_available',
    },
    { logsOnly: true },
  ),
  workload(
    'status_replicas_unavailable',
    'Replicas unavailable, per Deployment and DaemonSet and in all (a StatefulSet status has no such count)',
    {
      deployment: 'kube_deployment_status_replicas_unavailable',
      daemonset: 'kube_daemonset_status_number_unavailable',
    },
    { clusterWide: true },
  ),
];

/** One metric at one level: a metric of the pipeline, and one dimension set of CloudWatch. */
export interface PodHealthSeries {
  /** The metric. */
  readonly metric: PodHealthMetric;
  /** The level and its series. */
  readonly computation: PodHealthComputation;
}

/** What each profile sends, computed once: the pipeline, the estimate and the flags all read it. */
const SERIES: ReadonlyMap<PodHealthProfile, readonly PodHealthSeries[]> = new Map(
  POD_HEALTH_PROFILES.map((profile) => [
    profile,
    POD_HEALTH_METRICS.flatMap((metric) =>
      metric.computations
        .filter((computation) => computation.profiles.includes(profile))
        .map((computation) => ({ metric, computation })),
    ),
  ]),
);

/** What a profile sends: each metric at each of its levels, in table order. */
export function podHealthSeries(profile: PodHealthProfile): readonly PodHealthSeries[] {
  return SERIES.get(profile) ?? [];
}

/** The levels a profile computes, in table order. */
export function podHealthLevels(profile: PodHealthProfile): PodHealthLevel[] {
  const levels = new Set(podHealthSeries(profile).map((s) => s.computation.level));
  return POD_HEALTH_LEVEL_NAMES.filter((level) => levels.has(level));
}
