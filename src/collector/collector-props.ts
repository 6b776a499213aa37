import type { Duration } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-29';
import type { AdotVersion } from '../config/adot-version';
import type { ApplicationMetrics } from '../config/application-metrics';
import type { MetricSelection } from '../config/metric-selection';
import type { MetricsDestination } from '../config/metrics-destination';
import type { PodNaming } from '../config/pod-naming';
import { keysOf } from '../core/unknown-fields';
import type { PodHealth } from './pod-health';

/** Properties of a {@link FargateContainerInsightsCollector}. */
export interface FargateContainerInsightsCollectorProps {
  /**
   * Name of the EKS cluster. Becomes the `ClusterName` dimension and part of the
   * log group `/aws/containerinsights/<clusterName>/performance`.
   */
  readonly clusterName: string;

  /** AWS region of the cluster, where the metrics are sent, e.g. `us-east-1`. */
  readonly region: string;

  /**
   * ARN of the IAM role the collector assumes through IAM Roles for Service
   * Accounts (IRSA), set as the service account's `eks.amazonaws.com/role-arn`
   * annotation. The role needs the `CloudWatchAgentServerPolicy` managed policy
   * and a trust policy for this service account. (EKS Pod Identity is not
   * available to Fargate pods.)
   */
  readonly serviceAccountRoleArn: string;

  /**
   * Namespace to create and run the collector in. Needs a Fargate profile.
   *
   * @default 'fargate-container-insights'
   */
  readonly namespace?: string;

  /**
   * ADOT collector release. Selects the image tag and the component names and
   * settings that release expects.
   *
   * @default AdotVersion.DEFAULT (v0.49.0)
   */
  readonly adotVersion?: AdotVersion;

  /**
   * Collector image, for a mirror or a digest-pinned reference. The configuration
   * still follows `adotVersion`, so keep the two in step.
   *
   * @default `public.ecr.aws/aws-observability/aws-otel-collector:<adotVersion>`
   */
  readonly image?: string;

  /**
   * How often every Fargate node's cAdvisor endpoint is scraped: whole
   * milliseconds from 1 ms to 24 hours (`Duration.seconds(1.5)` is fine).
   *
   * @default Duration.minutes(1)
   */
  readonly scrapeInterval?: Duration;

  /**
   * How long one scrape may take: whole milliseconds, shorter than
   * `scrapeInterval`.
   *
   * @default Duration.seconds(40)
   */
  readonly scrapeTimeout?: Duration;

  /**
   * Fargate pods the cluster is expected to run, the collector's own
   * included. Every Fargate pod is a node the collector scrapes, so this
   * sizes the collector (see `sizeCollector`): the smallest Fargate size with
   * at least twice the CPU and memory the measured model expects for
   * `expectedPods / replicas` nodes at `scrapeInterval`. `resources`, when
   * set, wins. Past 1,000 pods per replica, add replicas
   * (`sizing.recommendedReplicas`).
   *
   * @default 100
   */
  readonly expectedPods?: number;

  /**
   * CPU and memory of the collector container: CPU in whole millicores,
   * memory in whole mebibytes, neither above Fargate's largest pod (16 vCPU,
   * 120 GiB). A memory limit of at least 128 MiB is required: the `memory_limiter` processor and `GOMEMLIMIT` are
   * sized from it. Fargate sizes and bills the pod by its requests plus
   * 256 MiB, rounded up to its size table (see `fargateSize`); set requests
   * equal to limits.
   *
   * @default sized for `expectedPods` (100 pods: 0.25 vCPU and 768 MiB, as requests and limits: Fargate size 0.25 vCPU 1 GB)
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Number of collector pods. With more than one, the pods split the nodes
   * between them: each keeps the nodes whose name hashes (Prometheus
   * `hashmod`) to its own StatefulSet pod index, read from the
   * `apps.kubernetes.io/pod-index` label (Kubernetes 1.28 or later), so every
   * node is scraped exactly once. Add replicas when one collector cannot scrape
   * every node within `scrapeTimeout`.
   *
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Scrape only the nodes labelled `eks.amazonaws.com/compute-type: fargate`.
   * In clusters that also have EC2 nodes this spares the API server proxy
   * requests whose series the pipeline would drop (it keeps only Fargate
   * series either way). With `podNaming` by workload (the default) the scrape
   * discovers Fargate pods, and only those, whatever this says: it applies
   * to `PodNaming.POD`'s node discovery.
   *
   * @default true
   */
  readonly fargateNodesOnly?: boolean;

  /**
   * Which metrics become CloudWatch metrics, with which dimension sets: a
   * profile (`MetricSelection.profile(MetricProfile.CONSOLE)`), one
   * declaration (`MetricSelection.metrics([...], [[...]])`) or declarations of
   * your own (`MetricSelection.declarations([...])`). Each metric in each set
   * is a billed custom metric per value of the set; every metric the pipeline
   * computes is still written to the performance log group.
   *
   * @default MetricSelection.DEFAULT, the AWS reference manifest's 8 pod metrics in 3 dimension sets with `LaunchType`
   */
  readonly metricSelection?: MetricSelection;

  /**
   * What the `PodName` dimension names, in the performance and the pod
   * health metrics: the pod's workload (`PodNaming.WORKLOAD`, as Container
   * Insights on EC2, with `FullPodName` the pod), that and per-pod sets with
   * `FullPodName` too (`PodNaming.WORKLOAD_AND_POD`), or the pod itself, as
   * the AWS reference manifest (`PodNaming.POD`). A set with `PodName` is one
   * custom metric per workload, or per pod with `PodNaming.POD`.
   *
   * @default PodNaming.WORKLOAD
   */
  readonly podNaming?: PodNaming;

  /**
   * Retention, in days, of the performance log group
   * `/aws/containerinsights/<clusterName>/performance`, which the collector
   * creates on its first write. One of the periods the awsemf exporter
   * accepts (`EMF_LOG_RETENTION_DAYS`); `0` keeps the events forever. The
   * CloudWatch metrics extracted from them are kept for 15 months either way.
   * Applied only when the exporter creates the group: an existing group keeps
   * its own retention.
   *
   * @default 30
   */
  readonly performanceLogRetentionDays?: number;

  /**
   * Tags of the performance log group, for cost allocation, set when the
   * collector creates it. 1 to 50; keys of 1 to 128 and values of 1 to 256
   * bytes of letters, spaces, digits or `_ . : / = + - @` (letters and digits
   * as Unicode 15.0 has them, which the exporter's Go tables follow); no key
   * starting with `aws:`, holding `::` (the collector's configuration path
   * separator) or named after an `Object.prototype` member such as
   * `constructor`.
   * The prerequisites' role then also allows `logs:TagResource` on that group.
   *
   * @default - no tags
   */
  readonly performanceLogGroupTags?: Readonly<Record<string, string>>;

  /**
   * Also scrape the Prometheus metrics of the pods annotated
   * `prometheus.io/scrape: "true"` (honouring `prometheus.io/port`, `/path`
   * and `/scheme`) over the pod network, in pipelines of their own, and send
   * them to CloudWatch (only the declared metrics become custom metrics)
   * and/or Amazon Managed Service for Prometheus. The Container Insights
   * pipeline, its metrics and their cost do not change. Adds pods
   * get/list/watch to the collector's RBAC (a Role per namespace when
   * `namespaces` is set).
   *
   * @default - no application metrics
   */
  readonly applicationMetrics?: ApplicationMetrics;

  /**
   * Where the Container Insights metrics go:
   * - `emf`: the classic path, Embedded Metric Format to
   *   `/aws/containerinsights/<clusterName>/performance`, from which
   *   CloudWatch extracts the declared metrics (billed per metric);
   * - `otlp`: OpenTelemetry metrics to CloudWatch's OTLP endpoint in `region`,
   *   under cAdvisor's names with Kubernetes attributes, queried with PromQL
   *   (billed per GB ingested); `metricSelection`, which shapes only the EMF path, is then refused;
   * - `both`: both at once, to migrate (each node is scraped twice).
   *
   * @default MetricsDestination.EMF
   */
  readonly metricsDestination?: MetricsDestination;

  /**
   * Pod and workload health, which Container Insights offers only on EC2:
   * run kube-state-metrics (the Kubernetes project's exporter of object
   * state) in a Deployment of its own beside the collector, and turn its
   * series into the Container Insights pod status, container state and
   * restart, running-pod, node and workload replica metrics (per pod,
   * namespace, service, workload and cluster, or with
   * `PodHealthProfile.CLUSTER` per namespace and cluster only). With `emf`
   * they go to the performance log group, with the `Type` values the
   * console reads; with `otlp` kube-state-metrics' series go as they are.
   * `{}` turns it on with the defaults. The prerequisites then describe the
   * recommended alarms.
   *
   * @default - no pod health
   */
  readonly podHealth?: PodHealth;

  /**
   * Accept a region newer than this library's lists: a `region` the AWS
   * SDK's partitions data it was built with does not have, or one of those
   * where the EKS user guide says EKS runs no pods on Fargate (China and
   * AWS GovCloud (US)), and `metricsDestination` `otlp` or `both` in a
   * region that `OTLP_METRICS_REGIONS` (the CloudWatch user guide's list)
   * does not have. The region must still be a well-formed region code.
   *
   * @default false
   */
  readonly allowUnlistedRegion?: boolean;
}

/**
 * Every prop of {@link FargateContainerInsightsCollectorProps}: the compiler
 * holds this table to the interface (a prop missing here, or one too many, is
 * a type error), and the collector refuses any other prop by name.
 */
export const COLLECTOR_PROP_NAMES = keysOf<FargateContainerInsightsCollectorProps>({
  clusterName: true,
  region: true,
  serviceAccountRoleArn: true,
  namespace: true,
  adotVersion: true,
  image: true,
  scrapeInterval: true,
  scrapeTimeout: true,
  expectedPods: true,
  resources: true,
  replicas: true,
  fargateNodesOnly: true,
  metricSelection: true,
  podNaming: true,
  performanceLogRetentionDays: true,
  performanceLogGroupTags: true,
  applicationMetrics: true,
  metricsDestination: true,
  podHealth: true,
  allowUnlistedRegion: true,
});
