import type { MetricDefinition } from './metric-types';

/** The metrics computed from others by metricsgeneration: utilizations, totals, the greater of two. */

/** Shares the kubelet gives a cgroup per CPU core of request (`MilliCPUToShares`: shares = millicores × 1024 / 1000). */
const SHARES_PER_CORE = 1024;

/**
 * Metrics computed from other metrics. Names that Container Insights also
 * uses follow its definitions in the CloudWatch user guide, "Amazon EKS and
 * Kubernetes Container Insights metrics"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-EKS.html).
 */
export const GENERATED: readonly MetricDefinition[] = [
  {
    name: 'pod_network_total_bytes',
    scope: 'pod',
    unit: 'Bytes/Second',
    description: 'Bytes received and transmitted, per second',
    source: { kind: 'calculate', metric1: 'pod_network_rx_bytes', metric2: 'pod_network_tx_bytes', operation: 'add' },
  },
  {
    name: 'pod_memory_utilization_over_pod_limit',
    scope: 'pod',
    unit: 'Percent',
    description:
      'Working set memory as a percentage of the pod memory limit (absent without one: cAdvisor does not report memory requests)',
    source: { kind: 'calculate', metric1: 'pod_memory_working_set', metric2: 'pod_memory_limit', operation: 'percent' },
  },
  {
    name: 'pod_cpu_usage_total',
    scope: 'pod',
    unit: 'Millicore',
    description: "CPU usage in millicores (cores x 1000), summed over the pod's containers",
    source: { kind: 'scale', metric1: 'pod_cpu_usage_seconds_total', operation: 'multiply', scaleBy: 1000 },
  },
  {
    name: 'pod_cpu_limit',
    scope: 'pod',
    unit: 'Millicore',
    description: 'CPU limit in millicores (CFS quota per 100 ms period / 100; absent unless every container has one)',
    source: { kind: 'scale', metric1: 'pod_cpu_limit_raw', operation: 'divide', scaleBy: 100 },
  },
  {
    name: 'pod_cpu_request',
    scope: 'pod',
    unit: 'Millicore',
    description:
      'CPU request in millicores (CPU shares x 1000 / 1024; exact on cgroup v1, within the rounding of cpu.weight on cgroup v2; absent without a request)',
    source: { kind: 'scale', metric1: 'pod_cpu_request_raw', operation: 'multiply', scaleBy: 1000 / SHARES_PER_CORE },
  },
  {
    name: 'pod_cpu_limit_or_request',
    scope: 'pod',
    unit: 'Millicore',
    description:
      'The pod CPU limit, or its CPU request when it has no limit (a limit is never below the request, so this is the greater of the two)',
    source: { kind: 'greatest', metric1: 'pod_cpu_limit', metric2: 'pod_cpu_request' },
  },
  {
    name: 'pod_cpu_utilization_over_pod_limit',
    scope: 'pod',
    unit: 'Percent',
    description:
      'CPU usage as a percentage of the pod CPU limit or, for a pod without a CPU limit, of its CPU request (absent with neither)',
    source: {
      kind: 'calculate',
      metric1: 'pod_cpu_usage_total',
      metric2: 'pod_cpu_limit_or_request',
      operation: 'percent',
    },
  },
  {
    name: 'node_cpu_usage_total',
    scope: 'node',
    unit: 'Millicore',
    description: 'CPU used on the node in millicores: the pod, the kubelet and the container runtime',
    source: { kind: 'scale', metric1: 'node_cpu_usage_seconds_total', operation: 'multiply', scaleBy: 1000 },
  },
  {
    name: 'node_cpu_limit',
    scope: 'node',
    unit: 'Millicore',
    description:
      "CPU capacity of the node in millicores. On Fargate this is the microVM's, which the EKS user guide says is unrelated to the pod's Fargate size",
    source: { kind: 'scale', metric1: 'node_cpu_cores', operation: 'multiply', scaleBy: 1000 },
  },
  {
    name: 'node_cpu_utilization',
    scope: 'node',
    unit: 'Percent',
    description: "CPU used on the node as a percentage of the node's CPU capacity",
    source: { kind: 'calculate', metric1: 'node_cpu_usage_total', metric2: 'node_cpu_limit', operation: 'percent' },
  },
  {
    name: 'node_memory_utilization',
    scope: 'node',
    unit: 'Percent',
    description:
      "Working set memory of the node as a percentage of the node's memory (node_memory_working_set / node_memory_limit)",
    source: {
      kind: 'calculate',
      metric1: 'node_memory_working_set',
      metric2: 'node_memory_limit',
      operation: 'percent',
    },
  },
];
