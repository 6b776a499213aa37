import { Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import type { FargateContainerInsightsCollectorProps } from '../src/collector/collector-props';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { FargateContainerInsightsOperatorCollector } from '../src/collector/fargate-container-insights-operator-collector';
import type { ApplicationMetrics } from '../src/config/application-metrics';
import { buildCollectorConfig, collectorRbac, enabledPipelines, PIPELINES } from '../src/config/collector-config';
import { MetricsDestination } from '../src/config/metrics-destination';
import type { RbacRule } from '../src/config/pipelines/pipeline';
import { loadCollectorConfig } from './support/collector';
import { COLLECTOR_PROPS } from './support/fixtures';

/**
 * The pipeline registry's contract: what the collector is allowed to do in
 * the cluster, and the environment it gets, are exactly what the pipelines it
 * runs ask for, and what their configuration actually uses. Every shape the
 * options can take is built, in both modes.
 */

const REMOTE_WRITE_URL =
  'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-12345678-abcd-ef01-2345-6789abcdef01/api/v1/remote_write';
const CLOUDWATCH = { declarations: [{ metrics: ['http_requests_total'], dimensionSets: [['ClusterName', 'app']] }] };

const APPLICATION_METRICS: Record<string, ApplicationMetrics | undefined> = {
  none: undefined,
  'CloudWatch, every namespace': { cloudWatch: CLOUDWATCH },
  'Managed Prometheus, one namespace': {
    managedPrometheus: { remoteWriteUrl: REMOTE_WRITE_URL },
    namespaces: ['shop'],
  },
  'both, two namespaces': {
    cloudWatch: CLOUDWATCH,
    managedPrometheus: { remoteWriteUrl: REMOTE_WRITE_URL },
    namespaces: ['golang', 'shop'],
  },
};

const SHAPES = Object.values(MetricsDestination).flatMap((metricsDestination) =>
  Object.entries(APPLICATION_METRICS).flatMap(([application, applicationMetrics]) =>
    [1, 3].map((replicas) => ({
      // Three replicas with pod health: kube-state-metrics scraped by one of them.
      name: `${metricsDestination}, application metrics: ${application}, ${replicas} replica(s)${replicas > 1 ? ', pod health' : ''}`,
      props: {
        ...COLLECTOR_PROPS,
        metricsDestination,
        replicas,
        applicationMetrics,
        ...(replicas > 1 ? { podHealth: {} } : {}),
      },
    })),
  ),
);

/** A right: a verb on a resource, cluster-wide (namespace `*`) or in one namespace. */
const right = (verb: string, resource: string, namespace = '*') => `${verb} ${resource} in ${namespace}`;

/** The rights the manifests grant the collector's service account. */
function grantedRights(manifests: Array<Record<string, any>>): Set<string> {
  const rights = new Set<string>();
  const add = (rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>, namespace?: string) => {
    for (const rule of rules) {
      expect(rule.apiGroups).toStrictEqual(['']);
      for (const resource of rule.resources)
        for (const verb of rule.verbs) rights.add(right(verb, resource, namespace));
    }
  };
  // The collector's own: kube-state-metrics' role is bound to its own service account (test/pod-health.test.ts).
  for (const role of manifests.filter((m) => m.kind === 'ClusterRole' && m.metadata.name === 'adotcol-admin-role')) {
    add(role.rules);
  }
  for (const role of manifests.filter((m) => m.kind === 'Role')) {
    const binding = manifests.find(
      (m) =>
        m.kind === 'RoleBinding' &&
        m.metadata.namespace === role.metadata.namespace &&
        m.roleRef.name === role.metadata.name,
    );
    expect(binding?.subjects, `the binding of Role ${role.metadata.namespace}/${role.metadata.name}`).toStrictEqual([
      { apiGroup: '', kind: 'ServiceAccount', name: 'adot-collector', namespace: 'fargate-container-insights' },
    ]);
    add(role.rules, role.metadata.namespace);
  }
  return rights;
}

/**
 * The rights a configuration's scrapes use: each `kubernetes_sd_configs`
 * entry lists and watches its role's resources (in its namespaces, if
 * listed), and a target whose metrics path goes through the API server's
 * node proxy gets `nodes/proxy`.
 */
function usedRights(config: Record<string, any>): Array<{ resource: string; namespaces: string[]; verbs: string[] }> {
  const used: Array<{ resource: string; namespaces: string[]; verbs: string[] }> = [];
  for (const receiver of Object.values(config.receivers) as Array<Record<string, any>>) {
    for (const scrape of receiver.config?.scrape_configs ?? []) {
      for (const sd of scrape.kubernetes_sd_configs ?? []) {
        used.push({ resource: `${sd.role}s`, namespaces: sd.namespaces?.names ?? ['*'], verbs: ['list', 'watch'] });
        // attach_metadata: {node: true} watches the nodes too, for their labels.
        if (sd.attach_metadata?.node) used.push({ resource: 'nodes', namespaces: ['*'], verbs: ['list', 'watch'] });
      }
      const paths = (scrape.relabel_configs ?? []).filter((r: any) => r.target_label === '__metrics_path__');
      if (paths.some((r: any) => /^\/api\/v1\/nodes\/[^/]+\/proxy\//.test(r.replacement))) {
        used.push({ resource: 'nodes/proxy', namespaces: ['*'], verbs: ['get'] });
      }
    }
  }
  return used;
}

/** Every `${env:NAME}` a configuration reads. */
function environmentRead(config: unknown): Set<string> {
  return new Set(
    [...JSON.stringify(config).matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1] as string),
  );
}

function build(props: FargateContainerInsightsCollectorProps) {
  const chart = Testing.chart();
  const collector = new FargateContainerInsightsCollector(chart, 'Collector', props);
  const manifests = Testing.synth(chart) as Array<Record<string, any>>;
  const configMap = manifests.find((m) => m.kind === 'ConfigMap');
  const config = loadCollectorConfig(configMap?.data['adot-collector-config']);
  const env: Array<{ name: string }> = manifests.find((m) => m.kind === 'StatefulSet')?.spec.template.spec.containers[0]
    .env;
  return { collector, manifests, config, env: env.map((e) => e.name) };
}

describe.each(SHAPES)('$name', ({ props }) => {
  const { collector, manifests, config, env } = build(props);
  const options = collector._configOptions;

  test('the service account may do what the scrapes use, and nothing else', () => {
    const granted = grantedRights(manifests);
    const used = usedRights(config);
    for (const { resource, namespaces, verbs } of used) {
      for (const namespace of namespaces)
        for (const verb of verbs) expect(granted).toContain(right(verb, resource, namespace));
    }
    // Beyond what the scrapes use, at most `get` on what they discover (the AWS reference's pod rule).
    const usedResources = new Set(
      used.flatMap(({ resource, namespaces }) => namespaces.map((ns) => `${resource} in ${ns}`)),
    );
    for (const grant of granted) {
      const [verb, ...rest] = grant.split(' ');
      expect(['get', 'list', 'watch'], grant).toContain(verb);
      expect(usedResources, grant).toContain(rest.join(' '));
    }
  });

  test('the RBAC is the union of the enabled pipelines’ rules, each rule once', () => {
    const asRights = (rules: readonly RbacRule[], namespace?: string) =>
      rules.flatMap((rule) => rule.verbs.map((verb) => right(verb, rule.resource, namespace)));
    const wanted = enabledPipelines(options).flatMap((pipeline) => {
      const rbac = pipeline.rbac(options);
      return [
        ...asRights(rbac.clusterRules),
        ...rbac.namespaced.flatMap((role) => role.namespaces.flatMap((ns) => asRights(role.rules, ns))),
      ];
    });
    expect([...grantedRights(manifests)].sort()).toStrictEqual([...new Set(wanted)].sort());
    const merged = collectorRbac(options);
    expect(new Set(merged.clusterRules.map((rule) => JSON.stringify(rule))).size).toBe(merged.clusterRules.length);
    expect(collector.applicationRoles).toHaveLength(merged.namespaced.flatMap((role) => role.namespaces).length);
  });

  test('the container sets every variable the configuration reads, and each pipeline’s own', () => {
    for (const name of environmentRead(config)) expect(env).toContain(name);
    for (const pipeline of enabledPipelines(options)) {
      for (const name of Object.keys(pipeline.environment(options))) expect(env).toContain(name);
    }
  });

  test('the configuration does not depend on the cluster name, so a fleet renders it once per setting', () => {
    const other = buildCollectorConfig({ ...options, clusterName: 'another-cluster' });
    expect(other).toStrictEqual(buildCollectorConfig(options));
  });

  test('the operator collector grants the same and sets the same environment', () => {
    const chart = Testing.chart();
    const operator = new FargateContainerInsightsOperatorCollector(chart, 'Collector', props);
    const objects = Testing.synth(chart) as Array<Record<string, any>>;
    expect(grantedRights(objects)).toStrictEqual(grantedRights(manifests));
    expect((operator._spec.env ?? []).map((e) => e.name)).toStrictEqual(env);
  });
});

test('every pipeline is enabled by some shape above, so each is checked', () => {
  const enabled = new Set(
    SHAPES.flatMap(({ props }) => {
      const chart = Testing.chart();
      const collector = new FargateContainerInsightsCollector(chart, 'Collector', props);
      return enabledPipelines(collector._configOptions).map((pipeline) => pipeline.name);
    }),
  );
  expect([...enabled].sort()).toStrictEqual(PIPELINES.map((pipeline) => pipeline.name).sort());
});
