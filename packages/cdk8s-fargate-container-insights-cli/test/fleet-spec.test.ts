import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { ValidationError } from 'cdk8s-fargate-container-insights';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { errorOf, file } from '../../../test/support/clusters-file';
import { ROLE_ARN } from '../../../test/support/fixtures';
import { SCHEMA_FILE, schemaText } from '../../../tools/clusters-schema';
import { REQUIREMENTS } from '../src/fleet/cluster-settings';
import { parseFleet } from '../src/fleet/fleet-file';
import { type Fleet, fleetJsonSchema, validateFleet } from '../src/fleet/fleet-spec';

const APP_CLOUDWATCH = {
  cloudWatch: { declarations: [{ metrics: ['http_requests_total'], dimensionSets: [['ClusterName', 'namespace']] }] },
};

describe('parseFleet', () => {
  test('reads the clusters, fills in defaults and keeps what each cluster sets', () => {
    const { fleet, output } = parseFleet(
      file(
        'defaults:',
        '  region: eu-west-1',
        '  replicas: 2',
        'clusters:',
        `  - name: a`,
        `    serviceAccountRoleArn: ${ROLE_ARN}`,
        `  - name: b`,
        `    region: us-east-1`,
        `    serviceAccountRoleArn: ${ROLE_ARN}`,
        `    sampleApp: true`,
      ),
      'clusters.yaml',
    );
    expect(output).toBe('dist');
    expect(fleet).toStrictEqual({
      clusters: [
        { region: 'eu-west-1', replicas: 2, name: 'a', serviceAccountRoleArn: ROLE_ARN },
        { region: 'us-east-1', replicas: 2, name: 'b', serviceAccountRoleArn: ROLE_ARN, sampleApp: true },
      ],
    });
  });

  test('reads the gitops section and the output folder', () => {
    const { fleet, output } = parseFleet(
      file(
        'output: manifests/eks',
        'clusters:',
        `  - { name: a, region: eu-west-1, serviceAccountRoleArn: "${ROLE_ARN}" }`,
        'gitops:',
        '  repoURL: ssh://git@github.com/example/platform.git',
        '  path: manifests/eks',
        '  argoCd: {}',
        '  flux: { interval: 1h30m }',
      ),
      'clusters.yaml',
    );
    expect(output).toBe('manifests/eks');
    expect(fleet.gitops).toStrictEqual({
      repoURL: 'ssh://git@github.com/example/platform.git',
      path: 'manifests/eks',
      argoCd: {},
      flux: { interval: '1h30m' },
    });
  });

  const cluster = (extra: string) =>
    file('clusters:', `  - name: prod`, `    serviceAccountRoleArn: ${ROLE_ARN}`, extra);

  // [what, text, the message, at line:column]
  test.each<[string, string, string]>([
    [
      'an invalid region',
      cluster('    region: eu-west'),
      'clusters.yaml:4:13: Invalid clusters[0].region "eu-west": expected an AWS region code',
    ],
    [
      'a misspelt field, pointing at the key',
      cluster('    regoin: eu-west-1'),
      'clusters.yaml:4:5: Unknown field clusters[0].regoin: did you mean "region"? expected one of name, region, serviceAccountRoleArn, adotVersion, namespace, replicas, fargateNodesOnly, sampleApp, collectorMode, operatorVersion, metricProfile, fargateLogging, logRetentionDays, expectedPods, expectedWorkloads, expectedServices, podNaming, performanceLogRetentionDays, performanceLogGroupTags, oidcIssuer, applicationMetrics, metricsDestination, podHealth, allowUnlistedRegion.',
    ],
    [
      'a missing required field, pointing at the entry',
      file('clusters:', '  - name: prod', `    serviceAccountRoleArn: ${ROLE_ARN}`),
      'clusters.yaml:2:5: Missing field clusters[0].region: expected a string.',
    ],
    [
      'a value of the wrong type',
      cluster('    region: eu-west-1\n    replicas: two'),
      'clusters.yaml:5:15: Invalid clusters[0].replicas "two": expected a whole number.',
    ],
    [
      'a boolean given as a string',
      cluster('    region: eu-west-1\n    sampleApp: "yes"'),
      'clusters.yaml:5:16: Invalid clusters[0].sampleApp "yes": expected true or false.',
    ],
    [
      'too many replicas',
      cluster('    region: eu-west-1\n    replicas: 101'),
      'Invalid clusters[0].replicas 101: expected a whole number from 1 to 100.',
    ],
    [
      'an unchecked ADOT version',
      cluster('    region: eu-west-1\n    adotVersion: latest'),
      'clusters.yaml:5:18: Invalid clusters[0].adotVersion "latest": it is not a release tag',
    ],
    [
      'a bad role ARN',
      file(
        'clusters:',
        '  - name: prod',
        '    region: eu-west-1',
        '    serviceAccountRoleArn: arn:aws:iam::123:role/x',
      ),
      'clusters.yaml:4:28: Invalid clusters[0].serviceAccountRoleArn "arn:aws:iam::123:role/x"',
    ],
    [
      'a bad cluster name',
      file('clusters:', '  - name: -prod', '    region: eu-west-1', `    serviceAccountRoleArn: ${ROLE_ARN}`),
      'clusters.yaml:2:11: Invalid clusters[0].name "-prod": expected an EKS cluster name',
    ],
    [
      'a bad namespace',
      cluster('    region: eu-west-1\n    namespace: Insights'),
      'clusters.yaml:5:16: Invalid clusters[0].namespace "Insights": expected a DNS-1123 label',
    ],
    [
      'a bad default, reported once at the default',
      file('defaults:', '  region: mars-1', 'clusters:', '  - name: a', `    serviceAccountRoleArn: ${ROLE_ARN}`),
      'clusters.yaml:2:11: Invalid defaults.region "mars-1"',
    ],
    [
      'a name in defaults',
      file('defaults:', '  name: x', 'clusters:', '  - { name: a, region: eu-west-1, serviceAccountRoleArn: "r" }'),
      'clusters.yaml:2:3: Unknown field defaults.name: expected one of region,',
    ],
    [
      'two clusters whose names differ only in case',
      file(
        'defaults: { region: eu-west-1 }',
        'clusters:',
        `  - { name: prod, serviceAccountRoleArn: "${ROLE_ARN}" }`,
        `  - { name: Prod, serviceAccountRoleArn: "${ROLE_ARN}" }`,
      ),
      'clusters.yaml:4:13: Invalid clusters[1].name "Prod": expected a name no other cluster has, ignoring case (clusters[0] is "prod")',
    ],
    [
      'an unknown metric profile',
      cluster('    region: eu-west-1\n    metricProfile: full'),
      'clusters.yaml:5:20: Invalid clusters[0].metricProfile "full": expected one of reference, console.',
    ],
    [
      'an unknown collector mode',
      cluster('    region: eu-west-1\n    collectorMode: helm'),
      'clusters.yaml:5:20: Invalid clusters[0].collectorMode "helm": expected one of manifests, operator.',
    ],
    [
      'a retention CloudWatch does not offer',
      cluster('    region: eu-west-1\n    logRetentionDays: 10'),
      'clusters.yaml:5:23: Invalid clusters[0].logRetentionDays 10: expected one of the periods CloudWatch Logs accepts: 1, 3, 5,',
    ],
    [
      'an operator release before v1beta1',
      cluster('    region: eu-west-1\n    collectorMode: operator\n    operatorVersion: v0.98.0'),
      'Invalid clusters[0].operatorVersion "v0.98.0": expected an OpenTelemetry Operator release from v0.99.0',
    ],
    [
      'a performance log retention the exporter refuses',
      cluster('    region: eu-west-1\n    performanceLogRetentionDays: 1096'),
      'clusters.yaml:5:34: Invalid clusters[0].performanceLogRetentionDays 1096: expected 0 (never expire) or one of 1, 3,',
    ],
    [
      'a performance log group tag AWS reserves',
      cluster('    region: eu-west-1\n    performanceLogGroupTags: { "aws:team": platform }'),
      'clusters.yaml:5:30: Invalid clusters[0].performanceLogGroupTags key "aws:team"',
    ],
    [
      'an OIDC issuer that is not EKS',
      cluster('    region: eu-west-1\n    oidcIssuer: https://example.com'),
      'clusters.yaml:5:17: Invalid clusters[0].oidcIssuer "https://example.com": expected an EKS OIDC issuer URL',
    ],
    [
      'prerequisites in the output folder',
      file(
        'output: dist',
        'prerequisites: dist',
        'clusters:',
        `  - { name: a, region: eu-west-1, serviceAccountRoleArn: "${ROLE_ARN}" }`,
      ),
      'clusters.yaml: Invalid prerequisites "dist": expected a folder other than output ("dist")',
    ],
    ['no clusters', file('clusters: []'), 'clusters.yaml:1:11: Invalid clusters []: expected at least one cluster.'],
    ['no clusters field', file('defaults: {}'), 'clusters.yaml:1:1: Missing field clusters: expected a list.'],
    ['clusters not a list', file('clusters: prod'), 'clusters.yaml:1:11: Invalid clusters "prod": expected a list.'],
    [
      'an entry that is not a mapping',
      file('clusters:', '  - prod'),
      'clusters.yaml:2:5: Invalid clusters[0] "prod": expected a mapping of fields (name, region,',
    ],
    [
      'a file that is not a mapping',
      file('- prod'),
      'clusters.yaml:1:1: Invalid clusters file ["prod"]: expected a mapping of fields (defaults, clusters, output, prerequisites, gitops).',
    ],
    [
      'an unknown top-level field',
      file('cluster: []'),
      'clusters.yaml:1:1: Unknown field cluster: did you mean "clusters"? expected one of defaults, clusters, output, prerequisites, gitops.',
    ],
    [
      'an output folder outside the file folder',
      file('output: ../elsewhere', 'clusters: []'),
      'clusters.yaml:1:9: Invalid output "../elsewhere": expected a folder relative to the clusters file',
    ],
    ['invalid YAML', file('clusters:', '  - name: [a'), 'clusters.yaml:3:1: Invalid YAML:'],
    [
      'a duplicate key',
      cluster('    region: eu-west-1\n    region: us-east-1'),
      'clusters.yaml:5:5: Invalid YAML: Map keys must be unique',
    ],
  ])('rejects %s, naming the entry, the field and the place', (_, text, message) => {
    expect(errorOf(text)).toContain(message);
  });

  const gitops = (...lines: string[]) =>
    file(
      'clusters:',
      `  - { name: prod, region: eu-west-1, serviceAccountRoleArn: "${ROLE_ARN}" }`,
      'gitops:',
      ...lines.map((line) => `  ${line}`),
    );

  test.each<[string, string, string]>([
    [
      'an scp-like repository URL, which Flux does not accept',
      gitops('repoURL: git@github.com:example/platform.git', 'path: dist'),
      'clusters.yaml:4:12: Invalid gitops.repoURL "git@github.com:example/platform.git": expected a repository URL starting with https:// or ssh://',
    ],
    [
      'an absolute path',
      gitops('repoURL: https://github.com/example/platform.git', 'path: /dist'),
      'Invalid gitops.path "/dist": expected the path of the output folder in the repository',
    ],
    [
      'a path with a trailing slash',
      gitops('repoURL: https://github.com/example/platform.git', 'path: dist/'),
      'Invalid gitops.path "dist/"',
    ],
    [
      'a missing path',
      gitops('repoURL: https://github.com/example/platform.git'),
      'clusters.yaml:4:3: Missing field gitops.path: expected a string.',
    ],
    [
      'a bad branch',
      gitops('repoURL: https://github.com/example/platform.git', 'path: dist', 'branch: "feature..x"'),
      'Invalid gitops.branch "feature..x": expected a Git branch name',
    ],
    [
      'a Flux interval that is not a Go duration',
      gitops('repoURL: https://github.com/example/platform.git', 'path: dist', 'flux: { interval: 10 minutes }'),
      'Invalid gitops.flux.interval "10 minutes": expected a Go duration from 1ms to 24h, such as "10m", "1h" or "90s".',
    ],
    [
      'an unknown Argo CD field',
      gitops('repoURL: https://github.com/example/platform.git', 'path: dist', 'argoCd: { projct: x }'),
      'Unknown field gitops.argoCd.projct: did you mean "project"? expected one of namespace, project.',
    ],
  ])('rejects gitops with %s', (_, text, message) => {
    expect(errorOf(text)).toContain(message);
  });

  test('with Argo CD, rejects clusters that would get one Application name', () => {
    const text = file(
      'defaults: { region: eu-west-1 }',
      'clusters:',
      `  - { name: prod_eu, serviceAccountRoleArn: "${ROLE_ARN}" }`,
      `  - { name: prod-eu, serviceAccountRoleArn: "${ROLE_ARN}" }`,
      'gitops: { repoURL: "https://github.com/example/platform.git", path: dist, argoCd: {} }',
    );
    expect(errorOf(text)).toContain(
      'clusters.yaml:4:13: Invalid clusters[1].name "prod-eu": with gitops.argoCd set, expected a name whose Argo CD Application name (fargate-container-insights-prod-eu) differs from that of clusters[0] "prod_eu"',
    );
    // Without Argo CD the two folders can coexist.
    expect(() => parseFleet(text.replace(', argoCd: {}', ''), 'clusters.yaml')).not.toThrow();
  });

  test.each(REQUIREMENTS.map(([key, requirement]) => [key, requirement] as const))(
    'refuses %s where it would do nothing, as the app refuses its variable',
    (key, requirement) => {
      const values: Readonly<Record<string, unknown>> = {
        operatorVersion: 'v0.102.0',
        metricProfile: 'console',
        logRetentionDays: 30,
        podNaming: 'pod',
      };
      const others: Readonly<Record<string, unknown>> = { metricsDestination: 'otlp' };
      const other = others[requirement.setting];
      const entry = `{ name: prod-eu, serviceAccountRoleArn: "${ROLE_ARN}", ${key}: ${JSON.stringify(values[key])}${other === undefined ? '' : `, ${requirement.setting}: ${other}`} }`;
      const text = file('defaults: { region: eu-west-1 }', 'clusters:', `  - ${entry}`);
      expect(errorOf(text)).toMatch(
        new RegExp(
          `^clusters\\.yaml:3:\\d+: Invalid clusters\\[0\\]\\.${key} with ${requirement.setting} .*: ${requirement.why}\\. Set ${requirement.setting} to .*, or remove ${key}\\.$`,
        ),
      );
      // With the other setting as it needs to be, the same cluster is fine.
      const fixed = text.replace(
        other === undefined ? ` }` : `, ${requirement.setting}: ${other} }`,
        `, ${requirement.setting}: ${String(requirement.values[0])} }`,
      );
      expect(() => parseFleet(fixed, 'clusters.yaml')).not.toThrow();
    },
  );

  test('names a bad application metrics field by its place in the file', () => {
    const text = file(
      'clusters:',
      '  - name: prod-eu',
      '    region: eu-west-1',
      `    serviceAccountRoleArn: ${ROLE_ARN}`,
      '    applicationMetrics:',
      '      managedPrometheus:',
      '        remoteWriteUrl: https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-12345678-abcd-ef01-2345-6789abcdef01/api/v1/remote_write',
      '        region: us-east-1',
    );
    expect(errorOf(text)).toBe(
      'clusters.yaml:6:7: Invalid clusters[0].applicationMetrics.managedPrometheus.region "us-east-1": expected the region of remoteWriteUrl ("eu-west-1"), where the workspace is and the requests are signed for.',
    );
  });

  test('reports every problem at once, with their count', () => {
    const message = errorOf(
      file('clusters:', '  - name: a', '    region: x', '  - name: b', `    serviceAccountRoleArn: ${ROLE_ARN}`),
    );
    expect(message.split('\n')).toStrictEqual([
      '3 problems in the fleet:',
      expect.stringContaining('clusters.yaml:2:5: Missing field clusters[0].serviceAccountRoleArn'),
      expect.stringContaining('clusters.yaml:3:13: Invalid clusters[0].region "x"'),
      expect.stringContaining('clusters.yaml:4:5: Missing field clusters[1].region'),
    ]);
  });

  test('lists the first 20 problems of a long file and counts the rest', () => {
    const entries = Array.from(
      { length: 30 },
      (_, i) => `  - { name: c${i}, region: bad, serviceAccountRoleArn: "${ROLE_ARN}" }`,
    );
    const lines = errorOf(file('clusters:', ...entries)).split('\n');
    expect(lines[0]).toBe('30 problems in the fleet:');
    expect(lines).toHaveLength(22);
    expect(lines[21]).toBe('  ... and 10 more.');
  });
});

describe('validateFleet', () => {
  test('validates a fleet built in code, naming the entry and field', () => {
    expect(() =>
      validateFleet({ clusters: [{ name: 'a', region: 'eu-west-1', serviceAccountRoleArn: ROLE_ARN, replicas: 0 }] }),
    ).toThrow('Invalid clusters[0].replicas 0: expected a whole number from 1 to 100.');
  });

  test('returns a valid fleet as it is', () => {
    const fleet = { clusters: [{ name: 'a', region: 'eu-west-1', serviceAccountRoleArn: ROLE_ARN }] };
    expect(validateFleet(fleet)).toStrictEqual(fleet);
  });
});

describe('clusters.schema.json, for editors', () => {
  // strictRequired off: the allOf rules require fields the subschema itself does not declare.
  const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true });
  const validate = ajv.compile(fleetJsonSchema());

  test('is what `npm run schema` writes from the field tables', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8'), 'run `npm run schema` and commit clusters.schema.json').toBe(
      schemaText(),
    );
  });

  test('accepts the example clusters file, which refers to it', () => {
    const text = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'fleet', 'clusters.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../../packages/cdk8s-fargate-container-insights-cli/clusters.schema.json',
    );
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  const valid = { clusters: [{ name: 'a', region: 'eu-west-1', serviceAccountRoleArn: ROLE_ARN }] };
  test.each<[string, unknown]>([
    ['a misspelt field', { clusters: [{ ...valid.clusters[0], regoin: 'x' }] }],
    ['a missing required field', { clusters: [{ name: 'a', region: 'eu-west-1' }] }],
    ['an unknown ADOT version', { clusters: [{ ...valid.clusters[0], adotVersion: 'latest' }] }],
    ['too many replicas', { clusters: [{ ...valid.clusters[0], replicas: 101 }] }],
    ['a bad region', { clusters: [{ ...valid.clusters[0], region: 'eu-west' }] }],
    ['no clusters', { clusters: [] }],
    ['an scp-like repository URL', { ...valid, gitops: { repoURL: 'git@github.com:x/y.git', path: 'dist' } }],
    ['a retention the exporter refuses', { clusters: [{ ...valid.clusters[0], performanceLogRetentionDays: 1096 }] }],
    [
      '51 tags',
      {
        clusters: [
          {
            ...valid.clusters[0],
            performanceLogGroupTags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'v'])),
          },
        ],
      },
    ],
    ['a tag with no value', { clusters: [{ ...valid.clusters[0], performanceLogGroupTags: { team: '' } }] }],
    ['a bad Flux interval', { ...valid, gitops: { repoURL: 'https://h/x', path: 'dist', flux: { interval: '10' } } }],
    ['application metrics without a destination', { clusters: [{ ...valid.clusters[0], applicationMetrics: {} }] }],
    ['an unknown metrics destination', { clusters: [{ ...valid.clusters[0], metricsDestination: 'xray' }] }],
    [
      'an unknown application metrics destination',
      { clusters: [{ ...valid.clusters[0], applicationMetrics: { loki: { url: 'x' } } }] },
    ],
    [
      'an empty application metric declaration',
      {
        clusters: [
          {
            ...valid.clusters[0],
            applicationMetrics: { cloudWatch: { declarations: [{ metrics: [], dimensionSets: [['pod']] }] } },
          },
        ],
      },
    ],
    [
      'a bad application namespace',
      { clusters: [{ ...valid.clusters[0], applicationMetrics: { namespaces: ['Shop'], ...APP_CLOUDWATCH } }] },
    ],
  ])('rejects %s, as the validation does', (_, data) => {
    expect(validate(data)).toBe(false);
    expect(() => validateFleet(data as Fleet)).toThrow(ValidationError);
  });

  test.each<[string, object]>([
    ['a plain fleet', valid],
    [
      'required fields given by defaults',
      { defaults: { region: 'eu-west-1', serviceAccountRoleArn: ROLE_ARN }, clusters: [{ name: 'a' }] },
    ],
    [
      'a retention of 0 (never expire) and tags',
      {
        clusters: [
          { ...valid.clusters[0], performanceLogRetentionDays: 0, performanceLogGroupTags: { team: 'platform' } },
        ],
      },
    ],
    [
      'application metrics to both destinations, in listed namespaces',
      {
        clusters: [
          {
            ...valid.clusters[0],
            applicationMetrics: {
              namespaces: ['golang'],
              ...APP_CLOUDWATCH,
              managedPrometheus: {
                remoteWriteUrl:
                  'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-12345678-abcd-ef01-2345-6789abcdef01/api/v1/remote_write',
              },
            },
          },
        ],
      },
    ],
    ['OTLP alongside EMF, to migrate', { clusters: [{ ...valid.clusters[0], metricsDestination: 'both' }] }],
  ])('accepts %s, as the validation does', (_, data) => {
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(() => validateFleet(data as Fleet)).not.toThrow();
  });

  test('requires a field of every cluster when defaults does not give it', () => {
    expect(validate({ defaults: { region: 'eu-west-1' }, clusters: [{ name: 'a' }] })).toBe(false);
    expect(validate.errors?.[0]?.params).toStrictEqual({ missingProperty: 'serviceAccountRoleArn' });
  });
});
