import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_PERFORMANCE_LOG_RETENTION_DAYS } from '../../src/collector/collector-common';
import { FargateContainerInsightsCollector } from '../../src/collector/fargate-container-insights-collector';
import { AdotVersion } from '../../src/config/adot-version';
import { REFERENCE_DECLARATIONS } from '../../src/config/catalog/profiles';
import { findMetric } from '../../src/config/metric-catalog';
import { metricDescriptors } from '../../src/config/pipelines/emf-pipeline';
import { PodNaming } from '../../src/config/pod-naming';
import { renderCollectorConfig } from '../../src/config/render';
import { type FargatePodSize, fargateMonthlyCost, fargatePodSize } from '../../src/fargate/fargate-size';
import { parseManifest } from '../../tools/manifests';
import {
  buildConfig as build,
  componentType,
  loadCollectorConfig,
  referenceAdditions,
  STAGES,
} from '../support/collector';
import { conformanceDescribe } from '../support/conformance';
import { only, synth } from '../support/synth';

/**
 * Conformance with the AWS reference manifests (`otel-fargate-container-insights.v0.40.0.yaml`, as at ADOT v0.40.0,
 * and `.2026-07.yaml`), side by side. Optional: it runs when `AWS_REFERENCE_DIR` names their folder or
 * `../shared/reference` is beside the repository, and is reported as skipped otherwise. The facts our output relies
 * on are also asserted, as our own expectations, in collector-config.test.ts and
 * fargate-container-insights-collector.test.ts, which run in any clone.
 */
const REFERENCE = {
  what: 'the AWS reference manifests',
  variable: 'AWS_REFERENCE_DIR',
  fallback: '../shared/reference',
} as const;

/** A reference manifest's objects and its collector configuration, as the collector sees it. */
function loadReference(dir: string, file: string) {
  const objects = parseManifest(readFileSync(join(dir, file), 'utf8')).filter(Boolean);
  const configMap = objects.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
  return { objects, config: loadCollectorConfig(configMap.data['adot-collector-config']) };
}

/**
 * The reference's exporters with our corrections and additions: each
 * `metric_name_selectors` entry anchored (`^name$`), so that a selector bills
 * only its metric; the log stream named after the node rather than the pod,
 * so that node events do not land in a stream named `undefined`; a finite
 * retention for the log group; and the units of the declared metrics.
 */
function withOurCorrections(exporters: any): any {
  expect(exporters.awsemf.log_stream_name).toBe('{PodName}');
  expect(exporters.awsemf.log_retention).toBeUndefined();
  expect(exporters.awsemf.metric_descriptors).toBeUndefined();
  const { metric_declarations, ...settings } = exporters.awsemf;
  return {
    ...exporters,
    awsemf: {
      ...settings,
      log_stream_name: '{NodeName}',
      log_retention: DEFAULT_PERFORMANCE_LOG_RETENTION_DAYS,
      metric_declarations: metric_declarations.map((declaration: { metric_name_selectors: string[] }) => ({
        ...declaration,
        metric_name_selectors: declaration.metric_name_selectors.map((name) => `^${name}$`),
      })),
      metric_descriptors: metricDescriptors(REFERENCE_DECLARATIONS),
    },
  };
}

conformanceDescribe('AWS reference manifests', REFERENCE, (dir) => {
  describe.each([
    ['otel-fargate-container-insights.v0.40.0.yaml', AdotVersion.V0_40_0],
    ['otel-fargate-container-insights.2026-07.yaml', AdotVersion.DEFAULT],
  ])('equivalence with the AWS reference %s', (file, version) => {
    const reference = loadReference(dir, file).config;
    // Compared in the reference's own words (the names and filter form before
    // ADOT v0.48.0); each release's own words are tested in release-words.test.ts.
    // And with the reference's pod names (PodNaming.POD); the default's
    // differences, by workload, are the last test here.
    const ours = loadCollectorConfig(
      renderCollectorConfig(build({ version, podNaming: PodNaming.POD }), AdotVersion.V0_40_0),
    );
    const byWorkload = loadCollectorConfig(renderCollectorConfig(build({ version }), AdotVersion.V0_40_0));

    // What this pipeline adds to the reference's, each tested in 'pipeline wiring' and 'the corrections',
    // found by what each does: the stages the reference has keep its ids, and are compared by them.
    const added = referenceAdditions(ours);

    test('the same processors in the same order, with memory_limiter first and the corrections between them', () => {
      const processors: string[] = ours.service.pipelines.metrics.processors;
      expect(STAGES.memoryLimiter(ours).index).toBe(0);
      expect(reference.service.pipelines.metrics.processors.map(componentType)).not.toContain('memory_limiter');
      const theirs = processors.filter((id) => !added.includes(id));
      expect({ metrics: { ...ours.service.pipelines.metrics, processors: theirs } }).toStrictEqual(
        reference.service.pipelines,
      );
    });

    test('the same label steps and batch; the filter and Type labels add node metrics', () => {
      for (const id of ['metricstransform/label_1', 'batch']) {
        expect(ours.processors[id], id).toStrictEqual(reference.processors[id]);
      }
      expect([...ours.processors.filter.metrics.include.metric_names].sort()).toStrictEqual(
        [...reference.processors.filter.metrics.include.metric_names, 'node_.*'].sort(),
      );
      const label2 = ours.processors['metricstransform/label_2'].transforms;
      expect(label2.filter((t: { include: string }) => t.include !== 'node_.*')).toStrictEqual(
        reference.processors['metricstransform/label_2'].transforms,
      );
    });

    test('the same renames, anchored, but pod usage from the containers and CPU shares named *_cpu_request_raw', () => {
      const theirs = reference.processors['metricstransform/rename'].transforms as any[];
      const mine = STAGES.rename(ours).config.transforms as any[];
      const named = (name: string) => name.replace(/_cpu_request$/, '_cpu_request_raw');
      for (const t of theirs) {
        const match = mine.find((m) => m.new_name === named(t.new_name));
        expect(match, t.new_name).toBeDefined();
        const metric = findMetric(named(t.new_name).replace(/^new_/, ''));
        const fromContainers =
          metric?.scope === 'pod' && metric.source.kind === 'cadvisor' && metric.source.series.name === 'container';
        if (fromContainers) {
          // The reference reads the pod cgroup, which also holds the pause container.
          expect(t.experimental_match_labels, t.new_name).toMatchObject({ container: '^$', image: '^$' });
          expect(match.experimental_match_labels, t.new_name).toStrictEqual({
            container: '\\S',
            LaunchType: 'fargate',
            ...(metric.source.kind === 'cadvisor' ? metric.source.labels : {}),
          });
          expect({ ...match, experimental_match_labels: undefined }).toStrictEqual({
            ...t,
            include: `^${t.include}$`,
            experimental_match_labels: undefined,
          });
        } else {
          // Anchored, so that a family name does not also match the copies made before it.
          expect(match, t.new_name).toStrictEqual({ ...t, include: `^${t.include}$`, new_name: named(t.new_name) });
        }
      }
      expect(mine.filter((m) => !m.new_name.startsWith('node_'))).toHaveLength(theirs.length);
    });

    test('the same rates, plus the node CPU', () => {
      expect([...ours.processors.deltatorate.metrics].sort()).toStrictEqual(
        [...reference.processors.deltatorate.metrics, 'node_cpu_usage_seconds_total'].sort(),
      );
      expect([...ours.processors.cumulativetodelta.include.metrics].sort()).toStrictEqual(
        [...reference.processors.cumulativetodelta.include.metrics, 'node_cpu_usage_seconds_total'].sort(),
      );
      expect(ours.processors.cumulativetodelta.include.match_type).toBe(
        reference.processors.cumulativetodelta.include.match_type,
      );
    });

    test("the reference's metricsgeneration rules, but CPU utilization over the limit or request", () => {
      const rules = (config: Record<string, any>) =>
        Object.entries(config.processors)
          .filter(([id]) => id.includes('metricsgeneration'))
          .flatMap(([, p]) => (p as { rules: any[] }).rules);
      const mine = rules(ours);
      for (const rule of rules(reference)) {
        const expected =
          rule.name === 'pod_cpu_utilization_over_pod_limit' ? { ...rule, metric2: 'pod_cpu_limit_or_request' } : rule;
        expect(mine.find((r) => r.name === rule.name)).toStrictEqual(expected);
      }
      expect(
        rules(reference)
          .map((r) => r.name)
          .sort(),
      ).toStrictEqual(
        mine
          .filter((r) => r.name.startsWith('pod_') && r.name !== 'pod_cpu_request')
          .map((r) => r.name)
          .sort(),
      );
    });

    test('the same exporter settings, with selectors anchored, the stream named by node, a retention and units', () => {
      expect(ours.exporters).toStrictEqual(withOurCorrections(reference.exporters));
    });

    test('the same scrape target discovery and path rewriting', () => {
      const [job] = ours.receivers.prometheus.config.scrape_configs;
      const [refJob] = reference.receivers.prometheus.config.scrape_configs;
      expect(ours.receivers.prometheus.config.global).toStrictEqual(reference.receivers.prometheus.config.global);
      // Ours starts with the Fargate-only node rule (tested below); the rest is the reference's.
      expect(job.relabel_configs[0]).toStrictEqual({
        source_labels: ['__meta_kubernetes_node_label_eks_amazonaws_com_compute_type'],
        regex: 'fargate',
        action: 'keep',
      });
      expect(job.relabel_configs.slice(1)).toStrictEqual(refJob.relabel_configs);
      for (const key of ['job_name', 'sample_limit', 'scheme', 'kubernetes_sd_configs', 'tls_config']) {
        expect(job[key], key).toStrictEqual(refJob[key]);
      }
      expect(job.authorization.credentials_file).toBe(refJob.bearer_token_file);
    });

    test('by workload (the default): Fargate pods discovered instead of nodes, the same path, PodName the workload', () => {
      const [job] = byWorkload.receivers.prometheus.config.scrape_configs;
      const [refJob] = reference.receivers.prometheus.config.scrape_configs;
      expect(job.kubernetes_sd_configs).not.toStrictEqual(refJob.kubernetes_sd_configs);
      const path = (rules: Array<{ target_label?: string; replacement?: string }>) =>
        rules.find((rule) => rule.target_label === '__metrics_path__')?.replacement;
      expect(path(job.relabel_configs)).toBe(path(refJob.relabel_configs));
      // Everything else of the pipeline is what the reference-named configuration has, but the last renames.
      const { 'metricstransform/label_2': mine, ...rest } = byWorkload.processors;
      const { 'metricstransform/label_2': theirs, ...same } = ours.processors;
      expect(rest).toStrictEqual(same);
      const renames = (p: { transforms: Array<{ include: string; operations?: unknown[] }> }) =>
        p.transforms.filter((t) => t.include === '.*').map((t) => t.operations);
      expect(renames(mine)).toStrictEqual([
        [
          { action: 'update_label', label: 'namespace', new_label: 'Namespace' },
          { action: 'update_label', label: 'pod', new_label: 'FullPodName' },
          { action: 'update_label', label: 'workload', new_label: 'PodName' },
        ],
      ]);
      expect(renames(theirs)).toStrictEqual([
        [
          { action: 'update_label', label: 'namespace', new_label: 'Namespace' },
          { action: 'update_label', label: 'pod', new_label: 'PodName' },
        ],
      ]);
    });
  });

  describe('defaults do what the AWS reference manifest does', () => {
    const reference = loadReference(dir, 'otel-fargate-container-insights.2026-07.yaml');
    const ours = synth(
      (chart) =>
        new FargateContainerInsightsCollector(chart, 'Collector', {
          clusterName: 'YOUR-EKS-CLUSTER-NAME',
          region: 'us-east-1',
          serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/adot-collector',
        }),
    );

    test('same object names', () => {
      const names = (objects: Array<{ kind: string; metadata: { name: string } }>) =>
        objects.map((o) => `${o.kind}/${o.metadata.name}`);
      expect(names(ours)).toStrictEqual(expect.arrayContaining(names(reference.objects)));
    });

    test('same StatefulSet selector, so an existing reference install can be updated in place', () => {
      expect(only(ours, 'StatefulSet').spec.selector).toStrictEqual(
        only(reference.objects, 'StatefulSet').spec.selector,
      );
    });

    test('same collector environment and command', () => {
      const ourContainer = only(ours, 'StatefulSet').spec.template.spec.containers[0];
      const refContainer = only(reference.objects, 'StatefulSet').spec.template.spec.containers[0];
      expect(ourContainer.env).toStrictEqual(expect.arrayContaining(refContainer.env));
      expect(ourContainer.command).toStrictEqual(refContainer.command);
    });

    test("a collector sized to the cluster: for 100 pods about a quarter of the reference's bill", () => {
      const refRequests = only(reference.objects, 'StatefulSet').spec.template.spec.containers[0].resources.requests;
      expect(refRequests).toStrictEqual({ cpu: 1, memory: '2Gi' });
      const theirs = fargatePodSize({ cpuMillis: 1000, memoryMiB: 2048 });
      expect(theirs).toStrictEqual({ vcpu: 1, memoryGiB: 3 });
      expect(
        only(ours, 'StatefulSet').spec.template.metadata.annotations['fargate-container-insights/fargate-size'],
      ).toBe('0.25vCPU 1GB');
      const ourCost = fargateMonthlyCost({ vcpu: 0.25, memoryGiB: 1 });
      expect(ourCost).toBeLessThan(fargateMonthlyCost(theirs as FargatePodSize) / 3);
    });

    test('same exporter configuration, with selectors anchored, the stream named by node, a retention and units', () => {
      expect(loadCollectorConfig(only(ours, 'ConfigMap').data['adot-collector-config']).exporters).toStrictEqual(
        withOurCorrections(reference.config.exporters),
      );
    });
  });
});
