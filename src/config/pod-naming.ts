import { showValue, ValidationError } from '../core/errors';

/**
 * What the `PodName` dimension names: the pod's workload, as Container
 * Insights on EC2 names it (the CloudWatch agent: `PodName` the Deployment,
 * StatefulSet, DaemonSet, Job or CronJob, `FullPodName` the pod), or the pod
 * itself, as AWS's Fargate reference manifest does.
 *
 * @example
 * PodNaming.WORKLOAD
 * PodNaming.of('pod')
 */
export class PodNaming {
  /**
   * `PodName` is the workload that owns the pod, and a pod without an owner
   * its own name; `FullPodName` is the pod's name, in the log events only.
   * The replicas of a workload are one metric: Average their average,
   * Maximum the busiest, Sum their total. The default.
   */
  public static readonly WORKLOAD = new PodNaming('workload');

  /**
   * As `WORKLOAD`, and every dimension set with `PodName` is also sent with
   * `FullPodName`: per-pod metrics beside the workload's, at one set of
   * custom metrics per pod.
   */
  public static readonly WORKLOAD_AND_POD = new PodNaming('workloadAndPod');

  /**
   * `PodName` is the pod's own name, as AWS's Fargate reference manifest
   * sets it: one set of custom metrics per pod. For alarms and dashboards
   * built on full pod names.
   */
  public static readonly POD = new PodNaming('pod');

  /** The naming used when none is given. */
  public static readonly DEFAULT = PodNaming.WORKLOAD;

  /** Every naming's name. */
  public static readonly NAMES: string[] = ['workload', 'workloadAndPod', 'pod'];

  /**
   * Looks a naming up by its name.
   *
   * @param name `workload`, `workloadAndPod` or `pod`
   * @param input name of the prop or setting the name came from, for the error message
   * @throws ValidationError for any other name
   */
  public static of(name: string, input = 'podNaming'): PodNaming {
    const found = [PodNaming.WORKLOAD, PodNaming.WORKLOAD_AND_POD, PodNaming.POD].find((n) => n.name === name);
    if (found === undefined) {
      throw new ValidationError(
        `Invalid ${input} ${showValue(name)}: expected one of ${PodNaming.NAMES.join(', ')} (workload: PodName is the pod's Deployment, StatefulSet, DaemonSet, Job or CronJob; workloadAndPod: that, and FullPodName per pod; pod: PodName is the pod, as the AWS reference manifest).`,
      );
    }
    return found;
  }

  private constructor(
    /** `workload`, `workloadAndPod` or `pod`. */
    public readonly name: string,
  ) {}

  /** True when `PodName` names the workload and `FullPodName` the pod. */
  public get byWorkload(): boolean {
    return this.name !== 'pod';
  }

  /** True when every dimension set with `PodName` is also sent with `FullPodName`. */
  public get withPods(): boolean {
    return this.name === 'workloadAndPod';
  }

  /** The naming's name. */
  public toString(): string {
    return this.name;
  }
}
