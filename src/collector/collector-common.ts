import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import type { Construct } from 'constructs';
import { AdotVersion, requireComponents } from '../config/adot-version';
import { resolveApplicationMetrics } from '../config/application-metrics';
import { Dimension, type MetricDeclarationSpec } from '../config/catalog/metric-types';
import {
  buildCollectorConfig,
  collectorRbac,
  componentsBySetting,
  enabledPipelines,
  type SettingComponents,
} from '../config/collector-config';
import { memoryLimiterFor } from '../config/components/memory-limiter-processor';
import type { CollectorConfig } from '../config/config-model';
import { MetricSelection } from '../config/metric-selection';
import {
  DEFAULT_METRICS_DESTINATION,
  emfDestinationsInWords,
  MetricsDestination,
  sendsEmf,
  validateMetricsDestination,
} from '../config/metrics-destination';
import { APPLICATION_ROLE_NAME } from '../config/pipelines/application-pipeline';
import type { CollectorConfigOptions, RbacRule } from '../config/pipelines/pipeline';
import { PodNaming } from '../config/pod-naming';
import { BoundedCache } from '../core/bounded-cache';
import { withoutEmptyResourceNames, withoutEmptySpec } from '../core/empty-defaults';
import { showValue, ValidationError } from '../core/errors';
import { deepFreeze } from '../core/freeze';
import { checkSettingRules, DEFAULT_ALLOW_UNLISTED_REGION, propInputNames } from '../core/setting-rules';
import { refuseUnknownFields } from '../core/unknown-fields';
import {
  validateBoolean,
  validateClusterName,
  validateDnsLabel,
  validateDuration,
  validateEmfLogRetention,
  validateImage,
  validateInstance,
  validateInteger,
  validateLogGroupTags,
  validateProps,
  validateRegion,
  validateResources,
  validateRoleArn,
} from '../core/validation';
import { type CollectorSizing, MAX_EXPECTED_PODS, MAX_REPLICAS, sizeCollector } from '../fargate/collector-sizing';
import { fargateMonthlyCost } from '../fargate/fargate-size';
import { containerRequests, RESTRICTED_NAMESPACE_LABELS, validateFargateFit } from '../fargate/pod-template';
import { validateAlarmWindows } from './alarm-windows';
import { COLLECTOR_PROP_NAMES, type FargateContainerInsightsCollectorProps } from './collector-props';
import { KubeStateMetrics } from './kube-state-metrics';
import { type ResolvedPodHealth, resolvePodHealth } from './pod-health';
import { COLLECTOR_SETTING_RULES, type CollectorRuleKey, type CollectorRuleValues } from './setting-rules';

/**
 * What both ways of running the collector share: the validation of their
 * props, and the namespace, service account and RBAC they create. Not part of
 * the public API.
 */

/** Namespace the collector runs in unless told otherwise. */
export const DEFAULT_COLLECTOR_NAMESPACE = 'fargate-container-insights';

/** Names of the objects the collector creates, as in the AWS reference manifest. */
export const COLLECTOR_NAMES = {
  /** The collector's ServiceAccount. */
  serviceAccount: 'adot-collector',
  /** The ClusterRole of the scrape. */
  clusterRole: 'adotcol-admin-role',
  /** Its binding to the service account. */
  clusterRoleBinding: 'adotcol-admin-role-binding',
  /** The ConfigMap holding the collector configuration. */
  configMap: 'adot-collector-config',
  /** The StatefulSet's governing Service. */
  service: 'adot-collector-service',
  /** The StatefulSet. */
  statefulSet: 'adot-collector',
  /** The collector container. */
  container: 'adot-collector',
  /** The PodDisruptionBudget. */
  podDisruptionBudget: 'adot-collector',
  /** With application metrics in listed namespaces: the Role (and RoleBinding) in each. */
  applicationRole: APPLICATION_ROLE_NAME,
} as const;

/**
 * The ADOT image runs as user `aoc` (uid and gid 4317, from the image's
 * Dockerfile). A pod with `runAsNonRoot` needs the numeric id: the kubelet
 * cannot verify that a user name is not root.
 */
export const ADOT_IMAGE_USER = 4317;

/** Pod labels; the StatefulSet's selector, which cannot change once created. */
export const POD_LABELS = { app: 'aws-adot', component: 'adot-collector' } as const;

/** How often each node is scraped unless told otherwise. */
export const DEFAULT_SCRAPE_INTERVAL = Duration.minutes(1);

/** How long a scrape may take unless told otherwise: the AWS reference manifest's, under the default interval. */
const DEFAULT_SCRAPE_TIMEOUT = Duration.seconds(40);

/** The Fargate pods a cluster is expected to run unless told otherwise: the cost estimate's default too. */
export const DEFAULT_EXPECTED_PODS = 100;

/** The collector's replicas when unset: one scrapes every node. */
export const DEFAULT_REPLICAS = 1;

/** Whether the collector scrapes only Fargate nodes when unset. */
export const DEFAULT_FARGATE_NODES_ONLY = true;

/**
 * CPU and memory from the sizing, as requests and limits (Fargate runs every
 * pod with guaranteed QoS) that fill the chosen Fargate size exactly.
 */
function sizedResources(sizing: CollectorSizing): kplus.ContainerResources {
  const cpu = kplus.Cpu.millis(sizing.cpuMillis);
  const memory = Size.mebibytes(sizing.memoryMiB);
  return { cpu: { request: cpu, limit: cpu }, memory: { request: memory, limit: memory } };
}

/**
 * Retention of the performance log group unless told otherwise: a month of
 * per-pod detail for Logs Insights, while the extracted CloudWatch metrics
 * stay for 15 months regardless (docs/fargate-sizing-and-cost.md has the
 * storage cost).
 */
export const DEFAULT_PERFORMANCE_LOG_RETENTION_DAYS = 30;

/** Below this memory limit the collector cannot hold one scrape of a small cluster. */
const MIN_MEMORY_LIMIT_MIB = 128;

/** The collector's props, validated, with defaults filled in. */
export interface ResolvedCollectorProps {
  readonly clusterName: string;
  readonly region: string;
  readonly roleArn: string;
  readonly namespaceName: string;
  readonly adotVersion: AdotVersion;
  readonly image: string;
  readonly resources: kplus.ContainerResources;
  readonly memoryLimitMiB: number;
  readonly replicas: number;
  readonly sizing: CollectorSizing;
  readonly configOptions: CollectorConfigOptions;
  /** With pod health: its settings, validated. */
  readonly podHealth?: ResolvedPodHealth;
}

/** Validates the collector props; throws a ValidationError naming the first bad one. */
export function resolveCollectorProps(
  props: FargateContainerInsightsCollectorProps,
  propNames: readonly string[] = COLLECTOR_PROP_NAMES,
): ResolvedCollectorProps {
  validateProps('props', props);
  refuseUnknownFields(undefined, props, propNames);
  validateInstance(
    'adotVersion',
    props.adotVersion,
    AdotVersion,
    'an AdotVersion, such as AdotVersion.V0_49_0 or AdotVersion.of("v0.49.0")',
  );
  for (const name of ['fargateNodesOnly', 'allowUnlistedRegion'] as const) {
    if (props[name] !== undefined) validateBoolean(name, props[name]);
  }
  const clusterName = validateClusterName('clusterName', props.clusterName);
  const region = validateRegion('region', props.region);
  const roleArn = validateRoleArn('serviceAccountRoleArn', props.serviceAccountRoleArn);
  const namespaceName = validateDnsLabel('namespace', props.namespace ?? DEFAULT_COLLECTOR_NAMESPACE);
  const adotVersion = props.adotVersion ?? AdotVersion.DEFAULT;
  const image = validateImage('image', props.image ?? adotVersion.image);
  const scrapeIntervalMs = validateDuration('scrapeInterval', props.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL);
  const scrapeTimeoutMs = validateDuration('scrapeTimeout', props.scrapeTimeout ?? DEFAULT_SCRAPE_TIMEOUT);
  if (scrapeTimeoutMs >= scrapeIntervalMs) {
    throw new ValidationError(
      `Invalid scrapeTimeout "${scrapeTimeoutMs}ms": expected a duration shorter than scrapeInterval (${scrapeIntervalMs}ms).`,
    );
  }
  const replicas = validateInteger('replicas', props.replicas ?? DEFAULT_REPLICAS, 1, MAX_REPLICAS);
  const expectedPods = validateInteger(
    'expectedPods',
    props.expectedPods ?? DEFAULT_EXPECTED_PODS,
    1,
    MAX_EXPECTED_PODS,
  );
  const podHealth = props.podHealth === undefined ? undefined : resolvePodHealth('podHealth', props.podHealth);
  if (podHealth?.alarms !== undefined) validateAlarmWindows('podHealth.alarms', podHealth.alarms, scrapeIntervalMs);
  const ksmSize =
    podHealth === undefined
      ? undefined
      : validateFargateFit('podHealth.resources', containerRequests(podHealth.resources));
  const metricsDestination = validateMetricsDestination(
    'metricsDestination',
    props.metricsDestination ?? DEFAULT_METRICS_DESTINATION,
  );
  // Each prop is valid on its own: now the rules between them, which the clusters file and the app run too.
  const ruleValues: CollectorRuleValues = {
    region,
    allowUnlistedRegion: props.allowUnlistedRegion ?? DEFAULT_ALLOW_UNLISTED_REGION,
    serviceAccountRoleArn: roleArn,
    metricsDestination,
    ...(props.podHealth === undefined ? {} : { podHealth: props.podHealth }),
    expectedPods,
    replicas,
    scrapeIntervalSeconds: scrapeIntervalMs / 1000,
  };
  checkSettingRules(COLLECTOR_SETTING_RULES, ruleValues, propInputNames<CollectorRuleKey>(props));
  const sizing = sizeCollector({
    expectedPods,
    replicas,
    scrapeIntervalSeconds: ruleValues.scrapeIntervalSeconds,
    podHealth: podHealth !== undefined,
  });
  const resources = validateResources('resources', props.resources ?? sizedResources(sizing));
  const memoryLimitMiB = resources.memory?.limit?.toMebibytes() ?? 0;
  if (memoryLimitMiB < MIN_MEMORY_LIMIT_MIB) {
    throw new ValidationError(
      `Invalid resources.memory.limit "${memoryLimitMiB}Mi": expected at least ${MIN_MEMORY_LIMIT_MIB}Mi for the collector.`,
    );
  }
  validateFargateFit('resources', containerRequests(resources));
  if (!sendsEmf(metricsDestination)) refuseEmfOnlyProps(props);
  validateInstance(
    'metricSelection',
    props.metricSelection,
    MetricSelection,
    'a MetricSelection, such as MetricSelection.profile(MetricProfile.CONSOLE)',
  );
  validateInstance(
    'podNaming',
    props.podNaming,
    PodNaming,
    'a PodNaming: PodNaming.WORKLOAD, PodNaming.WORKLOAD_AND_POD or PodNaming.POD',
  );
  const podNaming = props.podNaming ?? PodNaming.DEFAULT;
  const declarations = declarationsFor(
    'metricSelection',
    (props.metricSelection ?? MetricSelection.DEFAULT).metricDeclarations,
    podNaming,
  );
  const logRetentionDays = validateEmfLogRetention(
    'performanceLogRetentionDays',
    props.performanceLogRetentionDays ?? DEFAULT_PERFORMANCE_LOG_RETENTION_DAYS,
  );
  const logGroupTags =
    props.performanceLogGroupTags === undefined
      ? {}
      : validateLogGroupTags('performanceLogGroupTags', props.performanceLogGroupTags);
  const applicationMetrics =
    props.applicationMetrics === undefined
      ? undefined
      : resolveApplicationMetrics('applicationMetrics', props.applicationMetrics);
  const configOptions: CollectorConfigOptions = {
    clusterName,
    version: adotVersion,
    region,
    scrapeIntervalMs,
    scrapeTimeoutMs,
    declarations,
    podNaming,
    memoryLimitMiB,
    shards: replicas,
    fargateNodesOnly: props.fargateNodesOnly ?? DEFAULT_FARGATE_NODES_ONLY,
    logRetentionDays,
    logGroupTags,
    ...(applicationMetrics === undefined ? {} : { applicationMetrics }),
    ...(metricsDestination === MetricsDestination.EMF ? {} : { metricsDestination }),
    ...(podHealth === undefined || ksmSize === undefined
      ? {}
      : {
          podHealth: {
            profile: podHealth.profile,
            target: KubeStateMetrics.target(namespaceName),
            pod: { size: `${ksmSize.vcpu} vCPU ${ksmSize.memoryGiB} GB`, monthlyUsd: fargateMonthlyCost(ksmSize) },
          },
        }),
  };
  for (const { setting, components } of settingComponents(configOptions)) {
    requireComponents(setting, adotVersion, components);
  }
  return {
    clusterName,
    region,
    roleArn,
    namespaceName,
    adotVersion,
    image,
    resources,
    memoryLimitMiB,
    replicas,
    sizing,
    // With the OTLP path alone there are no Container Insights metrics to alarm on.
    ...(podHealth === undefined
      ? {}
      : { podHealth: sendsEmf(metricsDestination) ? podHealth : { ...podHealth, alarms: undefined } }),
    configOptions,
  };
}

/**
 * The key of a configuration's options in the caches of built and rendered
 * configurations. The pipelines' sections never read the cluster name (it is
 * only in the environment and the IAM they ask for), so it is not part of it.
 */
export function configKey(options: CollectorConfigOptions): string {
  const { clusterName: _, ...rest } = options;
  return JSON.stringify({ ...rest, version: options.version.tag });
}

/** The components each setting's pipeline uses, by the options' key: read once per distinct setting. */
const usedComponents = new BoundedCache<string, readonly SettingComponents[]>(64);

/** The components each enabled pipeline uses, with the setting that turns it on. */
function settingComponents(options: CollectorConfigOptions): readonly SettingComponents[] {
  return usedComponents.get(configKey(options), () => deepFreeze(componentsBySetting(options)));
}

/** Built configurations by their options' key: a fleet builds each distinct setting's once. */
const builtConfigs = new BoundedCache<string, CollectorConfig>(64);

/**
 * The collector configuration of the options, built once per distinct
 * setting and shared by every collector with it: frozen, so that none can
 * change another's.
 */
export function collectorConfigOf(options: CollectorConfigOptions): CollectorConfig {
  return builtConfigs.get(configKey(options), () => deepFreeze(buildCollectorConfig(options)));
}

/** With the OTLP path alone, a prop that shapes only the EMF path would silently do nothing: refuse it. */
function refuseEmfOnlyProps(props: FargateContainerInsightsCollectorProps): void {
  for (const set of ['metricSelection', 'podNaming'] as const) {
    if (props[set] === undefined) continue;
    throw new ValidationError(
      `Invalid ${set} with metricsDestination "${props.metricsDestination}": it ${set === 'podNaming' ? 'names the pods in' : 'selects'} the CloudWatch metrics of the Embedded Metric Format path, which "${props.metricsDestination}" does not send. Expected no ${set}, or metricsDestination ${emfDestinationsInWords()}.`,
    );
  }
}

/**
 * The declarations as a naming sends them: with `PodNaming.WORKLOAD_AND_POD`
 * every set with `PodName` is also sent with `FullPodName` (unless declared
 * already); with `PodNaming.POD` there is no `FullPodName` to send.
 *
 * @throws ValidationError for a set with `FullPodName` under `PodNaming.POD`
 */
function declarationsFor(
  input: string,
  declarations: readonly MetricDeclarationSpec[],
  podNaming: PodNaming,
): MetricDeclarationSpec[] {
  const sets = declarations.flatMap((d) => d.dimensionSets);
  const withFull = sets.find((set) => set.includes(Dimension.FULL_POD_NAME));
  if (!podNaming.byWorkload && withFull !== undefined) {
    throw new ValidationError(
      `Invalid ${input} dimension set ${showValue(withFull)} with podNaming "pod": PodName is then the pod's own name and there is no FullPodName. Expected sets without FullPodName, or podNaming "workload" or "workloadAndPod".`,
    );
  }
  if (!podNaming.withPods)
    return declarations.map((d) => ({
      metrics: [...d.metrics],
      dimensionSets: d.dimensionSets.map((set) => [...set]),
    }));
  const key = (set: readonly Dimension[]) => [...set].sort().join(',');
  return declarations.map((d) => {
    const present = new Set(d.dimensionSets.map(key));
    const added = d.dimensionSets.flatMap((set) => {
      if (!set.includes(Dimension.POD_NAME) || set.includes(Dimension.FULL_POD_NAME)) return [];
      const index = set.indexOf(Dimension.POD_NAME);
      const full = [...set.slice(0, index + 1), Dimension.FULL_POD_NAME, ...set.slice(index + 1)];
      if (present.has(key(full))) return [];
      present.add(key(full));
      return [full];
    });
    return { metrics: [...d.metrics], dimensionSets: [...d.dimensionSets.map((set) => [...set]), ...added] };
  });
}

/** Where a resolved collector sends its Container Insights metrics. */
export function destinationOf(resolved: ResolvedCollectorProps): MetricsDestination {
  return resolved.configOptions.metricsDestination ?? DEFAULT_METRICS_DESTINATION;
}

/** The collector's environment: the values both modes set, by name. */
export function collectorEnvironment(resolved: ResolvedCollectorProps): Readonly<Record<string, string>> {
  return {
    // Read by the resourcedetection `env` detector: the ClusterName dimension.
    OTEL_RESOURCE_ATTRIBUTES: `ClusterName=${resolved.clusterName}`,
    // The Go runtime collects garbage harder as the heap nears this soft
    // limit: the memory_limiter's hard limit.
    GOMEMLIMIT: `${memoryLimiterFor(resolved.memoryLimitMiB).limit_mib}MiB`,
    // What the pipelines it runs read of their own.
    ...Object.assign(
      {},
      ...enabledPipelines(resolved.configOptions).map((pipeline) => pipeline.environment(resolved.configOptions)),
    ),
  };
}

/** The pod label holding a StatefulSet pod's index (Kubernetes 1.28 or later): the shard it scrapes. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/** The namespace, service account and RBAC of the collector. */
export interface CollectorIdentity {
  readonly namespace: kplus.Namespace;
  readonly serviceAccount: kplus.ServiceAccount;
  readonly clusterRole: kplus.ClusterRole;
  readonly clusterRoleBinding: kplus.ClusterRoleBinding;
  readonly applicationRoles: kplus.Role[];
}

/** A rule as cdk8s-plus takes it. */
function allow(role: kplus.ClusterRole | kplus.Role, rule: RbacRule): void {
  role.allow([...rule.verbs], kplus.ApiResource.custom({ apiGroup: rule.apiGroup, resourceType: rule.resource }));
}

/**
 * The Roles and RoleBindings the collector needs beyond its ClusterRole,
 * by `Role/<namespace>/<name>`: what a second collector in the same app
 * would collide on.
 */
export function namespacedRoleKeys(options: CollectorConfigOptions): string[] {
  return collectorRbac(options).namespaced.flatMap((role) =>
    role.namespaces.flatMap((namespace) => [
      `Role/${namespace}/${role.roleName}`,
      `RoleBinding/${namespace}/${role.roleName}`,
    ]),
  );
}

/** Creates the collector's namespace (Pod Security "restricted"), its IRSA service account and its RBAC. */
export function createCollectorIdentity(scope: Construct, resolved: ResolvedCollectorProps): CollectorIdentity {
  const namespace = new kplus.Namespace(scope, 'Namespace', {
    metadata: { name: resolved.namespaceName, labels: { ...RESTRICTED_NAMESPACE_LABELS } },
  });
  withoutEmptySpec(namespace);

  const serviceAccount = new kplus.ServiceAccount(scope, 'ServiceAccount', {
    metadata: {
      name: COLLECTOR_NAMES.serviceAccount,
      namespace: resolved.namespaceName,
      annotations: { 'eks.amazonaws.com/role-arn': resolved.roleArn },
    },
  });

  // Least privilege: the union of what the enabled pipelines use
  // (CADVISOR_SCRAPE_RBAC, the application scrape's pod discovery).
  const rbac = collectorRbac(resolved.configOptions);
  const clusterRole = new kplus.ClusterRole(scope, 'ClusterRole', {
    metadata: { name: COLLECTOR_NAMES.clusterRole },
  });
  for (const rule of rbac.clusterRules) allow(clusterRole, rule);
  withoutEmptyResourceNames(clusterRole, rbac.clusterRules.length);
  const clusterRoleBinding = new kplus.ClusterRoleBinding(scope, 'ClusterRoleBinding', {
    metadata: { name: COLLECTOR_NAMES.clusterRoleBinding },
    role: clusterRole,
  });
  clusterRoleBinding.addSubjects(serviceAccount);
  // Rights in listed namespaces only: a Role and RoleBinding in each.
  const applicationRoles = rbac.namespaced.flatMap(({ roleName, namespaces, rules }) =>
    namespaces.map((namespace) => {
      const role = new kplus.Role(scope, `Role-${roleName}-${namespace}`, { metadata: { name: roleName, namespace } });
      for (const rule of rules) allow(role, rule);
      const binding = new kplus.RoleBinding(scope, `RoleBinding-${roleName}-${namespace}`, {
        metadata: { name: roleName, namespace },
        role,
      });
      binding.addSubjects(serviceAccount);
      return role;
    }),
  );
  return { namespace, serviceAccount, clusterRole, clusterRoleBinding, applicationRoles };
}
