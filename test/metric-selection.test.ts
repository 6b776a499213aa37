import { describe, expect, test } from 'vitest';
import {
  DEFAULT_DIMENSION_SETS,
  DEFAULT_METRICS,
  METRIC_CATALOG,
  ValidationError,
  validateMetricSelection,
} from '../src';

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
      ['pod_cpu_utilization'],
      [['ClusterName']],
      /^Invalid metrics \["pod_cpu_utilization"\]: the pipeline does not produce this metric\. Expected names from METRIC_CATALOG: .*pod_cpu_utilization_over_pod_limit/,
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
      'Invalid dimensionSets entry []: expected 1 to 30 distinct dimensions from ClusterName, LaunchType, Namespace, NodeName, PodName.',
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
