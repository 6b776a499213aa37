import type { AdotVersion } from '../adot-version';
import type { ApplicationMetricsConfigOptions } from '../application-metrics';
import type { MetricDeclarationSpec } from '../catalog/metric-types';
import type { PodHealthProfile } from '../catalog/pod-health-metrics';
import type { PrometheusReceiverConfig } from '../components/prometheus-receiver';
import type { ServiceConfig } from '../components/service';
import type { CollectorConfig, ProcessorConfig } from '../config-model';
import type { MetricsDestination } from '../metrics-destination';
import type { PodNaming } from '../pod-naming';

/**
 * What every pipeline module shares: the options the configuration is built
 * from, the shape of what each module contributes, and the scrape timing.
 */

/** Inputs of the collector configuration. All values are assumed validated. */
export interface CollectorConfigOptions {
  /** The EKS cluster's name: the log groups' and the `ClusterName` dimension's. */
  readonly clusterName: string;
  /** The ADOT release the configuration is written for. */
  readonly version: AdotVersion;
  /** AWS region the awsemf exporter writes to. */
  readonly region: string;
  /** Prometheus scrape interval, in milliseconds. */
  readonly scrapeIntervalMs: number;
  /** Prometheus scrape timeout, in milliseconds. */
  readonly scrapeTimeoutMs: number;
  /** Metrics sent to CloudWatch as metrics, each with its dimension sets (catalog names). */
  readonly declarations: readonly MetricDeclarationSpec[];
  /** What `PodName` names: the pod's workload, or the pod. */
  readonly podNaming: PodNaming;
  /** Memory limit of the collector container, in mebibytes; sizes `memory_limiter`. */
  readonly memoryLimitMiB: number;
  /**
   * Number of collector replicas sharing the nodes. Above 1, each replica
   * scrapes the nodes whose name hashes to its shard (`${env:SHARD}`).
   */
  readonly shards: number;
  /** Scrape only nodes labelled `eks.amazonaws.com/compute-type: fargate`. */
  readonly fargateNodesOnly: boolean;
  /** Retention of the performance log group, in days, when awsemf creates it; 0 keeps the events forever. */
  readonly logRetentionDays: number;
  /** Tags of the performance log group, when awsemf creates it; none when empty. */
  readonly logGroupTags: Readonly<Record<string, string>>;
  /** Scrape the annotated pods too, into pipelines of their own; absent: no application metrics. */
  readonly applicationMetrics?: ApplicationMetricsConfigOptions;
  /** Where the Container Insights metrics go; absent: `emf`. */
  readonly metricsDestination?: MetricsDestination;
  /** Scrape kube-state-metrics for pod and workload health; absent: no pod health. */
  readonly podHealth?: PodHealthConfigOptions;
}

/** Pod health as the configuration is built from it. */
export interface PodHealthConfigOptions {
  /** Which metrics are sent. */
  readonly profile: PodHealthProfile;
  /** kube-state-metrics' metrics endpoint, `host:port`: its Service in the collector's namespace. */
  readonly target: string;
  /** kube-state-metrics' own pod, for the bill. */
  readonly pod: PodHealthPodCost;
}

/** What kube-state-metrics' Fargate pod is and costs. */
export interface PodHealthPodCost {
  /** Its Fargate size, e.g. `0.25 vCPU 0.5 GB`. */
  readonly size: string;
  /** What it costs a month, us-east-1 on demand, in US dollars. */
  readonly monthlyUsd: number;
}

/**
 * Renders a duration the way Prometheus and the collector write them, with the
 * largest unit that divides it exactly: 60000 -> "1m", 40000 -> "40s", 1500 -> "1500ms".
 */
export function formatDuration(ms: number): string {
  const units: ReadonlyArray<readonly [string, number]> = [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  for (const [suffix, size] of units) {
    if (ms % size === 0) return `${ms / size}${suffix}`;
  }
  return `${ms}ms`;
}

/** The scrape interval and timeout every receiver uses, as Prometheus durations. */
export function scrapeTiming(options: CollectorConfigOptions): PrometheusReceiverConfig['config']['global'] {
  return {
    scrape_interval: formatDuration(options.scrapeIntervalMs),
    scrape_timeout: formatDuration(options.scrapeTimeoutMs),
  };
}

/**
 * What one pipeline contributes to the collector configuration: its
 * receivers, its processors in pipeline order, its exporters and extensions,
 * and its service pipelines. The configuration is the merge of the sections
 * of the pipelines the options turn on (collector-config.ts); a processor id
 * two sections share (`memory_limiter`, `resourcedetection`) is defined once,
 * by the first.
 */
export interface PipelineSection {
  /** The receivers, by id. */
  readonly receivers: Partial<CollectorConfig['receivers']>;
  /** The processors, by id, in the order its pipelines run them. */
  readonly processors: ReadonlyArray<readonly [string, ProcessorConfig]>;
  /** The exporters, by id. */
  readonly exporters: Partial<CollectorConfig['exporters']>;
  /** The extensions, by id. */
  readonly extensions: Partial<CollectorConfig['extensions']>;
  /** The service pipelines, by id. */
  readonly pipelines: Partial<ServiceConfig['pipelines']>;
}

/** An IAM policy statement the collector's role needs. */
export interface IamStatement {
  /** The statement's id. */
  readonly Sid: string;
  /** Always an allow. */
  readonly Effect: 'Allow';
  /** The actions. */
  readonly Action: readonly string[];
  /** The resources, by ARN. */
  readonly Resource: readonly string[];
}

/** The partition and account of the collector's role, which the ARNs of its resources are in. */
export interface RoleAccount {
  /** The AWS partition, e.g. `aws`, `aws-cn`. */
  readonly partition: string;
  /** The 12-digit account id. */
  readonly account: string;
}

/** What a pipeline needs its collector's IAM role to allow: the prerequisites grant the union. */
export interface PipelineAccess {
  /**
   * The log groups its awsemf exporters write Embedded Metric Format to and
   * create: CloudWatchAgentServerPolicy covers them, and with log group tags
   * the role may tag them.
   */
  readonly emfLogGroups: readonly string[];
  /** Its own inline policies, by name. */
  readonly policies: ReadonlyArray<{ readonly name: string; readonly statements: readonly IamStatement[] }>;
}

/** A Kubernetes RBAC rule: verbs on one resource (or subresource) of one API group. */
export interface RbacRule {
  /** The API group; `''` for the core group. */
  readonly apiGroup: string;
  /** The resource, or `resource/subresource`. */
  readonly resource: string;
  /** The verbs allowed. */
  readonly verbs: readonly string[];
}

/** Rules granted in some namespaces only: a Role and a RoleBinding to the collector, of one name, in each. */
export interface NamespacedRbac {
  /** The name of the Role and of its RoleBinding. */
  readonly roleName: string;
  /** The namespaces; each must exist when the manifests are applied. */
  readonly namespaces: readonly string[];
  /** The rules of each Role. */
  readonly rules: readonly RbacRule[];
}

/** What a pipeline needs the collector's service account to be allowed through the Kubernetes API. */
export interface PipelineRbac {
  /** Rules of the collector's ClusterRole. */
  readonly clusterRules: readonly RbacRule[];
  /** Rules granted per namespace instead. */
  readonly namespaced: readonly NamespacedRbac[];
}

/** What a cluster runs, beyond the collector's options: what its bill is counted for. */
export interface ClusterLoad {
  /** Fargate pods running at once, the collector's included. */
  readonly pods: number;
  /** The namespaces they are spread over; at most `pods`. */
  readonly namespaces: number;
  /**
   * The workloads their pods belong to (Deployments, StatefulSets,
   * DaemonSets, Jobs, CronJobs, and each ownerless pod); at most `pods`.
   */
  readonly workloads: number;
  /** The Services with ready pods; at most `pods`. */
  readonly services: number;
  /**
   * The pods the application scrape finds (annotated `prometheus.io/scrape`),
   * their applications and namespaces; absent: not known, and the
   * application metrics are not priced.
   */
  readonly scrapedPods?: ScrapedPods;
}

/** The pods an application scrape finds. */
export interface ScrapedPods {
  /** Pods running at once. */
  readonly pods: number;
  /** Distinct `app` label values among them. */
  readonly apps: number;
  /** Namespaces they run in. */
  readonly namespaces: number;
  /** What they are, for a person (e.g. "the sample application"). */
  readonly description: string;
}

/** One line of a cluster's monthly bill. */
export interface CostLine {
  /** What is paid for, e.g. `performance logs`: lines of one item add up across clusters. */
  readonly item: string;
  /** US dollars a month at us-east-1 prices; 0 with `notPriced`. */
  readonly monthlyUsd: number;
  /** Why there is no price, when there is none. */
  readonly notPriced?: string;
  /** What else a person should know of this one cluster's line, printed last (a fleet's sum leaves it out). */
  readonly note?: string;
  /** How it is counted, for a person. */
  readonly basis: string;
  /** What is used a month, e.g. 61.8 `GB ingested`, when known: added up across clusters. */
  readonly usage?: { readonly amount: number; readonly unit: string };
}

/** A pipeline module: whether the options turn it on, and then what it adds to the configuration, asks of IAM and RBAC, and costs. */
export interface Pipeline {
  /** What the pipeline is, for messages and docs. */
  readonly name: string;
  /**
   * The setting that turns it on, which an error about what it needs names:
   * `metricsDestination`, `applicationMetrics`, `podHealth`.
   */
  readonly setting: string;
  /** Whether the options ask for this pipeline. */
  readonly enabled: (options: CollectorConfigOptions) => boolean;
  /** What it adds to the collector configuration. */
  readonly section: (options: CollectorConfigOptions) => PipelineSection;
  /** What it needs the collector's role to allow. */
  readonly access: (options: CollectorConfigOptions, role: RoleAccount) => PipelineAccess;
  /** What it needs the collector's service account to be allowed in the cluster. */
  readonly rbac: (options: CollectorConfigOptions) => PipelineRbac;
  /** The environment variables its configuration reads (`${env:NAME}`), beyond those every collector has. */
  readonly environment: (options: CollectorConfigOptions) => Readonly<Record<string, string>>;
  /** What it costs a month for a cluster's load, besides the collector's own Fargate pods. */
  readonly cost: (options: CollectorConfigOptions, load: ClusterLoad) => CostLine[];
}
