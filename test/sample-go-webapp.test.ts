import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { describe, expect, test } from 'vitest';
import { SampleGoWebapp, type SampleGoWebappProps } from '../src/sample/sample-go-webapp';
import { validateManifest } from '../tools/manifests';
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

  test("runs the sample image with requests equal to limits that fill Fargate's smallest size", () => {
    expect(container.image).toBe('public.ecr.aws/awsvijisarathy/prometheus-webapp:latest');
    expect(container.resources).toStrictEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '250m', memory: '256Mi' },
    });
    expect(deployment.spec.template.metadata.annotations['fargate-container-insights/fargate-size']).toBe(
      '0.25vCPU 0.5GB',
    );
    expect(new SampleGoWebapp(Testing.chart(), 'W').fargateSize).toStrictEqual({ vcpu: 0.25, memoryGiB: 0.5 });
  });

  test('probes the application port', () => {
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(container[probe], probe).toMatchObject({ tcpSocket: { port: 3000 } });
    }
  });

  test('keeps the labels and Prometheus annotations of the AWS walkthrough', () => {
    expect(deployment.spec.selector).toStrictEqual({ matchLabels: { app: 'webapp', role: 'webapp-service' } });
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
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
      resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { limit: Size.mebibytes(1024) } },
    });
    const d = only(custom, 'Deployment');
    expect(only(custom, 'Namespace').metadata.name).toBe('demo');
    expect(d.metadata.namespace).toBe('demo');
    expect(d.spec.replicas).toBe(5);
    expect(d.spec.template.spec.containers[0].image).toMatch(/@sha256:0{64}$/);
    expect(d.spec.template.spec.containers[0].resources).toStrictEqual({
      requests: { cpu: '500m' },
      limits: { memory: '1024Mi' },
    });
    // The memory request defaults to the limit: 1024 MiB + 256 MiB needs 2 GB.
    expect(d.spec.template.metadata.annotations['fargate-container-insights/fargate-size']).toBe('0.5vCPU 2GB');
  });

  // Bad props: test/bad-input.test.ts.
});
