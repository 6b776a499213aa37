import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { settingsFromEnvironment } from '../packages/cdk8s-fargate-container-insights-cli/src/app/app-settings';
import { parseFleet } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/fleet-file';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { FargateContainerInsightsOperatorCollector } from '../src/collector/fargate-container-insights-operator-collector';
import { KUBE_STATE_METRICS_NAMES, kubeStateMetricsArgs } from '../src/collector/kube-state-metrics';
import { DEFAULT_POD_HEALTH_ALARMS, type PodHealth } from '../src/collector/pod-health';
import { AdotVersion } from '../src/config/adot-version';
import {
  POD_HEALTH_FAMILIES,
  podHealthFamilies,
  podHealthResources,
} from '../src/config/catalog/kube-state-metrics-resources';
import { POD_HEALTH_PROFILES, PodHealthProfile, podHealthSeries } from '../src/config/catalog/pod-health-metrics';
import { lintCollectorConfig } from '../src/config/config-lint';
import { KubeStateMetricsVersion } from '../src/config/kube-state-metrics-version';
import { METRICS_DESTINATIONS, MetricsDestination } from '../src/config/metrics-destination';
import { podHealthCustomMetrics } from '../src/config/pipelines/pod-health-cost';
import { PodNaming } from '../src/config/pod-naming';
import { ValidationError } from '../src/core/errors';
import { estimateCluster } from '../src/cost/cluster-bill';
import { sizeCollector } from '../src/fargate/collector-sizing';
import { podHealthAlarms } from '../src/prerequisites/alarms';
import { type KubernetesObject, validateManifest } from '../tools/manifests';
import { podHealthTable, podHealthTableRows } from '../tools/pod-health-table';
import { loadCollectorConfig } from './support/collector';
import { COLLECTOR_PROPS } from './support/fixtures';
import { restrictedViolations } from './support/pod-security';
import { PROPERTY_SEED } from './support/property';
import { only, synth } from './support/synth';

const NAMESPACE = 'fargate-container-insights';

function objects(podHealth: PodHealth = {}, extra: object = {}): KubernetesObject[] {
  return synth((chart) => {
    new FargateContainerInsightsCollector(chart, 'Collector', { ...COLLECTOR_PROPS, podHealth, ...extra });
  });
}

const ksm = (list: KubernetesObject[], kind: string) =>
  only(
    list.filter((o) => o.metadata.name?.includes('kube-state-metrics')),
    kind,
  );

describe('kube-state-metrics beside the collector', () => {
  const list = objects();

  test('a ServiceAccount, ClusterRole, ClusterRoleBinding, Deployment and Service, each valid, in the collector namespace', () => {
    for (const kind of ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Service']) {
      const object = ksm(list, kind);
      validateManifest(object);
      if (!kind.startsWith('Cluster')) expect(object.metadata.namespace).toBe(NAMESPACE);
    }
    expect(ksm(list, 'ClusterRole').metadata.name).toBe(KUBE_STATE_METRICS_NAMES.clusterRole);
  });

  test('its role lists and watches exactly the resources whose metrics are kept, in every profile', () => {
    for (const profile of POD_HEALTH_PROFILES) {
      const role = ksm(objects({ profile }), 'ClusterRole');
      const granted = role.rules.map((r: { apiGroups: string[]; resources: string[]; verbs: string[] }) => ({
        apiGroup: r.apiGroups[0],
        resource: r.resources[0],
        verbs: r.verbs,
      }));
      expect(granted).toStrictEqual(
        podHealthResources(profile).map((r) => ({
          apiGroup: r.apiGroup,
          resource: r.resource,
          verbs: ['list', 'watch'],
        })),
      );
    }
  });

  test("the collector's own role does not grow: it reads kube-state-metrics over the pod network", () => {
    const collectorRole = (l: KubernetesObject[]) => only(l, 'ClusterRole', 'adotcol-admin-role').rules;
    expect(collectorRole(list)).toStrictEqual(
      collectorRole(synth((chart) => new FargateContainerInsightsCollector(chart, 'C', COLLECTOR_PROPS))),
    );
  });

  test('the binding gives the role to its own service account, which carries no IRSA role', () => {
    const binding = ksm(list, 'ClusterRoleBinding');
    expect(binding.subjects).toStrictEqual([
      { apiGroup: '', kind: 'ServiceAccount', name: 'kube-state-metrics', namespace: NAMESPACE },
    ]);
    expect(ksm(list, 'ServiceAccount').metadata.annotations).toBeUndefined();
  });

  test('its pod meets Pod Security "restricted", with probes and requests equal to limits', () => {
    const pod = ksm(list, 'Deployment').spec.template.spec;
    expect(restrictedViolations(pod)).toStrictEqual([]);
    const [container] = pod.containers;
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/livez', port: 8080 });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 8081 });
    expect(container.resources.requests).toStrictEqual(container.resources.limits);
    expect(container.image).toBe(KubeStateMetricsVersion.DEFAULT.image);
  });

  test('its flags keep only the resources and families the profile reads, and the scrape keeps the same families', () => {
    for (const profile of POD_HEALTH_PROFILES) {
      const l = objects({ profile });
      const args: string[] = ksm(l, 'Deployment').spec.template.spec.containers[0].args;
      expect(args).toStrictEqual(kubeStateMetricsArgs(profile));
      const allowlist = args
        .find((a) => a.startsWith('--metric-allowlist='))
        ?.split('=')[1]
        ?.split(',');
      expect(allowlist).toStrictEqual(podHealthFamilies(profile));
      const config = loadCollectorConfig(only(l, 'ConfigMap').data['adot-collector-config']);
      const keep = config.receivers['prometheus/pod_health'].config.scrape_configs[0].metric_relabel_configs[0];
      // Prometheus anchors the rule's regular expression.
      const kept = new RegExp(`^(?:${keep.regex})$`);
      for (const family of POD_HEALTH_FAMILIES) expect(kept.test(family), family).toBe(allowlist?.includes(family));
    }
  });

  test('the collector scrapes its Service, which selects its pods on the metrics port', () => {
    const service = ksm(list, 'Service');
    const deployment = ksm(list, 'Deployment');
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(service.spec.ports).toStrictEqual([{ name: 'http-metrics', port: 8080, targetPort: 8080 }]);
    const config = loadCollectorConfig(only(list, 'ConfigMap').data['adot-collector-config']);
    expect(config.receivers['prometheus/pod_health'].config.scrape_configs[0].static_configs).toStrictEqual([
      { targets: [`kube-state-metrics.${NAMESPACE}.svc:8080`] },
    ]);
  });

  test('with several replicas, exactly one scrapes it: its address hashed to the replica index', () => {
    const config = loadCollectorConfig(only(objects({}, { replicas: 3 }), 'ConfigMap').data['adot-collector-config']);
    const [hash, keep] = config.receivers['prometheus/pod_health'].config.scrape_configs[0].relabel_configs;
    expect(hash).toMatchObject({ source_labels: ['__address__'], modulus: 3, action: 'hashmod' });
    expect(keep).toMatchObject({ regex: '${env:SHARD}', action: 'keep' });
  });

  test('the same props give byte-identical manifests', () => {
    expect(stringify(objects({ profile: PodHealthProfile.CLUSTER }))).toBe(
      stringify(objects({ profile: PodHealthProfile.CLUSTER })),
    );
  });

  test('its objects are exposed for extension, and its Fargate size', () => {
    const collector = new FargateContainerInsightsCollector(Testing.chart(), 'C', {
      ...COLLECTOR_PROPS,
      podHealth: {},
    });
    expect(collector.kubeStateMetrics?.deployment).toBeInstanceOf(kplus.Deployment);
    expect(collector.kubeStateMetrics?.service).toBeInstanceOf(kplus.Service);
    expect(collector.kubeStateMetrics?.fargateSize).toStrictEqual({ vcpu: 0.25, memoryGiB: 0.5 });
    const plain = new FargateContainerInsightsCollector(Testing.chart(), 'C', COLLECTOR_PROPS);
    expect(plain.kubeStateMetrics).toBeUndefined();
  });
});

describe('every ADOT release, destination and mode', () => {
  const cases = AdotVersion.SUPPORTED.flatMap((tag) =>
    METRICS_DESTINATIONS.flatMap((destination) =>
      (['statefulset', 'operator'] as const).map((mode) => ({ tag, destination, mode })),
    ),
  );
  test.each(cases)(
    '$tag, $destination, $mode: valid objects and a well-wired configuration',
    ({ tag, destination, mode }) => {
      const props = {
        ...COLLECTOR_PROPS,
        adotVersion: AdotVersion.of(tag),
        metricsDestination: destination,
        podHealth: {},
      };
      const list = synth((chart) =>
        mode === 'operator'
          ? new FargateContainerInsightsOperatorCollector(chart, 'C', props)
          : new FargateContainerInsightsCollector(chart, 'C', props),
      );
      for (const object of list) if (!object.apiVersion.startsWith('opentelemetry.io')) validateManifest(object);
      ksm(list, 'Deployment');
      const text =
        mode === 'operator'
          ? stringify(only(list, 'OpenTelemetryCollector').spec.config)
          : only(list, 'ConfigMap').data['adot-collector-config'];
      const config = loadCollectorConfig(text);
      expect(lintCollectorConfig(config, text)).toStrictEqual([]);
      const pipelines = Object.keys(config.service.pipelines).filter((id) => id.startsWith('metrics/pod_health'));
      expect(pipelines).toStrictEqual(
        destination === MetricsDestination.EMF
          ? ['metrics/pod_health']
          : destination === MetricsDestination.OTLP
            ? ['metrics/pod_health_otlp']
            : ['metrics/pod_health', 'metrics/pod_health_otlp'],
      );
      if (destination !== MetricsDestination.EMF) {
        const otlp = config.service.pipelines['metrics/pod_health_otlp'];
        // Under kube-state-metrics' own names: nothing renames or drops a metric.
        expect(otlp.processors.filter((id: string) => /^(metricstransform|filter)/.test(id))).toStrictEqual([]);
        const keys = config.processors['attributes/pod_health_otlp'].actions.map((a: { key: string }) => a.key);
        expect(keys).toEqual(expect.arrayContaining(['k8s.namespace.name', 'k8s.pod.name', 'k8s.deployment.name']));
      }
    },
  );
});

describe('bad input is refused by name before anything is created', () => {
  const refusals: Array<readonly [string, unknown, RegExp]> = [
    [
      'profile',
      { profile: 'everything' },
      /^Invalid podHealth\.profile "everything": expected one of full, cluster\.$/,
    ],
    [
      'version as text',
      { kubeStateMetricsVersion: 'v2.20.0' },
      /^Invalid podHealth\.kubeStateMetricsVersion "v2\.20\.0"/,
    ],
    ['restarts', { alarms: { restarts: 0 } }, /^Invalid podHealth\.alarms\.restarts 0/],
    ['window', { alarms: { pendingMinutes: 1441 } }, /^Invalid podHealth\.alarms\.pendingMinutes 1441/],
    [
      'unknown alarm key',
      { alarms: { restartsPerMinute: 3 } },
      /^Unknown field podHealth\.alarms\.restartsPerMinute: expected one of enabled, restarts, restartMinutes, pendingMinutes, unavailableMinutes, silentMinutes\.$/,
    ],
    [
      'unknown key, with the one it is near',
      { profiles: 'full' },
      /^Unknown field podHealth\.profiles: did you mean "profile"\? expected one of profile, kubeStateMetricsVersion, image, resources, alarms\.$/,
    ],
    [
      'memory',
      { resources: { memory: { request: Size.mebibytes(32), limit: Size.mebibytes(32) } } },
      /^Invalid podHealth\.resources\.memory\.limit "32Mi"/,
    ],
    ['image', { image: 'kube-state-metrics latest' }, /^Invalid podHealth\.image "kube-state-metrics latest"/],
  ];
  test.each(refusals)('%s', (_, podHealth, message) => {
    const chart = Testing.chart();
    expect(
      () =>
        new FargateContainerInsightsCollector(chart, 'C', { ...COLLECTOR_PROPS, podHealth: podHealth as PodHealth }),
    ).toThrow(message);
    expect(Testing.synth(chart)).toStrictEqual([]);
  });

  test('a release that has not been checked, by its tag', () => {
    expect(() => KubeStateMetricsVersion.of('v2.9.0')).toThrow(
      /^Invalid podHealth\.kubeStateMetricsVersion "v2\.9\.0": it is not a release whose metrics and flags this library has checked\. Supported versions: v2\.18\.0, v2\.19\.1, v2\.20\.0\.$/,
    );
    expect(() => KubeStateMetricsVersion.of('latest')).toThrow(ValidationError);
  });

  test('alarms with the OTLP path alone, which sends no Container Insights metrics', () => {
    const chart = Testing.chart();
    expect(
      () =>
        new FargateContainerInsightsCollector(chart, 'C', {
          ...COLLECTOR_PROPS,
          metricsDestination: MetricsDestination.OTLP,
          podHealth: { alarms: { restarts: 5 } },
        }),
    ).toThrow(/^Invalid podHealth\.alarms with metricsDestination: "otlp"/);
    expect(Testing.synth(chart)).toStrictEqual([]);
  });

  test('the same rule, one message, names the input in a clusters file and in the app', () => {
    const tail =
      'the alarms watch the Container Insights metrics of the Embedded Metric Format path, which "otlp" does not send.';
    const file = [
      'clusters:',
      '  - name: prod-eu',
      '    region: eu-west-1',
      `    serviceAccountRoleArn: ${COLLECTOR_PROPS.serviceAccountRoleArn}`,
      '    metricsDestination: otlp',
      '    podHealth: { alarms: { restarts: 5 } }',
      '',
    ].join('\n');
    expect(() => parseFleet(file, 'clusters.yaml')).toThrow(
      `Invalid clusters[0].podHealth.alarms with metricsDestination: otlp: ${tail} Expected no clusters[0].podHealth.alarms (or enabled: false), or clusters[0].metricsDestination "emf" or "both".`,
    );
    expect(() =>
      settingsFromEnvironment({
        CLUSTER_NAME: 'prod-eu',
        AWS_REGION: 'eu-west-1',
        COLLECTOR_ROLE_ARN: COLLECTOR_PROPS.serviceAccountRoleArn,
        METRICS_DESTINATION: 'otlp',
        POD_HEALTH: '{"alarms":{"restarts":5}}',
      }),
    ).toThrow(`Invalid POD_HEALTH.alarms with METRICS_DESTINATION=otlp: ${tail}`);
  });
});

describe('size and bill', () => {
  test('the collector is sized for the extra scrape: never smaller, and more memory expected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 5 }), (pods, replicas) => {
        const input = { expectedPods: pods, replicas, scrapeIntervalSeconds: 60 };
        const without = sizeCollector(input);
        const withHealth = sizeCollector({ ...input, podHealth: true });
        expect(withHealth.expectedMemoryMiB).toBeGreaterThan(without.expectedMemoryMiB);
        expect(withHealth.memoryMiB).toBeGreaterThanOrEqual(without.memoryMiB);
        expect(withHealth.cpuMillis).toBeGreaterThanOrEqual(without.cpuMillis);
      }),
      { seed: PROPERTY_SEED, numRuns: 300 },
    );
  });

  test('custom metrics: the cluster profile grows with namespaces only; the full one with workloads and Services, never pods', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom(PodNaming.WORKLOAD, PodNaming.WORKLOAD_AND_POD, PodNaming.POD),
        (pods, ns, w, sv, naming) => {
          const namespaces = Math.min(ns, pods);
          const load = {
            pods,
            namespaces,
            workloads: Math.max(namespaces, Math.min(w, pods)),
            services: Math.min(sv, pods),
          };
          const terms = (profile: PodHealthProfile) => podHealthCustomMetrics(profile, load, naming);
          const count = (profile: PodHealthProfile) => terms(profile).reduce((sum, t) => sum + t.metrics * t.values, 0);
          const cluster = terms(PodHealthProfile.CLUSTER);
          expect(cluster.map((t) => t.per)).toStrictEqual(['cluster', 'namespace']);
          const per = (profile: PodHealthProfile, what: string) =>
            terms(profile).find((t) => t.per === what)?.metrics ?? 0;
          expect(count(PodHealthProfile.CLUSTER)).toBe(
            per(PodHealthProfile.CLUSTER, 'cluster') + per(PodHealthProfile.CLUSTER, 'namespace') * namespaces,
          );
          const podValues = naming.byWorkload ? load.workloads : pods;
          expect(count(PodHealthProfile.FULL)).toBe(
            per(PodHealthProfile.FULL, 'cluster') +
              per(PodHealthProfile.FULL, 'namespace') * namespaces +
              per(PodHealthProfile.FULL, 'service') * load.services +
              per(PodHealthProfile.FULL, 'workload') * load.workloads +
              (naming.byWorkload ? 0 : per(PodHealthProfile.FULL, 'pod') * pods) +
              (naming.withPods ? per(PodHealthProfile.FULL, 'pod') * pods : 0),
          );
          // Doubling the replicas of every workload changes nothing, but with a set per pod.
          const doubled = podHealthCustomMetrics(PodHealthProfile.FULL, { ...load, pods: pods * 2 }, naming);
          const same = JSON.stringify(doubled) === JSON.stringify(terms(PodHealthProfile.FULL));
          expect(same).toBe(naming === PodNaming.WORKLOAD);
          expect(podValues).toBeLessThanOrEqual(pods);
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 200 },
    );
  });

  test('each metric counted once per level it is declared at; values in the log events only, at none', () => {
    const load = { pods: 100, namespaces: 10, workloads: 30, services: 30 };
    const declared = podHealthSeries(PodHealthProfile.FULL).filter((s) => s.computation.logsOnly !== true);
    const distinct = new Set(
      declared.map((s) =>
        `${s.metric.name}@${s.computation.level}`.replace(/@(deployment|statefulset|daemonset|pod)$/, '@workload'),
      ),
    );
    const terms = podHealthCustomMetrics(PodHealthProfile.FULL, load, PodNaming.WORKLOAD);
    expect(terms.reduce((sum, t) => sum + t.metrics, 0)).toBe(distinct.size);
  });

  test('the bill lists the custom metrics, the logs and the kube-state-metrics pod', () => {
    const collector = new FargateContainerInsightsCollector(Testing.chart(), 'C', {
      ...COLLECTOR_PROPS,
      podHealth: {},
    });
    const load = { pods: 100, namespaces: 10, workloads: 30, services: 30 };
    const bill = estimateCluster(collector._configOptions, collector.sizing, load);
    const items = bill.lines.map((line) => line.item);
    expect(items).toEqual(
      expect.arrayContaining(['pod health custom metrics', 'pod health logs', 'kube-state-metrics']),
    );
    const pod = bill.lines.find((line) => line.item === 'kube-state-metrics');
    // Fargate's smallest size, 730 hours at us-east-1's vCPU-hour and GB-hour prices.
    expect(pod?.monthlyUsd).toBeCloseTo(730 * (0.25 * 0.04048 + 0.5 * 0.004445), 2);
    expect(pod?.basis).toBe('1 × 0.25 vCPU 0.5 GB on Fargate');
    const otlp = new FargateContainerInsightsCollector(Testing.chart(), 'C', {
      ...COLLECTOR_PROPS,
      metricsDestination: MetricsDestination.OTLP,
      podHealth: {},
    });
    const otlpItems = estimateCluster(otlp._configOptions, otlp.sizing, load).lines;
    expect(otlpItems.map((line) => line.item)).not.toContain('pod health custom metrics');
    expect(otlpItems.find((line) => line.item === 'pod health over OTLP')?.notPriced).toBeDefined();
  });
});

describe('the guide', () => {
  // Table cells as the formatter leaves them, padded: compared cell by cell.
  const cells = (text: string) =>
    text
      .split('\n')
      .map((line) =>
        line.startsWith('|')
          ? line
              .split('|')
              .map((cell) => cell.trim())
              .join('|')
          : line,
      )
      .join('\n');
  const guide = cells(readFileSync(join(__dirname, '..', 'docs', 'pod-health.md'), 'utf8'));

  test('its metric table is the catalog, row for row', () => {
    const [header] = podHealthTable().split('\n');
    expect(guide).toContain(cells(header as string));
    for (const row of podHealthTableRows()) expect(guide).toContain(`\n${cells(row)}\n`);
    // And no row of its own besides: as many metric rows as the catalog has metrics.
    expect(guide.match(/^\|`[a-z_]+`\|(?:\[|-)/gm)).toHaveLength(podHealthTableRows().length);
  });

  test('its cost table is what the estimate gives for 100 pods in 10 namespaces, 30 workloads and 30 Services', () => {
    const load = { pods: 100, namespaces: 10, workloads: 30, services: 30 };
    for (const profile of POD_HEALTH_PROFILES) {
      const collector = new FargateContainerInsightsCollector(Testing.chart(), 'C', {
        ...COLLECTOR_PROPS,
        podHealth: { profile },
      });
      const lines = estimateCluster(collector._configOptions, collector.sizing, load).lines;
      const usd = (item: string) => lines.find((line) => line.item === item)?.monthlyUsd ?? Number.NaN;
      const terms = podHealthCustomMetrics(profile, load, PodNaming.WORKLOAD);
      const count = terms.reduce((sum, t) => sum + t.metrics * t.values, 0);
      const sum = terms.map((t) => (t.per === 'cluster' ? `${t.metrics}` : `${t.metrics} × ${t.values}`)).join(' + ');
      const logs = lines.find((line) => line.item === 'pod health logs');
      const all = usd('pod health custom metrics') + usd('pod health logs') + usd('kube-state-metrics');
      const money = (n: number) => `$${n.toFixed(2)}`;
      expect(guide).toContain(
        `|\`${profile}\`|${sum} = ${count}|${money(usd('pod health custom metrics'))}|${money(usd('pod health logs'))} (${logs?.usage?.amount.toFixed(1)} GB)|${money(usd('kube-state-metrics'))}|${money(all)}|`,
      );
    }
  });

  test('it lists every recommended alarm, with its metric and statistic', () => {
    const alarms = podHealthAlarms('c', DEFAULT_POD_HEALTH_ALARMS, 60_000);
    for (const alarm of alarms) {
      expect(guide).toContain(`|\`<cluster>${alarm.alarmName.slice(1)}\`|\`${alarm.metricName}\`, ${alarm.statistic}|`);
    }
  });
});
