import { WORKLOAD_LABEL } from '../catalog/metric-types';
import { EnvReference } from '../components/env-reference';
import type { PrometheusReceiverConfig, RelabelConfig } from '../components/prometheus-receiver';
import { METRIC_CATALOG } from '../metric-catalog';
import { type CollectorConfigOptions, type PipelineRbac, scrapeTiming } from './pipeline';

/**
 * The collector configuration as a typed object, built from the metric
 * catalog and the ADOT version table. Field names are the collector's own
 * configuration keys (checked against each component's `config.go`), so the
 * object renders to the collector's YAML one to one. String values hold
 * literal `$` characters; `renderCollectorConfig` escapes them.
 */

/** Where the collector reads the service account's credentials inside its pod. */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Environment variable that holds the collector pod's shard number (its StatefulSet pod index). */
export const SHARD_ENV = 'SHARD';

/** Every cAdvisor metric family the catalog's metrics are computed from, sorted. */
export const CONSUMED_CADVISOR_FAMILIES: readonly string[] = [
  ...new Set(METRIC_CATALOG.flatMap((m) => (m.source.kind === 'cadvisor' ? [m.source.family] : []))),
].sort();

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An awsemf `metric_name_selectors` entry that matches exactly one metric
 * name. awsemf matches each selector as an unanchored regular expression
 * (`regexp.MatchString`), so the bare name `pod_cpu_limit`, as the AWS
 * reference writes it, also selects `pod_cpu_limit_raw`, and every metric
 * selected is a billed custom metric per dimension set.
 */
export function exactNameSelector(metric: string): string {
  return `^${escapeRegExp(metric)}$`;
}

/**
 * A `metric_relabel_configs` rule that drops, at scrape time, every series the
 * pipeline would drop later anyway. The `metricstransform` renames select
 * families with unanchored regular expressions; Prometheus anchors its own, so
 * each family is wrapped in `.*` to keep exactly the series the renames match.
 */
export function consumedFamiliesRule(): RelabelConfig {
  return {
    source_labels: ['__name__'],
    regex: `.*(?:${CONSUMED_CADVISOR_FAMILIES.map(escapeRegExp).join('|')}).*`,
    action: 'keep',
  };
}

/** Label Prometheus sets on each discovered node from its `eks.amazonaws.com/compute-type` label. */
const COMPUTE_TYPE_META_LABEL = '__meta_kubernetes_node_label_eks_amazonaws_com_compute_type';

/** Temporary label holding a node's shard (labels starting with `__tmp` are never stored). */
const SHARD_LABEL = '__tmp_shard';

/**
 * Rules that keep only the targets of one shard: Prometheus hashes the node
 * name, or the other `sourceLabels` joined with `;` (the last 8 bytes of
 * their MD5, as a big-endian integer, modulo `shards`), and each replica
 * keeps the targets whose hash equals its own pod index.
 */
export function shardRules(
  shards: number,
  sourceLabels: readonly string[] = ['__meta_kubernetes_node_name'],
): RelabelConfig[] {
  if (shards <= 1) return [];
  return [
    { source_labels: [...sourceLabels], modulus: shards, target_label: SHARD_LABEL, action: 'hashmod' },
    { source_labels: [SHARD_LABEL], regex: new EnvReference(SHARD_ENV), action: 'keep' },
  ];
}

/**
 * Rules that make a target the cAdvisor endpoint of the node named in
 * `nodeNameLabel`, through the API server proxy: Fargate nodes cannot be
 * reached directly.
 */
function cadvisorProxyRules(nodeNameLabel: string): RelabelConfig[] {
  return [
    // Every request to the API server...
    { target_label: '__address__', replacement: 'kubernetes.default.svc:443' },
    // ...at the kubelet proxy path of the node's cAdvisor endpoint.
    {
      source_labels: [nodeNameLabel],
      regex: '(.+)',
      target_label: '__metrics_path__',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Prometheus capture group reference, not a template.
      replacement: '/api/v1/nodes/${1}/proxy/metrics/cadvisor',
    },
  ];
}

/** Rules that make a discovered node's target its cAdvisor endpoint, through the API server proxy. */
const CADVISOR_PROXY_RULES: readonly RelabelConfig[] = cadvisorProxyRules('__meta_kubernetes_node_name');

/** The rule that keeps only the nodes labelled `eks.amazonaws.com/compute-type: fargate`. */
export const FARGATE_NODES_RULE: RelabelConfig = {
  source_labels: [COMPUTE_TYPE_META_LABEL],
  regex: 'fargate',
  action: 'keep',
};

/**
 * What a cAdvisor scrape may do through the Kubernetes API, and no more. The
 * AWS reference also grants pods, pods/proxy, services, endpoints,
 * nodes/metrics and the /metrics/cadvisor URL, none of which it reads.
 */
export const CADVISOR_SCRAPE_RBAC: PipelineRbac = {
  clusterRules: [
    // The prometheus receiver's Kubernetes service discovery (role `node`)
    // keeps a list of nodes with a list-then-watch informer.
    { apiGroup: '', resource: 'nodes', verbs: ['list', 'watch'] },
    // Every Fargate pod is its own node, and its kubelet is not reachable from
    // other pods: cAdvisor is read at /api/v1/nodes/<node>/proxy/metrics/cadvisor,
    // which the API server authorizes as `get` on the `nodes/proxy` subresource.
    { apiGroup: '', resource: 'nodes/proxy', verbs: ['get'] },
  ],
  namespaced: [],
};

/**
 * A cAdvisor scrape that discovers Fargate pods: the pods, which the
 * discovery lists and watches, and their nodes, whose labels it attaches
 * (`attach_metadata`) and whose cAdvisor it reads.
 */
export const FARGATE_POD_SCRAPE_RBAC: PipelineRbac = {
  clusterRules: [{ apiGroup: '', resource: 'pods', verbs: ['list', 'watch'] }, ...CADVISOR_SCRAPE_RBAC.clusterRules],
  namespaced: [],
};

/**
 * Which time a cAdvisor sample gets. The kubelet's cAdvisor endpoint writes
 * beside each usage sample the time cAdvisor last read that cgroup (since
 * Kubernetes 1.18), and every cgroup is read on its own schedule, so the
 * containers of one pod carry different timestamps:
 * - `cadvisor`: those timestamps, as Prometheus honours them by default: right for
 *   series passed on as they are, where each rate then spans cAdvisor's own interval;
 * - `scrape`: the scrape's time for every sample (`honor_timestamps: false`),
 *   which a pipeline that sums containers into their pod needs, since
 *   metricstransform merges only data points of equal timestamps
 *   (`aggregateutil`, `dataPointHashKey`). It also brings Prometheus'
 *   staleness markers back for these series (Prometheus tracks no staleness
 *   for samples with timestamps of their own), which stale-points.ts drops.
 */
export type CadvisorSampleTime = 'cadvisor' | 'scrape';

/** The label the EKS Fargate scheduler puts on every pod it runs: the Fargate profile that selected it. */
const FARGATE_PROFILE_POD_LABEL = 'eks.amazonaws.com/fargate-profile';

const POD_META = '__meta_kubernetes_pod_';

/**
 * Rules that name a discovered pod's workload in {@link WORKLOAD_LABEL}, from
 * the pod's controller (its owner reference with `controller: true`, which
 * Prometheus' pod discovery gives as `__meta_kubernetes_pod_controller_kind`
 * and `_name`), as the CloudWatch agent names it on EC2
 * (amazon-cloudwatch-agent, `addPodOwnersAndPodName`):
 *
 * - a ReplicaSet made by a Deployment (its pods carry `pod-template-hash`,
 *   and the ReplicaSet is named `<deployment>-<that hash>`): the Deployment;
 * - a Job made by a CronJob (named `<cronjob>-<scheduled time in minutes>`): the CronJob;
 * - any other controller (StatefulSet, DaemonSet, Job, a bare ReplicaSet, a
 *   custom controller): the controller's name;
 * - no controller: the pod's own name.
 *
 * Later rules overwrite earlier ones, so the most specific is last.
 */
const WORKLOAD_RULES: readonly RelabelConfig[] = [
  { source_labels: [`${POD_META}name`], target_label: WORKLOAD_LABEL },
  { source_labels: [`${POD_META}controller_name`], regex: '(.+)', target_label: WORKLOAD_LABEL },
  {
    source_labels: [`${POD_META}controller_kind`, `${POD_META}controller_name`, `${POD_META}label_pod_template_hash`],
    regex: 'ReplicaSet;([^;]+)-[^;-]+;.+',
    target_label: WORKLOAD_LABEL,
  },
  {
    source_labels: [`${POD_META}controller_kind`, `${POD_META}controller_name`],
    regex: 'Job;(.+)-[0-9]{8,}',
    target_label: WORKLOAD_LABEL,
  },
];

/**
 * The series rule that takes the workload off the series of no pod (the
 * node's own cgroup and machine): a target label is on every series of the
 * target, and a node metric describes the node.
 */
export const NO_WORKLOAD_WITHOUT_POD: RelabelConfig = {
  source_labels: ['pod', WORKLOAD_LABEL],
  regex: ';.*',
  target_label: WORKLOAD_LABEL,
  replacement: '',
};

/**
 * Rules that make a discovered Fargate pod's target its node's cAdvisor
 * endpoint, through the API server proxy, labelled with the pod's workload.
 * On Fargate a node runs one pod, so the pod's workload is that of every
 * series its node's cAdvisor serves. Only Fargate pods with a node, running
 * or starting: a pod on an EC2 node shares it with others, and a pod that
 * has finished has no node any more. A pod with several ports is several
 * targets of the same labels, which Prometheus scrapes once.
 */
export function fargatePodTargetRules(shards: number): RelabelConfig[] {
  return [
    { source_labels: [COMPUTE_TYPE_META_LABEL], regex: 'fargate', action: 'keep' },
    { source_labels: [`${POD_META}phase`], regex: 'Pending|Running', action: 'keep' },
    { source_labels: [`${POD_META}node_name`], regex: '.+', action: 'keep' },
    // The same hash of the node's name as node discovery's shards.
    ...shardRules(shards, [`${POD_META}node_name`]),
    ...WORKLOAD_RULES,
    { action: 'labelmap', regex: '__meta_kubernetes_node_label_(.+)' },
    ...cadvisorProxyRules(`${POD_META}node_name`),
  ];
}

/** What a cAdvisor scrape discovers: every node, or every Fargate pod with its node. */
export type CadvisorDiscovery = 'node' | 'fargate pod';

/** A cAdvisor scrape of every (Fargate) node through the API server, with its own job and rules. */
export function cadvisorReceiver(
  options: CollectorConfigOptions,
  job: string,
  rules: readonly RelabelConfig[],
  seriesRules: readonly RelabelConfig[],
  sampleTime: CadvisorSampleTime,
  discovery: CadvisorDiscovery = 'node',
): PrometheusReceiverConfig {
  return {
    config: {
      global: scrapeTiming(options),
      scrape_configs: [
        {
          job_name: job,
          sample_limit: 10000,
          scheme: 'https',
          ...(sampleTime === 'scrape' ? { honor_timestamps: false } : {}),
          kubernetes_sd_configs:
            discovery === 'node'
              ? // Every Fargate pod runs on its own node; discover them all.
                [{ role: 'node' }]
              : // Or the Fargate pods, each with its node's labels: the API server lists only those.
                [
                  {
                    role: 'pod',
                    attach_metadata: { node: true },
                    selectors: [{ role: 'pod', label: FARGATE_PROFILE_POD_LABEL }],
                  },
                ],
          // Authenticate to the API server with the pod's service-account token.
          tls_config: { ca_file: `${SERVICE_ACCOUNT_DIR}/ca.crt` },
          authorization: { credentials_file: `${SERVICE_ACCOUNT_DIR}/token` },
          relabel_configs: discovery === 'node' ? [...rules, ...CADVISOR_PROXY_RULES] : [...rules],
          metric_relabel_configs: [...seriesRules],
        },
      ],
    },
  };
}
