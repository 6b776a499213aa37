import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { describe, expect, test } from 'vitest';
import { validateManifest } from '../scripts/manifests';
import { SampleGoWebapp, type SampleGoWebappProps } from '../src';
import { only, synth } from './support/synth';

const webapp = (props?: SampleGoWebappProps) => synth((chart) => new SampleGoWebapp(chart, 'Webapp', props));

describe('SampleGoWebapp', () => {
  const objects = webapp();
  const deployment = only(objects, 'Deployment', 'webapp');
  const [container] = deployment.spec.template.spec.containers;

  test('creates namespace golang and Deployment webapp with 2 replicas', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toStrictEqual(['Namespace/golang', 'Deployment/webapp']);
    expect(deployment.metadata.namespace).toBe('golang');
    expect(deployment.spec.replicas).toBe(2);
  });

  test('every object matches the Kubernetes schema', () => {
    for (const object of objects) expect(() => validateManifest(object)).not.toThrow();
  });

  test('runs the sample image with resource requests, which Fargate sizes the pod by', () => {
    expect(container.image).toBe('public.ecr.aws/awsvijisarathy/prometheus-webapp:latest');
    expect(container.resources).toStrictEqual({
      requests: { cpu: '256m', memory: '512Mi' },
      limits: { cpu: '512m', memory: '1024Mi' },
    });
  });

  test('keeps the labels and Prometheus annotations of the AWS walkthrough', () => {
    expect(deployment.spec.selector).toStrictEqual({ matchLabels: { app: 'webapp', role: 'webapp-service' } });
    expect(deployment.spec.template.metadata.annotations).toStrictEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '3000',
      'prometheus.io/path': '/metrics',
    });
    expect(container.ports).toStrictEqual([{ containerPort: 3000 }]);
  });

  test('runs as a numeric non-root user', () => {
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
  });

  test('props: namespace, replicas, image and resources', () => {
    const custom = webapp({
      namespace: 'demo',
      replicas: 5,
      image: `public.ecr.aws/awsvijisarathy/prometheus-webapp@sha256:${'0'.repeat(64)}`,
      resources: { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256) } },
    });
    const d = only(custom, 'Deployment');
    expect(only(custom, 'Namespace').metadata.name).toBe('demo');
    expect(d.metadata.namespace).toBe('demo');
    expect(d.spec.replicas).toBe(5);
    expect(d.spec.template.spec.containers[0].image).toMatch(/@sha256:0{64}$/);
    expect(d.spec.template.spec.containers[0].resources).toStrictEqual({ requests: { cpu: '250m', memory: '256Mi' } });
  });

  test.each<[SampleGoWebappProps, string]>([
    [{ namespace: 'Go_Lang' }, 'Invalid namespace "Go_Lang": expected a DNS-1123 label'],
    [{ replicas: -1 }, 'Invalid replicas -1: expected a whole number from 0 to 1000.'],
    [{ replicas: 2.5 }, 'Invalid replicas 2.5: expected a whole number from 0 to 1000.'],
    [{ image: 'prometheus webapp' }, 'Invalid image "prometheus webapp"'],
  ])('rejects %j', (props, message) => {
    expect(() => webapp(props)).toThrow(message);
  });
});
