import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from 'cdk8s-fargate-container-insights';
import { afterAll, describe, expect, test } from 'vitest';
import { errorOf, file } from '../../../test/support/clusters-file';
import { ROLE_ARN } from '../../../test/support/fixtures';
import { pathLabel } from '../src/fleet/fields';
import { parseFleet, readFleetFile } from '../src/fleet/fleet-file';

/**
 * Reading a clusters file (src/fleet/fleet-file.ts): from disk, with its
 * folders resolved against it, and its YAML as YAML 1.2 reads it, each
 * problem at its line and column.
 */

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
