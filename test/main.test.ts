import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  buildCluster,
  estimateLines,
  synthCluster,
} from '../packages/cdk8s-fargate-container-insights-cli/src/app/app';
import {
  APP_VARIABLES,
  DEMO_ENVIRONMENT,
  settingsFromEnvironment,
} from '../packages/cdk8s-fargate-container-insights-cli/src/app/app-settings';
import { OUTPUT_MARKER, recordedSettings } from '../packages/cdk8s-fargate-container-insights-cli/src/core/output';
import { resolveCluster } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/cluster-settings';
import { CollectorMode } from '../src/collector/collector-mode';
import { AdotVersion } from '../src/config/adot-version';
import { SAMPLE_GO_WEBAPP_DECLARATIONS } from '../src/config/application-metrics';
import { MetricProfile, PROFILE_DECLARATIONS } from '../src/config/catalog/profiles';
import { readManifests, validateManifest } from '../tools/manifests';
import { applyOrderProblems } from './support/applyable';
import { loadCollectorConfig } from './support/collector';
import { ROLE_ARN } from './support/fixtures';

const ROOT = join(__dirname, '..');
const ENV = {
  CLUSTER_NAME: 'prod-eu',
  AWS_REGION: 'eu-west-1',
  COLLECTOR_ROLE_ARN: ROLE_ARN,
};
/** A real cluster that also runs the sample application. */
const SAMPLE = { ...ENV, SAMPLE_APP: 'true' };

describe('settingsFromEnvironment', () => {
  test('with no variable set, the demo configuration', () => {
    const settings = settingsFromEnvironment({});
    expect(settings).toStrictEqual({
      cluster: {
        name: DEMO_ENVIRONMENT.CLUSTER_NAME,
        region: DEMO_ENVIRONMENT.AWS_REGION,
        serviceAccountRoleArn: DEMO_ENVIRONMENT.COLLECTOR_ROLE_ARN,
        oidcIssuer: DEMO_ENVIRONMENT.OIDC_ISSUER,
        sampleApp: true,
        applicationMetrics: { cloudWatch: { declarations: SAMPLE_GO_WEBAPP_DECLARATIONS } },
      },
      expected: {
        namespaces: 10,
        pods: 100,
        workloads: 30,
        services: 30,
        defaulted: ['EXPECTED_PODS', 'EXPECTED_NAMESPACES', 'EXPECTED_WORKLOADS', 'EXPECTED_SERVICES'],
      },
      demo: true,
    });
    // Everything else is the settings table's default, as for a clusters file.
    expect(resolveCluster(settings.cluster)).toMatchObject({
      adotVersion: AdotVersion.DEFAULT.tag,
      collectorMode: CollectorMode.MANIFESTS,
      metricProfile: MetricProfile.REFERENCE,
      fargateLogging: false,
    });
  });

  test('reads the cluster from the environment', () => {
    const settings = settingsFromEnvironment({ ...ENV, ADOT_VERSION: 'v0.40.0', HOME: '/root' });
    expect(settings).toMatchObject({
      cluster: { name: 'prod-eu', region: 'eu-west-1', serviceAccountRoleArn: ENV.COLLECTOR_ROLE_ARN },
      demo: false,
    });
    expect(settings.cluster.adotVersion).toBe('v0.40.0');
  });

  // Bad values: test/bad-input.test.ts.
});

/** Where objects hold an empty list or object, but `emptyDir: {}` (an empty directory volume, meaningful). */
function emptyValues(files: ReturnType<typeof readManifests>): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      if (value.length === 0) found.push(path);
      for (const [i, item] of value.entries()) walk(item, `${path}[${i}]`);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      if (entries.length === 0 && !path.endsWith('.emptyDir')) found.push(path);
      for (const [key, item] of entries) walk(item, `${path}.${key}`);
    }
  };
  for (const { file, objects } of files) {
    for (const [i, object] of objects.entries()) walk(object, `${file}[${i}]`);
  }
  return found;
}

describe('the app', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  function synthTo(env: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'app-'));
    dirs.push(dir);
    synthCluster(buildCluster(settingsFromEnvironment(env), dir));
    return dir;
  }
  const files = (dir: string) =>
    Object.fromEntries(
      readdirSync(dir)
        // The app writes the manifests; `npm run synth` adds the marker.
        .filter((f) => f !== OUTPUT_MARKER)
        .sort()
        .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
    );

  test('a real cluster runs the sample only with SAMPLE_APP=true; the demo runs it', () => {
    const kinds = (dir: string) =>
      readManifests(dir).flatMap(({ objects }) => objects.map((o: any) => o.metadata.namespace ?? o.metadata.name));
    const real = synthTo(ENV);
    expect(Object.keys(files(real))).toStrictEqual(['fargate-container-insights.k8s.yaml']);
    expect(kinds(real)).not.toContain('golang');
    // Without the sample, no application metrics unless asked for.
    expect(settingsFromEnvironment(ENV).cluster.applicationMetrics).toBeUndefined();
    expect(Object.keys(files(synthTo(SAMPLE)))).toContain('sample-go-webapp.k8s.yaml');
    expect(settingsFromEnvironment({}).cluster.sampleApp).toBe(true);
    expect(settingsFromEnvironment({ SAMPLE_APP: 'false' }).cluster.sampleApp).toBe(false);
  });

  test.each([
    ['the demo', {}],
    ['application metrics in the sample namespace', { APPLICATION_METRICS_NAMESPACES: 'golang' }],
    ['operator mode, Fargate logging', { COLLECTOR_MODE: 'operator', FARGATE_LOGGING: 'true' }],
  ])('%s: kubectl apply -f applies it in one pass, each Namespace before the objects in it', (_, env) => {
    expect(applyOrderProblems(synthTo({ ...SAMPLE, ...env }))).toStrictEqual([]);
  });

  test.each([
    ['the demo', {}],
    [
      'operator mode, Fargate logging, application metrics in listed namespaces',
      { COLLECTOR_MODE: 'operator', FARGATE_LOGGING: 'true', APPLICATION_METRICS_NAMESPACES: 'golang' },
    ],
  ])('%s: no empty list or object that means the default (resourceNames: [], spec: {}, ...)', (_, env) => {
    expect(emptyValues(readManifests(synthTo({ ...SAMPLE, ...env })))).toStrictEqual([]);
  });

  test('a chart with objects in another chart’s namespace comes after it: numbered files', () => {
    expect(Object.keys(files(synthTo({ ...SAMPLE, APPLICATION_METRICS_NAMESPACES: 'golang' })))).toStrictEqual([
      '0000-sample-go-webapp.k8s.yaml',
      '0001-fargate-container-insights.k8s.yaml',
    ]);
    expect(Object.keys(files(synthTo(SAMPLE)))).toStrictEqual([
      'fargate-container-insights.k8s.yaml',
      'sample-go-webapp.k8s.yaml',
    ]);
  });

  test('writes one file per chart, every object valid against the Kubernetes schema', () => {
    const manifests = readManifests(synthTo(SAMPLE));
    expect(manifests.map((m) => m.file)).toStrictEqual([
      'fargate-container-insights.k8s.yaml',
      'sample-go-webapp.k8s.yaml',
    ]);
    for (const { objects } of manifests) for (const object of objects) validateManifest(object);
  });

  test('with METRIC_PROFILE=console, the collector sends the console declarations', () => {
    const config = readManifests(synthTo({ ...SAMPLE, METRIC_PROFILE: 'console' }))
      .flatMap((m) => m.objects)
      .find((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'adot-collector-config');
    const data = (config?.data ?? {}) as Record<string, string>;
    const declarations = loadCollectorConfig(data['adot-collector-config'] ?? '').exporters.awsemf.metric_declarations;
    expect(declarations.map((d: { dimensions: string[][] }) => d.dimensions)).toStrictEqual(
      PROFILE_DECLARATIONS.console.map((d) => d.dimensionSets),
    );
  });

  test('with COLLECTOR_MODE=operator and FARGATE_LOGGING=true, emits the custom resource and the logging ConfigMap', () => {
    const manifests = readManifests(synthTo({ ...SAMPLE, COLLECTOR_MODE: 'operator', FARGATE_LOGGING: 'true' }));
    expect(manifests.map((m) => m.file)).toStrictEqual([
      'fargate-container-insights.k8s.yaml',
      'fargate-logging.k8s.yaml',
      'sample-go-webapp.k8s.yaml',
    ]);
    const kinds = manifests.flatMap(({ objects }) => objects.map((o) => o.kind));
    expect(kinds).toContain('OpenTelemetryCollector');
    expect(kinds).not.toContain('StatefulSet');
    expect(manifests[1]?.objects.map((o) => `${o.kind} ${o.metadata.name}`)).toStrictEqual([
      'Namespace aws-observability',
      'ConfigMap aws-logging',
    ]);
    for (const { objects } of manifests) for (const object of objects) validateManifest(object);
  });

  test('derives the prerequisites from the same constructs', () => {
    const { prerequisites } = buildCluster(
      settingsFromEnvironment({
        ...SAMPLE,
        FARGATE_LOGGING: 'true',
        OIDC_ISSUER: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
      }),
    );
    expect(prerequisites.eksctl.fargateProfiles.map((p) => p.name)).toStrictEqual([
      'fargate-container-insights',
      'golang',
    ]);
    expect(prerequisites.collectorRole.AssumeRolePolicyDocument).toBeDefined();
    expect(prerequisites.loggingPolicy).toBeDefined();
    // Without the sample, no Fargate profile for its namespace.
    const real = buildCluster(settingsFromEnvironment(ENV)).prerequisites;
    expect(real.eksctl.fargateProfiles.map((p) => p.name)).toStrictEqual(['fargate-container-insights']);
  });

  test("FARGATE_LOG_RETENTION_DAYS sets the container logs' retention, and lets the pod execution role set it", () => {
    const env = { ...SAMPLE, FARGATE_LOGGING: 'true', FARGATE_LOG_RETENTION_DAYS: '30' };
    const logging = readManifests(synthTo(env)).find((m) => m.file === 'fargate-logging.k8s.yaml');
    const configMap = logging?.objects.find((o) => o.kind === 'ConfigMap');
    expect(((configMap?.data ?? {}) as Record<string, string>)['output.conf']).toMatch(/log_retention_days\s+30\n/);
    const { prerequisites } = buildCluster(settingsFromEnvironment(env));
    expect(JSON.stringify(prerequisites.loggingPolicy)).toContain('logs:PutRetentionPolicy');
  });

  test("COLLECTOR_REPLICAS runs that many collectors, so EXPECTED_PODS past one replica's reach is accepted", () => {
    const env = { ...SAMPLE, COLLECTOR_REPLICAS: '3', EXPECTED_PODS: '2500' };
    const collector = readManifests(synthTo(env))
      .flatMap((m) => m.objects)
      .find((o) => o.kind === 'StatefulSet');
    expect((collector?.spec as { replicas?: number } | undefined)?.replicas).toBe(3);
    // Each replica scrapes its shard: its pod index, against the node name's hash modulo 3.
    const spec = collector?.spec as { template: { spec: { containers: Array<{ env: unknown[] }> } } };
    expect(spec.template.spec.containers[0]?.env).toContainEqual({
      name: 'SHARD',
      valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } },
    });
    const configMap = readManifests(synthTo(env))
      .flatMap((m) => m.objects)
      .find((o) => o.kind === 'ConfigMap') as { data: Record<string, string> } | undefined;
    const config = loadCollectorConfig(configMap?.data['adot-collector-config'] ?? '');
    expect(config.receivers.prometheus.config.scrape_configs[0].relabel_configs).toContainEqual(
      expect.objectContaining({ action: 'hashmod', modulus: 3 }),
    );
    expect(() => settingsFromEnvironment({ ...SAMPLE, EXPECTED_PODS: '2500' })).not.toThrow();
    expect(buildCluster(settingsFromEnvironment(env)).collector.sizing.recommendedReplicas).toBe(3);
  });

  test('the header goes on the files this synthesis wrote only: another file in the folder stays as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'app-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'mine.k8s.yaml'), 'kind: Mine\n');
    synthCluster(buildCluster(settingsFromEnvironment({ ...SAMPLE, APPLICATION_METRICS_NAMESPACES: 'golang' }), dir));
    expect(readFileSync(join(dir, 'mine.k8s.yaml'), 'utf8')).toBe('kind: Mine\n');
    for (const file of ['0000-sample-go-webapp.k8s.yaml', '0001-fargate-container-insights.k8s.yaml']) {
      expect(readFileSync(join(dir, file), 'utf8'), file).toMatch(/^# Generated by cdk8s-fargate-container-insights /);
    }
  });

  test('two synths are byte-identical', () => {
    expect(files(synthTo(SAMPLE))).toStrictEqual(files(synthTo(SAMPLE)));
  });

  test('the committed dist/ is what the app synthesizes now, with the settings it was synthesized with (run `npm run synth` after a change)', () => {
    const dist = join(ROOT, 'dist');
    const given = Object.fromEntries(
      APP_VARIABLES.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name] as string]])),
    );
    // The variables set here, or else those `npm run synth` recorded: a dist/ of one's own cluster passes without them.
    const env = Object.keys(given).length > 0 ? given : recordedSettings(dist);
    expect(files(dist)).toStrictEqual(files(synthTo(env)));
  });
});

describe('the estimate the app prints', () => {
  const bill = (env: Record<string, string>) => {
    const settings = settingsFromEnvironment({ ...SAMPLE, ...env });
    return estimateLines(settings, buildCluster(settings, '/nonexistent'));
  };
  const total = (lines: string[]) => Number(lines.find((l) => / in all/.test(l))?.match(/\$([\d.]+)/)?.[1]);
  const amounts = (lines: string[]) =>
    lines.slice(1).flatMap((l) => (/ in all/.test(l) ? [] : [Number(l.match(/^ +\$([\d.]+) {2}/)?.[1] ?? 0)]));

  test.each([
    ['the default', {}],
    ['OTLP alone', { METRICS_DESTINATION: 'otlp' }],
    ['both destinations, the console profile', { METRICS_DESTINATION: 'both', METRIC_PROFILE: 'console' }],
    ['no application metrics', { APPLICATION_METRICS: 'none' }],
    ['2,500 pods', { EXPECTED_PODS: '2500', COLLECTOR_REPLICAS: '3' }],
  ])('%s: a total, and it is every priced line added up, the application metrics included', (_, env) => {
    const lines = bill(env);
    const priced = amounts(lines.filter((l) => !l.includes('  -  ')));
    expect(total(lines)).toBeCloseTo(
      priced.reduce((sum, usd) => sum + usd, 0),
      1,
    );
    expect(lines.some((l) => l.includes(' application metrics to CloudWatch: '))).toBe(
      (env as Record<string, string>).APPLICATION_METRICS !== 'none',
    );
  });

  test('asks for the EXPECTED_ variables only while they are unset', () => {
    expect(bill({}).at(-1)).toBe(
      'EXPECTED_PODS, EXPECTED_NAMESPACES, EXPECTED_WORKLOADS and EXPECTED_SERVICES not set: set them for your cluster.',
    );
    expect(bill({ EXPECTED_PODS: '300', EXPECTED_WORKLOADS: '40', EXPECTED_SERVICES: '20' }).at(-1)).toBe(
      'EXPECTED_NAMESPACES not set: set it for your cluster.',
    );
    const told = bill({
      EXPECTED_PODS: '300',
      EXPECTED_NAMESPACES: '12',
      EXPECTED_WORKLOADS: '40',
      EXPECTED_SERVICES: '20',
    });
    expect(told.join('\n')).not.toContain('not set');
    expect(told[0]).toBe(
      'Monthly estimate for cluster "prod-eu" in eu-west-1, 300 pods of 40 workloads in 12 namespaces, 20 Services (us-east-1 prices; eu-west-1\'s may differ):',
    );
    expect(told[1]).toContain('8 per workload × 40');
  });

  test('workloads: 3 for every 10 pods unless told, at least one per namespace, at most one per pod', () => {
    expect(settingsFromEnvironment({ ...ENV, EXPECTED_PODS: '300' }).expected.workloads).toBe(90);
    expect(settingsFromEnvironment({ ...ENV, EXPECTED_PODS: '20', EXPECTED_NAMESPACES: '10' }).expected.workloads).toBe(
      10,
    );
    expect(() => settingsFromEnvironment({ ...ENV, EXPECTED_NAMESPACES: '10', EXPECTED_WORKLOADS: '5' })).toThrow(
      'Invalid EXPECTED_WORKLOADS=5 with EXPECTED_NAMESPACES=10: every namespace with pods has a workload.',
    );
    expect(() => settingsFromEnvironment({ ...ENV, EXPECTED_PODS: '50', EXPECTED_WORKLOADS: '60' })).toThrow(
      'Invalid EXPECTED_WORKLOADS 60: expected at most EXPECTED_PODS (50): every workload has a pod.',
    );
  });

  test('the advice to add replicas, with the variable that does it', () => {
    expect(bill({ EXPECTED_PODS: '2500' })).toContain('Above 1000 pods per replica: set COLLECTOR_REPLICAS to 3.');
    expect(bill({ EXPECTED_PODS: '2500', COLLECTOR_REPLICAS: '3' }).join('\n')).not.toContain('COLLECTOR_REPLICAS');
  });
});
