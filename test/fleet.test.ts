import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/app/app';
import { settingsFromEnvironment } from '../src/app/app-settings';
import { SAMPLE_GO_WEBAPP_DECLARATIONS } from '../src/config/application-metrics';
import { ValidationError } from '../src/core/errors';
import { OUTPUT_MARKER } from '../src/core/output';
import type { FleetCluster } from '../src/fleet/cluster-settings';
import { synthesizeFleet } from '../src/fleet/fleet';
import { readFleetFile } from '../src/fleet/fleet-file';
import type { Fleet } from '../src/fleet/fleet-spec';
import { diffFolders, readTree } from '../tools/folders';
import { readManifests, validateManifest } from '../tools/manifests';
import { applyabilityProblems, applyOrderProblems } from './support/applyable';
import { ROLE_ARN } from './support/fixtures';

const REMOTE_WRITE_URL =
  'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-12345678-abcd-ef01-2345-6789abcdef01/api/v1/remote_write';

const ROOT = join(__dirname, '..');
const EXAMPLE = join(ROOT, 'examples', 'fleet', 'clusters.yaml');

const scratch = mkdtempSync(join(tmpdir(), 'fleet-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let count = 0;
const freshDir = () => join(scratch, `out-${count++}`);

/** Every file under `dir` with its text, by path relative to it. */
const tree = readTree;

const cluster = (name: string, extra: Partial<FleetCluster> = {}): FleetCluster => ({
  name,
  region: 'eu-west-1',
  serviceAccountRoleArn: `arn:aws:iam::123456789012:role/${name}-adot-collector`,
  ...extra,
});

const GITOPS = {
  repoURL: 'https://github.com/example/platform.git',
  path: 'clusters',
  argoCd: {},
  flux: {},
} as const;

describe('synthesizeFleet', () => {
  test('writes one folder per cluster with a kustomization.yaml, and the GitOps objects under _gitops/', async () => {
    const dir = freshDir();
    const result = await synthesizeFleet(
      { clusters: [cluster('b'), cluster('a', { sampleApp: true })], gitops: GITOPS },
      dir,
    );
    expect(result.files).toStrictEqual([
      '_gitops/argocd/applicationset.yaml',
      '_gitops/flux/a.yaml',
      '_gitops/flux/b.yaml',
      'a/fargate-container-insights.k8s.yaml',
      'a/kustomization.yaml',
      'a/sample-go-webapp.k8s.yaml',
      'b/fargate-container-insights.k8s.yaml',
      'b/kustomization.yaml',
    ]);
    expect(Object.keys(tree(dir))).toStrictEqual([OUTPUT_MARKER, ...result.files]);
    expect(result.workers).toBe(1);
  });

  test('without gitops, writes only the cluster folders', async () => {
    const dir = freshDir();
    const result = await synthesizeFleet({ clusters: [cluster('a')] }, dir);
    expect(result.files).toStrictEqual(['a/fargate-container-insights.k8s.yaml', 'a/kustomization.yaml']);
  });

  test('each cluster folder is applyable on its own, and every object is valid against its schema', async () => {
    const dir = freshDir();
    await synthesizeFleet(
      {
        clusters: [
          cluster('plain'),
          cluster('sharded', { replicas: 3, namespace: 'observability' }),
          cluster('with-sample', { sampleApp: true, adotVersion: 'v0.40.0', fargateNodesOnly: false }),
          cluster('scraping-the-sample', {
            sampleApp: true,
            applicationMetrics: { managedPrometheus: { remoteWriteUrl: REMOTE_WRITE_URL }, namespaces: ['golang'] },
          }),
        ],
        gitops: GITOPS,
      },
      dir,
    );
    for (const name of ['plain', 'sharded', 'with-sample', 'scraping-the-sample']) {
      expect(applyabilityProblems(join(dir, name)), name).toStrictEqual([]);
      expect(applyOrderProblems(join(dir, name)), name).toStrictEqual([]);
    }
    for (const { file, objects } of readManifests(dir)) {
      for (const object of objects) expect(() => validateManifest(object, file)).not.toThrow();
    }
  });

  test("a cluster's folder holds what the single-cluster app writes for it, plus kustomization.yaml", async () => {
    const env = {
      CLUSTER_NAME: 'prod-eu',
      AWS_REGION: 'eu-west-1',
      COLLECTOR_ROLE_ARN: ROLE_ARN,
      ADOT_VERSION: 'v0.45.0',
      SAMPLE_APP: 'true',
    };
    const single = freshDir();
    buildApp(settingsFromEnvironment(env), single).synth();
    const fleet = freshDir();
    await synthesizeFleet(
      {
        clusters: [
          {
            name: env.CLUSTER_NAME,
            region: env.AWS_REGION,
            serviceAccountRoleArn: env.COLLECTOR_ROLE_ARN,
            adotVersion: env.ADOT_VERSION,
            sampleApp: true,
            // What the app turns on for its sample unless APPLICATION_METRICS=none.
            applicationMetrics: { cloudWatch: { declarations: SAMPLE_GO_WEBAPP_DECLARATIONS } },
          },
        ],
      },
      fleet,
    );
    const { 'kustomization.yaml': kustomization, ...manifests } = tree(join(fleet, 'prod-eu'));
    expect(manifests).toStrictEqual(tree(single));
    expect(kustomization).toBe(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - fargate-container-insights.k8s.yaml\n  - sample-go-webapp.k8s.yaml\n',
    );
  });

  test('clusters differ only where their settings do', async () => {
    const dir = freshDir();
    await synthesizeFleet({ clusters: [cluster('one'), cluster('two')] }, dir);
    const one = readFileSync(join(dir, 'one', 'fargate-container-insights.k8s.yaml'), 'utf8');
    const two = readFileSync(join(dir, 'two', 'fargate-container-insights.k8s.yaml'), 'utf8');
    expect(two).toBe(one.replaceAll('ClusterName=one', 'ClusterName=two').replaceAll('role/one-', 'role/two-'));
  });

  test('worker threads write byte-identical output and prerequisites', async () => {
    const fleet: Fleet = {
      clusters: Array.from({ length: 7 }, (_, i) =>
        cluster(`c${i}`, { sampleApp: i % 2 === 0, replicas: 1 + (i % 3), fargateLogging: i % 3 === 0 }),
      ),
      gitops: GITOPS,
    };
    const [inThread, inWorkers, prerequisitesInThread, prerequisitesInWorkers] = [
      freshDir(),
      freshDir(),
      freshDir(),
      freshDir(),
    ];
    const single = await synthesizeFleet(fleet, inThread, { workers: 1, prerequisitesOutdir: prerequisitesInThread });
    expect(single.workers).toBe(1);
    const result = await synthesizeFleet(fleet, inWorkers, { workers: 3, prerequisitesOutdir: prerequisitesInWorkers });
    expect(result.workers).toBe(3);
    expect(tree(inWorkers)).toStrictEqual(tree(inThread));
    expect(tree(prerequisitesInWorkers)).toStrictEqual(tree(prerequisitesInThread));
    expect(result.prerequisites).toStrictEqual(single.prerequisites);
    expect(result.prerequisites.filter((f) => f.startsWith('c0/'))).toStrictEqual([
      'c0/collector-role.json',
      'c0/eksctl-cluster-config.yaml',
      'c0/fargate-pod-execution-role-logging-policy.json',
    ]);
  });

  test('with fargateLogging, a cluster folder also holds the aws-logging ConfigMap, applyable with the rest', async () => {
    const dir = freshDir();
    await synthesizeFleet({ clusters: [cluster('logs', { fargateLogging: true, logRetentionDays: 7 })] }, dir);
    expect(readdirSync(join(dir, 'logs')).sort()).toStrictEqual([
      'fargate-container-insights.k8s.yaml',
      'fargate-logging.k8s.yaml',
      'kustomization.yaml',
    ]);
    expect(applyabilityProblems(join(dir, 'logs'))).toStrictEqual([]);
  });

  test('rejects an invalid fleet before writing anything', async () => {
    const dir = freshDir();
    await expect(synthesizeFleet({ clusters: [cluster('a', { region: 'moon' })] }, dir)).rejects.toThrow(
      'Invalid clusters[0].region "moon"',
    );
    expect(() => readdirSync(dir)).toThrow(/ENOENT/);
  });

  test.each([1, 2])('names the cluster when a construct rejects it (%i worker(s))', async (workers) => {
    // Valid field by field, but the collector's namespace is the sample application's.
    const fleet = { clusters: [cluster('a'), cluster('b', { namespace: 'golang', sampleApp: true })] };
    const error = await synthesizeFleet(fleet, freshDir(), { workers }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(
      /^clusters\[1\] \(b\): Invalid namespace "golang": it is already created by/,
    );
  });
});

describe('the example fleet', () => {
  const committed = join(ROOT, 'examples', 'fleet', 'dist');

  test('its committed dist/ and prerequisites/ are what the clusters file synthesizes now', async () => {
    const { fleet, output, prerequisites } = readFleetFile(EXAMPLE);
    expect(output).toBe(committed);
    const [fresh, freshPrerequisites] = [freshDir(), freshDir()];
    await synthesizeFleet(fleet, fresh, { prerequisitesOutdir: freshPrerequisites });
    expect(diffFolders(committed, fresh, 'examples/fleet/dist')).toStrictEqual([]);
    expect(diffFolders(prerequisites, freshPrerequisites, 'examples/fleet/prerequisites')).toStrictEqual([]);
  });

  test('every cluster folder is applyable on its own; every object is valid', () => {
    const { fleet } = readFleetFile(EXAMPLE);
    for (const { name } of fleet.clusters) {
      expect(applyabilityProblems(join(committed, name)), name).toStrictEqual([]);
      expect(applyOrderProblems(join(committed, name)), name).toStrictEqual([]);
    }
    for (const { file, objects } of readManifests(committed)) {
      for (const object of objects) validateManifest(object, file);
    }
  });

  test('Flux points each cluster at its own folder, and the ApplicationSet at every folder but _gitops', () => {
    const { fleet } = readFleetFile(EXAMPLE);
    const flux = readManifests(join(committed, '_gitops', 'flux'));
    expect(flux.map(({ file }) => file)).toStrictEqual(fleet.clusters.map(({ name }) => `${name}.yaml`).sort());
    for (const { file, objects } of flux) {
      const kustomization = objects.find((o) => o.kind === 'Kustomization') as unknown as { spec: { path: string } };
      expect(kustomization.spec.path).toBe(`./examples/fleet/dist/${file.replace('.yaml', '')}`);
    }
    const [applicationSet] = readManifests(join(committed, '_gitops', 'argocd'))[0]?.objects ?? [];
    expect(applicationSet).toMatchObject({
      spec: {
        generators: [
          {
            git: {
              directories: [{ path: 'examples/fleet/dist/*' }, { path: 'examples/fleet/dist/_gitops', exclude: true }],
            },
          },
        ],
      },
    });
  });
});

describe('the output folder', () => {
  test('is replaced whole: a cluster taken out of the fleet loses its folder', async () => {
    const dir = freshDir();
    await synthesizeFleet({ clusters: [cluster('a'), cluster('gone')] }, dir);
    await synthesizeFleet({ clusters: [cluster('a')] }, dir);
    expect(readdirSync(dir).sort()).toStrictEqual([OUTPUT_MARKER, 'a']);
  });

  test('is left byte-identical when a cluster fails, with no staging folder left behind', async () => {
    const parent = freshDir();
    const dir = join(parent, 'out');
    await synthesizeFleet({ clusters: [cluster('a'), cluster('b')] }, dir);
    const before = tree(dir);
    const broken = { clusters: [cluster('a'), cluster('c', { namespace: 'golang', sampleApp: true })] };
    await expect(synthesizeFleet(broken, dir)).rejects.toThrow('clusters[1] (c): Invalid namespace "golang"');
    expect(tree(dir)).toStrictEqual(before);
    expect(readdirSync(parent)).toStrictEqual(['out']);
  });
});
