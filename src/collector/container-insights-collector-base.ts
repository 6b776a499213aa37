import type * as kplus from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import type { AdotVersion } from '../config/adot-version';
import { type ApplicationMetricsConfigOptions, withClusterName } from '../config/application-metrics';
import type { MetricDeclarationSpec } from '../config/catalog/metric-types';
import type { PodHealthProfile } from '../config/catalog/pod-health-metrics';
import type { CollectorConfig } from '../config/config-model';
import { declaredMetrics } from '../config/metric-selection';
import type { MetricsDestination } from '../config/metrics-destination';
import { performanceLogGroupName } from '../config/pipelines/emf-pipeline';
import type { CollectorConfigOptions } from '../config/pipelines/pipeline';
import { claimNamespace, claimObjects } from '../core/namespace-claims';
import { orderNamespacesFirst } from '../core/namespace-order';
import type { CollectorSizing } from '../fargate/collector-sizing';
import {
  COLLECTOR_NAMES,
  collectorConfigOf,
  createCollectorIdentity,
  destinationOf,
  namespacedRoleKeys,
  type ResolvedCollectorProps,
  resolveCollectorProps,
} from './collector-common';
import { COLLECTOR_PROP_NAMES, type FargateContainerInsightsCollectorProps } from './collector-props';
import { KUBE_STATE_METRICS_NAMES, KubeStateMetrics } from './kube-state-metrics';
import type { ResolvedPodHealthAlarms } from './pod-health';

/**
 * What both ways of running the Container Insights collector have: validated
 * props, the collector configuration, and the namespace, IRSA service account
 * and least-privilege RBAC. {@link FargateContainerInsightsCollector} adds the
 * StatefulSet and its ConfigMap, Service and PodDisruptionBudget;
 * {@link FargateContainerInsightsOperatorCollector} adds an
 * `OpenTelemetryCollector` for the OpenTelemetry Operator.
 */
export abstract class ContainerInsightsCollectorBase extends Construct {
  /** The EKS cluster's name, as validated. */
  public readonly clusterName: string;
  /** The AWS region the metrics go to. */
  public readonly region: string;
  /** The IRSA role of the collector's service account. */
  public readonly serviceAccountRoleArn: string;
  /** The ADOT release the configuration is written for. */
  public readonly adotVersion: AdotVersion;
  /** The metrics sent to CloudWatch as metrics, each once. */
  public readonly metrics: string[];
  /** The metrics sent to CloudWatch with their dimension sets, one entry per awsemf metric declaration. */
  public readonly metricDeclarations: MetricDeclarationSpec[];
  /**
   * The options the configuration is built from: what the prerequisites
   * ask each pipeline's IAM needs of.
   *
   * @internal
   */
  public readonly _configOptions: CollectorConfigOptions;
  /**
   * The collector configuration, as an object: the model the YAML is
   * rendered from, its field names the collector's own keys.
   *
   * @internal
   */
  public readonly _config: CollectorConfig;
  /**
   * The collector's sizing for `expectedPods`, `replicas` and
   * `scrapeInterval`: its resources (unless `resources` was given), their
   * Fargate size and price, and the replicas it recommends.
   */
  public readonly sizing: CollectorSizing;
  /** Where the Container Insights metrics go: `emf`, `otlp` or `both`. */
  public readonly metricsDestination: MetricsDestination;
  /** The log group the collector writes its Embedded Metric Format events to (with `emf` or `both`). */
  public readonly performanceLogGroupName: string;
  /** Its retention in days, set when the collector creates it; 0: never expire. */
  public readonly performanceLogRetentionDays: number;
  /** Its tags, set when the collector creates it. */
  public readonly performanceLogGroupTags: Readonly<Record<string, string>>;
  /** The namespace the collector runs in. */
  public readonly namespace: kplus.Namespace;
  /** The collector's service account, annotated with the IRSA role. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** What the collector may read through the Kubernetes API. */
  public readonly clusterRole: kplus.ClusterRole;
  /** Binds `clusterRole` to `serviceAccount`. */
  public readonly clusterRoleBinding: kplus.ClusterRoleBinding;
  /**
   * With application metrics in listed namespaces: the Role in each that lets
   * the collector discover its pods (each bound to `serviceAccount`).
   */
  public readonly applicationRoles: kplus.Role[];
  /**
   * The application metrics, validated, with their defaults; the CloudWatch
   * log group with the cluster's name filled in.
   *
   * @internal
   */
  public readonly _applicationMetrics?: ApplicationMetricsConfigOptions;
  /**
   * With pod health: kube-state-metrics, its service account, RBAC,
   * Deployment and Service, in the collector's namespace.
   */
  public readonly kubeStateMetrics?: KubeStateMetrics;
  /** With pod health: which of its metrics are sent. */
  public readonly podHealthProfile?: PodHealthProfile;
  /**
   * With pod health and the EMF path: the recommended alarms' thresholds,
   * unless turned off.
   *
   * @internal
   */
  public readonly _podHealthAlarms?: ResolvedPodHealthAlarms;

  /**
   * The props, validated, with their defaults.
   *
   * @internal
   */
  protected readonly _resolved: ResolvedCollectorProps;

  /**
   * Validates every prop before creating any object, then creates the
   * namespace, service account and RBAC.
   *
   * @param propNames every prop the collector takes (a subclass adds its own); any other is refused by name
   */
  protected constructor(
    scope: Construct,
    id: string,
    props: FargateContainerInsightsCollectorProps,
    propNames: string[] = [...COLLECTOR_PROP_NAMES],
  ) {
    super(scope, id);
    const resolved = resolveCollectorProps(props, propNames);
    this._resolved = resolved;
    this.clusterName = resolved.clusterName;
    this.region = resolved.region;
    this.serviceAccountRoleArn = resolved.roleArn;
    this.adotVersion = resolved.adotVersion;
    this.metricDeclarations = resolved.configOptions.declarations.map((d) => ({
      metrics: [...d.metrics],
      dimensionSets: d.dimensionSets.map((set) => [...set]),
    }));
    this.metrics = [...declaredMetrics(this.metricDeclarations)];
    this.sizing = resolved.sizing;
    this.metricsDestination = destinationOf(resolved);
    this.performanceLogGroupName = performanceLogGroupName(resolved.clusterName);
    this._configOptions = resolved.configOptions;
    this.performanceLogRetentionDays = resolved.configOptions.logRetentionDays;
    this.performanceLogGroupTags = resolved.configOptions.logGroupTags;
    claimNamespace(this, 'namespace', resolved.namespaceName);
    claimObjects(
      this,
      `second collector (namespace ${JSON.stringify(resolved.namespaceName)})`,
      [
        `ClusterRole/${COLLECTOR_NAMES.clusterRole}`,
        `ClusterRoleBinding/${COLLECTOR_NAMES.clusterRoleBinding}`,
        ...namespacedRoleKeys(resolved.configOptions),
        ...(props.podHealth === undefined
          ? []
          : [
              `ClusterRole/${KUBE_STATE_METRICS_NAMES.clusterRole}`,
              `ClusterRoleBinding/${KUBE_STATE_METRICS_NAMES.clusterRole}`,
            ]),
      ],
      'one collector per app, that is per cluster: each collector scrapes every node, and a second would take the ClusterRoleBinding of the first, which then loses nodes/proxy',
    );
    // The application metrics' Roles are in namespaces another chart may create (the sample
    // application's): that chart's file must come first. Ordered when the app is synthesized,
    // once every chart exists (App.synth validates before it orders the charts).
    this.node.addValidation({
      validate: () => {
        orderNamespacesFirst(this.node.root);
        return [];
      },
    });
    this._config = collectorConfigOf(resolved.configOptions);
    ({
      namespace: this.namespace,
      serviceAccount: this.serviceAccount,
      clusterRole: this.clusterRole,
      clusterRoleBinding: this.clusterRoleBinding,
      applicationRoles: this.applicationRoles,
    } = createCollectorIdentity(this, resolved));
    if (resolved.podHealth !== undefined) {
      this.podHealthProfile = resolved.podHealth.profile;
      if (resolved.podHealth.alarms !== undefined) this._podHealthAlarms = resolved.podHealth.alarms;
      this.kubeStateMetrics = new KubeStateMetrics(this, 'KubeStateMetrics', {
        namespace: resolved.namespaceName,
        podHealth: props.podHealth,
      });
    }
    const app = resolved.configOptions.applicationMetrics;
    if (app) {
      this._applicationMetrics = app.cloudWatch
        ? {
            ...app,
            cloudWatch: {
              ...app.cloudWatch,
              logGroupName: withClusterName(app.cloudWatch.logGroupName, resolved.clusterName),
            },
          }
        : app;
    }
  }
}
