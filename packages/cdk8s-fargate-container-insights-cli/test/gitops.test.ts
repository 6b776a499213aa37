import { Testing } from 'cdk8s';
import { ArgoCdSyncWaves, FargateContainerInsightsCollector } from 'cdk8s-fargate-container-insights';
import { describe, expect, test } from 'vitest';
import { type KubernetesObject, validateManifest } from '../../../tools/manifests';
import { buildApp } from '../src/app/app';
import { settingsFromEnvironment } from '../src/app/app-settings';
import { argoCdApplicationSet, argoCdNormalizedName, fluxObjects, kustomization } from '../src/fleet/gitops';

const SOURCE = { repoURL: 'https://github.com/example/platform.git', branch: 'main', path: 'clusters/dist' };

describe('ArgoCdSyncWaves', () => {
  const objects = (): KubernetesObject[] => {
    const app = buildApp(settingsFromEnvironment({}));
    return app.charts.flatMap((chart) => chart.toJson() as KubernetesObject[]);
  };
  const wave = (o: KubernetesObject) =>
    Number((o.metadata.annotations as Record<string, string>)[ArgoCdSyncWaves.ANNOTATION]);

  test('puts namespaces first, then accounts, RBAC and configuration, then workloads', () => {
    const waves = Object.fromEntries(objects().map((o) => [`${o.kind}/${o.metadata.name}`, wave(o)]));
    expect(waves).toStrictEqual({
      'Namespace/fargate-container-insights': -2,
      'Namespace/golang': -2,
      'ServiceAccount/adot-collector': -1,
      'ClusterRole/adotcol-admin-role': -1,
      'ClusterRoleBinding/adotcol-admin-role-binding': -1,
      'ConfigMap/adot-collector-config': -1,
      'Service/adot-collector-service': 0,
      'StatefulSet/adot-collector': 0,
      'PodDisruptionBudget/adot-collector': 0,
      'Deployment/webapp': 0,
    });
  });

  test('every object a workload refers to is in an earlier wave than the workload', () => {
    const all = objects();
    for (const workload of all.filter((o) => ['StatefulSet', 'Deployment'].includes(o.kind))) {
      const earlier = all.filter((o) => ['Namespace', 'ServiceAccount', 'ConfigMap'].includes(o.kind));
      for (const dependency of earlier) expect(wave(dependency)).toBeLessThan(wave(workload));
    }
  });

  test('annotates objects users add, by their kind', () => {
    const chart = Testing.chart();
    new FargateContainerInsightsCollector(chart, 'Collector', {
      clusterName: 'c',
      region: 'eu-west-1',
      serviceAccountRoleArn: 'arn:aws:iam::123456789012:role/r',
    });
    ArgoCdSyncWaves.addTo(chart);
    for (const o of Testing.synth(chart) as KubernetesObject[]) expect(wave(o)).toBe(ArgoCdSyncWaves.waveOf(o.kind));
  });
});

describe('kustomization', () => {
  test('lists the files sorted, as a kustomize Kustomization', () => {
    const k = kustomization(['b.k8s.yaml', 'a.k8s.yaml']);
    expect(k).toStrictEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['a.k8s.yaml', 'b.k8s.yaml'],
    });
    expect(() => validateManifest(k as unknown as KubernetesObject)).not.toThrow();
  });
});

describe('argoCdApplicationSet', () => {
  const set = argoCdApplicationSet(SOURCE, { namespace: 'argocd', project: 'platform' });

  test('generates an Application per cluster folder, excluding _gitops, deployed to the cluster of that name', () => {
    expect(set.spec.generators[0]?.git.directories).toStrictEqual([
      { path: 'clusters/dist/*' },
      { path: 'clusters/dist/_gitops', exclude: true },
    ]);
    expect(set.spec.template).toStrictEqual({
      metadata: { name: 'fargate-container-insights-{{.path.basenameNormalized}}' },
      spec: {
        project: 'platform',
        source: { repoURL: SOURCE.repoURL, targetRevision: 'main', path: '{{.path.path}}' },
        destination: { name: '{{.path.basename}}' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
    // A template error fails the generation instead of writing "<no value>".
    expect(set.spec.goTemplateOptions).toStrictEqual(['missingkey=error']);
  });

  test('is valid against the ApplicationSet CRD schema', () => {
    expect(() => validateManifest(set as unknown as KubernetesObject)).not.toThrow();
  });
});

describe('fluxObjects', () => {
  const [repository, kustomizationObject] = fluxObjects(SOURCE, 'prod-eu', {
    namespace: 'flux-system',
    interval: '5m',
  });

  test("follow the branch and apply the cluster's folder, pruning and waiting for readiness", () => {
    expect(repository.spec).toStrictEqual({ interval: '5m', url: SOURCE.repoURL, ref: { branch: 'main' } });
    expect(kustomizationObject.spec).toStrictEqual({
      interval: '5m',
      path: './clusters/dist/prod-eu',
      prune: true,
      wait: true,
      timeout: '5m',
      sourceRef: { kind: 'GitRepository', name: repository.metadata.name },
    });
  });

  test('are valid against the GitRepository and Kustomization CRD schemas', () => {
    expect(() => validateManifest(repository as unknown as KubernetesObject)).not.toThrow();
    expect(() => validateManifest(kustomizationObject as unknown as KubernetesObject)).not.toThrow();
  });
});

describe('the CRD schemas catch what the controllers would reject', () => {
  const [repository, ks] = fluxObjects(SOURCE, 'prod-eu', { namespace: 'flux-system', interval: '5m' });
  const set = argoCdApplicationSet(SOURCE, { namespace: 'argocd', project: 'default' });

  test.each<[string, object, string]>([
    [
      'a GitRepository with an scp-like URL',
      { ...repository, spec: { ...repository.spec, url: 'git@host:x' } },
      '/spec/url must match pattern',
    ],
    [
      'a Kustomization without prune',
      { ...ks, spec: { ...ks.spec, prune: undefined } },
      "must have required property 'prune'",
    ],
    [
      'a Kustomization with a bad interval',
      { ...ks, spec: { ...ks.spec, interval: '10 min' } },
      '/spec/interval must match pattern',
    ],
    ['a misspelt field', { ...ks, spec: { ...ks.spec, prunne: true } }, 'must NOT have additional properties'],
    [
      'an ApplicationSet without a project',
      {
        ...set,
        spec: {
          ...set.spec,
          template: { ...set.spec.template, spec: { ...set.spec.template.spec, project: undefined } },
        },
      },
      "must have required property 'project'",
    ],
    [
      'a kustomization.yaml listing nothing',
      { ...kustomization(['a']), resources: [] },
      '/resources must NOT have fewer than 1 items',
    ],
  ])('%s', (_, object, message) => {
    const withoutUndefined = JSON.parse(JSON.stringify(object)) as KubernetesObject;
    expect(() => validateManifest(withoutUndefined, 'x.yaml')).toThrow(message);
  });
});

describe('argoCdNormalizedName', () => {
  // Argo CD's SanitizeName (applicationset/utils/template_functions.go).
  test.each([
    ['prod-eu', 'prod-eu'],
    ['Prod_EU', 'prod-eu'],
    ['directory_2', 'directory-2'],
    ['_x_', 'x'],
    ['a'.repeat(300), 'a'.repeat(253)],
  ])('%s becomes %s', (name, normalized) => {
    expect(argoCdNormalizedName(name)).toBe(normalized);
  });
});
