import { describe, expect, test } from 'vitest';
import { Dimension } from '../src/config/catalog/metric-types';
import {
  DEFAULT_DIMENSION_SETS,
  DEFAULT_METRICS,
  MetricProfile,
  PROFILE_DECLARATIONS,
} from '../src/config/catalog/profiles';
import { METRIC_CATALOG } from '../src/config/metric-catalog';
import { MetricSelection, validateMetricSelection } from '../src/config/metric-selection';
import { ValidationError } from '../src/core/errors';

describe('validateMetricSelection', () => {
  test('accepts the defaults and any catalog metric', () => {
    expect(() => validateMetricSelection(DEFAULT_METRICS, DEFAULT_DIMENSION_SETS)).not.toThrow();
    expect(() =>
      validateMetricSelection(
        METRIC_CATALOG.map((m) => m.name),
        [['ClusterName']],
      ),
    ).not.toThrow();
  });

  test.each<[string, string[], string[][], string | RegExp]>([
    ['no metrics', [], [['ClusterName']], 'Invalid metrics []: expected at least one metric name from METRIC_CATALOG.'],
    [
      'an unknown metric',
      ['pod_cpu_usage'],
      [['ClusterName']],
      /^Invalid metrics \["pod_cpu_usage"\]: the pipeline does not produce this metric\. Expected names from METRIC_CATALOG: .*pod_cpu_utilization_over_pod_limit/,
    ],
    [
      'a Container Insights metric that cannot be produced on Fargate, with the reason',
      ['pod_cpu_utilization'],
      [['ClusterName']],
      /^Invalid metrics entry "pod_cpu_utilization": the pipeline cannot produce this Container Insights metric on Fargate: it is defined against the node's capacity, and a Fargate node's capacity is unrelated to the pod's Fargate size/,
    ],
    [
      'a Container Insights count that comes from the Kubernetes API',
      ['pod_number_of_container_restarts'],
      [['ClusterName']],
      'Invalid metrics entry "pod_number_of_container_restarts": the pipeline cannot produce this Container Insights metric on Fargate: restart counts are in the pod status',
    ],
    [
      'the Service dimension',
      ['pod_cpu_limit'],
      [['Service', 'Namespace', 'ClusterName']],
      'Invalid dimensionSets entry ["Service","Namespace","ClusterName"]: the pipeline cannot set the dimension Service on Fargate',
    ],
    [
      'the InstanceId dimension',
      ['node_cpu_utilization'],
      [['NodeName', 'ClusterName', 'InstanceId']],
      'cannot set the dimension InstanceId on Fargate: Fargate nodes are not EC2 instances.',
    ],
    [
      'a pod dimension on a node metric',
      ['pod_cpu_limit', 'node_cpu_utilization'],
      [['ClusterName'], ['PodName', 'ClusterName']],
      'Invalid dimensionSets entry ["PodName","ClusterName"] for metrics entry "node_cpu_utilization": node metrics carry only ClusterName, LaunchType, NodeName, not PodName.',
    ],
    [
      'a raw cAdvisor family',
      ['container_memory_working_set_bytes'],
      [['ClusterName']],
      'Invalid metrics ["container_memory_working_set_bytes"]',
    ],
    [
      'a pipeline-internal name',
      ['new_container_cpu_request'],
      [['ClusterName']],
      'Invalid metrics ["new_container_cpu_request"]',
    ],
    [
      'a duplicate metric',
      ['pod_cpu_limit', 'pod_cpu_limit'],
      [['ClusterName']],
      'Invalid metrics ["pod_cpu_limit"]: each metric may be listed once.',
    ],
    ['no dimension sets', ['pod_cpu_limit'], [], 'Invalid dimensionSets []: expected at least one set of dimensions.'],
    [
      'an empty dimension set',
      ['pod_cpu_limit'],
      [[]],
      'Invalid dimensionSets entry []: expected 1 to 30 distinct dimensions from ClusterName, LaunchType, Namespace, NodeName, PodName, FullPodName.',
    ],
    [
      'an unknown dimension',
      ['pod_cpu_limit'],
      [['ClusterName', 'Pod']],
      'Invalid dimensionSets entry ["ClusterName","Pod"]',
    ],
    [
      'a repeated dimension',
      ['pod_cpu_limit'],
      [['ClusterName', 'ClusterName']],
      'Invalid dimensionSets entry ["ClusterName","ClusterName"]',
    ],
    [
      'a repeated set',
      ['pod_cpu_limit'],
      [
        ['ClusterName', 'Namespace'],
        ['Namespace', 'ClusterName'],
      ],
      'Invalid dimensionSets: the set [ClusterName,Namespace] is listed more than once',
    ],
  ])('rejects %s', (_, metrics, sets, message) => {
    expect(() => validateMetricSelection(metrics, sets)).toThrow(ValidationError);
    expect(() => validateMetricSelection(metrics, sets)).toThrow(message);
  });
});

describe('MetricSelection', () => {
  test('the reference profile by default; console adds to it', () => {
    expect(MetricSelection.DEFAULT.metricDeclarations).toStrictEqual(PROFILE_DECLARATIONS[MetricProfile.REFERENCE]);
    expect(MetricSelection.profile(MetricProfile.CONSOLE).metricDeclarations).toStrictEqual(
      PROFILE_DECLARATIONS[MetricProfile.CONSOLE],
    );
    expect(MetricSelection.profile(MetricProfile.CONSOLE).metricProfile).toBe(MetricProfile.CONSOLE);
  });

  test('metrics make one declaration, in the reference dimension sets unless given', () => {
    expect(MetricSelection.metrics(['pod_cpu_limit']).metricDeclarations).toStrictEqual([
      { metrics: ['pod_cpu_limit'], dimensionSets: DEFAULT_DIMENSION_SETS },
    ]);
    expect(MetricSelection.metrics([...DEFAULT_METRICS], [[Dimension.CLUSTER_NAME]]).metricDeclarations).toStrictEqual([
      { metrics: DEFAULT_METRICS, dimensionSets: [[Dimension.CLUSTER_NAME]] },
    ]);
    expect(MetricSelection.metrics(['pod_cpu_limit']).metricProfile).toBeUndefined();
  });

  test('a selection keeps its own copy: changing the arrays it was made from changes nothing', () => {
    const metrics = ['pod_cpu_limit'];
    const selection = MetricSelection.metrics(metrics);
    metrics.push('pod_memory_limit');
    expect(selection.metricDeclarations[0]?.metrics).toStrictEqual(['pod_cpu_limit']);
  });

  test.each<[string, () => MetricSelection, string]>([
    [
      'an unknown profile',
      () => MetricSelection.profile('full' as MetricProfile),
      'Invalid metricProfile "full": expected one of reference, console.',
    ],
    [
      'no declarations',
      () => MetricSelection.declarations([]),
      'Invalid metricDeclarations []: expected at least one declaration of metrics and dimensionSets.',
    ],
    [
      'a bad declaration, by its index',
      () =>
        MetricSelection.declarations([
          { metrics: ['pod_cpu_limit'], dimensionSets: [[Dimension.CLUSTER_NAME]] },
          { metrics: [], dimensionSets: [] },
        ]),
      'Invalid metricDeclarations[1].metrics []',
    ],
    [
      'a metric declared twice in one set',
      () =>
        MetricSelection.declarations([
          { metrics: ['pod_cpu_limit'], dimensionSets: [[Dimension.CLUSTER_NAME, Dimension.NAMESPACE]] },
          {
            metrics: ['pod_memory_limit', 'pod_cpu_limit'],
            dimensionSets: [[Dimension.NAMESPACE, Dimension.CLUSTER_NAME]],
          },
        ]),
      'Invalid metricDeclarations[1]: pod_cpu_limit [ClusterName,Namespace] is already declared in metricDeclarations[0]',
    ],
  ])('rejects %s', (_, make, message) => {
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(message);
  });
});
