import { Chart, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import type { FargateContainerInsightsCollectorProps } from '../src/collector/collector-props';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { FargateContainerInsightsOperatorCollector } from '../src/collector/fargate-container-insights-operator-collector';
import { AdotVersion } from '../src/config/adot-version';
import { ValidationError } from '../src/core/errors';
import { validateManifest } from '../tools/manifests';
import { COLLECTOR_PROPS } from './support/fixtures';
import { restrictedViolations } from './support/pod-security';
import { only, synth } from './support/synth';

const PROPS = COLLECTOR_PROPS;

const operatorObjects = (props: Partial<FargateContainerInsightsCollectorProps> = {}) =>
  synth((chart) => new FargateContainerInsightsOperatorCollector(chart, 'Collector', { ...PROPS, ...props }));
const manifestObjects = (props: Partial<FargateContainerInsightsCollectorProps> = {}) =>
  synth((chart) => new FargateContainerInsightsCollector(chart, 'Collector', { ...PROPS, ...props }));

describe('FargateContainerInsightsOperatorCollector', () => {
  test('creates the namespace, IRSA service account, RBAC and one OpenTelemetryCollector; no workload of its own', () => {
    const objects = operatorObjects();
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toStrictEqual([
      'v1 Namespace fargate-container-insights',
      'v1 ServiceAccount adot-collector',
      'rbac.authorization.k8s.io/v1 ClusterRole adotcol-admin-role',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding adotcol-admin-role-binding',
      'opentelemetry.io/v1beta1 OpenTelemetryCollector adot',
    ]);
    for (const object of objects) validateManifest(object);
  });

  test("the configuration reads in the collector's own order, as the StatefulSet mode's ConfigMap does", () => {
    const resource = only(operatorObjects(), 'OpenTelemetryCollector');
    const configMap = only(manifestObjects(), 'ConfigMap');
    const fileOrder = Object.keys(parse(configMap.data['adot-collector-config']));
    expect(fileOrder).toStrictEqual(['receivers', 'processors', 'exporters', 'extensions', 'service']);
    expect(Object.keys(resource.spec.config)).toStrictEqual(fileOrder);
    // Processors in pipeline order too, not sorted.
    expect(Object.keys(resource.spec.config.processors)).toStrictEqual(
      resource.spec.config.service.pipelines.metrics.processors,
    );
  });

  test('the namespace, service account and RBAC are those of the StatefulSet mode', () => {
    const kinds = ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'];
    const pick = (objects: ReturnType<typeof operatorObjects>) => objects.filter((o) => kinds.includes(o.kind));
    expect(pick(operatorObjects({ namespace: 'observability' }))).toStrictEqual(
      pick(manifestObjects({ namespace: 'observability' })),
    );
  });

  test('runs the collector as a StatefulSet with our service account, pinned image, no operator upgrades', () => {
    const cr = only(operatorObjects(), 'OpenTelemetryCollector');
    expect(cr.metadata.namespace).toBe('fargate-container-insights');
    expect(cr.spec).toMatchObject({
      mode: 'statefulset',
      serviceAccount: 'adot-collector',
      image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0',
      imagePullPolicy: 'IfNotPresent',
      upgradeStrategy: 'none',
      replicas: 1,
      podDisruptionBudget: { maxUnavailable: 1 },
    });
  });

  test.each([AdotVersion.V0_40_0, AdotVersion.V0_42_0, AdotVersion.V0_49_0])(
    'carries the same configuration the StatefulSet mode mounts (%s)',
    (adotVersion) => {
      const cr = only(operatorObjects({ adotVersion, replicas: 3 }), 'OpenTelemetryCollector');
      const configMap = only(manifestObjects({ adotVersion, replicas: 3 }), 'ConfigMap');
      // Equal as data: the same keys and values, `$$` escapes and `${env:SHARD}` included.
      expect(cr.spec.config).toStrictEqual(parse(configMap.data['adot-collector-config']));
      expect(JSON.stringify(cr.spec.config)).toContain('${env:SHARD}');
      expect(JSON.stringify(cr.spec.config)).toContain('$$');
    },
  );

  test('sets the same environment, resources and security as the StatefulSet mode', () => {
    const props = { replicas: 2 };
    const cr = only(operatorObjects(props), 'OpenTelemetryCollector');
    const container = only(manifestObjects(props), 'StatefulSet').spec.template.spec.containers[0];
    expect(cr.spec.env).toStrictEqual(container.env);
    expect(cr.spec.resources).toStrictEqual(container.resources);
    expect(cr.spec.securityContext).toMatchObject(container.securityContext);
    expect(cr.spec.podAnnotations).toStrictEqual({ 'fargate-container-insights/fargate-size': '0.25vCPU 1GB' });
  });

  test('the pod it describes meets Pod Security "restricted"', () => {
    const { spec } = only(operatorObjects(), 'OpenTelemetryCollector');
    // The pod the operator builds from these fields: its container, security contexts and volumes.
    const pod = {
      securityContext: spec.podSecurityContext,
      volumes: spec.volumes,
      containers: [
        {
          name: 'otc-container',
          image: spec.image,
          securityContext: spec.securityContext,
          resources: spec.resources,
          volumeMounts: spec.volumeMounts,
        },
      ],
    };
    expect(restrictedViolations(pod)).toStrictEqual([]);
  });

  test('exposes its size, settings and objects', () => {
    const collector = new FargateContainerInsightsOperatorCollector(Testing.chart(), 'C', PROPS);
    expect(collector.fargateSize).toStrictEqual({ vcpu: 0.25, memoryGiB: 1 });
    expect(collector.sizing.fargateSize).toStrictEqual(collector.fargateSize);
    expect(collector.clusterName).toBe('prod-eu');
    expect(collector.serviceAccount.name).toBe('adot-collector');
    expect(collector._spec.mode).toBe('statefulset');
  });

  test.each<[string, Partial<FargateContainerInsightsCollectorProps>, string]>([
    ['a bad region', { region: 'eu' }, 'Invalid region "eu"'],
    ['too many replicas', { replicas: 101 }, 'Invalid replicas 101: expected a whole number from 1 to 100.'],
    ['a bad role', { serviceAccountRoleArn: 'arn:aws:iam::1:role/x' }, 'Invalid serviceAccountRoleArn'],
  ])('rejects %s as the StatefulSet mode does, before creating anything', (_, props, message) => {
    const chart = Testing.chart();
    expect(() => new FargateContainerInsightsOperatorCollector(chart, 'C', { ...PROPS, ...props })).toThrow(
      ValidationError,
    );
    expect(() => new FargateContainerInsightsOperatorCollector(Testing.chart(), 'C', { ...PROPS, ...props })).toThrow(
      message,
    );
    expect(Testing.synth(chart)).toStrictEqual([]);
  });

  test('cannot share a namespace with a StatefulSet-mode collector of the same app', () => {
    const app = Testing.app();
    new FargateContainerInsightsCollector(new Chart(app, 'a'), 'C', PROPS);
    expect(() => new FargateContainerInsightsOperatorCollector(new Chart(app, 'b'), 'C', PROPS)).toThrow(
      'Invalid namespace "fargate-container-insights": it is already created by a/C',
    );
  });

  test('the OpenTelemetryCollector schema catches what the CRD would reject', () => {
    const cr = only(operatorObjects(), 'OpenTelemetryCollector');
    expect(() => validateManifest({ ...cr, spec: { ...cr.spec, mode: 'job' } })).toThrow(
      '/spec/mode must be equal to one of the allowed values',
    );
    const { receivers: _, ...withoutReceivers } = cr.spec.config;
    expect(() => validateManifest({ ...cr, spec: { ...cr.spec, config: withoutReceivers } })).toThrow(
      "/spec/config must have required property 'receivers'",
    );
    expect(() => validateManifest({ ...cr, spec: { ...cr.spec, serviceAcount: 'x' } })).toThrow(
      'must NOT have additional properties',
    );
  });
});
