import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { FargateContainerInsightsCollectorProps } from '../src/collector/collector-props';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { FargateContainerInsightsOperatorCollector } from '../src/collector/fargate-container-insights-operator-collector';
import { AdotVersion } from '../src/config/adot-version';
import {
  type ApplicationMetricDeclaration,
  type ApplicationMetrics,
  applicationMetricDescriptors,
  SAMPLE_GO_WEBAPP_DECLARATIONS,
  unitFromName,
} from '../src/config/application-metrics';
import { componentsBySetting } from '../src/config/collector-config';
import { EMF_UNITS } from '../src/config/components/awsemf-exporter';
import type { MetricsPipelineConfig } from '../src/config/components/service';
import type { CollectorConfig } from '../src/config/config-model';
import { applicationMetricsBasis, estimateApplicationMetrics } from '../src/config/cost-estimate';
import { declaredSeriesRule } from '../src/config/pipelines/application-pipeline';
import { inReleaseWords } from '../src/config/release-dialect';
import { renderCollectorConfig } from '../src/config/render';
import { clusterPrerequisites } from '../src/prerequisites/prerequisites';
import { validateManifest } from '../tools/manifests';
import {
  BOTH,
  CLOUDWATCH,
  configWith,
  DECLARATIONS,
  PROMETHEUS,
  REMOTE_WRITE_URL,
  resolved,
  WORKSPACE,
} from './support/application-metrics';
import {
  buildConfig,
  componentType,
  DEFAULT_CONFIG_OPTIONS,
  loadCollectorConfig,
  stageWhere,
} from './support/collector';
import { COLLECTOR_PROPS } from './support/fixtures';
import { relabel } from './support/relabel';

const props = COLLECTOR_PROPS;

function synth(extra: Partial<FargateContainerInsightsCollectorProps>) {
  const chart = Testing.chart();
  const collector = new FargateContainerInsightsCollector(chart, 'Collector', { ...props, ...extra });
  return { collector, manifests: Testing.synth(chart) as Array<Record<string, any>> };
}

describe('with the option off', () => {
  test('one pipeline, no application component, pod rights only to discover Fargate pods, no cluster name variable', () => {
    const config = buildConfig();
    expect(Object.keys(config.service.pipelines)).toStrictEqual(['metrics']);
    expect(Object.keys(config.receivers)).toStrictEqual(['prometheus']);
    expect(Object.keys(config.exporters)).toStrictEqual(['awsemf']);
    expect(Object.keys(config.extensions)).toStrictEqual(['health_check']);
    const { manifests } = synth({});
    const clusterRole = manifests.find((m) => m.kind === 'ClusterRole');
    expect(clusterRole?.rules.flatMap((r: { resources: string[] }) => r.resources)).toStrictEqual([
      'pods',
      'nodes',
      'nodes/proxy',
    ]);
    expect(manifests.some((m) => m.kind === 'Role' || m.kind === 'RoleBinding')).toBe(false);
    const statefulSet = manifests.find((m) => m.kind === 'StatefulSet');
    const env = statefulSet?.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name);
    expect(env).toStrictEqual(['OTEL_RESOURCE_ATTRIBUTES', 'GOMEMLIMIT']);
  });
});

function pipelinesOf(config: CollectorConfig): Array<[string, MetricsPipelineConfig]> {
  return Object.entries(config.service.pipelines).filter(
    (entry): entry is [string, MetricsPipelineConfig] => !!entry[1],
  );
}

describe('pipelines of their own', () => {
  test.each([
    ['CloudWatch', CLOUDWATCH, ['metrics', 'metrics/application_cloudwatch']],
    ['Amazon Managed Service for Prometheus', PROMETHEUS, ['metrics', 'metrics/application_prometheus']],
    ['both', BOTH, ['metrics', 'metrics/application_cloudwatch', 'metrics/application_prometheus']],
  ] as const)(
    '%s: the pipelines, each starting with memory_limiter, every component defined and used',
    (_, app, ids) => {
      const config = configWith(app);
      const pipelines = pipelinesOf(config);
      expect(pipelines.map(([id]) => id)).toStrictEqual(ids);
      for (const [, pipeline] of pipelines) expect(pipeline.processors[0]).toBe('memory_limiter');
      const used = (kind: 'receivers' | 'processors' | 'exporters') => new Set(pipelines.flatMap(([, p]) => p[kind]));
      for (const kind of ['receivers', 'processors', 'exporters'] as const) {
        expect(new Set(Object.keys(config[kind])), kind).toStrictEqual(used(kind));
      }
      expect(new Set(config.service.extensions)).toStrictEqual(new Set(Object.keys(config.extensions)));
      // Every application pipeline reads the application scrape, and only it.
      for (const [id, pipeline] of pipelines.slice(1))
        expect(pipeline.receivers, id).toStrictEqual(['prometheus/application']);
    },
  );

  test('the Container Insights pipeline, its declarations and its exporter do not change', () => {
    const off = buildConfig();
    for (const app of [CLOUDWATCH, PROMETHEUS, BOTH]) {
      const on = configWith(app);
      expect(on.service.pipelines.metrics).toStrictEqual(off.service.pipelines.metrics);
      expect(on.receivers.prometheus).toStrictEqual(off.receivers.prometheus);
      expect(on.exporters.awsemf).toStrictEqual(off.exporters.awsemf);
      for (const id of off.service.pipelines.metrics.processors)
        expect(on.processors[id]).toStrictEqual(off.processors[id]);
    }
  });

  test('several replicas shard the pods with the same SHARD variable as the nodes', () => {
    const job = configWith(CLOUDWATCH, { shards: 3 }).receivers['prometheus/application']?.config.scrape_configs[0];
    expect(job?.relabel_configs.filter((r) => r.action === 'hashmod')).toStrictEqual([
      {
        source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_pod_name'],
        modulus: 3,
        target_label: '__tmp_shard',
        action: 'hashmod',
      },
    ]);
    expect(renderCollectorConfig(configWith(CLOUDWATCH, { shards: 3 }), AdotVersion.DEFAULT)).toContain(
      'regex: ${env:SHARD}',
    );
  });
});

describe('CloudWatch: only declared metrics are billed', () => {
  const config = configWith(CLOUDWATCH);
  const exporter = config.exporters['awsemf/application'];

  test('own log group, metric namespace, stream per pod, the region; ClusterName from the resource', () => {
    expect(exporter).toMatchObject({
      log_group_name: '/aws/containerinsights/{ClusterName}/prometheus',
      log_stream_name: '{pod}',
      namespace: 'ContainerInsights/Prometheus',
      region: 'us-east-1',
      resource_to_telemetry_conversion: { enabled: true },
      dimension_rollup_option: 'NoDimensionRollup',
    });
    expect(config.service.pipelines['metrics/application_cloudwatch']?.processors).toContain('resourcedetection');
  });

  test('overridden log group and namespace', () => {
    const custom = configWith({
      cloudWatch: { ...DECLARATIONS, logGroupName: '/eks/{ClusterName}/apps', namespace: 'Shop/Apps' },
    });
    expect(custom.exporters['awsemf/application']).toMatchObject({
      log_group_name: '/eks/{ClusterName}/apps',
      namespace: 'Shop/Apps',
    });
  });

  test('anchored selectors: each declared name selects exactly itself', () => {
    const [declaration] = exporter?.metric_declarations ?? [];
    const selects = (name: string) => declaration?.metric_name_selectors.some((s) => new RegExp(s).test(name));
    expect(selects('http_requests_total')).toBe(true);
    expect(selects('request_duration_seconds')).toBe(true);
    expect(selects('http_requests_total_created')).toBe(false);
    expect(selects('my_http_requests_total')).toBe(false);
    expect(declaration?.dimensions).toStrictEqual([['ClusterName', 'namespace', 'app']]);
  });

  test('undeclared metrics are dropped at scrape time, a histogram kept by its series', () => {
    const job = config.receivers['prometheus/application']?.config.scrape_configs[0];
    expect(job?.metric_relabel_configs).toStrictEqual([
      declaredSeriesRule(['http_requests_total', 'request_duration_seconds']),
    ]);
    const kept = (name: string) => relabel({ __name__: name }, job?.metric_relabel_configs ?? []) !== undefined;
    for (const name of [
      'http_requests_total',
      'request_duration_seconds_bucket',
      'request_duration_seconds_sum',
      'request_duration_seconds_count',
    ]) {
      expect(kept(name), name).toBe(true);
    }
    for (const name of [
      'go_goroutines',
      'http_requests_total_created',
      'request_duration_seconds_max',
      'xhttp_requests_total',
    ]) {
      expect(kept(name), name).toBe(false);
    }
  });

  test("and the scrape's own series (up, scrape_*) by the filter before the exporter", () => {
    const filter = stageWhere(
      config,
      'filter',
      'keeps the declared metrics',
      () => true,
      'metrics/application_cloudwatch',
    );
    expect(filter.config).toStrictEqual({
      metrics: { include: { match_type: 'strict', metric_names: ['http_requests_total', 'request_duration_seconds'] } },
    });
  });

  test('the performance log group settings apply to this log group too', () => {
    const tagged = configWith(CLOUDWATCH, { logRetentionDays: 90, logGroupTags: { team: 'shop' } });
    expect(tagged.exporters['awsemf/application']).toMatchObject({ log_retention: 90, tags: { team: 'shop' } });
    expect(configWith(CLOUDWATCH, { logRetentionDays: 0 }).exporters['awsemf/application']).not.toHaveProperty(
      'log_retention',
    );
  });
});

describe('Amazon Managed Service for Prometheus', () => {
  test('remote write to the workspace, signed by sigv4auth for aps in its region, with the cluster label', () => {
    const config = configWith(PROMETHEUS);
    expect(config.exporters['prometheusremotewrite/application']).toStrictEqual({
      endpoint: REMOTE_WRITE_URL,
      auth: { authenticator: 'sigv4auth/application' },
      external_labels: { cluster: expect.objectContaining({ name: 'CLUSTER_NAME' }) },
    });
    expect(config.extensions['sigv4auth/application']).toStrictEqual({ region: 'eu-west-1', service: 'aps' });
    expect(renderCollectorConfig(config, AdotVersion.DEFAULT)).toContain('cluster: ${env:CLUSTER_NAME}');
  });

  test('everything scraped is written: no scrape-time keep-list, no filter', () => {
    for (const app of [PROMETHEUS, BOTH]) {
      const config = configWith(app);
      expect(config.receivers['prometheus/application']?.config.scrape_configs[0]).not.toHaveProperty(
        'metric_relabel_configs',
      );
      expect(config.service.pipelines['metrics/application_prometheus']?.processors.map(componentType)).toStrictEqual([
        'memory_limiter',
        'batch',
      ]);
    }
  });

  test('the collector gets CLUSTER_NAME in both modes', () => {
    const { manifests } = synth({ applicationMetrics: PROMETHEUS });
    const env = manifests.find((m) => m.kind === 'StatefulSet')?.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'CLUSTER_NAME', value: 'prod-eu' });
    const operator = new FargateContainerInsightsOperatorCollector(Testing.chart(), 'Collector', {
      ...props,
      applicationMetrics: PROMETHEUS,
    });
    expect(operator._spec.env).toContainEqual({ name: 'CLUSTER_NAME', value: 'prod-eu' });
  });
});

describe('every supported ADOT release', () => {
  test.each(AdotVersion.SUPPORTED)('%s: ships every component, reads back the model, every dollar escaped', (tag) => {
    const version = AdotVersion.of(tag);
    const options = { ...DEFAULT_CONFIG_OPTIONS, version, applicationMetrics: resolved(BOTH) };
    for (const { components } of componentsBySetting(options)) {
      for (const component of components) expect(version.ships(component), component).toBe(true);
    }
    expect(componentsBySetting(options).find((s) => s.setting === 'applicationMetrics')?.components).toStrictEqual([
      'awsemf',
      'batch',
      'filter',
      'memory_limiter',
      'prometheus',
      'prometheusremotewrite',
      'resourcedetection',
      'sigv4auth',
    ]);
    const config = configWith({ ...BOTH, namespaces: ['golang'] }, { version, shards: 2 });
    const text = renderCollectorConfig(config, version);
    expect(loadCollectorConfig(text)).toStrictEqual(JSON.parse(JSON.stringify(inReleaseWords(config, version))));
    for (const run of text.match(/\$+(?!\{env:)/g) ?? []) expect(run.length % 2, run).toBe(0);
    expect(text).toContain('replacement: $${1}:$${2}');
    expect(text).toContain('- ^http_requests_total$$');
  });

  test('a release without a needed component is rejected by name', () => {
    expect(AdotVersion.releasesShipping(['sigv4auth', 'prometheusremotewrite'])).toStrictEqual(AdotVersion.SUPPORTED);
    expect(AdotVersion.releasesShipping(['loki'])).toStrictEqual([]);
    expect(AdotVersion.DEFAULT.ships('loki')).toBe(false);
  });
});

describe('least privilege', () => {
  test('every namespace: pods get/list/watch join the ClusterRole', () => {
    const { manifests } = synth({ applicationMetrics: CLOUDWATCH });
    const clusterRole = manifests.find((m) => m.kind === 'ClusterRole');
    expect(clusterRole?.rules).toContainEqual({
      apiGroups: [''],
      resources: ['pods'],
      verbs: ['get', 'list', 'watch'],
    });
    expect(manifests.some((m) => m.kind === 'Role')).toBe(false);
  });

  test('listed namespaces: a Role and RoleBinding in each, nothing more cluster-wide', () => {
    const { collector, manifests } = synth({ applicationMetrics: { ...CLOUDWATCH, namespaces: ['golang', 'shop'] } });
    const roles = manifests.filter((m) => m.kind === 'Role');
    expect(roles.map((r) => r.metadata.namespace)).toStrictEqual(['golang', 'shop']);
    for (const role of roles)
      expect(role.rules).toStrictEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    const bindings = manifests.filter((m) => m.kind === 'RoleBinding');
    expect(bindings.map((b) => [b.metadata.namespace, b.roleRef.name, b.subjects])).toStrictEqual(
      ['golang', 'shop'].map((ns) => [
        ns,
        'adotcol-application-metrics',
        [{ apiGroup: '', kind: 'ServiceAccount', name: 'adot-collector', namespace: 'fargate-container-insights' }],
      ]),
    );
    // Cluster-wide, only what the performance scrape needs: the Fargate pods it discovers, their nodes and cAdvisor.
    const clusterRole = manifests.find((m) => m.kind === 'ClusterRole');
    expect(clusterRole?.rules.flatMap((r: { resources: string[] }) => r.resources)).toStrictEqual([
      'pods',
      'nodes',
      'nodes/proxy',
    ]);
    expect(collector.applicationRoles).toHaveLength(2);
  });

  test('IAM: aps:RemoteWrite on the one workspace only with that destination', () => {
    const policies = (app: ApplicationMetrics) => {
      const { collector } = synth({ applicationMetrics: app });
      return clusterPrerequisites({ collector }).collectorRole.Policies ?? [];
    };
    expect(policies(CLOUDWATCH)).toStrictEqual([]);
    expect(policies(PROMETHEUS)).toStrictEqual([
      {
        PolicyName: 'application-metrics-remote-write',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'RemoteWriteApplicationMetrics',
              Effect: 'Allow',
              Action: ['aps:RemoteWrite'],
              Resource: [`arn:aws:aps:eu-west-1:123456789012:workspace/${WORKSPACE}`],
            },
          ],
        },
      },
    ]);
  });

  test('IAM: with log group tags, the application log group may be tagged too; eksctl gets every statement', () => {
    const { collector } = synth({ applicationMetrics: BOTH, performanceLogGroupTags: { team: 'shop' } });
    const prerequisites = clusterPrerequisites({ collector });
    const [tags] = prerequisites.collectorRole.Policies ?? [];
    expect(tags?.PolicyDocument.Statement[0]?.Resource).toStrictEqual([
      'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/containerinsights/prod-eu/performance',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/containerinsights/prod-eu/performance:*',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/containerinsights/prod-eu/prometheus',
      'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/containerinsights/prod-eu/prometheus:*',
    ]);
    const [account] = prerequisites.eksctl.iam.serviceAccounts;
    expect(account?.attachPolicy?.Statement.map((s) => s.Sid)).toStrictEqual([
      'TagPerformanceLogGroup',
      'RemoteWriteApplicationMetrics',
    ]);
  });
});

describe('cost', () => {
  test('custom metrics per dimension set: one per pod, app or namespace value', () => {
    const input = {
      declarations: [
        {
          metrics: ['a', 'b'],
          dimensionSets: [['ClusterName'], ['ClusterName', 'namespace'], ['ClusterName', 'app'], ['pod']],
        },
      ],
      namespaces: 3,
      apps: 5,
      pods: 40,
    };
    const estimate = estimateApplicationMetrics(input);
    expect(estimate.perDimensionSet.map((s) => s.metrics)).toStrictEqual([2, 6, 10, 80]);
    expect(estimate.customMetrics).toBe(98);
    expect(estimate.monthlyUsd).toBe(29.4);
  });

  test("the sample's declarations: 3 custom metrics, $0.90 a month; an application's own label makes it a lower bound", () => {
    const sample = { declarations: SAMPLE_GO_WEBAPP_DECLARATIONS, namespaces: 1, apps: 1, pods: 2 };
    const estimate = estimateApplicationMetrics(sample);
    expect(applicationMetricsBasis(sample, estimate)).toBe('3 metrics per app × 1 = 3 custom metrics');
    expect(estimate.monthlyUsd).toBe(0.9);
    const own = {
      ...sample,
      declarations: [{ metrics: ['http_requests_total'], dimensionSets: [['ClusterName', 'path']] }],
    };
    expect(applicationMetricsBasis(own, estimateApplicationMetrics(own))).toBe(
      '1 metric per cluster × 1 = 1 custom metrics, at least (times the values of path)',
    );
  });
});

describe('schema validation', () => {
  test.each<[string, boolean, ApplicationMetrics]>([
    ['manifests, every namespace', false, BOTH],
    ['manifests, listed namespaces', false, { ...BOTH, namespaces: ['golang', 'shop'] }],
    ['operator, listed namespaces', true, { ...BOTH, namespaces: ['golang'] }],
  ])('%s: every synthesized object matches its schema', (_, operator, app) => {
    const chart = Testing.chart();
    const options = { ...props, applicationMetrics: app, replicas: 2 };
    if (operator) new FargateContainerInsightsOperatorCollector(chart, 'Collector', options);
    else new FargateContainerInsightsCollector(chart, 'Collector', options);
    const objects = Testing.synth(chart);
    expect(objects.length).toBeGreaterThan(4);
    for (const object of objects) validateManifest(object);
  });
});

describe('units', () => {
  test.each([
    ['http_requests_total', 'Count'],
    ['request_duration_seconds', 'Seconds'],
    ['gc_pause_seconds_total', 'Seconds'],
    ['process_resident_memory_bytes', 'Bytes'],
    ['network_receive_bytes_total', 'Bytes'],
    ['job_latency_milliseconds', 'Milliseconds'],
    ['disk_used_percent', 'Percent'],
    ['go_goroutines', undefined],
    ['queue_depth', undefined],
    // Only a suffix says a unit: `_seconds_` inside a name does not.
    ['time_seconds_budget', undefined],
  ])('%s: %s, from its name', (metric, unit) => {
    expect(unitFromName(metric)).toBe(unit);
  });

  test("the sample's metrics reach CloudWatch with their units: a name's unit fills in a missing one", () => {
    const exporter = configWith({ cloudWatch: { declarations: SAMPLE_GO_WEBAPP_DECLARATIONS } }).exporters[
      'awsemf/application'
    ];
    expect(exporter?.metric_descriptors).toStrictEqual([
      { metric_name: 'http_requests_total', unit: 'Count', overwrite: false },
      { metric_name: 'process_resident_memory_bytes', unit: 'Bytes', overwrite: false },
    ]);
  });

  test("a declaration's unit wins over the name's and over the metric's own", () => {
    const declarations = [
      {
        metrics: ['http_requests_total', 'queue_depth'],
        dimensionSets: [['ClusterName']],
        units: { http_requests_total: 'Count/Second', queue_depth: 'Count' },
      },
    ];
    expect(applicationMetricDescriptors(declarations)).toStrictEqual([
      { metric_name: 'http_requests_total', unit: 'Count/Second', overwrite: true },
      { metric_name: 'queue_depth', unit: 'Count', overwrite: true },
    ]);
  });

  test('every unit a descriptor carries is one awsemf accepts, for any declared name', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z_][a-z0-9_]{0,40}$/), (metric) => {
        const [descriptor] = applicationMetricDescriptors([{ metrics: [metric], dimensionSets: [['ClusterName']] }]);
        if (descriptor !== undefined) expect(EMF_UNITS).toContain(descriptor.unit);
      }),
      { seed: 20261201, numRuns: 500 },
    );
  });

  test.each<[string, unknown, string]>([
    [
      'a unit of an undeclared metric',
      { other_total: 'Count' },
      'Invalid applicationMetrics.cloudWatch.declarations[0].units key "other_total": expected one of the declaration\'s metrics (http_requests_total, request_duration_seconds).',
    ],
    [
      'a unit awsemf does not accept',
      { http_requests_total: 'requests' },
      'Invalid applicationMetrics.cloudWatch.declarations[0].units.http_requests_total "requests": expected a CloudWatch unit awsemf accepts: Seconds,',
    ],
    [
      'units that are not an object',
      ['Count'],
      'Invalid applicationMetrics.cloudWatch.declarations[0].units ["Count"]: expected an object of CloudWatch units by metric name',
    ],
  ])('%s is refused by name', (_, units, message) => {
    const declaration = { ...DECLARATIONS.declarations[0], units } as ApplicationMetricDeclaration;
    expect(() => resolved({ cloudWatch: { declarations: [declaration] } })).toThrow(message);
  });
});
