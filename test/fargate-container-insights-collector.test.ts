import { ApiObject, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { describe, expect, test } from 'vitest';
import type { FargateContainerInsightsCollectorProps } from '../src/collector/collector-props';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { AdotVersion } from '../src/config/adot-version';
import { Dimension } from '../src/config/catalog/metric-types';
import { MetricSelection } from '../src/config/metric-selection';
import { configMapChecksum } from '../src/fargate/pod-template';
import { validateManifest } from '../tools/manifests';
import { loadCollectorConfig, STAGES } from './support/collector';
import { COLLECTOR_PROPS, ROLE_ARN } from './support/fixtures';
import { only, synth } from './support/synth';

const props = COLLECTOR_PROPS;

function collector(overrides: Partial<FargateContainerInsightsCollectorProps> = {}) {
  return synth((chart) => new FargateContainerInsightsCollector(chart, 'Collector', { ...props, ...overrides }));
}

function configOf(objects: ReturnType<typeof collector>) {
  return loadCollectorConfig(only(objects, 'ConfigMap').data['adot-collector-config']);
}

describe('FargateContainerInsightsCollector', () => {
  const objects = collector();
  const statefulSet = only(objects, 'StatefulSet');
  const pod = statefulSet.spec.template.spec;
  const [container] = pod.containers;

  test('creates the namespace, service account, RBAC, config, service and StatefulSet', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toStrictEqual([
      'Namespace/fargate-container-insights',
      'ServiceAccount/adot-collector',
      'ClusterRole/adotcol-admin-role',
      'ClusterRoleBinding/adotcol-admin-role-binding',
      'ConfigMap/adot-collector-config',
      'Service/adot-collector-service',
      'StatefulSet/adot-collector',
      'PodDisruptionBudget/adot-collector',
    ]);
  });

  test('every object matches the Kubernetes schema', () => {
    for (const object of objects) expect(() => validateManifest(object)).not.toThrow();
  });

  test('namespaced objects live in the collector namespace', () => {
    for (const object of objects.filter((o) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind))) {
      expect(object.metadata.namespace, object.kind).toBe('fargate-container-insights');
    }
  });

  test('the service account carries the IRSA role', () => {
    expect(only(objects, 'ServiceAccount').metadata.annotations).toStrictEqual({
      'eks.amazonaws.com/role-arn': ROLE_ARN,
    });
  });

  test('the binding gives the role to the service account', () => {
    const binding = only(objects, 'ClusterRoleBinding');
    expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: 'adotcol-admin-role' });
    expect(binding.subjects).toMatchObject([
      { kind: 'ServiceAccount', name: 'adot-collector', namespace: 'fargate-container-insights' },
    ]);
  });

  test('the role grants exactly Fargate pod discovery with its nodes, and reading cAdvisor through the API server proxy', () => {
    const rules = only(objects, 'ClusterRole').rules as Array<Record<string, string[]>>;
    const grants = rules.flatMap((rule) => {
      expect(rule.apiGroups).toStrictEqual(['']);
      expect(rule.resourceNames ?? []).toStrictEqual([]);
      expect(rule.nonResourceURLs).toBeUndefined();
      return rule.resources.flatMap((resource) => rule.verbs.map((verb) => `${verb} ${resource}`));
    });
    expect(grants.sort()).toStrictEqual(['get nodes/proxy', 'list nodes', 'list pods', 'watch nodes', 'watch pods']);
  });

  test('the pod runs as the service account and mounts its token for the scrape', () => {
    expect(pod.serviceAccountName).toBe('adot-collector');
    expect(pod.automountServiceAccountToken).toBe(true);
    const scrape = configOf(objects).receivers.prometheus.config.scrape_configs[0];
    expect(scrape.authorization.credentials_file).toBe('/var/run/secrets/kubernetes.io/serviceaccount/token');
  });

  test('the container runs the collector with the mounted configuration', () => {
    expect(container.image).toBe('public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0');
    expect(container.command).toStrictEqual(['/awscollector', '--config=/conf/adot-collector-config.yaml']);
    expect(container.volumeMounts).toContainEqual({ mountPath: '/conf', name: 'adot-collector-config-volume' });
    expect(pod.volumes).toContainEqual({
      name: 'adot-collector-config-volume',
      configMap: {
        name: 'adot-collector-config',
        items: [{ key: 'adot-collector-config', path: 'adot-collector-config.yaml' }],
      },
    });
  });

  test('the cluster name reaches the pipeline through OTEL_RESOURCE_ATTRIBUTES', () => {
    expect(container.env).toContainEqual({ name: 'OTEL_RESOURCE_ATTRIBUTES', value: 'ClusterName=prod-eu' });
    expect(STAGES.resourceDetection(configOf(objects)).config.detectors).toStrictEqual(['env']);
  });

  test('metrics go to the cluster region', () => {
    expect(configOf(objects).exporters.awsemf.region).toBe('eu-west-1');
  });

  test('runs as the image user by number so the kubelet can enforce runAsNonRoot', () => {
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 4317, runAsGroup: 4317 });
  });

  test('sized for 100 pods: requests equal limits and fill the smallest Fargate size that holds, 0.25 vCPU 1 GB', () => {
    expect(container.resources).toStrictEqual({
      requests: { cpu: '250m', memory: '768Mi' },
      limits: { cpu: '250m', memory: '768Mi' },
    });
    const collector = new FargateContainerInsightsCollector(Testing.chart(), 'C', props);
    expect(collector.fargateSize).toStrictEqual({ vcpu: 0.25, memoryGiB: 1 });
    expect(collector.sizing).toMatchObject({ nodesPerReplica: 100, fargateSize: collector.fargateSize });
    expect(statefulSet.spec.template.metadata.annotations['fargate-container-insights/fargate-size']).toBe(
      '0.25vCPU 1GB',
    );
  });

  test.each<[string, Partial<FargateContainerInsightsCollectorProps>, object, string]>([
    ['1,000 pods', { expectedPods: 1000 }, { cpu: '500m', memory: '3840Mi' }, '0.5vCPU 4GB'],
    [
      '1,000 pods on 3 replicas',
      { expectedPods: 1000, replicas: 3 },
      { cpu: '250m', memory: '1792Mi' },
      '0.25vCPU 2GB',
    ],
    [
      'explicit resources, which win',
      { expectedPods: 1000, resources: { memory: { request: Size.mebibytes(512), limit: Size.mebibytes(512) } } },
      { memory: '512Mi' },
      '0.25vCPU 1GB',
    ],
  ])('%s', (_, overrides, resources, size) => {
    const sized = only(collector(overrides), 'StatefulSet').spec.template;
    expect(sized.spec.containers[0].resources.requests).toStrictEqual(resources);
    expect(sized.metadata.annotations['fargate-container-insights/fargate-size']).toBe(size);
  });

  test('memory_limiter comes first and GOMEMLIMIT matches its hard limit, both sized from the memory limit', () => {
    const config = configOf(objects);
    expect(STAGES.memoryLimiter(config).index).toBe(0);
    expect(STAGES.memoryLimiter(config).config).toStrictEqual({
      check_interval: '1s',
      limit_mib: 614,
      spike_limit_mib: 122,
    });
    expect(container.env).toContainEqual({ name: 'GOMEMLIMIT', value: '614MiB' });
  });

  test('the kubelet probes the health_check extension, which listens on all interfaces', () => {
    expect(configOf(objects).extensions.health_check.endpoint).toBe('0.0.0.0:13133');
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(container[probe], probe).toMatchObject({ httpGet: { path: '/', port: 13133 } });
    }
    expect(container.ports).toContainEqual({ name: 'health', containerPort: 13133 });
  });

  test("the Service reaches the collector's own metrics, served on all interfaces", () => {
    expect(only(objects, 'Service').spec.ports).toStrictEqual([{ name: 'metrics', port: 8888, targetPort: 8888 }]);
    expect(container.ports).toContainEqual({ name: 'metrics', containerPort: 8888 });
    const [reader] = configOf(objects).service.telemetry.metrics.readers;
    expect(reader.pull.exporter.prometheus).toMatchObject({ host: '0.0.0.0', port: 8888 });
  });

  test('a PodDisruptionBudget lets Fargate evict the collector for patching, one pod at a time', () => {
    const pdb = only(objects, 'PodDisruptionBudget');
    expect(pdb.metadata.namespace).toBe('fargate-container-insights');
    expect(pdb.spec).toStrictEqual({
      maxUnavailable: 1,
      selector: { matchLabels: statefulSet.spec.selector.matchLabels },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('the pod template carries the SHA-256 of the configuration it mounts', () => {
    const data = only(objects, 'ConfigMap').data as Record<string, string>;
    expect(statefulSet.spec.template.metadata.annotations['fargate-container-insights/config-sha256']).toBe(
      configMapChecksum(data),
    );
    expect(configMapChecksum(data)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the StatefulSet selects its pods by the labels of the reference manifest', () => {
    expect(statefulSet.spec.selector).toStrictEqual({ matchLabels: { app: 'aws-adot', component: 'adot-collector' } });
    expect(statefulSet.spec.template.metadata.labels).toMatchObject({ app: 'aws-adot', component: 'adot-collector' });
    expect(statefulSet.spec.serviceName).toBe('adot-collector-service');
    expect(only(objects, 'Service').spec.selector).toMatchObject({ component: 'adot-collector' });
  });

  test('exposes the underlying cdk8s-plus objects', () => {
    const chart = Testing.chart();
    const c = new FargateContainerInsightsCollector(chart, 'C', props);
    expect(c.statefulSet).toBeInstanceOf(kplus.StatefulSet);
    expect(c.serviceAccount).toBeInstanceOf(kplus.ServiceAccount);
    expect(c.configMap).toBeInstanceOf(kplus.ConfigMap);
    expect(c.container.name).toBe('adot-collector');
    expect(c.podDisruptionBudget).toBeInstanceOf(ApiObject);
    c.statefulSet.podMetadata.addAnnotation('example.com/team', 'platform');
    const synthesized = Testing.synth(chart) as any[];
    expect(only(synthesized, 'StatefulSet').spec.template.metadata.annotations).toMatchObject({
      'example.com/team': 'platform',
    });
  });

  test('the Fargate size counts containers added to the pod after construction', () => {
    const chart = Testing.chart();
    const c = new FargateContainerInsightsCollector(chart, 'C', props);
    c.statefulSet.addContainer({
      name: 'sidecar',
      image: 'busybox',
      resources: {
        cpu: { request: kplus.Cpu.units(1) },
        memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
      },
    });
    expect(c.fargateSize).toStrictEqual({ vcpu: 2, memoryGiB: 4 });
    const pod = only(Testing.synth(chart) as any[], 'StatefulSet').spec.template;
    expect(pod.metadata.annotations['fargate-container-insights/fargate-size']).toBe('2vCPU 4GB');
  });
});

describe('sharding', () => {
  test('one replica by default, with no shard variable', () => {
    const statefulSet = only(collector(), 'StatefulSet');
    expect(statefulSet.spec.replicas).toBe(1);
    expect(statefulSet.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name)).not.toContain(
      'SHARD',
    );
  });

  test('replicas split the nodes: each pod reads its shard from its StatefulSet pod index', () => {
    const objects = collector({ replicas: 3 });
    const statefulSet = only(objects, 'StatefulSet');
    expect(statefulSet.spec.replicas).toBe(3);
    expect(statefulSet.spec.template.spec.containers[0].env).toContainEqual({
      name: 'SHARD',
      valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } },
    });
    const text = only(objects, 'ConfigMap').data['adot-collector-config'] as string;
    expect(text).toContain('modulus: 3');
    expect(text).toContain('regex: ${env:SHARD}');
  });
});

describe('config checksum', () => {
  const checksum = (overrides: Partial<FargateContainerInsightsCollectorProps>) =>
    only(collector(overrides), 'StatefulSet').spec.template.metadata.annotations[
      'fargate-container-insights/config-sha256'
    ];

  test('an unchanged configuration leaves the pod template as it is', () => {
    expect(checksum({})).toBe(checksum({}));
    expect(only(collector(), 'StatefulSet').spec.template).toStrictEqual(
      only(collector(), 'StatefulSet').spec.template,
    );
  });

  test.each<[string, Partial<FargateContainerInsightsCollectorProps>]>([
    ['region', { region: 'us-west-2' }],
    ['scrape interval', { scrapeInterval: Duration.seconds(30), scrapeTimeout: Duration.seconds(20) }],
    ['metrics', { metricSelection: MetricSelection.metrics(['pod_memory_working_set']) }],
    ['ADOT version', { adotVersion: AdotVersion.V0_42_0 }],
  ])('a change of %s changes the checksum, so the StatefulSet rolls', (_, overrides) => {
    expect(checksum(overrides)).not.toBe(checksum({}));
  });

  test('a change outside the configuration (the role ARN) does not', () => {
    expect(checksum({ serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/other' })).toBe(checksum({}));
  });
});

describe('props', () => {
  test('namespace moves every namespaced object and the binding subject', () => {
    const objects = collector({ namespace: 'observability' });
    expect(only(objects, 'Namespace').metadata.name).toBe('observability');
    expect(only(objects, 'StatefulSet').metadata.namespace).toBe('observability');
    expect(only(objects, 'ClusterRoleBinding').subjects[0].namespace).toBe('observability');
  });

  test('adotVersion selects the image tag and the component names', () => {
    const objects = collector({ adotVersion: AdotVersion.V0_40_0 });
    expect(only(objects, 'StatefulSet').spec.template.spec.containers[0].image).toMatch(/:v0\.40\.0$/);
    expect(configOf(objects).service.pipelines.metrics.processors).toContain('experimental_metricsgeneration/1');
  });

  test('image overrides the image but not the configuration version', () => {
    const objects = collector({ image: 'registry.example.com/mirror/aws-otel-collector:v0.49.0' });
    expect(only(objects, 'StatefulSet').spec.template.spec.containers[0].image).toBe(
      'registry.example.com/mirror/aws-otel-collector:v0.49.0',
    );
  });

  test('scrape interval and timeout', () => {
    const objects = collector({ scrapeInterval: Duration.seconds(30), scrapeTimeout: Duration.seconds(20) });
    expect(configOf(objects).receivers.prometheus.config.global).toStrictEqual({
      scrape_interval: '30s',
      scrape_timeout: '20s',
    });
  });

  test('resources set the container, the Fargate size and the memory limiter', () => {
    const objects = collector({
      resources: {
        cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
      },
    });
    const template = only(objects, 'StatefulSet').spec.template;
    expect(template.spec.containers[0].resources).toStrictEqual({
      requests: { cpu: '500m', memory: '1024Mi' },
      limits: { cpu: '500m', memory: '1024Mi' },
    });
    // 1024 MiB + 256 MiB does not fit 0.5 vCPU 1 GB: the next size up.
    expect(template.metadata.annotations['fargate-container-insights/fargate-size']).toBe('0.5vCPU 2GB');
    expect(STAGES.memoryLimiter(configOf(objects)).config).toMatchObject({ limit_mib: 819, spike_limit_mib: 163 });
  });

  test('metrics and dimension sets', () => {
    const objects = collector({
      metricSelection: MetricSelection.metrics(
        ['pod_memory_working_set'],
        [[Dimension.CLUSTER_NAME, Dimension.NAMESPACE]],
      ),
    });
    expect(configOf(objects).exporters.awsemf.metric_declarations).toStrictEqual([
      { dimensions: [['ClusterName', 'Namespace']], metric_name_selectors: ['^pod_memory_working_set$'] },
    ]);
  });
});
