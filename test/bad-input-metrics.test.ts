import { describe } from 'vitest';
import type { ApplicationMetrics } from '../src/config/application-metrics';
import { Dimension } from '../src/config/catalog/metric-types';
import { MetricProfile } from '../src/config/catalog/profiles';
import { MetricSelection } from '../src/config/metric-selection';
import { MetricsDestination } from '../src/config/metrics-destination';
import {
  type BadInputCase,
  checkBadInput,
  collector,
  ENV,
  env,
  REMOTE_WRITE_URL,
  selection,
  WORKSPACE,
} from './support/bad-input';

/**
 * Bad input to what the collector sends: metrics and dimension sets,
 * application metrics, the metrics destination and the exporter's tags, by
 * props and by variables (test/support/bad-input.ts runs each case).
 */

const CASES: readonly BadInputCase[] = [
  // metrics and dimension sets
  ['no metrics', selection(() => MetricSelection.metrics([])), 'Invalid metrics []: expected at least one metric name'],
  [
    'an unknown metric',
    selection(() => MetricSelection.metrics(['pod_cpu_utilisation'])),
    'Invalid metrics ["pod_cpu_utilisation"]: the pipeline does not produce this metric. Expected names from METRIC_CATALOG:',
  ],
  [
    'a raw cAdvisor family the pipeline consumes but does not produce',
    selection(() => MetricSelection.metrics(['container_memory_working_set_bytes'])),
    'Invalid metrics ["container_memory_working_set_bytes"]: the pipeline does not produce this metric.',
  ],
  [
    'a duplicate metric',
    selection(() => MetricSelection.metrics(['pod_memory_working_set', 'pod_memory_working_set'])),
    'Invalid metrics ["pod_memory_working_set"]: each metric may be listed once.',
  ],
  [
    'an unknown dimension',
    selection(() => MetricSelection.metrics(['pod_cpu_limit'], [[Dimension.CLUSTER_NAME, 'Pod' as Dimension]])),
    'Invalid dimensionSets entry ["ClusterName","Pod"]: expected 1 to 30 distinct dimensions from ClusterName',
  ],
  [
    'a duplicate dimension set',
    selection(() =>
      MetricSelection.metrics(
        ['pod_cpu_limit'],
        [
          [Dimension.CLUSTER_NAME, Dimension.NAMESPACE],
          [Dimension.NAMESPACE, Dimension.CLUSTER_NAME],
        ],
      ),
    ),
    'Invalid dimensionSets: the set [ClusterName,Namespace] is listed more than once',
  ],
  // application metrics
  [
    'an unknown application metrics destination',
    collector({ applicationMetrics: { loki: {} } as unknown as ApplicationMetrics }),
    'Unknown field applicationMetrics.loki: expected one of namespaces, cloudWatch, managedPrometheus.',
  ],
  [
    'application metrics without a destination',
    collector({ applicationMetrics: { namespaces: ['golang'] } }),
    'Invalid applicationMetrics {"namespaces":["golang"]}: expected at least one destination: cloudWatch, managedPrometheus.',
  ],
  [
    'a remote write URL that is not a workspace URL',
    collector({
      applicationMetrics: { managedPrometheus: { remoteWriteUrl: 'https://prometheus.example.com/api/v1/write' } },
    }),
    'Invalid applicationMetrics.managedPrometheus.remoteWriteUrl "https://prometheus.example.com/api/v1/write": expected an Amazon Managed Service for Prometheus remote write URL "https://aps-workspaces.<region>.amazonaws.com/workspaces/ws-<uuid>/api/v1/remote_write".',
  ],
  [
    'a workspace id of the wrong form',
    collector({
      applicationMetrics: { managedPrometheus: { remoteWriteUrl: REMOTE_WRITE_URL.replace(WORKSPACE, 'ws-prod') } },
    }),
    'Invalid applicationMetrics.managedPrometheus.remoteWriteUrl "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-prod/api/v1/remote_write": expected an Amazon Managed Service for Prometheus remote write URL',
  ],
  [
    "a workspace region other than the URL's",
    collector({ applicationMetrics: { managedPrometheus: { remoteWriteUrl: REMOTE_WRITE_URL, region: 'us-east-1' } } }),
    'Invalid applicationMetrics.managedPrometheus.region "us-east-1": expected the region of remoteWriteUrl ("eu-west-1"), where the workspace is and the requests are signed for.',
  ],
  [
    'no application metric declarations',
    collector({ applicationMetrics: { cloudWatch: { declarations: [] } } }),
    'Invalid applicationMetrics.cloudWatch.declarations []: expected at least one declaration',
  ],
  [
    'an empty application metric declaration',
    collector({
      applicationMetrics: { cloudWatch: { declarations: [{ metrics: [], dimensionSets: [['ClusterName']] }] } },
    }),
    'Invalid applicationMetrics.cloudWatch.declarations[0].metrics []: expected at least one metric name.',
  ],
  [
    'an application metric name that is a pattern',
    collector({
      applicationMetrics: {
        cloudWatch: { declarations: [{ metrics: ['http_.*'], dimensionSets: [['ClusterName']] }] },
      },
    }),
    'Invalid applicationMetrics.cloudWatch.declarations[0].metrics entry "http_.*": expected a Prometheus metric name such as "http_requests_total".',
  ],
  [
    'an empty application dimension set',
    collector({ applicationMetrics: { cloudWatch: { declarations: [{ metrics: ['up'], dimensionSets: [[]] }] } } }),
    'Invalid applicationMetrics.cloudWatch.declarations[0].dimensionSets entry []: expected 1 to 30 distinct label names',
  ],
  [
    'a bad application namespace name',
    collector({
      applicationMetrics: { namespaces: ['Shop'], managedPrometheus: { remoteWriteUrl: REMOTE_WRITE_URL } },
    }),
    'Invalid applicationMetrics.namespaces entry "Shop": expected a DNS-1123 label',
  ],
  [
    'an application metric namespace under AWS/',
    collector({
      applicationMetrics: {
        cloudWatch: { declarations: [{ metrics: ['up'], dimensionSets: [['pod']] }], namespace: 'AWS/EKS' },
      },
    }),
    'Invalid applicationMetrics.cloudWatch.namespace "AWS/EKS": expected a CloudWatch metric namespace',
  ],
  [
    'APPLICATION_METRICS with an unknown destination',
    env({ ...ENV, APPLICATION_METRICS: 'cloudWatch,loki' }),
    'Invalid APPLICATION_METRICS "cloudWatch,loki": expected none, or a comma-separated list of destinations: cloudWatch, managedPrometheus (the latter with AMP_REMOTE_WRITE_URL).',
  ],
  [
    'APPLICATION_METRICS in another spelling than the field it sets',
    env({ ...ENV, APPLICATION_METRICS: 'cloudwatch' }),
    'Invalid APPLICATION_METRICS "cloudwatch": expected none, or a comma-separated list of destinations: cloudWatch, managedPrometheus (the latter with AMP_REMOTE_WRITE_URL); did you mean "cloudWatch"?',
  ],
  [
    'managedPrometheus without AMP_REMOTE_WRITE_URL',
    env({ ...ENV, APPLICATION_METRICS: 'managedPrometheus' }),
    'Missing environment variable AMP_REMOTE_WRITE_URL: APPLICATION_METRICS=managedPrometheus sends to Amazon Managed Service for Prometheus',
  ],
  [
    'AMP_REMOTE_WRITE_URL without managedPrometheus',
    env({ ...ENV, SAMPLE_APP: 'true', AMP_REMOTE_WRITE_URL: REMOTE_WRITE_URL }),
    'Invalid AMP_REMOTE_WRITE_URL with APPLICATION_METRICS=cloudWatch: add managedPrometheus to APPLICATION_METRICS, or unset AMP_REMOTE_WRITE_URL.',
  ],
  [
    'AMP_REMOTE_WRITE_URL for a real cluster without the sample or APPLICATION_METRICS',
    env({ ...ENV, AMP_REMOTE_WRITE_URL: REMOTE_WRITE_URL }),
    'Invalid AMP_REMOTE_WRITE_URL with APPLICATION_METRICS unset and no SAMPLE_APP=true: application metrics are off (APPLICATION_METRICS defaults to none without the sample). Set APPLICATION_METRICS to a destination, or unset AMP_REMOTE_WRITE_URL.',
  ],
  [
    'a malformed AMP_REMOTE_WRITE_URL',
    env({ ...ENV, APPLICATION_METRICS: 'managedPrometheus', AMP_REMOTE_WRITE_URL: 'http://localhost:9090' }),
    'Invalid AMP_REMOTE_WRITE_URL "http://localhost:9090": expected an Amazon Managed Service for Prometheus remote write URL',
  ],
  [
    'a bad APPLICATION_METRICS_NAMESPACES entry',
    env({ ...ENV, APPLICATION_METRICS: 'cloudWatch', APPLICATION_METRICS_NAMESPACES: 'golang,Shop' }),
    'Invalid APPLICATION_METRICS_NAMESPACES "Shop": expected a DNS-1123 label',
  ],
  // metrics destination
  [
    'an unknown metrics destination',
    collector({ metricsDestination: 'xray' as MetricsDestination }),
    'Invalid metricsDestination "xray": expected one of emf, otlp, both',
  ],
  [
    'OTLP in a region without the OTLP metrics endpoint',
    collector({ region: 'il-central-1', metricsDestination: MetricsDestination.BOTH }),
    `Invalid metricsDestination "both" in region "il-central-1": CloudWatch's OTLP metrics endpoint is not listed for that region.`,
  ],
  [
    'a metric profile with OTLP alone',
    collector({
      metricsDestination: MetricsDestination.OTLP,
      metricSelection: MetricSelection.profile(MetricProfile.CONSOLE),
    }),
    'Invalid metricSelection with metricsDestination "otlp": it selects the CloudWatch metrics of the Embedded Metric Format path, which "otlp" does not send.',
  ],
  [
    'METRICS_DESTINATION not one of the three',
    env({ ...ENV, METRICS_DESTINATION: 'prometheus' }),
    'Invalid METRICS_DESTINATION "prometheus": expected one of emf, otlp, both',
  ],
  [
    'METRICS_DESTINATION=otlp in a region without the endpoint',
    env({ ...ENV, AWS_REGION: 'me-south-1', METRICS_DESTINATION: 'otlp' }),
    /^Invalid METRICS_DESTINATION "otlp" in region "me-south-1": .* set ALLOW_UNLISTED_REGION=true\.$/,
  ],
  [
    'ALLOW_UNLISTED_REGION not a boolean',
    env({ ...ENV, ALLOW_UNLISTED_REGION: 'yes' }),
    'Invalid ALLOW_UNLISTED_REGION "yes": expected true or false.',
  ],
  [
    'METRIC_PROFILE with METRICS_DESTINATION=otlp',
    env({ ...ENV, METRICS_DESTINATION: 'otlp', METRIC_PROFILE: 'console' }),
    "Invalid METRIC_PROFILE with METRICS_DESTINATION=otlp: it selects the Embedded Metric Format path's CloudWatch metrics, which otlp alone does not send. Set METRICS_DESTINATION=emf or both, or unset METRIC_PROFILE.",
  ],
  // tags as the exporter reads them
  [
    'an empty tags object',
    collector({ performanceLogGroupTags: {} }),
    'Invalid performanceLogGroupTags {}: expected 1 to 50 tags',
  ],
  [
    'a tag key holding ::',
    collector({ performanceLogGroupTags: { 'team::x': 'a' } }),
    'Invalid performanceLogGroupTags key "team::x"',
  ],
  [
    'a tag key named constructor',
    collector({ performanceLogGroupTags: { constructor: 'a' } }),
    'Invalid performanceLogGroupTags key "constructor"',
  ],
  [
    'a tag key named __proto__',
    collector({ performanceLogGroupTags: JSON.parse('{"__proto__": "a"}') }),
    'Invalid performanceLogGroupTags key "__proto__"',
  ],
  [
    'a tag value with a letter newer than Unicode 15.0',
    collector({ performanceLogGroupTags: { team: '\u{2EBF0}' } }),
    'Invalid performanceLogGroupTags.team "\u{2EBF0}"',
  ],
];

describe('bad input to what the collector sends', () => {
  checkBadInput(CASES);
});
