// The package's public API: what a user constructs, passes or catches, and
// nothing else. Every name here is in the jsii assembly (`npx jsii`), so
// the same API can reach Python, Java, .NET and Go. The helpers behind it
// stay in their modules; docs/architecture.md maps them.

export { CollectorMode } from './collector/collector-mode';
export type { FargateContainerInsightsCollectorProps } from './collector/collector-props';
// Constructs and their props.
export { ContainerInsightsCollectorBase } from './collector/container-insights-collector-base';
export { FargateContainerInsightsCollector } from './collector/fargate-container-insights-collector';
export {
  FargateContainerInsightsOperatorCollector,
  type FargateContainerInsightsOperatorCollectorProps,
} from './collector/fargate-container-insights-operator-collector';
export { KubeStateMetrics, type KubeStateMetricsProps } from './collector/kube-state-metrics';
// Versions and the metric choice.
export { OperatorVersion } from './collector/operator-version';
export type { PodHealth, PodHealthAlarms } from './collector/pod-health';
export { AdotVersion } from './config/adot-version';
// Application metrics.
export {
  type ApplicationMetricDeclaration,
  type ApplicationMetrics,
  type ApplicationMetricsCloudWatch,
  ApplicationMetricsDestination,
  type ApplicationMetricsManagedPrometheus,
} from './config/application-metrics';
export { Dimension, type MetricDeclarationSpec } from './config/catalog/metric-types';
// Pod and workload health.
export { PodHealthProfile } from './config/catalog/pod-health-metrics';
export { MetricProfile } from './config/catalog/profiles';
export { KubeStateMetricsVersion } from './config/kube-state-metrics-version';
export { MetricSelection } from './config/metric-selection';
export { MetricsDestination } from './config/metrics-destination';
export { PodNaming } from './config/pod-naming';
// Errors.
export { ValidationError } from './core/errors';
// What the collectors report of themselves.
export type { CollectorSizing, CollectorSizingInput } from './fargate/collector-sizing';
export type { FargatePodSize } from './fargate/fargate-size';
// GitOps.
export { ArgoCdSyncWaves } from './gitops/argo-cd-sync-waves';
// The AWS side.
export { FargateLogging, type FargateLoggingProps } from './logging/fargate-logging';
export type { FluentBitFilter, FluentBitOutput, FluentBitParser } from './logging/fluent-bit';
export {
  type CollectorAlarm,
  type CollectorLogGroup,
  CollectorPrerequisites,
  type CollectorPrerequisitesOptions,
  type CollectorRolePolicy,
} from './prerequisites/collector-prerequisites';
export { SampleGoWebapp, type SampleGoWebappProps } from './sample/sample-go-webapp';
