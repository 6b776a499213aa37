// The main package's internals that the workspace's own packages use (the command-line
// tool and the AWS companion): `cdk8s-fargate-container-insights/internal`. Not the public
// API: no semantic-versioning promise, and the packages that import it pin this package's
// exact version. Every name here is one a sibling package imports (test/architecture.test.ts).

export {
  DEFAULT_COLLECTOR_NAMESPACE,
  DEFAULT_EXPECTED_PODS,
  DEFAULT_FARGATE_NODES_ONLY,
  DEFAULT_PERFORMANCE_LOG_RETENTION_DAYS,
  DEFAULT_REPLICAS,
  DEFAULT_SCRAPE_INTERVAL,
  resolveCollectorProps,
} from './collector/collector-common';
export { COLLECTOR_MODES } from './collector/collector-mode';
export { OPERATOR_V1BETA1_MINIMUM, RELEASE_TAG } from './collector/operator-version';
export type { PodHealthSettings } from './collector/pod-health';
export {
  DEFAULT_POD_HEALTH_ALARMS,
  MAX_ALARM_MINUTES,
  MAX_ALARM_RESTARTS,
  podHealthFromSettings,
} from './collector/pod-health';
export { COLLECTOR_SETTING_RULES } from './collector/setting-rules';
export {
  APPLICATION_METRICS_DESTINATIONS,
  DEFAULT_APPLICATION_LOG_GROUP,
  DEFAULT_APPLICATION_METRIC_NAMESPACE,
  LABEL_NAME,
  METRIC_NAME,
  parseRemoteWriteUrl,
  resolveApplicationMetrics,
  SAMPLE_GO_WEBAPP_DECLARATIONS,
} from './config/application-metrics';
export { POD_HEALTH_PROFILES } from './config/catalog/pod-health-metrics';
export { DEFAULT_METRIC_PROFILE, METRIC_PROFILES } from './config/catalog/profiles';
export { EMF_UNITS } from './config/components/awsemf-exporter';
export { lintCollectorConfig, unescapedDollars } from './config/config-lint';
export {
  defaultExpectedNamespaces,
  defaultExpectedServices,
  defaultExpectedWorkloads,
  regionsInWords,
} from './config/cost-estimate';
export {
  DEFAULT_METRICS_DESTINATION,
  EMF_DESTINATIONS,
  METRICS_DESTINATIONS,
} from './config/metrics-destination';
export type { CostLine } from './config/pipelines/pipeline';
export { pricesNote } from './core/aws-prices';
export { nearestName } from './core/edit-distance';
export { invalidInput, showValue } from './core/errors';
export { orderNamespacesFirst } from './core/namespace-order';
export { inWords, plural } from './core/plural';
export type { InputNames, RuleProblem, SettingRule } from './core/setting-rules';
export { DEFAULT_ALLOW_UNLISTED_REGION, ruleProblems } from './core/setting-rules';
export { keysOf, refuseUnknownFields, unknownFieldMessage } from './core/unknown-fields';
export {
  EMF_LOG_RETENTION_DAYS,
  MAX_DIMENSIONS,
  PATTERNS,
  validateClusterName,
  validateDnsLabel,
  validateInteger,
  validateLogGroupTags,
  validateRegion,
  validateRoleArn,
} from './core/validation';
export type { ClusterBill } from './cost/cluster-bill';
export {
  accountOf,
  estimateCluster,
  fargateLoggingCost,
  sampleCost,
  sampleScrapedPods,
  sumOfLines,
} from './cost/cluster-bill';
export { fleetLines } from './cost/fleet-bill';
export { MAX_EXPECTED_PODS, MAX_NODES_PER_REPLICA, MAX_REPLICAS } from './fargate/collector-sizing';
export { applicationLogGroupName, LOG_RETENTION_DAYS } from './logging/fargate-logging';
export { AWS_PACKAGE, companionInstalled } from './prerequisites/aws-template';
export type { DashboardWidgetJson } from './prerequisites/dashboard-body';
export { FLEET_DASHBOARD_NAME } from './prerequisites/fleet-dashboard';
export type { ClusterPrerequisites } from './prerequisites/prerequisites';
export {
  clusterPrerequisites,
  OIDC_ISSUER,
  OIDC_ISSUER_FORM,
  OIDC_ISSUER_RULE,
  PREREQUISITE_FILES,
} from './prerequisites/prerequisites';
export { DEFAULT_SAMPLE_FARGATE_SIZE, DEFAULT_SAMPLE_REPLICAS } from './sample/sample-go-webapp';
