import { Dimension } from './metric-types';

/**
 * What the CloudWatch user guide lists for Container Insights on EKS, and
 * which of it cAdvisor on Fargate cannot give, with the reason.
 */

/**
 * The metrics and dimension sets of the CloudWatch user guide's table for
 * Amazon EKS and Kubernetes, "Amazon EKS and Kubernetes Container Insights
 * metrics"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-EKS.html;
 * source awsdocs/amazon-cloudwatch-user-guide, doc_source/Container-Insights-metrics-EKS.md).
 * These are what the Container Insights console reads. The `console` profile
 * takes from here every pair the pipeline can produce on Fargate, and
 * `NOT_PRODUCED_METRICS` / `NOT_PRODUCED_DIMENSIONS` say why the rest is left out.
 */
export const CONTAINER_INSIGHTS_EKS_METRICS: Readonly<Record<string, ReadonlyArray<readonly string[]>>> = (() => {
  const cluster = [['ClusterName']];
  const node = [['NodeName', 'ClusterName', 'InstanceId'], ['ClusterName']];
  const pod = [
    [Dimension.POD_NAME, Dimension.NAMESPACE, Dimension.CLUSTER_NAME],
    [Dimension.NAMESPACE, Dimension.CLUSTER_NAME],
    ['Service', Dimension.NAMESPACE, Dimension.CLUSTER_NAME],
    [Dimension.CLUSTER_NAME],
  ];
  const podReserved = [['PodName', 'Namespace', 'ClusterName'], ['ClusterName']];
  return {
    cluster_failed_node_count: cluster,
    cluster_node_count: cluster,
    namespace_number_of_running_pods: [['Namespace', 'ClusterName'], ['ClusterName']],
    node_cpu_limit: cluster,
    node_cpu_reserved_capacity: node,
    node_cpu_usage_total: cluster,
    node_cpu_utilization: node,
    node_filesystem_utilization: node,
    node_memory_limit: cluster,
    node_memory_reserved_capacity: node,
    node_memory_utilization: node,
    node_memory_working_set: cluster,
    node_network_total_bytes: node,
    node_number_of_running_containers: node,
    node_number_of_running_pods: node,
    pod_cpu_reserved_capacity: podReserved,
    pod_cpu_utilization: pod,
    pod_cpu_utilization_over_pod_limit: pod,
    pod_memory_reserved_capacity: podReserved,
    pod_memory_utilization: pod,
    pod_memory_utilization_over_pod_limit: pod,
    pod_number_of_container_restarts: [['PodName', 'Namespace', 'ClusterName']],
    pod_network_rx_bytes: pod,
    pod_network_tx_bytes: pod,
    service_number_of_running_pods: [['Service', 'Namespace', 'ClusterName'], ['ClusterName']],
  };
})();

const FARGATE_NODE_SIZE =
  "it is defined against the node's capacity, and a Fargate node's capacity is unrelated to the pod's Fargate size (EKS user guide, Fargate pod configuration)";
const FROM_THE_API = 'it counts Kubernetes objects, which come from the Kubernetes API, not from cAdvisor';
/** For the metrics pod health computes from kube-state-metrics, in a pipeline of its own. */
const WITH_POD_HEALTH = `${FROM_THE_API}; podHealth sends it, from kube-state-metrics`;

/**
 * Metrics of the CloudWatch user guide's EKS table that this pipeline does not
 * produce, and why. Asking for one is an error that gives the reason.
 */
export const NOT_PRODUCED_METRICS: Readonly<Record<string, string>> = {
  pod_cpu_utilization: `${FARGATE_NODE_SIZE}; pod_cpu_utilization_over_pod_limit is measured against the pod's own limit or request`,
  pod_memory_utilization: `${FARGATE_NODE_SIZE}; pod_memory_utilization_over_pod_limit is measured against the pod's own limit`,
  pod_cpu_reserved_capacity: FARGATE_NODE_SIZE,
  pod_memory_reserved_capacity: `${FARGATE_NODE_SIZE}, and cAdvisor does not report memory requests`,
  pod_number_of_container_restarts:
    'restart counts are in the pod status of the Kubernetes API, not in cAdvisor; podHealth sends it, from kube-state-metrics',
  node_cpu_reserved_capacity: "it needs the node's pods' requests, and cAdvisor does not report memory requests",
  node_memory_reserved_capacity: "it needs the node's pods' requests, and cAdvisor does not report memory requests",
  node_filesystem_utilization:
    "cAdvisor's filesystem series for a Fargate node have not been checked against the node's real storage",
  node_network_total_bytes:
    "the node's own interfaces on Fargate have not been checked; pod_network_rx_bytes and pod_network_tx_bytes carry the pod's traffic",
  node_number_of_running_containers: FROM_THE_API,
  node_number_of_running_pods: FROM_THE_API,
  cluster_node_count: WITH_POD_HEALTH,
  cluster_failed_node_count: WITH_POD_HEALTH,
  namespace_number_of_running_pods: WITH_POD_HEALTH,
  service_number_of_running_pods: WITH_POD_HEALTH,
};

/** Dimensions of the CloudWatch user guide's EKS table that this pipeline cannot set, and why. */
export const NOT_PRODUCED_DIMENSIONS: Readonly<Record<string, string>> = {
  Service: 'which Services select a pod is known from the Kubernetes API (EndpointSlices), not from cAdvisor',
  InstanceId: 'Fargate nodes are not EC2 instances',
};
