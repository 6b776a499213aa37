import { KubeStateMetricsVersion } from 'cdk8s-fargate-container-insights';
import {
  APPLICATION_METRICS_DESTINATIONS,
  DEFAULT_APPLICATION_LOG_GROUP,
  DEFAULT_APPLICATION_METRIC_NAMESPACE,
  DEFAULT_POD_HEALTH_ALARMS,
  EMF_UNITS,
  LABEL_NAME,
  MAX_ALARM_MINUTES,
  MAX_ALARM_RESTARTS,
  MAX_DIMENSIONS,
  METRIC_NAME,
  PATTERNS,
  POD_HEALTH_PROFILES,
} from 'cdk8s-fargate-container-insights/internal';

/** The JSON schemas of the clusters file's structured fields: application metrics and pod health. */

/** The JSON schema of `applicationMetrics`: as much of its validation as a schema can say. */
export function applicationMetricsSchema(): Readonly<Record<string, unknown>> {
  const labels = {
    type: 'array',
    minItems: 1,
    maxItems: MAX_DIMENSIONS,
    uniqueItems: true,
    items: { type: 'string', pattern: LABEL_NAME.source },
  };
  return {
    additionalProperties: false,
    anyOf: APPLICATION_METRICS_DESTINATIONS.map((destination) => ({ required: [destination] })),
    properties: {
      namespaces: {
        description:
          'Namespaces whose annotated pods are scraped, each with a Role. Default: every namespace, with a ClusterRole.',
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', pattern: PATTERNS.dnsLabel.source },
      },
      cloudWatch: {
        description: 'Send the declared metrics to CloudWatch as Embedded Metric Format.',
        type: 'object',
        additionalProperties: false,
        required: ['declarations'],
        properties: {
          declarations: {
            description: 'Which metrics become CloudWatch metrics, each with its dimension sets.',
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['metrics', 'dimensionSets'],
              properties: {
                metrics: {
                  type: 'array',
                  minItems: 1,
                  items: { type: 'string', pattern: METRIC_NAME.source },
                },
                dimensionSets: { type: 'array', minItems: 1, items: labels },
                units: {
                  description:
                    "CloudWatch units by metric name. Default: the name's unit suffix (_seconds, _bytes, _total).",
                  type: 'object',
                  propertyNames: { pattern: METRIC_NAME.source },
                  additionalProperties: { enum: EMF_UNITS },
                },
              },
            },
          },
          logGroupName: { description: `Log group. Default: ${DEFAULT_APPLICATION_LOG_GROUP}.`, type: 'string' },
          namespace: {
            description: `Metric namespace. Default: ${DEFAULT_APPLICATION_METRIC_NAMESPACE}.`,
            type: 'string',
          },
        },
      },
      managedPrometheus: {
        description: 'Send every scraped metric to an Amazon Managed Service for Prometheus workspace.',
        type: 'object',
        additionalProperties: false,
        required: ['remoteWriteUrl'],
        properties: {
          remoteWriteUrl: { description: "The workspace's remote write URL.", type: 'string' },
          region: { description: 'Region of the workspace. Default: the one in remoteWriteUrl.', type: 'string' },
        },
      },
    },
  };
}

/** The JSON schema of `podHealth`. */
export function podHealthSchema(): Readonly<Record<string, unknown>> {
  const minutes = (what: string, key: keyof typeof DEFAULT_POD_HEALTH_ALARMS) => ({
    description: `${what} Default: ${DEFAULT_POD_HEALTH_ALARMS[key]}.`,
    type: 'integer',
    minimum: 1,
    maximum: MAX_ALARM_MINUTES,
  });
  return {
    additionalProperties: false,
    properties: {
      profile: {
        description:
          'full: per pod, namespace, service, workload and cluster; cluster: per namespace and cluster only. Default: full.',
        enum: POD_HEALTH_PROFILES,
      },
      kubeStateMetricsVersion: {
        description: `kube-state-metrics release. Default: ${KubeStateMetricsVersion.DEFAULT.tag}.`,
        enum: KubeStateMetricsVersion.SUPPORTED,
      },
      alarms: {
        description: 'The recommended CloudWatch alarms, in the prerequisites.',
        type: 'object',
        additionalProperties: false,
        properties: {
          enabled: { description: 'Create the alarms. Default: true.', type: 'boolean' },
          restarts: {
            description: `Container restarts in the cluster within restartMinutes that raise the alarm. Default: ${DEFAULT_POD_HEALTH_ALARMS.restarts}.`,
            type: 'integer',
            minimum: 1,
            maximum: MAX_ALARM_RESTARTS,
          },
          restartMinutes: minutes('The window restarts are counted over, in minutes.', 'restartMinutes'),
          pendingMinutes: minutes('Minutes a pod may stay pending.', 'pendingMinutes'),
          unavailableMinutes: minutes('Minutes replicas may stay unavailable.', 'unavailableMinutes'),
          silentMinutes: minutes('Minutes without data from the collector.', 'silentMinutes'),
        },
      },
    },
  };
}
