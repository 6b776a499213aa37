import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { podHealthFamilies, podHealthResources } from '../config/catalog/kube-state-metrics-resources';
import type { PodHealthProfile } from '../config/catalog/pod-health-metrics';
import { KSM_PORTS } from '../config/pipelines/pod-health-pipeline';
import { withoutEmptyResourceNames, withoutExternalIps } from '../core/empty-defaults';
import { validateDnsLabel } from '../core/validation';
import type { FargatePodSize } from '../fargate/fargate-size';
import { annotateFargateSize, fargatePodSizeOf, restrictedSecurityContext } from '../fargate/pod-template';
import { type PodHealth, resolvePodHealth } from './pod-health';

/** Names of the objects kube-state-metrics runs with. */
export const KUBE_STATE_METRICS_NAMES = {
  /** Its ServiceAccount, Deployment and Service, in the collector's namespace. */
  workload: 'kube-state-metrics',
  /**
   * Its ClusterRole and ClusterRoleBinding: named after this library, so that
   * a cluster's own kube-state-metrics (whose chart names them
   * `kube-state-metrics`) keeps its rights.
   */
  clusterRole: 'fargate-container-insights-kube-state-metrics',
} as const;

/** kube-state-metrics' image runs as `nobody` (65534, its Dockerfile's `USER`). */
const KSM_USER = 65534;

/** The pod labels, and the Deployment's selector. */
const KUBE_STATE_METRICS_LABELS = {
  'app.kubernetes.io/name': 'kube-state-metrics',
  'app.kubernetes.io/component': 'exporter',
  'app.kubernetes.io/part-of': 'fargate-container-insights',
} as const;

/** Properties of {@link KubeStateMetrics}. */
export interface KubeStateMetricsProps {
  /** The namespace to run in (it must exist, with a Fargate profile): the collector's. */
  readonly namespace: string;
  /**
   * Which metrics, which release, and its resources.
   *
   * @default - the full profile of the default release
   */
  readonly podHealth?: PodHealth;
}

/**
 * The kube-state-metrics arguments for a profile: only the resources whose
 * metrics are kept, only those metrics, and the API server's watch cache
 * for the lists (no quorum read of etcd at each start).
 */
export function kubeStateMetricsArgs(profile: PodHealthProfile): string[] {
  return [
    `--port=${KSM_PORTS.metrics}`,
    `--telemetry-port=${KSM_PORTS.telemetry}`,
    `--resources=${podHealthResources(profile)
      .map((r) => r.resource)
      .join(',')}`,
    `--metric-allowlist=${podHealthFamilies(profile).join(',')}`,
    '--use-apiserver-cache',
  ];
}

/**
 * kube-state-metrics, the Kubernetes project's exporter of object state,
 * as pod health runs it on Fargate: a Deployment of one replica (its own
 * Fargate pod) with a ServiceAccount of its own, allowed only to list and
 * watch the resources whose metrics are kept, restricted Pod Security, its
 * health probes, and a Service the collector scrapes.
 */
export class KubeStateMetrics extends Construct {
  /** Its service account: no IRSA role, no other rights than `clusterRole`'s. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** list and watch on the resources whose metrics are kept. */
  public readonly clusterRole: kplus.ClusterRole;
  /** Binds `clusterRole` to `serviceAccount`. */
  public readonly clusterRoleBinding: kplus.ClusterRoleBinding;
  /** Runs kube-state-metrics. */
  public readonly deployment: kplus.Deployment;
  /** The kube-state-metrics container. */
  public readonly container: kplus.Container;
  /** The Service the collector scrapes, on the metrics port. */
  public readonly service: kplus.Service;

  public constructor(scope: Construct, id: string, props: KubeStateMetricsProps) {
    super(scope, id);
    const namespace = validateDnsLabel('namespace', props.namespace);
    const resolved = resolvePodHealth('podHealth', props.podHealth ?? {});
    const labels = { ...KUBE_STATE_METRICS_LABELS, 'app.kubernetes.io/version': resolved.version.tag.slice(1) };
    const metadata = { name: KUBE_STATE_METRICS_NAMES.workload, namespace, labels };

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata,
      automountToken: false,
    });
    this.clusterRole = new kplus.ClusterRole(this, 'ClusterRole', {
      metadata: { name: KUBE_STATE_METRICS_NAMES.clusterRole, labels },
    });
    const resources = podHealthResources(resolved.profile);
    for (const r of resources) {
      this.clusterRole.allow(
        ['list', 'watch'],
        kplus.ApiResource.custom({ apiGroup: r.apiGroup, resourceType: r.resource }),
      );
    }
    withoutEmptyResourceNames(this.clusterRole, resources.length);
    this.clusterRoleBinding = new kplus.ClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: KUBE_STATE_METRICS_NAMES.clusterRole, labels },
      role: this.clusterRole,
    });
    this.clusterRoleBinding.addSubjects(this.serviceAccount);

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata,
      replicas: 1,
      select: false,
      podMetadata: { labels },
      serviceAccount: this.serviceAccount,
      // It lists and watches through the API server with this token.
      automountServiceAccountToken: true,
      securityContext: { user: KSM_USER, group: KSM_USER, ensureNonRoot: true },
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: { ...KUBE_STATE_METRICS_LABELS } }));
    annotateFargateSize(this.deployment);

    const probe = (path: string, port: number) =>
      kplus.Probe.fromHttpGet(path, {
        port,
        initialDelaySeconds: Duration.seconds(5),
        timeoutSeconds: Duration.seconds(5),
      });
    const memoryMiB = resolved.resources.memory?.limit?.toMebibytes() ?? 0;
    this.container = this.deployment.addContainer({
      name: 'kube-state-metrics',
      image: resolved.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      args: kubeStateMetricsArgs(resolved.profile),
      envVariables: {
        // The Go runtime collects garbage harder near this soft limit: 90% of the container's.
        GOMEMLIMIT: kplus.EnvValue.fromValue(`${Math.floor(memoryMiB * 0.9)}MiB`),
      },
      ports: [
        { name: 'http-metrics', number: KSM_PORTS.metrics },
        { name: 'telemetry', number: KSM_PORTS.telemetry },
      ],
      // /livez answers while the process serves; /readyz once every store has synced.
      liveness: probe('/livez', KSM_PORTS.metrics),
      readiness: probe('/readyz', KSM_PORTS.telemetry),
      resources: resolved.resources,
      securityContext: restrictedSecurityContext(KSM_USER),
    });

    this.service = new kplus.Service(this, 'Service', {
      metadata,
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: 'http-metrics', port: KSM_PORTS.metrics, targetPort: KSM_PORTS.metrics }],
    });
    withoutExternalIps(this.service);
    for (const [key, value] of Object.entries(KUBE_STATE_METRICS_LABELS)) this.service.selectLabel(key, value);
  }

  /** The vCPU and memory Fargate provisions, and bills, for its pod. */
  public get fargateSize(): FargatePodSize {
    return fargatePodSizeOf(this.deployment);
  }

  /** `host:port` of its metrics: its Service, in its namespace. */
  public static target(namespace: string): string {
    return `${KUBE_STATE_METRICS_NAMES.workload}.${namespace}.svc:${KSM_PORTS.metrics}`;
  }
}
