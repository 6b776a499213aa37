import { Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import {
  estimateFleet,
  formatFleetBill,
} from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/fleet-estimate';
import type { FargateContainerInsightsCollectorProps } from '../src/collector/collector-props';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { FargateContainerInsightsOperatorCollector } from '../src/collector/fargate-container-insights-operator-collector';
import { AdotVersion, requireComponents } from '../src/config/adot-version';
import { resolveApplicationMetrics } from '../src/config/application-metrics';
import { buildCollectorConfig, componentsBySetting } from '../src/config/collector-config';
import type { AttributeAction } from '../src/config/components/attributes-processor';
import type { MetricsPipelineConfig } from '../src/config/components/service';
import type { CollectorConfig } from '../src/config/config-model';
import { MetricsDestination, OTLP_METRICS_REGIONS } from '../src/config/metrics-destination';
import { OTLP_ATTRIBUTES, OTLP_BATCH_SIZE, OTLP_CADVISOR_FAMILIES, OTLP_METRICS_LIMITS } from '../src/config/otlp';
import {
  estimateOtlpIngestion,
  otlpBreakEvenUsdPerGb,
  otlpDataPointBytes,
  otlpPodScrape,
  TYPICAL_OTLP_POD,
} from '../src/config/otlp-cost';
import { shardRules } from '../src/config/pipelines/cadvisor-scrape';
import { inReleaseWords } from '../src/config/release-dialect';
import { renderCollectorConfig } from '../src/config/render';
import { ValidationError } from '../src/core/errors';
import { clusterPrerequisites } from '../src/prerequisites/prerequisites';
import { validateManifest } from '../tools/manifests';
import { buildConfig, DEFAULT_CONFIG_OPTIONS, loadCollectorConfig, stageWhere } from './support/collector';
import { COLLECTOR_PROPS } from './support/fixtures';
import { relabel } from './support/relabel';

/** The service pipeline of the OTLP path. */
const OTLP_SERVICE_PIPELINE = 'metrics/otlp';

const props = COLLECTOR_PROPS;

const configFor = (metricsDestination: MetricsDestination, overrides = {}): CollectorConfig =>
  buildCollectorConfig({ ...DEFAULT_CONFIG_OPTIONS, metricsDestination, ...overrides });

function pipelinesOf(config: CollectorConfig): Array<[string, MetricsPipelineConfig]> {
  return Object.entries(config.service.pipelines).filter(
    (entry): entry is [string, MetricsPipelineConfig] => !!entry[1],
  );
}

describe('the destination choice', () => {
  test('emf, the default: no OTLP component, the options without the choice', () => {
    const config = buildConfig();
    expect(Object.keys(config.service.pipelines)).toStrictEqual(['metrics']);
    expect(JSON.stringify(config)).not.toMatch(/otlp|monitoring/);
    expect(configFor(MetricsDestination.EMF)).toStrictEqual(config);
  });

  test('otlp: one pipeline, its own scrape, no Embedded Metric Format at all', () => {
    const config = configFor(MetricsDestination.OTLP);
    expect(pipelinesOf(config).map(([id]) => id)).toStrictEqual(['metrics/otlp']);
    expect(Object.keys(config.receivers)).toStrictEqual(['prometheus/otlp']);
    expect(Object.keys(config.exporters)).toStrictEqual(['otlphttp/cloudwatch']);
    expect(Object.keys(config.extensions)).toStrictEqual(['health_check', 'sigv4auth/monitoring']);
    expect(JSON.stringify(config)).not.toMatch(/awsemf|metric_declarations/);
  });

  test('both: the Embedded Metric Format path exactly as with emf, and the OTLP path beside it', () => {
    const emf = buildConfig();
    const both = configFor(MetricsDestination.BOTH);
    expect(pipelinesOf(both).map(([id]) => id)).toStrictEqual(['metrics', 'metrics/otlp']);
    expect(both.service.pipelines.metrics).toStrictEqual(emf.service.pipelines.metrics);
    expect(both.receivers.prometheus).toStrictEqual(emf.receivers.prometheus);
    expect(both.exporters.awsemf).toStrictEqual(emf.exporters.awsemf);
    for (const id of emf.service.pipelines.metrics.processors)
      expect(both.processors[id]).toStrictEqual(emf.processors[id]);
  });

  test.each([MetricsDestination.OTLP, MetricsDestination.BOTH])(
    '%s: memory_limiter first, every component defined and used',
    (destination) => {
      const config = configFor(destination);
      const pipelines = pipelinesOf(config);
      for (const [, pipeline] of pipelines) expect(pipeline.processors[0]).toBe('memory_limiter');
      for (const kind of ['receivers', 'processors', 'exporters'] as const) {
        expect(new Set(Object.keys(config[kind])), kind).toStrictEqual(new Set(pipelines.flatMap(([, p]) => p[kind])));
      }
      expect(new Set(config.service.extensions)).toStrictEqual(new Set(Object.keys(config.extensions)));
    },
  );

  test('otlphttp to the metrics endpoint of the cluster region, gzip, signed by sigv4auth for monitoring there', () => {
    const config = configFor(MetricsDestination.OTLP, { region: 'ap-southeast-2' });
    expect(config.exporters['otlphttp/cloudwatch']).toStrictEqual({
      metrics_endpoint: 'https://monitoring.ap-southeast-2.amazonaws.com/v1/metrics',
      auth: { authenticator: 'sigv4auth/monitoring' },
      compression: 'gzip',
    });
    expect(config.extensions['sigv4auth/monitoring']).toStrictEqual({
      region: 'ap-southeast-2',
      service: 'monitoring',
    });
  });
});

describe('the OTLP scrape', () => {
  const job = configFor(MetricsDestination.OTLP, { fargateNodesOnly: false, shards: 3 }).receivers['prometheus/otlp']
    ?.config.scrape_configs[0];

  test('through the API server proxy, Fargate nodes only whatever fargateNodesOnly says, sharded like the EMF scrape', () => {
    const target = (computeType: string, shard: string) =>
      relabel(
        {
          __meta_kubernetes_node_name: 'fargate-ip-10-0-1-2.eu-west-1.compute.internal',
          __meta_kubernetes_node_label_eks_amazonaws_com_compute_type: computeType,
        },
        job?.relabel_configs ?? [],
        { SHARD: shard },
      );
    const owners = ['0', '1', '2'].filter((shard) => target('fargate', shard));
    expect(owners).toHaveLength(1);
    expect(target('fargate', owners[0] as string)).toMatchObject({
      __address__: 'kubernetes.default.svc:443',
      __metrics_path__: '/api/v1/nodes/fargate-ip-10-0-1-2.eu-west-1.compute.internal/proxy/metrics/cadvisor',
    });
    for (const shard of ['0', '1', '2']) expect(target('ec2', shard)).toBeUndefined();
    expect(job?.relabel_configs).toEqual(expect.arrayContaining(shardRules(3)));
  });

  test('keeps exactly the listed cAdvisor families, under their own names', () => {
    const kept = (name: string) => relabel({ __name__: name }, job?.metric_relabel_configs ?? []) !== undefined;
    for (const { name } of OTLP_CADVISOR_FAMILIES) expect(kept(name), name).toBe(true);
    for (const name of [
      'machine_cpu_cores',
      'container_cpu_load_average_10s',
      'container_tasks_state',
      'xcontainer_memory_rss',
    ]) {
      expect(kept(name), name).toBe(false);
    }
  });

  test("drops cAdvisor's id and name labels, and the pod's cgroup, sandbox and container series stay apart", () => {
    const pod = { __name__: 'container_memory_working_set_bytes', namespace: 'payments', pod: 'checkout-7d9f8' };
    const series = [
      { ...pod, id: '/kubepods/burstable/pod0f1e', name: '' },
      { ...pod, id: '/kubepods/burstable/pod0f1e/5a6b', name: '5a6b', image: 'registry.k8s.io/pause:3.9' },
      { ...pod, id: '/kubepods/burstable/pod0f1e/7c8d', name: '7c8d', image: 'checkout:1.4.2', container: 'checkout' },
    ].map((labels) => relabel(labels, job?.metric_relabel_configs ?? []));
    for (const labels of series) expect(Object.keys(labels ?? {})).not.toEqual(expect.arrayContaining(['id']));
    expect(new Set(series.map((labels) => JSON.stringify(labels))).size).toBe(3);
  });
});

/** The `resource` and `attributes` processors' upsert and delete, as attraction applies them in order. */
function applyActions(
  input: Readonly<Record<string, string>>,
  actions: readonly AttributeAction[],
): Record<string, string> {
  const attributes: Record<string, string> = { ...input };
  for (const action of actions) {
    if (action.action === 'delete') {
      delete attributes[action.key];
    } else if (action.from_attribute !== undefined) {
      const value = attributes[action.from_attribute];
      if (value !== undefined) attributes[action.key] = value;
    } else {
      attributes[action.key] = action.value as string;
    }
  }
  return attributes;
}

describe('the standard attributes', () => {
  const config = configFor(MetricsDestination.OTLP, { region: 'eu-west-1' });
  const resourceActions = stageWhere<{ attributes: AttributeAction[] }>(
    config,
    'resource',
    'sets resource attributes',
    () => true,
    OTLP_SERVICE_PIPELINE,
  ).config.attributes;
  const pointActions = stageWhere<{ actions: AttributeAction[] }>(
    config,
    'attributes',
    'sets data point attributes',
    () => true,
    OTLP_SERVICE_PIPELINE,
  ).config.actions;

  // What the prometheus receiver puts on a node target's resource (CreateResource, with the
  // older semantic-convention names up to contrib v0.10x and the newer after), and what the
  // resourcedetection env detector adds from OTEL_RESOURCE_ATTRIBUTES.
  const scrapeResource = {
    older: { 'net.host.name': 'kubernetes.default.svc', 'net.host.port': '443', 'http.scheme': 'https' },
    newer: { 'server.address': 'kubernetes.default.svc', 'server.port': '443', 'url.scheme': 'https' },
  };
  test.each(Object.entries(scrapeResource))(
    'resource, %s names: cluster, node, region, provider and platform, and nothing of the scrape',
    (_, scrape) => {
      const resource = applyActions(
        {
          'service.name': 'kubelets-cadvisor-otlp',
          'service.instance.id': 'kubernetes.default.svc:443',
          ...scrape,
          'k8s.node.name': 'fargate-ip-10-0-1-2.eu-west-1.compute.internal',
          ClusterName: 'prod-eu',
        },
        resourceActions,
      );
      expect(resource).toStrictEqual({
        'k8s.node.name': 'fargate-ip-10-0-1-2.eu-west-1.compute.internal',
        'k8s.cluster.name': 'prod-eu',
        'cloud.region': 'eu-west-1',
        'cloud.provider': 'aws',
        'cloud.platform': 'aws_eks',
      });
      expect(Object.keys(resource).sort()).toStrictEqual(
        OTLP_ATTRIBUTES.filter((a) => a.scope === 'resource')
          .map((a) => a.name)
          .sort(),
      );
    },
  );

  test("data points: cAdvisor's labels, and the semantic-convention names beside them", () => {
    const container = { namespace: 'payments', pod: 'checkout-7d9f8', container: 'checkout', image: 'checkout:1.4.2' };
    expect(applyActions(container, pointActions)).toStrictEqual({
      ...container,
      'k8s.namespace.name': 'payments',
      'k8s.pod.name': 'checkout-7d9f8',
      'k8s.container.name': 'checkout',
    });
    // The pod's network, on its sandbox: no container, so no k8s.container.name.
    const network = { namespace: 'payments', pod: 'checkout-7d9f8', interface: 'eth0' };
    expect(applyActions(network, pointActions)).toStrictEqual({
      ...network,
      'k8s.namespace.name': 'payments',
      'k8s.pod.name': 'checkout-7d9f8',
    });
    expect(pointActions.map((a) => a.key).sort()).toStrictEqual(
      OTLP_ATTRIBUTES.filter((a) => a.scope === 'datapoint')
        .map((a) => a.name)
        .sort(),
    );
  });

  test('well under the 150 labels a data point may carry', () => {
    const labels =
      Object.keys(TYPICAL_OTLP_POD.datapointAttributes).length +
      Object.keys(TYPICAL_OTLP_POD.resourceAttributes).length;
    expect(labels).toBeLessThan(OTLP_METRICS_LIMITS.labelsPerDataPoint);
  });
});

describe("within the endpoint's limits", () => {
  test('a batch holds at most half the data points a request may carry', () => {
    const batch = stageWhere(
      configFor(MetricsDestination.OTLP),
      'batch',
      'batches',
      () => true,
      OTLP_SERVICE_PIPELINE,
    ).config;
    expect(batch).toStrictEqual({
      timeout: '60s',
      send_batch_size: OTLP_BATCH_SIZE,
      send_batch_max_size: OTLP_BATCH_SIZE,
    });
    expect(OTLP_BATCH_SIZE).toBeLessThanOrEqual(OTLP_METRICS_LIMITS.dataPointsPerRequest);
  });

  test('a full batch stays under 1 MB even with every value four times its typical length', () => {
    const longer = (record: Readonly<Record<string, string>>) =>
      Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v.repeat(4)]));
    const longest = Math.max(
      ...OTLP_CADVISOR_FAMILIES.map((f) =>
        otlpDataPointBytes(
          f.name,
          longer(TYPICAL_OTLP_POD.datapointAttributes),
          longer(TYPICAL_OTLP_POD.resourceAttributes),
        ),
      ),
    );
    expect(longest * OTLP_BATCH_SIZE).toBeLessThan(OTLP_METRICS_LIMITS.bytesPerRequest);
  });
});

describe('the cost model', () => {
  test('a data point is sized as its protobuf encoding', () => {
    // name "m" (1+1+1) + KeyValue "k"="v": 1+1+(1+1+1)+(1+1+(1+1+1)) = 10; three fixed64/double fields: 27.
    expect(otlpDataPointBytes('m', { k: 'v' }, {})).toBe(3 + 10 + 27);
    // A 128-byte value: one byte more, and its length prefix grows to two bytes (the AnyValue's and the KeyValue's stay two).
    const long = 'x'.repeat(128);
    expect(otlpDataPointBytes('m', { k: long }, {}) - otlpDataPointBytes('m', { k: 'x'.repeat(127) }, {})).toBe(2);
    // Resource attributes count on every data point, as CloudWatch bills them.
    expect(otlpDataPointBytes('m', {}, { k: 'v' })).toBe(otlpDataPointBytes('m', { k: 'v' }, {}));
  });

  test('one pod: each cgroup family thrice (container, sandbox, pod), network per interface, disk per device, and the scrape series', () => {
    const perCgroup = OTLP_CADVISOR_FAMILIES.filter((f) => f.per === 'cgroup').length;
    const perInterface = OTLP_CADVISOR_FAMILIES.filter((f) => f.per === 'interface').length;
    const perDevice = OTLP_CADVISOR_FAMILIES.filter((f) => f.per === 'device').length;
    expect(otlpPodScrape().dataPoints).toBe(perCgroup * 3 + perInterface + perDevice + 5);
    const twoInterfaces = otlpPodScrape({ ...TYPICAL_OTLP_POD, interfaces: 2 });
    expect(twoInterfaces.dataPoints - otlpPodScrape().dataPoints).toBe(perInterface);
  });

  test('a month of scrapes, linear in pods; the price per GB, free by default', () => {
    const one = estimateOtlpIngestion({ pods: 1, scrapeIntervalSeconds: 60 });
    const hundred = estimateOtlpIngestion({ pods: 100, scrapeIntervalSeconds: 60 });
    expect(hundred.ingestedGb).toBeCloseTo(100 * one.ingestedGb, 9);
    // 60 scrapes an hour for 730 hours, the month AWS prices are quoted for.
    expect(one.ingestedGb).toBeCloseTo((one.bytesPerPodScrape * 60 * 730) / 1e9, 9);
    expect(hundred.monthlyUsd).toBe(0);
    expect(estimateOtlpIngestion({ pods: 100, scrapeIntervalSeconds: 60, usdPerGb: 0.5 }).monthlyUsd).toBeCloseTo(
      hundred.ingestedGb * 0.5,
      9,
    );
    expect(otlpBreakEvenUsdPerGb(100, hundred) * hundred.ingestedGb).toBeCloseTo(100, 9);
  });
});

describe('every supported ADOT release', () => {
  test.each(AdotVersion.SUPPORTED)('%s: ships every component, reads back the model, every dollar escaped', (tag) => {
    const version = AdotVersion.of(tag);
    const config = configFor(MetricsDestination.BOTH, { version, shards: 2 });
    const text = renderCollectorConfig(config, version);
    expect(loadCollectorConfig(text)).toStrictEqual(JSON.parse(JSON.stringify(inReleaseWords(config, version))));
    for (const run of text.match(/\$+(?!\{env:)/g) ?? []) expect(run.length % 2, run).toBe(0);
  });
});

describe('the components a configuration needs, read from the configuration', () => {
  const options = (version: AdotVersion) => ({
    ...DEFAULT_CONFIG_OPTIONS,
    version,
    metricsDestination: MetricsDestination.BOTH,
  });

  test.each(AdotVersion.SUPPORTED)("%s ships every component of every setting's pipeline", (tag) => {
    const version = AdotVersion.of(tag);
    const used = componentsBySetting(options(version));
    expect(used.map((u) => u.setting)).toStrictEqual(['metricsDestination', 'metricsDestination']);
    for (const { setting, components } of used)
      expect(() => requireComponents(setting, version, components)).not.toThrow();
    // What the OTLP path uses is what its section writes: no list to keep in step.
    expect(used[1]?.components).toContain('otlphttp');
    expect(used[1]?.components).toContain('sigv4auth');
  });

  test('a release without a component a pipeline uses is refused, naming the setting that turned it on', () => {
    // ADOT ships no transform processor, at any release: a pipeline that used one would be refused.
    const [, otlp] = componentsBySetting(options(AdotVersion.V0_40_0));
    expect(() =>
      requireComponents('metricsDestination', AdotVersion.V0_40_0, [...(otlp?.components ?? []), 'transform']),
    ).toThrow(
      'Invalid metricsDestination for adotVersion v0.40.0: ADOT v0.40.0 does not ship transform; expected a release that does (none checked).',
    );
  });
});

describe('the constructs', () => {
  test.each([
    ['manifests', false],
    ['operator', true],
  ] as const)('%s mode: the OTLP pipeline in the configuration; every object valid', (_, operator) => {
    const chart = Testing.chart();
    const options = { ...props, metricsDestination: MetricsDestination.OTLP };
    const collector = operator
      ? new FargateContainerInsightsOperatorCollector(chart, 'Collector', options)
      : new FargateContainerInsightsCollector(chart, 'Collector', options);
    expect(collector.metricsDestination).toBe('otlp');
    expect(Object.keys(collector._config.service.pipelines)).toStrictEqual(['metrics/otlp']);
    for (const object of Testing.synth(chart)) validateManifest(object);
  });

  test('a region without the OTLP metrics endpoint is refused by name, unless told to skip the check', () => {
    const build = (extra: Partial<FargateContainerInsightsCollectorProps>) => () =>
      new FargateContainerInsightsCollector(Testing.chart(), 'Collector', {
        ...props,
        region: 'me-central-1',
        metricsDestination: MetricsDestination.OTLP,
        ...extra,
      });
    expect(build({})).toThrow(ValidationError);
    expect(build({})).toThrow(
      /Invalid metricsDestination "otlp" in region "me-central-1": CloudWatch's OTLP metrics endpoint is not listed for that region\. .*set allowUnlistedRegion/,
    );
    expect(build({ allowUnlistedRegion: true })).not.toThrow();
    expect(build({ metricsDestination: MetricsDestination.EMF })).not.toThrow();
    expect(OTLP_METRICS_REGIONS).toHaveLength(31);
  });
});

describe('IAM', () => {
  const policiesOf = (extra: Partial<FargateContainerInsightsCollectorProps>) => {
    const collector = new FargateContainerInsightsCollector(Testing.chart(), 'Collector', { ...props, ...extra });
    return clusterPrerequisites({ collector });
  };
  const PUT_METRIC_DATA = {
    PolicyName: 'container-insights-otlp-metrics',
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'SendOtlpMetrics', Effect: 'Allow', Action: ['cloudwatch:PutMetricData'], Resource: ['*'] }],
    },
  };

  test('emf: the managed policy alone, as before', () => {
    const { collectorRole } = policiesOf({});
    expect(collectorRole.ManagedPolicyArns).toStrictEqual(['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy']);
    expect(collectorRole.Policies).toBeUndefined();
  });

  test('otlp: cloudwatch:PutMetricData, and no managed policy: the collector writes no logs', () => {
    const { collectorRole, eksctl } = policiesOf({ metricsDestination: MetricsDestination.OTLP });
    expect(collectorRole.ManagedPolicyArns).toBeUndefined();
    expect(collectorRole.Policies).toStrictEqual([PUT_METRIC_DATA]);
    expect(eksctl.iam.serviceAccounts[0]?.attachPolicyARNs).toBeUndefined();
    expect(eksctl.iam.serviceAccounts[0]?.attachPolicy).toStrictEqual(PUT_METRIC_DATA.PolicyDocument);
  });

  test('both: the managed policy and PutMetricData', () => {
    const { collectorRole } = policiesOf({ metricsDestination: MetricsDestination.BOTH });
    expect(collectorRole.ManagedPolicyArns).toStrictEqual(['arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy']);
    expect(collectorRole.Policies).toStrictEqual([PUT_METRIC_DATA]);
  });
});

describe('a fleet', () => {
  const cluster = { region: 'eu-west-1', serviceAccountRoleArn: props.serviceAccountRoleArn, expectedPods: 100 };
  const emfOnly = estimateFleet({ clusters: [{ ...cluster, name: 'a' }] });

  test('an OTLP-only cluster pays no custom metrics or performance logs; its GB are counted and said unpriced', () => {
    const fleet = {
      clusters: [
        { ...cluster, name: 'a' },
        { ...cluster, name: 'b', metricsDestination: MetricsDestination.OTLP },
      ],
    };
    const estimate = estimateFleet(fleet);
    const line = (e: typeof estimate, item: string) => e.lines.find((l) => l.item === item);
    for (const item of ['Container Insights custom metrics', 'performance logs']) {
      expect(line(estimate, item)?.monthlyUsd, item).toBeCloseTo(line(emfOnly, item)?.monthlyUsd ?? Number.NaN, 9);
    }
    expect(line(estimate, 'collector')?.monthlyUsd).toBeCloseTo(2 * (line(emfOnly, 'collector')?.monthlyUsd ?? 0), 9);
    const otlp = line(estimate, 'OTLP metrics');
    expect(otlp?.usage?.amount).toBeCloseTo(
      estimateOtlpIngestion({ pods: 100, scrapeIntervalSeconds: 60 }).ingestedGb,
      9,
    );
    expect(otlp?.monthlyUsd).toBe(0);
    expect(formatFleetBill(fleet, estimate)).toContainEqual(
      expect.stringMatching(
        /^ +- {2}OTLP metrics: 1 of 2 cluster\(s\), 161\.8 GB ingested in all; not priced: CloudWatch bills OTLP metrics per GB ingested, free during the public preview from 2026-04-02\.$/,
      ),
    );
    expect(formatFleetBill(fleet, estimate).at(-1)).toMatch(/ in all, besides what is not priced\.$/);
  });

  test('without OTLP, no OTLP line and nothing unpriced', () => {
    const printed = formatFleetBill({ clusters: [{ ...cluster, name: 'a' }] }, emfOnly);
    expect(printed.join('\n')).not.toContain('OTLP');
    expect(printed.at(-1)).toMatch(/ in all\.$/);
  });
});

describe('with application metrics too', () => {
  const app = resolveApplicationMetrics('applicationMetrics', {
    cloudWatch: { declarations: [{ metrics: ['http_requests_total'], dimensionSets: [['ClusterName', 'app']] }] },
    managedPrometheus: {
      remoteWriteUrl:
        'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-12345678-abcd-ef01-2345-6789abcdef01/api/v1/remote_write',
    },
  });
  test.each(Object.values(MetricsDestination))(
    '%s: every pipeline starts with memory_limiter, every component is defined once and used',
    (destination) => {
      const config = configFor(destination, { applicationMetrics: app });
      const pipelines = pipelinesOf(config);
      expect(pipelines.length).toBe(destination === 'both' ? 4 : 3);
      for (const [, pipeline] of pipelines) expect(pipeline.processors[0]).toBe('memory_limiter');
      for (const kind of ['receivers', 'processors', 'exporters'] as const) {
        expect(new Set(Object.keys(config[kind])), kind).toStrictEqual(new Set(pipelines.flatMap(([, p]) => p[kind])));
      }
      expect(new Set(config.service.extensions)).toStrictEqual(new Set(Object.keys(config.extensions)));
    },
  );
});
