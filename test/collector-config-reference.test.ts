import { describe, expect, test } from 'vitest';
import { AdotVersion } from '../src/config/adot-version';
import { consumedFamiliesRule } from '../src/config/pipelines/cadvisor-scrape';
import { PodNaming } from '../src/config/pod-naming';
import { renderCollectorConfig } from '../src/config/render';
import { buildConfig as build, loadCollectorConfig, referenceAdditions, STAGES } from './support/collector';

/**
 * What the AWS reference manifest does and this output relies on, written down
 * as our own expectations: these run in any clone. The side-by-side comparison
 * with the AWS files is the conformance suite (test/conformance/).
 */

/** The metricstransform that renames labels on every metric, as the pipeline writes it. */
function labelRenames(renames: ReadonlyArray<readonly [string, string]>) {
  return {
    include: '.*',
    match_type: 'regexp',
    action: 'update',
    operations: renames.map(([label, newLabel]) => ({ action: 'update_label', label, new_label: newLabel })),
  };
}

/** The last rules of a cAdvisor job: node labels kept, every request to the API server, the path of the named node. */
function nodeLabelsAndProxy(nodeNameLabel: string) {
  return [
    { action: 'labelmap', regex: '__meta_kubernetes_node_label_(.+)' },
    { target_label: '__address__', replacement: 'kubernetes.default.svc:443' },
    {
      source_labels: [nodeNameLabel],
      regex: '(.+)',
      target_label: '__metrics_path__',
      replacement: '/api/v1/nodes/${1}/proxy/metrics/cadvisor',
    },
  ];
}

describe('the AWS reference behaviour, as our own expectations', () => {
  const config = loadCollectorConfig(renderCollectorConfig(build(), AdotVersion.DEFAULT));
  const [job] = config.receivers.prometheus.config.scrape_configs;

  test("one scrape job: every Fargate pod from the Kubernetes API, its node's cAdvisor through the API server proxy", () => {
    expect(config.receivers.prometheus.config.scrape_configs).toHaveLength(1);
    expect(job).toMatchObject({
      job_name: 'kubelets-cadvisor-metrics',
      sample_limit: 10000,
      scheme: 'https',
      kubernetes_sd_configs: [
        {
          role: 'pod',
          attach_metadata: { node: true },
          selectors: [{ role: 'pod', label: 'eks.amazonaws.com/fargate-profile' }],
        },
      ],
      tls_config: { ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' },
      authorization: { credentials_file: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
    });
    expect(config.receivers.prometheus.config.global).toStrictEqual({ scrape_interval: '1m', scrape_timeout: '40s' });
    // Node labels kept, every request sent to the API server, the path per pod's node.
    expect(job.relabel_configs.slice(-3)).toStrictEqual(nodeLabelsAndProxy('__meta_kubernetes_pod_node_name'));
  });

  test('podNaming pod: every node from the Kubernetes API, as the reference', () => {
    const [byPod] = loadCollectorConfig(renderCollectorConfig(build({ podNaming: PodNaming.POD }), AdotVersion.DEFAULT))
      .receivers.prometheus.config.scrape_configs;
    expect(byPod.kubernetes_sd_configs).toStrictEqual([{ role: 'node' }]);
    // After the Fargate-only rule: node labels kept, every request sent to the API server, the path per node.
    expect(byPod.relabel_configs.slice(1)).toStrictEqual(nodeLabelsAndProxy('__meta_kubernetes_node_name'));
    expect(byPod.metric_relabel_configs).toStrictEqual([consumedFamiliesRule()]);
  });

  test('node labels become the dimensions: container_id, NodeName, LaunchType', () => {
    expect(STAGES.nodeLabels(config).config).toStrictEqual({
      transforms: [
        labelRenames([
          ['name', 'container_id'],
          ['kubernetes_io_hostname', 'NodeName'],
          ['eks_amazonaws_com_compute_type', 'LaunchType'],
        ]),
      ],
    });
  });

  test('pod and container metrics are typed, namespace and pod renamed, container names restored', () => {
    const transforms = STAGES.typeLabels(config).config.transforms as any[];
    const typed = transforms
      .filter((t) => t.operations?.[0]?.action === 'add_label')
      .map((t) => [t.include, t.operations[0].new_value]);
    expect(typed).toStrictEqual([
      ['pod_.*', 'Pod'],
      ['new_container_.*', 'Container'],
      ['node_.*', 'Node'],
    ]);
    // The pod is FullPodName and its workload PodName, renamed in that order.
    expect(transforms).toContainEqual(
      labelRenames([
        ['namespace', 'Namespace'],
        ['pod', 'FullPodName'],
        ['workload', 'PodName'],
      ]),
    );
    expect(STAGES.typeLabels(build({ podNaming: PodNaming.POD })).config.transforms).toContainEqual(
      labelRenames([
        ['namespace', 'Namespace'],
        ['pod', 'PodName'],
      ]),
    );
    expect(transforms.at(-1)).toStrictEqual({
      include: '^new_container_(.*)$',
      match_type: 'regexp',
      action: 'update',
      new_name: 'container_$1',
    });
  });

  test('batched for a minute, then EMF to /aws/containerinsights/{ClusterName}/performance in ContainerInsights', () => {
    expect(STAGES.batch(config).config).toStrictEqual({ timeout: '60s' });
    expect(config.exporters.awsemf).toMatchObject({
      log_group_name: '/aws/containerinsights/{ClusterName}/performance',
      log_stream_name: '{NodeName}',
      namespace: 'ContainerInsights',
      region: 'us-east-1',
      resource_to_telemetry_conversion: { enabled: true },
      eks_fargate_container_insights_enabled: true,
      parse_json_encoded_attr_values: ['kubernetes'],
      dimension_rollup_option: 'NoDimensionRollup',
    });
  });

  test('the reference profile: 8 pod metrics in 3 dimension sets, each with LaunchType', () => {
    expect(config.exporters.awsemf.metric_declarations).toStrictEqual([
      {
        dimensions: [
          ['ClusterName', 'LaunchType'],
          ['ClusterName', 'Namespace', 'LaunchType'],
          ['ClusterName', 'Namespace', 'PodName', 'LaunchType'],
        ],
        metric_name_selectors: [
          '^pod_cpu_utilization_over_pod_limit$',
          '^pod_cpu_usage_total$',
          '^pod_cpu_limit$',
          '^pod_memory_utilization_over_pod_limit$',
          '^pod_memory_working_set$',
          '^pod_memory_limit$',
          '^pod_network_rx_bytes$',
          '^pod_network_tx_bytes$',
        ],
      },
    ]);
  });

  test.each([
    ['v0.40.0', 'experimental_metricsgeneration'],
    ['v0.49.0', 'metricsgeneration'],
  ])('%s: the reference stages in their order, with ours between them', (tag, generation) => {
    const config = build({ version: AdotVersion.of(tag) });
    const ours = config.service.pipelines.metrics;
    // What this library adds to the reference's stages; the reference's keep its ids.
    const added = referenceAdditions(config);
    expect(ours.receivers).toStrictEqual(['prometheus']);
    expect(ours.exporters).toStrictEqual(['awsemf']);
    expect(ours.processors.filter((id) => !added.includes(id))).toStrictEqual([
      'metricstransform/label_1',
      'resourcedetection',
      'metricstransform/rename',
      'filter',
      'cumulativetodelta',
      'deltatorate',
      `${generation}/1`,
      `${generation}/2`,
      'metricstransform/label_2',
      'batch',
    ]);
  });
});
