import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { k8s } from 'cdk8s-plus-29';
import type { Construct } from 'constructs';
import { HEALTH_CHECK_PORT } from '../config/components/health-check-extension';
import { TELEMETRY_PORT } from '../config/components/service';
import type { CollectorConfig } from '../config/config-model';
import { SHARD_ENV } from '../config/pipelines/cadvisor-scrape';
import type { CollectorConfigOptions } from '../config/pipelines/pipeline';
import { renderCollectorConfig } from '../config/render';
import { BoundedCache } from '../core/bounded-cache';
import { withoutExternalIps, withoutMutableFlag } from '../core/empty-defaults';
import type { FargatePodSize } from '../fargate/fargate-size';
import {
  annotateConfigChecksum,
  annotateFargateSize,
  fargatePodSizeOf,
  restrictedSecurityContext,
} from '../fargate/pod-template';
import {
  ADOT_IMAGE_USER,
  COLLECTOR_NAMES,
  collectorEnvironment,
  configKey,
  POD_INDEX_LABEL,
  POD_LABELS,
} from './collector-common';
import type { FargateContainerInsightsCollectorProps } from './collector-props';
import { ContainerInsightsCollectorBase } from './container-insights-collector-base';

export { MAX_EXPECTED_PODS, MAX_REPLICAS } from '../fargate/collector-sizing';
export {
  COLLECTOR_NAMES,
  DEFAULT_COLLECTOR_NAMESPACE,
  DEFAULT_EXPECTED_PODS,
  DEFAULT_PERFORMANCE_LOG_RETENTION_DAYS,
  DEFAULT_SCRAPE_INTERVAL,
} from './collector-common';

/** Key of the collector configuration in the ConfigMap, and the file it is mounted as. */
const CONFIG_KEY = 'adot-collector-config';
const CONFIG_DIR = '/conf';
const CONFIG_FILE = `${CONFIG_DIR}/${CONFIG_KEY}.yaml`;

/**
 * Rendered configurations by their options. The configuration is a pure
 * function of its options and does not contain the cluster name (that comes
 * from an environment variable), so a fleet of clusters renders it once per
 * distinct setting instead of once per cluster.
 */
const renderedConfigs = new BoundedCache<string, string>(64);

function renderedConfig(options: CollectorConfigOptions, config: CollectorConfig): string {
  return renderedConfigs.get(configKey(options), () => renderCollectorConfig(config, options.version));
}

/**
 * CloudWatch Container Insights for Amazon EKS on Fargate: one AWS Distro for
 * OpenTelemetry collector, run as a StatefulSet, that scrapes every Fargate
 * node's cAdvisor metrics through the Kubernetes API server proxy and sends
 * pod, container and node metrics to CloudWatch as Embedded Metric Format,
 * over OTLP, or both (`metricsDestination`); with `applicationMetrics`, also
 * the annotated pods' own metrics; with `podHealth`, pod and workload health
 * from a kube-state-metrics it runs beside it.
 *
 * Creates a Namespace, a ServiceAccount for IRSA, a ClusterRole and its
 * binding (and, with application metrics in listed namespaces, a Role and
 * RoleBinding in each), the collector ConfigMap, the StatefulSet's governing
 * Service, the StatefulSet and its PodDisruptionBudget; with `podHealth`,
 * kube-state-metrics' objects (`kubeStateMetrics`).
 */
export class FargateContainerInsightsCollector extends ContainerInsightsCollectorBase {
  /** The collector configuration file, as the collector reads it. */
  public readonly configYaml: string;

  /** Holds the collector configuration file. */
  public readonly configMap: kplus.ConfigMap;
  /** The StatefulSet's governing Service, on the collector's own metrics port. */
  public readonly service: kplus.Service;
  /** Runs the collector. */
  public readonly statefulSet: kplus.StatefulSet;
  /** The collector container of the StatefulSet's pod template. */
  public readonly container: kplus.Container;
  /**
   * Lets Fargate evict the collector pod for OS patching (one pod at a time),
   * through the Eviction API rather than by deleting it after the deadline.
   */
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;

  public constructor(scope: Construct, id: string, props: FargateContainerInsightsCollectorProps) {
    super(scope, id, props);
    const resolved = this._resolved;
    const { namespaceName, image, resources, replicas, configOptions } = resolved;
    this.configYaml = renderedConfig(configOptions, this._config);
    const environment = collectorEnvironment(resolved);

    const labels = { ...POD_LABELS };
    const metadata = (name: string) => ({ name, namespace: namespaceName, labels });

    this.configMap = new kplus.ConfigMap(this, 'ConfigMap', {
      metadata: { ...metadata(COLLECTOR_NAMES.configMap), labels: { app: 'aws-adot', component: CONFIG_KEY } },
      data: { [CONFIG_KEY]: this.configYaml },
    });
    withoutMutableFlag(this.configMap);

    // The collector's own metrics (received, refused and exported points,
    // exporter errors), for a Prometheus that watches the collector.
    this.service = new kplus.Service(this, 'Service', {
      metadata: metadata(COLLECTOR_NAMES.service),
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: 'metrics', port: TELEMETRY_PORT, targetPort: TELEMETRY_PORT }],
    });
    withoutExternalIps(this.service);
    this.service.selectLabel('component', POD_LABELS.component);

    this.statefulSet = new kplus.StatefulSet(this, 'StatefulSet', {
      metadata: metadata(COLLECTOR_NAMES.statefulSet),
      service: this.service,
      replicas,
      select: false,
      podMetadata: { labels },
      serviceAccount: this.serviceAccount,
      // The scrape authenticates to the API server with this token.
      automountServiceAccountToken: true,
      securityContext: { fsGroup: 65534, user: ADOT_IMAGE_USER, group: ADOT_IMAGE_USER, ensureNonRoot: true },
    });
    this.statefulSet.select(kplus.LabelSelector.of({ labels }));
    // A new configuration changes the pod template, so the StatefulSet rolls.
    annotateConfigChecksum(this.statefulSet, this.configMap);
    annotateFargateSize(this.statefulSet);

    const healthCheck = (options: kplus.HttpGetProbeOptions) =>
      kplus.Probe.fromHttpGet('/', { port: HEALTH_CHECK_PORT, timeoutSeconds: Duration.seconds(5), ...options });

    this.container = this.statefulSet.addContainer({
      name: COLLECTOR_NAMES.container,
      image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['/awscollector', `--config=${CONFIG_FILE}`],
      envVariables: {
        ...Object.fromEntries(
          Object.entries(environment).map(([name, value]) => [name, kplus.EnvValue.fromValue(value)]),
        ),
        // The shard this pod scrapes: its index in the StatefulSet (0, 1, ...).
        ...(replicas > 1
          ? {
              [SHARD_ENV]: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_LABEL, {
                key: POD_INDEX_LABEL,
              }),
            }
          : {}),
      },
      ports: [
        { name: 'health', number: HEALTH_CHECK_PORT },
        { name: 'metrics', number: TELEMETRY_PORT },
      ],
      // The health_check extension answers 200 once the pipeline runs.
      startup: healthCheck({ periodSeconds: Duration.seconds(5), failureThreshold: 24 }),
      readiness: healthCheck({ periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
      liveness: healthCheck({ periodSeconds: Duration.seconds(30), failureThreshold: 3 }),
      resources,
      securityContext: restrictedSecurityContext(ADOT_IMAGE_USER),
    });
    this.container.mount(
      CONFIG_DIR,
      kplus.Volume.fromConfigMap(this, 'ConfigVolume', this.configMap, {
        name: 'adot-collector-config-volume',
        items: { [CONFIG_KEY]: { path: `${CONFIG_KEY}.yaml` } },
      }),
    );
    // The root filesystem is read-only; give the process a writable /tmp.
    this.container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'TmpVolume', 'tmp'));

    // Fargate recycles nodes to patch them, evicting pods through the Eviction
    // API and respecting budgets whose minimum availability is below 100%.
    // One pod down at a time; with one replica the eviction is allowed, and a
    // pod that is not ready can always be evicted.
    this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata: metadata(COLLECTOR_NAMES.podDisruptionBudget),
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: { ...POD_LABELS } },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }

  /**
   * The vCPU and memory Fargate provisions, and bills, for the collector pod:
   * its containers' requests plus 256 MiB, rounded up to Fargate's size table.
   * Also written to the pod template as the
   * `fargate-container-insights/fargate-size` annotation.
   */
  public get fargateSize(): FargatePodSize {
    return fargatePodSizeOf(this.statefulSet);
  }
}
