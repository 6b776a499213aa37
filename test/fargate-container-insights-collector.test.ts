import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { describe, expect, test } from 'vitest';
import { validateManifest } from '../scripts/manifests';
import {
  AdotVersion,
  FargateContainerInsightsCollector,
  type FargateContainerInsightsCollectorProps,
  ValidationError,
} from '../src';
import { loadCollectorConfig, loadReference } from './support/collector';
import { only, synth } from './support/synth';

const props: FargateContainerInsightsCollectorProps = {
  clusterName: 'prod-eu',
  region: 'eu-west-1',
  serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/adot-collector',
};

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
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/adot-collector',
    });
  });

  test('the binding gives the role to the service account', () => {
    const binding = only(objects, 'ClusterRoleBinding');
    expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: 'adotcol-admin-role' });
    expect(binding.subjects).toMatchObject([
      { kind: 'ServiceAccount', name: 'adot-collector', namespace: 'fargate-container-insights' },
    ]);
  });

  test('the role can discover nodes and read cAdvisor through the API server proxy', () => {
    const rules = only(objects, 'ClusterRole').rules as Array<{ resources?: string[]; verbs: string[] }>;
    const allows = (resource: string, verb: string) =>
      rules.some((r) => r.resources?.includes(resource) && r.verbs.includes(verb));
    expect(allows('nodes', 'list')).toBe(true);
    expect(allows('nodes', 'watch')).toBe(true);
    expect(allows('nodes/proxy', 'get')).toBe(true);
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
    expect(container.env).toStrictEqual([{ name: 'OTEL_RESOURCE_ATTRIBUTES', value: 'ClusterName=prod-eu' }]);
    expect(configOf(objects).processors.resourcedetection.detectors).toStrictEqual(['env']);
  });

  test('metrics go to the cluster region', () => {
    expect(configOf(objects).exporters.awsemf.region).toBe('eu-west-1');
  });

  test('runs as the image user by number so the kubelet can enforce runAsNonRoot', () => {
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 4317, runAsGroup: 4317 });
  });

  test('uses the reference sizing: 1 vCPU and 2 GiB', () => {
    expect(container.resources).toStrictEqual({
      requests: { cpu: '1', memory: '2048Mi' },
      limits: { cpu: '1', memory: '2048Mi' },
    });
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
    c.statefulSet.podMetadata.addAnnotation('example.com/team', 'platform');
    const synthesized = Testing.synth(chart) as any[];
    expect(only(synthesized, 'StatefulSet').spec.template.metadata.annotations).toStrictEqual({
      'example.com/team': 'platform',
    });
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

  test('resources', () => {
    const objects = collector({
      resources: {
        cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
      },
    });
    expect(only(objects, 'StatefulSet').spec.template.spec.containers[0].resources).toStrictEqual({
      requests: { cpu: '500m', memory: '1024Mi' },
      limits: { cpu: '500m', memory: '1024Mi' },
    });
  });

  test('metrics and dimension sets', () => {
    const objects = collector({ metrics: ['pod_memory_working_set'], dimensionSets: [['ClusterName', 'Namespace']] });
    expect(configOf(objects).exporters.awsemf.metric_declarations).toStrictEqual([
      { dimensions: [['ClusterName', 'Namespace']], metric_name_selectors: ['pod_memory_working_set'] },
    ]);
  });
});

describe('defaults do what the AWS reference manifest does', () => {
  const reference = loadReference('otel-fargate-container-insights.2026-07.yaml');
  const ours = collector({ clusterName: 'YOUR-EKS-CLUSTER-NAME', region: 'us-east-1' });

  test('same object names', () => {
    const names = (objects: Array<{ kind: string; metadata: { name: string } }>) =>
      objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names(ours)).toStrictEqual(expect.arrayContaining(names(reference.objects)));
  });

  test('same StatefulSet selector, so an existing reference install can be updated in place', () => {
    expect(only(ours, 'StatefulSet').spec.selector).toStrictEqual(only(reference.objects, 'StatefulSet').spec.selector);
  });

  test('same collector environment and resources', () => {
    const ourContainer = only(ours, 'StatefulSet').spec.template.spec.containers[0];
    const refContainer = only(reference.objects, 'StatefulSet').spec.template.spec.containers[0];
    expect(ourContainer.env).toStrictEqual(refContainer.env);
    expect(ourContainer.command).toStrictEqual(refContainer.command);
    expect(kplus.Cpu.units(Number(refContainer.resources.requests.cpu)).amount).toBe(
      ourContainer.resources.requests.cpu,
    );
  });

  test('same exporter configuration', () => {
    expect(configOf(ours).exporters).toStrictEqual(reference.config.exporters);
  });
});

describe('validation', () => {
  test.each<[string, Partial<FargateContainerInsightsCollectorProps>, string | RegExp]>([
    ['clusterName', { clusterName: 'my cluster' }, 'Invalid clusterName "my cluster": expected an EKS cluster name'],
    ['region', { region: 'Europe' }, 'Invalid region "Europe": expected an AWS region code'],
    [
      'serviceAccountRoleArn',
      { serviceAccountRoleArn: 'arn:aws:iam::123:role/x' },
      'Invalid serviceAccountRoleArn "arn:aws:iam::123:role/x"',
    ],
    ['namespace', { namespace: 'Observability' }, 'Invalid namespace "Observability": expected a DNS-1123 label'],
    ['image', { image: 'not an image' }, 'Invalid image "not an image"'],
    ['scrapeInterval', { scrapeInterval: Duration.seconds(0) }, /^Invalid scrapeInterval/],
    ['scrapeTimeout', { scrapeTimeout: Duration.seconds(0) }, /^Invalid scrapeTimeout/],
    [
      'scrapeTimeout vs interval',
      { scrapeTimeout: Duration.minutes(1) },
      'Invalid scrapeTimeout 60000ms: expected a duration shorter than scrapeInterval (60000ms).',
    ],
    ['resources', { resources: { cpu: { request: kplus.Cpu.units(0) } } }, 'Invalid resources.cpu.request "0"'],
    [
      'metrics',
      { metrics: ['pod_cpu_utilisation'] },
      'Invalid metrics ["pod_cpu_utilisation"]: the pipeline does not produce this metric.',
    ],
  ])('%s', (_, overrides, message) => {
    expect(() => collector(overrides)).toThrow(ValidationError);
    expect(() => collector(overrides)).toThrow(message);
  });

  test('nothing is added to the chart when a prop is invalid', () => {
    const chart = Testing.chart();
    expect(() => new FargateContainerInsightsCollector(chart, 'C', { ...props, region: 'nowhere' })).toThrow();
    // The failed construct is attached to the tree but holds no objects.
    expect(Testing.synth(chart)).toStrictEqual([]);
  });
});

test('the same input gives byte-identical output', () => {
  const yaml = () => {
    const app = Testing.app();
    new FargateContainerInsightsCollector(new Chart(app, 'insights'), 'Collector', props);
    return app.synthYaml();
  };
  const first = yaml();
  expect(first).toContain('kind: StatefulSet');
  expect(yaml()).toBe(first);
});
