import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { REFERENCE_DECLARATIONS } from '../src/config/catalog/profiles';
import { defaultExpectedWorkloads, estimateCustomMetrics, estimatePerformanceLogs } from '../src/config/cost-estimate';
import { OTLP_METRICS_REGIONS } from '../src/config/metrics-destination';
import { OTLP_ATTRIBUTES, OTLP_BATCH_SIZE, OTLP_CADVISOR_FAMILIES } from '../src/config/otlp';
import { estimateOtlpIngestion, otlpBreakEvenUsdPerGb, otlpPodScrape } from '../src/config/otlp-cost';

/**
 * docs/otlp-and-promql.md is true: its tables are the code's data, its
 * figures what the cost model gives, and its PromQL parses with Prometheus'
 * own grammar and names only what the OTLP path sends.
 */
const GUIDE = readFileSync(join(__dirname, '..', 'docs', 'otlp-and-promql.md'), 'utf8');

/** The rows of the markdown table whose header starts with `first`, as trimmed cells without backticks. */
function table(first: string): string[][] {
  const lines = GUIDE.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\|\\s*${first}\\s*\\|`).test(line));
  expect(start, `a table starting with "${first}"`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replaceAll('`', '')),
    );
  }
  return rows;
}

describe('the tables are the data', () => {
  test('the families', () => {
    expect(table('metric')).toStrictEqual(OTLP_CADVISOR_FAMILIES.map((f) => [f.name, f.category, f.type, f.per]));
  });

  test('the attributes, their scopes and PromQL labels', () => {
    expect(table('attribute')).toStrictEqual(
      OTLP_ATTRIBUTES.map((a) => [
        a.name,
        a.scope,
        a.scope === 'resource' ? `"@resource.${a.name}"` : `"${a.name}"`,
        a.source,
      ]),
    );
  });

  test('the regions', () => {
    const section = GUIDE.slice(GUIDE.indexOf('### Regions'), GUIDE.indexOf('## What is sent'));
    const listed = [...section.matchAll(/`([a-z]{2}(?:-[a-z]+)+-\d)`/g)].map((m) => m[1]);
    expect(listed.sort()).toStrictEqual([...OTLP_METRICS_REGIONS].sort());
  });
});

describe('the figures are the cost model', () => {
  test('per pod per scrape, and the batch size', () => {
    const scrape = otlpPodScrape();
    expect(GUIDE).toContain(
      `${scrape.dataPoints} data points and ${(scrape.bytes / 1000).toFixed(1)} KB per pod per scrape`,
    );
    expect(GUIDE).toContain(`at most ${OTLP_BATCH_SIZE} data points per request`);
  });

  test('the cost table: 10, 100 and 1,000 pods', () => {
    const rows = table('pods');
    expect(rows.map((r) => Number(r[0]))).toStrictEqual([10, 100, 1000]);
    for (const [pods, classic, logs, otlp, breakEven] of rows) {
      const count = Number(pods);
      const metrics = estimateCustomMetrics({
        declarations: REFERENCE_DECLARATIONS,
        namespaces: Math.min(10, count),
        pods: count,
        workloads: defaultExpectedWorkloads(count, Math.min(10, count)),
        podNamePer: 'workload',
      });
      const performance = estimatePerformanceLogs({ pods: count, scrapeIntervalSeconds: 60, retentionDays: 30 });
      const emfUsd = metrics.monthlyUsd + performance.ingestionUsd + performance.storageUsd;
      const estimate = estimateOtlpIngestion({ pods: count, scrapeIntervalSeconds: 60 });
      expect([classic, logs, otlp, breakEven]).toStrictEqual([
        `$${emfUsd.toFixed(2)} a month`,
        `${performance.ingestedGb.toFixed(1)} GB`,
        `${estimate.ingestedGb.toFixed(1)} GB`,
        `$${otlpBreakEvenUsdPerGb(emfUsd, estimate).toFixed(2)} per GB`,
      ]);
    }
  });
});

describe('the PromQL', () => {
  // Prometheus' PromQL grammar is an ES module; this test file is CommonJS.
  let parser: typeof import('@prometheus-io/lezer-promql', { with: { 'resolution-mode': 'import' }})['parser'];
  beforeAll(async () => {
    ({ parser } = await import('@prometheus-io/lezer-promql'));
  });

  const queries = [...GUIDE.matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trim());
  const metrics = new Set([...OTLP_CADVISOR_FAMILIES.map((f) => f.name), 'up']);
  // cAdvisor's labels this path keeps, and the standard attributes.
  const labels = new Set([
    'namespace',
    'pod',
    'container',
    'image',
    'interface',
    'device',
    ...OTLP_ATTRIBUTES.map((a) => (a.scope === 'resource' ? `@resource.${a.name}` : a.name)),
  ]);

  /** The metric names and label names a query selects, from its syntax tree. */
  function selected(query: string): { errors: number; names: string[]; labels: string[] } {
    const tree = parser.parse(query);
    let errors = 0;
    const names: string[] = [];
    const used: string[] = [];
    const text = (from: number, to: number) => query.slice(from, to);
    const unquote = (s: string) => (s.startsWith('"') ? (JSON.parse(s) as string) : s);
    tree.iterate({
      enter: (node) => {
        if (node.type.isError) errors++;
        if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
          names.push(text(node.from, node.to));
        }
        // A quoted string standing alone in the braces is the metric name.
        if (node.name === 'QuotedLabelName' && node.node.parent?.name === 'LabelMatchers') {
          names.push(unquote(text(node.from, node.to)));
        }
        if (
          node.name === 'LabelName' ||
          (node.name === 'QuotedLabelName' && node.node.parent?.name !== 'LabelMatchers')
        ) {
          used.push(unquote(text(node.from, node.to)));
        }
      },
    });
    return { errors, names, labels: used };
  }

  test('the guide has queries for CPU, memory and network, per pod and namespace', () => {
    expect(queries.length).toBeGreaterThanOrEqual(10);
    const all = queries.join('\n');
    for (const needed of [
      'container_cpu_usage_seconds_total',
      'container_memory_working_set_bytes',
      'container_network_receive_bytes_total',
      'container_spec_cpu_quota',
      'container_spec_cpu_shares',
      'container_spec_memory_limit_bytes',
    ]) {
      expect(all).toContain(needed);
    }
  });

  test.each(queries.map((q, i) => [i, q]))('query %i parses and names only what the path sends', (_, query) => {
    const { errors, names, labels: used } = selected(query as string);
    expect(errors, query as string).toBe(0);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(metrics, name).toContain(name);
    for (const label of used) expect(labels, label).toContain(label);
  });

  test('the checks catch a broken query, an unknown metric and a label the path does not set', () => {
    expect(selected('sum(rate({"container_cpu_usage_seconds_total"}[5m])').errors).toBeGreaterThan(0);
    expect(selected('{"container_cpu_load_average_10s"}').names).toStrictEqual(['container_cpu_load_average_10s']);
    expect(selected('{"up", "@resource.k8s.pod.name"="x"}').labels).toStrictEqual(['@resource.k8s.pod.name']);
    expect(selected('sum by ("k8s.pod.name") (x{pod="a"})')).toStrictEqual({
      errors: 0,
      names: ['x'],
      labels: ['k8s.pod.name', 'pod'],
    });
  });
});
