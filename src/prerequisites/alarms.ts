import { type AlarmWindow, alarmWindows } from '../collector/alarm-windows';
import type { ResolvedPodHealthAlarms } from '../collector/pod-health';

/**
 * The recommended CloudWatch alarms of pod health, as data: each on a
 * cluster-wide Container Insights metric the collector computes once a
 * scrape (so any statistic reads the cluster's count, however many
 * replicas the collector has), with its thresholds from the settings. The
 * prerequisites carry them (`CollectorPrerequisites.alarms`); the AWS CDK
 * construct and the CloudFormation template create them.
 */

/** One alarm, in the terms of `AWS::CloudWatch::Alarm`. */
export interface PrerequisiteAlarm {
  /** Its name, `<cluster>-<what>`. */
  readonly alarmName: string;
  /** What it means and what to do, for the person it wakes. */
  readonly description: string;
  /** The metric's namespace. */
  readonly namespace: string;
  /** The metric. */
  readonly metricName: string;
  /** Its dimensions: the cluster. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Minimum` or `SampleCount`. */
  readonly statistic: 'Sum' | 'Minimum' | 'SampleCount';
  /** The period, in seconds: a multiple of 60. */
  readonly periodSeconds: number;
  /** Periods evaluated. */
  readonly evaluationPeriods: number;
  /** Breaching periods among them that raise the alarm. */
  readonly datapointsToAlarm: number;
  /** The threshold. */
  readonly threshold: number;
  /** How the statistic is compared with the threshold. */
  readonly comparisonOperator: 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold';
  /** What a period without data counts as. */
  readonly treatMissingData: 'notBreaching' | 'breaching';
}

/** The alarms of a cluster's pod health. */
export function podHealthAlarms(
  clusterName: string,
  alarms: ResolvedPodHealthAlarms,
  scrapeIntervalMs: number,
): PrerequisiteAlarm[] {
  const windows = alarmWindows(alarms, scrapeIntervalMs);
  const common = { namespace: 'ContainerInsights', dimensions: { ClusterName: clusterName } } as const;
  // At least one, in every period for `minutes`.
  const sustained = (what: string, metricName: string, window: AlarmWindow, description: string): PrerequisiteAlarm => {
    return {
      ...common,
      alarmName: `${clusterName}-${what}`,
      description,
      metricName,
      statistic: 'Minimum',
      periodSeconds: window.periodSeconds,
      evaluationPeriods: window.evaluationPeriods,
      datapointsToAlarm: window.evaluationPeriods,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    };
  };
  return [
    {
      ...common,
      alarmName: `${clusterName}-pod-restarts`,
      description: `Containers in ${clusterName} restarted ${alarms.restarts} times or more within ${alarms.restartMinutes} minutes. Look for pods in CrashLoopBackOff or OOMKilled: pod_number_of_container_restarts by PodName (the workload), pod_container_status_waiting_reason_crash_loop_back_off and pod_container_status_terminated_reason_oom_killed by Namespace, and the pod in the performance log group's kube-state-metrics stream (FullPodName).`,
      metricName: 'pod_number_of_container_restarts',
      statistic: 'Sum',
      periodSeconds: windows.restartMinutes.periodSeconds,
      evaluationPeriods: windows.restartMinutes.evaluationPeriods,
      datapointsToAlarm: 1,
      threshold: alarms.restarts,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    },
    sustained(
      'pods-pending',
      'pod_status_pending',
      windows.pendingMinutes,
      `Pods in ${clusterName} have been pending for ${alarms.pendingMinutes} minutes. On Fargate: a namespace or labels no Fargate profile selects, an image that cannot be pulled (pod_container_status_waiting_reason_image_pull_error), or requests above Fargate's largest size. kubectl get pods -A --field-selector=status.phase=Pending.`,
    ),
    sustained(
      'replicas-unavailable',
      'status_replicas_unavailable',
      windows.unavailableMinutes,
      `Deployments or DaemonSets in ${clusterName} have had replicas unavailable for ${alarms.unavailableMinutes} minutes: a workload below its desired replicas. status_replicas_unavailable by PodName (the workload's name) says which.`,
    ),
    {
      ...common,
      alarmName: `${clusterName}-collector-silent`,
      description: `No cluster_node_count from ${clusterName} for ${alarms.silentMinutes} minutes: the collector or kube-state-metrics is down, cannot reach the API server, or cannot write to CloudWatch (its IAM role). kubectl -n <collector namespace> get pods, then the collector's logs.`,
      metricName: 'cluster_node_count',
      statistic: 'SampleCount',
      periodSeconds: windows.silentMinutes.periodSeconds,
      evaluationPeriods: windows.silentMinutes.evaluationPeriods,
      datapointsToAlarm: 1,
      threshold: 1,
      comparisonOperator: 'LessThanThreshold',
      treatMissingData: 'breaching',
    },
  ];
}
