import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { POD_HEALTH_PROFILES, PodHealthProfile } from '../config/catalog/pod-health-metrics';
import { KubeStateMetricsVersion } from '../config/kube-state-metrics-version';
import { invalidInput, ValidationError } from '../core/errors';
import { keysOf, refuseUnknownFields } from '../core/unknown-fields';
import { validateImage, validateInstance, validateInteger, validateProps, validateResources } from '../core/validation';

/**
 * Pod and workload health: kube-state-metrics runs beside the collector, in
 * a Deployment of its own, and the collector turns its series into the
 * Container Insights pod, namespace, service, workload and cluster counts
 * (catalog/pod-health-metrics.ts). This module holds the public options,
 * their validation and the resolved form the rest is built from.
 */

/**
 * The recommended CloudWatch alarms on the pod health metrics, and their
 * thresholds. The prerequisites describe them (`CollectorPrerequisites.alarms`),
 * and the AWS CDK construct and CloudFormation template create them.
 */
export interface PodHealthAlarms {
  /**
   * Create the alarms.
   *
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Alarm when the cluster's containers restart this many times or more
   * within `restartMinutes`.
   *
   * @default 3
   */
  readonly restarts?: number;
  /**
   * The window `restarts` are counted over, in minutes.
   *
   * @default 5
   */
  readonly restartMinutes?: number;
  /**
   * Alarm when some pod has been pending for this many minutes in a row.
   *
   * @default 10
   */
  readonly pendingMinutes?: number;
  /**
   * Alarm when Deployments and DaemonSets have had unavailable replicas for
   * this many minutes in a row.
   *
   * @default 10
   */
  readonly unavailableMinutes?: number;
  /**
   * Alarm when the collector has sent no `cluster_node_count` for this many
   * minutes: the collector or kube-state-metrics is down, or cannot write.
   *
   * @default 10
   */
  readonly silentMinutes?: number;
}

/** Pod and workload health from kube-state-metrics, scraped into the same collector. */
export interface PodHealth {
  /**
   * Which metrics are sent: `FULL`, every metric per pod, namespace,
   * service, workload and cluster; `CLUSTER`, the counts per namespace and
   * per cluster only.
   *
   * @default PodHealthProfile.FULL
   */
  readonly profile?: PodHealthProfile;
  /**
   * The kube-state-metrics release.
   *
   * @default KubeStateMetricsVersion.DEFAULT (v2.20.0)
   */
  readonly kubeStateMetricsVersion?: KubeStateMetricsVersion;
  /**
   * The kube-state-metrics image, for a mirror or a digest-pinned reference.
   * Its flags and metrics still follow `kubeStateMetricsVersion`.
   *
   * @default `registry.k8s.io/kube-state-metrics/kube-state-metrics:<kubeStateMetricsVersion>`
   */
  readonly image?: string;
  /**
   * CPU and memory of the kube-state-metrics container, as requests and
   * limits (Fargate bills the pod by its requests plus 256 MiB).
   *
   * @default 250 millicores and 256 MiB: kube-state-metrics' general rule (0.1 cores, 250 MiB) in Fargate's smallest size, 0.25 vCPU 0.5 GB
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * The recommended alarms' thresholds.
   *
   * @default every alarm, with its default threshold
   */
  readonly alarms?: PodHealthAlarms;
}

/** The alarms' thresholds, defaults filled in. */
export interface ResolvedPodHealthAlarms {
  readonly restarts: number;
  readonly restartMinutes: number;
  readonly pendingMinutes: number;
  readonly unavailableMinutes: number;
  readonly silentMinutes: number;
}

/** Pod health as the configuration and the objects are built from it: validated, defaults filled in. */
export interface ResolvedPodHealth {
  readonly profile: PodHealthProfile;
  readonly version: KubeStateMetricsVersion;
  readonly image: string;
  readonly resources: kplus.ContainerResources;
  /** Absent with `alarms.enabled: false`. */
  readonly alarms?: ResolvedPodHealthAlarms;
}

/** The alarms' thresholds unless told otherwise. */
export const DEFAULT_POD_HEALTH_ALARMS: ResolvedPodHealthAlarms = {
  restarts: 3,
  restartMinutes: 5,
  pendingMinutes: 10,
  unavailableMinutes: 10,
  silentMinutes: 10,
};

/** The longest alarm window: a day, CloudWatch's longest evaluation for one-minute periods. */
export const MAX_ALARM_MINUTES = 1440;

/** The most restarts an alarm may wait for. */
export const MAX_ALARM_RESTARTS = 10_000;

/** kube-state-metrics' CPU unless told otherwise, in millicores. */
const KSM_CPU_MILLIS = 250;

/** kube-state-metrics' memory unless told otherwise, in mebibytes. */
const KSM_MEMORY_MIB = 256;

/** kube-state-metrics' resources unless told otherwise: requests equal to limits. */
function defaultKsmResources(): kplus.ContainerResources {
  const cpu = kplus.Cpu.millis(KSM_CPU_MILLIS);
  const memory = Size.mebibytes(KSM_MEMORY_MIB);
  return { cpu: { request: cpu, limit: cpu }, memory: { request: memory, limit: memory } };
}

/** Below this memory limit kube-state-metrics cannot hold a small cluster's objects. */
const MIN_KSM_MEMORY_MIB = 64;

/** Every prop of {@link PodHealthAlarms} (the compiler holds the table to the interface). */
const ALARM_KEYS = keysOf<PodHealthAlarms>({
  enabled: true,
  restarts: true,
  restartMinutes: true,
  pendingMinutes: true,
  unavailableMinutes: true,
  silentMinutes: true,
});
/** Every prop of {@link PodHealth}. */
const POD_HEALTH_KEYS = keysOf<PodHealth>({
  profile: true,
  kubeStateMetricsVersion: true,
  image: true,
  resources: true,
  alarms: true,
});

/** Validates the alarms' thresholds; absent with `enabled: false`. */
function resolvePodHealthAlarms(
  input: string,
  alarms: PodHealthAlarms | undefined,
): ResolvedPodHealthAlarms | undefined {
  if (alarms === undefined) return DEFAULT_POD_HEALTH_ALARMS;
  if (typeof alarms !== 'object' || alarms === null || Array.isArray(alarms)) {
    invalidInput(input, alarms, 'an object of alarm thresholds');
  }
  refuseUnknownFields(input, alarms, ALARM_KEYS);
  if (alarms.enabled !== undefined && typeof alarms.enabled !== 'boolean') {
    invalidInput(`${input}.enabled`, alarms.enabled, 'true or false');
  }
  const minutes = (key: 'restartMinutes' | 'pendingMinutes' | 'unavailableMinutes' | 'silentMinutes') =>
    validateInteger(`${input}.${key}`, alarms[key] ?? DEFAULT_POD_HEALTH_ALARMS[key], 1, MAX_ALARM_MINUTES);
  const resolved = {
    restarts: validateInteger(
      `${input}.restarts`,
      alarms.restarts ?? DEFAULT_POD_HEALTH_ALARMS.restarts,
      1,
      MAX_ALARM_RESTARTS,
    ),
    restartMinutes: minutes('restartMinutes'),
    pendingMinutes: minutes('pendingMinutes'),
    unavailableMinutes: minutes('unavailableMinutes'),
    silentMinutes: minutes('silentMinutes'),
  };
  return alarms.enabled === false ? undefined : resolved;
}

/**
 * Validates pod health; throws a ValidationError naming the first bad field.
 *
 * @param input the prop or setting pod health came from, for messages
 */
export function resolvePodHealth(input: string, value: PodHealth): ResolvedPodHealth {
  validateProps(input, value);
  refuseUnknownFields(input, value, POD_HEALTH_KEYS);
  const profile = value.profile ?? PodHealthProfile.FULL;
  if (!POD_HEALTH_PROFILES.includes(profile)) {
    invalidInput(`${input}.profile`, profile, `one of ${POD_HEALTH_PROFILES.join(', ')}`);
  }
  const version = value.kubeStateMetricsVersion ?? KubeStateMetricsVersion.DEFAULT;
  validateInstance(
    `${input}.kubeStateMetricsVersion`,
    version,
    KubeStateMetricsVersion,
    'a KubeStateMetricsVersion, such as KubeStateMetricsVersion.V2_20_0 or KubeStateMetricsVersion.of("v2.20.0")',
  );
  const image = validateImage(`${input}.image`, value.image ?? version.image);
  const resources = validateResources(`${input}.resources`, value.resources ?? defaultKsmResources());
  const memoryMiB = resources.memory?.limit?.toMebibytes() ?? 0;
  if (memoryMiB < MIN_KSM_MEMORY_MIB) {
    throw new ValidationError(
      `Invalid ${input}.resources.memory.limit "${memoryMiB}Mi": expected at least ${MIN_KSM_MEMORY_MIB}Mi for kube-state-metrics.`,
    );
  }
  const alarms = resolvePodHealthAlarms(`${input}.alarms`, value.alarms);
  return { profile, version, image, resources, ...(alarms === undefined ? {} : { alarms }) };
}

/** Pod health as a clusters file or the app's environment gives it: plain data, the release by its tag. */
export interface PodHealthSettings {
  /** `full` or `cluster`. */
  readonly profile?: PodHealthProfile;
  /** A kube-state-metrics release tag, e.g. `v2.20.0`. */
  readonly kubeStateMetricsVersion?: string;
  /** The alarms' thresholds. */
  readonly alarms?: PodHealthAlarms;
}

/** Every field of {@link PodHealthSettings}. */
const SETTINGS_KEYS = keysOf<PodHealthSettings>({
  profile: true,
  kubeStateMetricsVersion: true,
  alarms: true,
});

/**
 * The props of pod health settings, checked as the collector will check
 * them, with messages that name the setting.
 */
export function podHealthFromSettings(input: string, settings: PodHealthSettings): PodHealth {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    invalidInput(input, settings, 'a mapping of profile, kubeStateMetricsVersion and alarms');
  }
  refuseUnknownFields(input, settings, SETTINGS_KEYS);
  const { kubeStateMetricsVersion, ...rest } = settings;
  const props: PodHealth = {
    ...rest,
    ...(kubeStateMetricsVersion === undefined
      ? {}
      : {
          kubeStateMetricsVersion: KubeStateMetricsVersion.of(
            kubeStateMetricsVersion,
            `${input}.kubeStateMetricsVersion`,
          ),
        }),
  };
  resolvePodHealth(input, props);
  return props;
}
