// The package's one public surface. Each folder holds one concern:
// core (errors, validation, output folders), config (ADOT versions, the metric
// catalog, the collector configuration and its rendering), fargate (pod sizing
// and pod templates), collector, logging, prerequisites, sample, and fleet
// (clusters files, fleet synthesis, GitOps).
export * from './collector/collector-construct';
export * from './collector/collector-props';
export * from './collector/fargate-container-insights-collector';
export * from './collector/fargate-container-insights-operator-collector';
export * from './collector/operator-version';
export * from './config/adot-version';
export * from './config/application-metrics';
export * from './config/collector-config';
export * from './config/cost-estimate';
export * from './config/metric-catalog';
export * from './config/metric-selection';
export * from './config/otlp';
export * from './config/render';
export * from './core/errors';
export * from './core/validation';
export * from './fargate/collector-sizing';
export * from './fargate/fargate-size';
export * from './fargate/pod-template';
export * from './fleet/fleet';
export * from './fleet/fleet-spec';
export * from './fleet/gitops';
export * from './logging/fargate-logging';
export * from './logging/fluent-bit';
export * from './prerequisites/prerequisites';
export * from './sample/sample-go-webapp';
