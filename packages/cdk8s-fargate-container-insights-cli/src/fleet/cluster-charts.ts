import { type App, Chart } from 'cdk8s';
import type { FargateContainerInsightsCollectorProps } from 'cdk8s-fargate-container-insights';
import {
  AdotVersion,
  ArgoCdSyncWaves,
  CollectorMode,
  FargateContainerInsightsCollector,
  FargateContainerInsightsOperatorCollector,
  FargateLogging,
  MetricSelection,
  OperatorVersion,
  PodNaming,
  SampleGoWebapp,
} from 'cdk8s-fargate-container-insights';
import {
  type ClusterPrerequisites,
  clusterPrerequisites,
  orderNamespacesFirst,
  podHealthFromSettings,
} from 'cdk8s-fargate-container-insights/internal';
import { type FleetCluster, resolveCluster } from './cluster-settings';

/**
 * One cluster's constructs from its settings: each setting to its prop, the
 * charts of the collector (in its mode), the sample application and Fargate
 * logging, and the prerequisites of what was built. The fleet and this
 * repository's app build every cluster through here, so a fleet's cluster
 * folder holds what a single-cluster synth writes.
 */

/** The chart (and file) names of one cluster's output. */
const CLUSTER_CHARTS = {
  /** The collector's chart. */
  collector: 'fargate-container-insights',
  /** The sample application's chart. */
  sampleApp: 'sample-go-webapp',
  /** The Fargate logging chart. */
  logging: 'fargate-logging',
} as const;

/** The constructs of one cluster, as {@link addClusterCharts} creates them. */
export interface ClusterConstructs {
  /** The collector, in the cluster's mode. */
  readonly collector: FargateContainerInsightsCollector | FargateContainerInsightsOperatorCollector;
  /** The sample application, with `sampleApp`. */
  readonly sampleApp?: SampleGoWebapp;
  /** The Fargate logging, with `fargateLogging`. */
  readonly logging?: FargateLogging;
}

/**
 * Adds one cluster's charts to an app: the collector (as manifests, or as an
 * operator custom resource with `collectorMode: 'operator'`) and, with `sampleApp`,
 * the sample web application; with `fargateLogging`, Fargate's log router
 * configuration. This repository's single-cluster app uses it too, so a
 * fleet's cluster folder holds what a single-cluster synth writes.
 */
export function addClusterCharts(app: App, cluster: FleetCluster): ClusterConstructs {
  const resolved = resolveCluster(cluster);
  const props = clusterProps(cluster);
  const chart = new Chart(app, CLUSTER_CHARTS.collector);
  const collector =
    resolved.collectorMode === CollectorMode.OPERATOR
      ? new FargateContainerInsightsOperatorCollector(chart, 'Collector', {
          ...props,
          operatorVersion: OperatorVersion.of(resolved.operatorVersion),
        })
      : new FargateContainerInsightsCollector(chart, 'Collector', props);
  const sampleApp = resolved.sampleApp
    ? new SampleGoWebapp(new Chart(app, CLUSTER_CHARTS.sampleApp), 'Webapp')
    : undefined;
  const logging = resolved.fargateLogging
    ? new FargateLogging(new Chart(app, CLUSTER_CHARTS.logging), 'Logging', {
        clusterName: resolved.name,
        region: resolved.region,
        logRetentionDays: resolved.logRetentionDays,
        allowUnlistedRegion: resolved.allowUnlistedRegion,
      })
    : undefined;
  ArgoCdSyncWaves.addTo(app);
  orderNamespacesFirst(app);
  return { collector, ...(sampleApp ? { sampleApp } : {}), ...(logging ? { logging } : {}) };
}

/**
 * The collector props of a cluster's settings, each setting to its prop.
 * A metric profile is passed only when set: with OTLP alone the collector
 * refuses any metric selection.
 */
export function clusterProps(cluster: FleetCluster): FargateContainerInsightsCollectorProps {
  const resolved = resolveCluster(cluster);
  return {
    clusterName: resolved.name,
    region: resolved.region,
    serviceAccountRoleArn: resolved.serviceAccountRoleArn,
    adotVersion: AdotVersion.of(resolved.adotVersion),
    namespace: resolved.namespace,
    replicas: resolved.replicas,
    fargateNodesOnly: resolved.fargateNodesOnly,
    metricSelection: cluster.metricProfile === undefined ? undefined : MetricSelection.profile(cluster.metricProfile),
    ...(cluster.podNaming === undefined ? {} : { podNaming: PodNaming.of(cluster.podNaming) }),
    expectedPods: resolved.expectedPods,
    performanceLogRetentionDays: resolved.performanceLogRetentionDays,
    performanceLogGroupTags: resolved.performanceLogGroupTags,
    applicationMetrics: resolved.applicationMetrics,
    metricsDestination: resolved.metricsDestination,
    allowUnlistedRegion: resolved.allowUnlistedRegion,
    ...(resolved.podHealth === undefined ? {} : { podHealth: podHealthFromSettings('podHealth', resolved.podHealth) }),
  };
}

/** The prerequisites of a cluster built by {@link addClusterCharts}. */
export function prerequisitesOf(constructs: ClusterConstructs, cluster: FleetCluster): ClusterPrerequisites {
  return clusterPrerequisites({
    collector: constructs.collector,
    workloadNamespaces: constructs.sampleApp ? [constructs.sampleApp.namespace.name] : [],
    ...(constructs.logging ? { logging: constructs.logging } : {}),
    ...(cluster.oidcIssuer === undefined ? {} : { oidcIssuer: cluster.oidcIssuer }),
    ...(constructs.collector instanceof FargateContainerInsightsOperatorCollector ? { operatorMode: true } : {}),
  });
}
