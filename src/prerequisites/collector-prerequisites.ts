import type { ContainerInsightsCollectorBase } from '../collector/container-insights-collector-base';
import { FargateContainerInsightsOperatorCollector } from '../collector/fargate-container-insights-operator-collector';
import { keysOf, refuseUnknownFields } from '../core/unknown-fields';
import { validateProps } from '../core/validation';
import type { FargateLogging } from '../logging/fargate-logging';
import { type AwsTemplate, awsTemplate } from './aws-template';
import { dashboardBody } from './dashboard-body';
import { type FleetDashboardCluster, fleetDashboardBody } from './fleet-dashboard';
import { type ClusterPrerequisites, clusterPrerequisites, prerequisiteFiles } from './prerequisites';

/** What {@link CollectorPrerequisites.of} derives the AWS side from. */
export interface CollectorPrerequisitesOptions {
  /** The cluster's collector, in either mode: its cluster, region, namespace, service account and role. */
  readonly collector: ContainerInsightsCollectorBase;
  /**
   * Other namespaces the cluster runs pods in (the sample application's),
   * each needing a Fargate profile.
   *
   * @default - none
   */
  readonly workloadNamespaces?: string[];
  /**
   * The cluster's Fargate logging, for the pod execution role's policy.
   *
   * @default - no logging policy
   */
  readonly logging?: FargateLogging;
  /**
   * The cluster's OIDC issuer URL (`aws eks describe-cluster --query
   * cluster.identity.oidc.issuer`), for the collector role's trust policy.
   *
   * @default - unknown: eksctl writes the trust policy, and there is no CloudFormation template
   */
  readonly oidcIssuer?: string;
}

/** Every option of {@link CollectorPrerequisitesOptions} (the compiler holds the table to the interface). */
const PREREQUISITES_OPTION_NAMES = keysOf<CollectorPrerequisitesOptions>({
  collector: true,
  workloadNamespaces: true,
  logging: true,
  oidcIssuer: true,
});

/** A log group a cluster writes to, with the retention and tags to create it with. */
export interface CollectorLogGroup {
  /** The group's name. */
  readonly logGroupName: string;
  /** Days CloudWatch Logs keeps the events; 0 keeps them forever. */
  readonly retentionDays: number;
  /** Its tags, by key. */
  readonly tags: Record<string, string>;
}

/** A recommended CloudWatch alarm, in the terms of `AWS::CloudWatch::Alarm`. */
export interface CollectorAlarm {
  /** Its name, `<cluster>-<what>`. */
  readonly alarmName: string;
  /** What it means and what to do. */
  readonly description: string;
  /** The metric's namespace, `ContainerInsights`. */
  readonly namespace: string;
  /** The metric. */
  readonly metricName: string;
  /** Its dimensions, by name: the cluster. */
  readonly dimensions: Record<string, string>;
  /** `Sum`, `Minimum` or `SampleCount`. */
  readonly statistic: string;
  /** The period, in seconds. */
  readonly periodSeconds: number;
  /** Periods evaluated. */
  readonly evaluationPeriods: number;
  /** Breaching periods among them that raise the alarm. */
  readonly datapointsToAlarm: number;
  /** The threshold. */
  readonly threshold: number;
  /** `GreaterThanOrEqualToThreshold` or `LessThanThreshold`. */
  readonly comparisonOperator: string;
  /** `notBreaching` or `breaching`: what a period without data counts as. */
  readonly treatMissingData: string;
}

/** One inline policy of the collector's role. */
export interface CollectorRolePolicy {
  /** The policy's name. */
  readonly policyName: string;
  /** The policy document, as IAM JSON text. */
  readonly policyDocument: string;
}

/**
 * The AWS side a collector needs before it can run (docs/prerequisites.md):
 * an eksctl ClusterConfig fragment with the Fargate profiles and the IRSA
 * service account; the facts of the collector's role, log groups, Fargate
 * profiles and alarms, from which the companion package writes a
 * CloudFormation template (given the OIDC issuer); and, with Fargate
 * logging, the pod execution role's logging policy.
 */
export class CollectorPrerequisites {
  /**
   * The prerequisites of a collector.
   *
   * @throws ValidationError naming a bad `oidcIssuer` or namespace
   */
  public static of(options: CollectorPrerequisitesOptions): CollectorPrerequisites {
    validateProps('options', options);
    refuseUnknownFields(undefined, options, PREREQUISITES_OPTION_NAMES);
    return new CollectorPrerequisites(
      clusterPrerequisites({
        collector: options.collector,
        ...(options.workloadNamespaces === undefined ? {} : { workloadNamespaces: options.workloadNamespaces }),
        ...(options.logging === undefined ? {} : { logging: options.logging }),
        ...(options.oidcIssuer === undefined ? {} : { oidcIssuer: options.oidcIssuer }),
        operatorMode: options.collector instanceof FargateContainerInsightsOperatorCollector,
      }),
    );
  }

  /**
   * A fleet's overview dashboard, as `DashboardBody` JSON text: for each
   * cluster-wide graph of the clusters' dashboards (CPU, memory, network,
   * pods running and pending, the collector's values), one graph with a line
   * per cluster, each in its cluster's region, split into graphs of 500 lines
   * (CloudWatch's most); a cluster without a dashboard (OTLP alone) has no
   * line. With clusters in more than one account, each line names its
   * account, which CloudWatch reads through cross-account observability.
   */
  public static fleetDashboardBody(clusters: CollectorPrerequisites[]): string {
    return JSON.stringify(fleetDashboardBody(clusters.map((cluster) => cluster.prerequisites.aws)));
  }

  /**
   * The same from each cluster's {@link _dashboardJson}.
   *
   * @internal
   */
  public static _fleetDashboardBody(dashboards: readonly string[]): string {
    return JSON.stringify(fleetDashboardBody(dashboards.map((json) => JSON.parse(json) as FleetDashboardCluster)));
  }

  /**
   * The prerequisites behind an app's files.
   *
   * @internal
   */
  public static _of(prerequisites: ClusterPrerequisites): CollectorPrerequisites {
    return new CollectorPrerequisites(prerequisites);
  }

  /**
   * The prerequisites from their {@link _json} text.
   *
   * @internal
   */
  public static _fromJson(text: string): CollectorPrerequisites {
    return new CollectorPrerequisites(JSON.parse(text) as ClusterPrerequisites);
  }

  /** The EKS cluster's name. */
  public readonly clusterName: string;
  /** The cluster's region. */
  public readonly region: string;
  /** The AWS partition of the collector's role, e.g. `aws`, `aws-cn`. */
  public readonly partition: string;
  /** The account of the collector's role: 12 digits. */
  public readonly account: string;
  /** The collector role's name, as in its `serviceAccountRoleArn`. */
  public readonly collectorRoleName: string;
  /** The collector role's path, `/` or `/<path>/`. */
  public readonly collectorRolePath: string;
  /** The managed policies the collector's role needs: none when it writes no Embedded Metric Format. */
  public readonly managedPolicyArns: string[];
  /** The inline policies the collector's role needs besides them. */
  public readonly inlinePolicies: CollectorRolePolicy[];
  /** `system:serviceaccount:<namespace>:<name>`: the only subject the collector's role may trust. */
  public readonly serviceAccountSubject: string;
  /**
   * The cluster's OIDC provider, the issuer URL without `https://`.
   *
   * @default - unknown: no `oidcIssuer` was given
   */
  public readonly oidcProvider?: string;
  /** The log groups the cluster writes to: the performance group, and the application metrics' and Fargate logging's when on. */
  public readonly logGroups: CollectorLogGroup[];
  /** The namespaces that run pods, each needing a Fargate profile. */
  public readonly fargateProfileNamespaces: string[];
  /** The collector runs as an `OpenTelemetryCollector`: the cluster needs the ADOT EKS add-on. */
  public readonly operatorMode: boolean;
  /**
   * With pod health on the EMF path: the recommended alarms (a pod
   * restarting, pods pending too long, workloads below their desired
   * replicas, the collector going silent), with their thresholds.
   */
  public readonly alarms: CollectorAlarm[];
  /**
   * The cluster's CloudWatch dashboard's name: `ContainerInsights-<cluster>`.
   *
   * @default - no dashboard: the collector sends no `ContainerInsights` metrics (OTLP alone)
   */
  public readonly dashboardName?: string;
  /**
   * The cluster's CloudWatch dashboard, as `DashboardBody` JSON text (what
   * `AWS::CloudWatch::Dashboard` and `aws cloudwatch put-dashboard` take): the
   * cluster's CPU, memory and network, the same by namespace, the top
   * workloads, pod health, the collector's health and the alarms, each graph
   * only with metrics the collector's configuration declares
   * (docs/prerequisites.md#the-dashboard).
   *
   * @default - no dashboard: the collector sends no `ContainerInsights` metrics (OTLP alone)
   */
  public readonly dashboardBody?: string;
  /**
   * With Fargate logging: the policy the pod execution role needs, as IAM JSON text.
   *
   * @default - no Fargate logging
   */
  public readonly podExecutionRolePolicy?: string;
  private readonly prerequisites: ClusterPrerequisites;
  private written?: { readonly files: Record<string, string>; readonly template: AwsTemplate };

  private constructor(prerequisites: ClusterPrerequisites) {
    this.prerequisites = prerequisites;
    const { aws, collectorRole } = prerequisites;
    this.clusterName = aws.clusterName;
    this.region = aws.region;
    this.partition = aws.partition;
    this.account = aws.account;
    this.collectorRoleName = collectorRole.RoleName;
    this.collectorRolePath = collectorRole.Path;
    this.managedPolicyArns = [...(collectorRole.ManagedPolicyArns ?? [])];
    this.inlinePolicies = (collectorRole.Policies ?? []).map((policy) => ({
      policyName: policy.PolicyName,
      policyDocument: JSON.stringify(policy.PolicyDocument),
    }));
    this.serviceAccountSubject = aws.serviceAccountSubject;
    if (aws.oidcProvider !== undefined) this.oidcProvider = aws.oidcProvider;
    this.logGroups = aws.logGroups.map((group) => ({
      logGroupName: group.name,
      retentionDays: group.retentionDays,
      tags: { ...group.tags },
    }));
    this.fargateProfileNamespaces = [...aws.fargateProfileNamespaces];
    this.operatorMode = aws.operatorMode;
    if (aws.dashboard !== undefined) {
      this.dashboardName = aws.dashboard.dashboardName;
      this.dashboardBody = JSON.stringify(dashboardBody(aws.dashboard, aws));
    }
    this.alarms = aws.alarms.map((alarm) => ({ ...alarm, dimensions: { ...alarm.dimensions } }));
    if (prerequisites.loggingPolicy !== undefined) {
      this.podExecutionRolePolicy = JSON.stringify(prerequisites.loggingPolicy);
    }
  }

  /**
   * Each file's text, by file name: `eksctl-cluster-config.yaml`; given the
   * OIDC issuer and with `cdk8s-fargate-container-insights-aws` installed,
   * `fargate-container-insights.template.json`; with Fargate logging,
   * `fargate-pod-execution-role-logging-policy.json`. Rendered on first use;
   * write them where your tooling reads them.
   */
  public get files(): Record<string, string> {
    return { ...this.render().files };
  }

  /**
   * The CloudFormation template among the files, or why it is not.
   *
   * @internal
   */
  public get _template(): AwsTemplate {
    return this.render().template;
  }

  /**
   * What a fleet's overview needs of this cluster, as JSON text.
   *
   * @internal
   */
  public get _dashboardJson(): string {
    const { clusterName, region, partition, account, dashboard } = this.prerequisites.aws;
    const cluster: FleetDashboardCluster = {
      clusterName,
      region,
      partition,
      account,
      ...(dashboard ? { dashboard } : {}),
    };
    return JSON.stringify(cluster);
  }

  /**
   * Everything these prerequisites are made from, as JSON text: equal texts,
   * equal prerequisites.
   *
   * @internal
   */
  public get _json(): string {
    return JSON.stringify(this.prerequisites);
  }

  private render(): { readonly files: Record<string, string>; readonly template: AwsTemplate } {
    if (this.written === undefined) {
      const template = awsTemplate(this);
      const files = prerequisiteFiles(this.prerequisites, 'text' in template ? template.text : undefined);
      this.written = { files, template };
    }
    return this.written;
  }
}
