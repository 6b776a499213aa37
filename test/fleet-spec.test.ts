import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ValidationError } from '../src/core/errors';
import { REQUIREMENTS } from '../src/fleet/cluster-settings';
import { pathLabel } from '../src/fleet/fields';
import { parseFleet, readFleetFile } from '../src/fleet/fleet-file';
import { type Fleet, fleetJsonSchema, validateFleet } from '../src/fleet/fleet-spec';
import { SCHEMA_FILE, schemaText } from '../tools/clusters-schema';
import { ROLE_ARN } from './support/fixtures';

const APP_CLOUDWATCH = {
  cloudWatch: { declarations: [{ metrics: ['http_requests_total'], dimensionSets: [['ClusterName', 'namespace']] }] },
};

/** A clusters file: the given lines, joined. */
const file = (...lines: string[]) => `${lines.join('\n')}\n`;

/** The ValidationError message of parsing `text`, or a failure if it parses. */
function errorOf(text: string): string {
  try {
    parseFleet(text, 'clusters.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('expected a ValidationError');
}

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

describe('readFleetFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('resolves the output folder against the file', () => {
    const path = join(dir, 'clusters.yaml');
    writeFileSync(
      path,
      file('output: out', 'clusters:', `  - { name: a, region: eu-west-1, serviceAccountRoleArn: "${ROLE_ARN}" }`),
    );
    expect(readFleetFile(path).output).toBe(join(dir, 'out'));
  });

  test('says when the file cannot be read, and why, in words', () => {
    expect(() => readFleetFile(join(dir, 'missing.yaml'))).toThrow(
      /^Cannot read the clusters file .*missing\.yaml: it does not exist\.$/,
    );
    expect(() => readFleetFile(dir)).toThrow(
      /^Invalid clusters file .*: it is a folder; expected a file: a YAML mapping/,
    );
  });

  test('the rules between settings: every problem at once, each at its line with its clusters[i].field', () => {
    const path = join(dir, 'across.yaml');
    writeFileSync(
      path,
      [
        'clusters:',
        '  - name: eusc',
        '    region: eusc-de-east-1',
        '    serviceAccountRoleArn: arn:aws:iam::111122223333:role/x',
        '  - name: typo',
        '    region: eu-wes-1',
        '    serviceAccountRoleArn: arn:aws:iam::111122223333:role/x',
        '  - name: issuer',
        '    region: eu-west-1',
        '    serviceAccountRoleArn: arn:aws:iam::111122223333:role/x',
        '    oidcIssuer: https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
        '',
      ].join('\n'),
    );
    let message = '';
    try {
      readFleetFile(path);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^3 problems in the fleet:/);
    expect(message).toContain('across.yaml:4:28: Invalid clusters[0].serviceAccountRoleArn');
    expect(message).toContain('across.yaml:6:13: Invalid clusters[1].region "eu-wes-1"');
    expect(message).toContain(
      'did you mean "eu-west-1"? For a region newer than this library\'s list, set allowUnlistedRegion: true.',
    );
    expect(message).toContain('across.yaml:11:17: Invalid clusters[2].oidcIssuer');
  });

  test.each([
    ['an alias before its anchor', 'x: *a\nclusters: &a []\n', 'the alias *a names no anchor before it'],
    ['an alias inside its anchor', 'clusters: &a\n  - name: *a\n', 'is inside the node its anchor &a names'],
    [
      'a flow sequence out of place',
      'clusters:\n- [a,\nb]\n',
      'Flow sequence in block collection must be sufficiently indented',
    ],
  ])('YAML: %s is a named error at its line', (_, text, message) => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, text);
    expect(() => readFleetFile(path)).toThrow(ValidationError);
    expect(() => readFleetFile(path)).toThrow(
      new RegExp(`broken\\.yaml:\\d+:\\d+: Invalid YAML: .*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });
});

test('pathLabel writes paths as they read in JavaScript', () => {
  expect(pathLabel(['clusters', 2, 'region'])).toBe('clusters[2].region');
  expect(pathLabel(['gitops', 'flux', 'interval'])).toBe('gitops.flux.interval');
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
    const text = readFileSync(join(__dirname, '..', 'examples', 'fleet', 'clusters.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../clusters.schema.json');
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

describe('the YAML of a clusters file', () => {
  const DEFAULTS = `defaults: { region: eu-west-1, serviceAccountRoleArn: "${ROLE_ARN}" }`;

  test('accepts an alias per cluster, far past the YAML library default of 100', () => {
    const clusters = Array.from({ length: 500 }, (_, i) => `  - { name: c${i}, region: *region }`);
    const text = file(DEFAULTS, 'x-region: &region eu-west-1', 'clusters:', ...clusters).replace(
      'x-region: &region eu-west-1\n',
      '',
    );
    // The anchor must come before its aliases: put it on the first cluster.
    const anchored = text.replace('{ name: c0, region: *region }', '{ name: c0, region: &region eu-west-1 }');
    expect(parseFleet(anchored, 'clusters.yaml').fleet.clusters).toHaveLength(500);
  });

  test('refuses an alias bomb at the alias that takes it past the limit, without expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++) {
      const previous = 'a'.repeat(level);
      const name = 'a'.repeat(level + 1);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const message = errorOf(file(...levels));
    expect(message).toMatch(
      /^clusters\.yaml:6:\d+: Invalid YAML: the alias \*a{5} takes the file past 100000 values copied by aliases/,
    );
  });

  test.each([
    ['an empty file', ''],
    ['a file of comments', '# nothing yet\n'],
    ['a file holding only a document marker', '---\n'],
  ])('%s: names the file and the form expected', (_, text) => {
    expect(errorOf(text)).toBe(
      'clusters.yaml: Invalid clusters file: it is empty; expected a YAML mapping with a clusters list, each cluster with name, region and serviceAccountRoleArn (see clusters.schema.json).',
    );
  });

  test('a YAML syntax error ends on what is wrong, not on a dangling colon', () => {
    const message = errorOf(file('clusters:', '  - name: a', '   region: x'));
    expect(message).toMatch(/^clusters\.yaml:3:\d+: Invalid YAML: [^\n]*[^:\s]$/);
  });

  test.each<[string, string, string]>([
    [
      'a numeric application-metrics namespace',
      'applicationMetrics: { namespaces: [123], managedPrometheus: { remoteWriteUrl: "x" } }',
      'Invalid clusters[0].applicationMetrics.namespaces entry 123: expected a DNS-1123 label',
    ],
    [
      'a missing application-metrics namespace',
      'applicationMetrics: { namespaces: [~], managedPrometheus: { remoteWriteUrl: "x" } }',
      'Invalid clusters[0].applicationMetrics.namespaces entry null: expected a DNS-1123 label',
    ],
    [
      'a remote write URL in a list',
      'applicationMetrics: { managedPrometheus: { remoteWriteUrl: ["https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-12345678-1234-1234-1234-123456789012/api/v1/remote_write"] } }',
      'Invalid clusters[0].applicationMetrics.managedPrometheus.remoteWriteUrl ["https://aps-workspaces',
    ],
    [
      'an infinite number of pods',
      'expectedPods: .inf',
      'Invalid clusters[0].expectedPods Infinity: expected a whole number.',
    ],
    ['NaN replicas', 'replicas: .nan', 'Invalid clusters[0].replicas NaN: expected a whole number.'],
    [
      'an empty tags mapping',
      'performanceLogGroupTags: {}',
      'Invalid clusters[0].performanceLogGroupTags {}: expected 1 to 50 tags',
    ],
    [
      'a tag key with ::',
      'performanceLogGroupTags: { "a::b": x }',
      'Invalid clusters[0].performanceLogGroupTags key "a::b"',
    ],
  ])('refuses %s, naming the field and the value as written', (_, field, message) => {
    expect(errorOf(file(DEFAULTS, 'clusters:', '  - name: a', `    ${field}`))).toContain(message);
  });

  test.each(['99999999999h', '0s', '25h'])('refuses a Flux interval of %s, past what Go and Flux hold', (interval) => {
    const text = file(
      DEFAULTS,
      'clusters:',
      '  - name: a',
      `gitops: { repoURL: "https://github.com/example/platform.git", path: dist, flux: { interval: "${interval}" } }`,
    );
    expect(errorOf(text)).toContain(
      `Invalid gitops.flux.interval "${interval}": expected a Go duration from 1ms to 24h`,
    );
  });

  describe('its encoding', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-encoding-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const TEXT = file(DEFAULTS, 'clusters:', '  - name: a');
    const read = (bytes: Buffer) => {
      const path = join(dir, 'clusters.yaml');
      writeFileSync(path, bytes);
      return () => readFleetFile(path);
    };

    test('UTF-8 with a byte order mark is read as UTF-8', () => {
      expect(read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]))().fleet.clusters).toHaveLength(
        1,
      );
    });

    test.each([
      [
        'UTF-16 little-endian with a BOM',
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]),
        'UTF-16',
      ],
      ['UTF-16 without a BOM', Buffer.from(TEXT, 'utf16le'), 'UTF-16'],
      ['UTF-32 big-endian', Buffer.from([0x00, 0x00, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x61]), 'UTF-32'],
    ])('%s is refused, naming the file and the encoding expected', (_, bytes, encoding) => {
      expect(read(bytes)).toThrow(
        new RegExp(
          `^\\S*clusters\\.yaml: Invalid clusters file: it is ${encoding} text \\(or binary\\); expected UTF-8 text: .*Save it as UTF-8\\.$`,
        ),
      );
    });

    test('bytes that are not UTF-8 are refused without echoing them', () => {
      expect(read(Buffer.from([0x63, 0x6c, 0xff, 0xfe, 0x3a, 0x0a]).subarray(0, 6))).toThrow(
        /it is (not valid UTF-8|UTF-16)/,
      );
      expect(read(Buffer.from('clusters: caf\xe9\n', 'latin1'))).toThrow(
        /clusters\.yaml: Invalid clusters file: it is not valid UTF-8 text; expected UTF-8 text/,
      );
    });
  });
});
