/** How the collector is deployed. */
export enum CollectorMode {
  /** A StatefulSet and its ConfigMap, Service and RBAC: `FargateContainerInsightsCollector`. The default. */
  MANIFESTS = 'manifests',
  /** An `OpenTelemetryCollector` for the OpenTelemetry Operator: `FargateContainerInsightsOperatorCollector`. */
  OPERATOR = 'operator',
}

/** Every collector mode. */
export const COLLECTOR_MODES: readonly CollectorMode[] = Object.values(CollectorMode);
