import { describe, expect, test } from 'vitest';
import type { ApplicationMetrics } from '../src/config/application-metrics';
import { podRelabelRules } from '../src/config/pipelines/application-pipeline';
import { CLOUDWATCH, configWith } from './support/application-metrics';
import { relabel, targetOf } from './support/relabel';

/**
 * Which pods' metrics application metrics scrape: Kubernetes service
 * discovery's targets through the scrape's relabel rules, as the Prometheus
 * receiver applies them.
 */

/** A pod as Kubernetes service discovery (role pod) describes it: one target per container port. */
function discoveredPod(pod: {
  name: string;
  namespace?: string;
  ip?: string;
  phase?: string;
  port?: number;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}): Record<string, string> {
  const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, '_');
  const ip = pod.ip ?? '192.168.10.7';
  return {
    __address__: pod.port === undefined ? ip : ip.includes(':') ? `[${ip}]:${pod.port}` : `${ip}:${pod.port}`,
    __scheme__: 'http',
    __metrics_path__: '/metrics',
    __meta_kubernetes_namespace: pod.namespace ?? 'golang',
    __meta_kubernetes_pod_name: pod.name,
    __meta_kubernetes_pod_ip: ip,
    __meta_kubernetes_pod_phase: pod.phase ?? 'Running',
    ...Object.fromEntries(
      Object.entries(pod.annotations ?? {}).map(([k, v]) => [`__meta_kubernetes_pod_annotation_${sanitize(k)}`, v]),
    ),
    ...Object.fromEntries(
      Object.entries(pod.labels ?? {}).map(([k, v]) => [`__meta_kubernetes_pod_label_${sanitize(k)}`, v]),
    ),
  };
}

const SCRAPE = { 'prometheus.io/scrape': 'true' };
const scraped = (pod: Parameters<typeof discoveredPod>[0], shards = 1, shard = '0') => {
  const labels = relabel(discoveredPod(pod), podRelabelRules(shards), { SHARD: shard });
  return labels && targetOf(labels);
};

describe('pod discovery', () => {
  test('an annotated pod is scraped at its IP, the annotated port, path and scheme, labelled with namespace, pod and app', () => {
    expect(
      scraped({
        name: 'webapp-7d4b9c-x2x8k',
        port: 8080,
        annotations: {
          ...SCRAPE,
          'prometheus.io/port': '3000',
          'prometheus.io/path': '/stats',
          'prometheus.io/scheme': 'https',
        },
        labels: { app: 'webapp' },
      }),
    ).toStrictEqual({
      __address__: '192.168.10.7:3000',
      __scheme__: 'https',
      __metrics_path__: '/stats',
      namespace: 'golang',
      pod: 'webapp-7d4b9c-x2x8k',
      app: 'webapp',
    });
  });

  test('without port, path and scheme annotations: the discovered container port, /metrics, http', () => {
    expect(scraped({ name: 'api-0', port: 9090, annotations: SCRAPE })).toStrictEqual({
      __address__: '192.168.10.7:9090',
      __scheme__: 'http',
      __metrics_path__: '/metrics',
      namespace: 'golang',
      pod: 'api-0',
    });
  });

  test('an IPv6 pod address is bracketed', () => {
    const target = scraped({
      name: 'v6',
      ip: 'fd00:ec2::1b7',
      annotations: { ...SCRAPE, 'prometheus.io/port': '3000' },
    });
    expect(target?.__address__).toBe('[fd00:ec2::1b7]:3000');
  });

  test('app.kubernetes.io/name wins over app; either alone is used', () => {
    const app = (labels: Record<string, string>) => scraped({ name: 'p', annotations: SCRAPE, labels })?.app;
    expect(app({ app: 'legacy', 'app.kubernetes.io/name': 'checkout' })).toBe('checkout');
    expect(app({ 'app.kubernetes.io/name': 'checkout' })).toBe('checkout');
    expect(app({ app: 'legacy' })).toBe('legacy');
    expect(app({})).toBeUndefined();
  });

  test.each([
    ['not annotated', { name: 'p' }],
    ['annotated "false"', { name: 'p', annotations: { 'prometheus.io/scrape': 'false' } }],
    ['pending', { name: 'p', phase: 'Pending', annotations: SCRAPE }],
    ['finished', { name: 'p', phase: 'Succeeded', annotations: SCRAPE }],
  ])('%s: not scraped', (_, pod) => {
    expect(scraped(pod)).toBeUndefined();
  });

  test.each([2, 3, 5])('%i replicas scrape every pod exactly once', (shards) => {
    const pods = Array.from({ length: 1500 }, (_, i) => ({
      name: `webapp-${i.toString(36)}`,
      namespace: `team-${i % 7}`,
      annotations: SCRAPE,
    }));
    const counts = Array.from({ length: shards }, () => 0);
    for (const pod of pods) {
      const owners = counts.map((_, shard) => shard).filter((shard) => scraped(pod, shards, String(shard)));
      expect(owners, pod.name).toHaveLength(1);
      counts[owners[0] as number]++;
    }
    for (const count of counts)
      expect(Math.abs(count - pods.length / shards)).toBeLessThan(0.2 * (pods.length / shards));
  });

  test('listed namespaces limit the discovery; none: every namespace', () => {
    const job = (app: ApplicationMetrics) =>
      configWith(app).receivers['prometheus/application']?.config.scrape_configs[0];
    expect(job({ ...CLOUDWATCH, namespaces: ['golang', 'shop'] })?.kubernetes_sd_configs).toStrictEqual([
      { role: 'pod', namespaces: { names: ['golang', 'shop'] } },
    ]);
    expect(job(CLOUDWATCH)?.kubernetes_sd_configs).toStrictEqual([{ role: 'pod' }]);
  });
});
