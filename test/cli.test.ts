import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, type MockInstance, test, vi } from 'vitest';
import { run } from '../src/cli';
import { OUTPUT_MARKER } from '../src/core/output';
import { readTree } from '../tools/folders';
import { ROLE_ARN } from './support/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clustersFile = (names: string[], extra = '') => {
  const path = join(dir, 'clusters.yaml');
  writeFileSync(
    path,
    `defaults: { region: eu-west-1, serviceAccountRoleArn: "${ROLE_ARN}" }\nclusters:\n${names.map((n) => `  - name: ${n}\n`).join('')}${extra}`,
  );
  return path;
};

/** Every file under the output folder with its text. */
const snapshot = readTree;

let stdout: MockInstance;
let stderr: MockInstance;
beforeEach(() => {
  stdout = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());
const printed = (spy: MockInstance) => spy.mock.calls.map((call) => call.join(' ')).join('\n');

describe('cdk8s-fargate-container-insights fleet', () => {
  const out = join(dir, 'dist');

  test('writes the fleet to the output folder beside the file, and says what it wrote', async () => {
    expect(await run(['fleet', clustersFile(['a', 'b'])])).toBe(0);
    expect(readdirSync(out).sort()).toStrictEqual([OUTPUT_MARKER, 'a', 'b']);
    expect(printed(stdout)).toMatch(
      /dist\/: 2 clusters, 4 files; \S*prerequisites\/: 4 files \(\d+\.\d\d s, 1 worker\)\./,
    );
  });

  test('replaces the folder whole: a cluster taken out of the file loses its folder', async () => {
    expect(await run(['fleet', clustersFile(['a'])])).toBe(0);
    expect(readdirSync(out).sort()).toStrictEqual([OUTPUT_MARKER, 'a']);
  });

  test('on an invalid file exits 1 with the problem and leaves the output byte-identical', async () => {
    const before = snapshot(out);
    expect(await run(['fleet', clustersFile(['a', 'b'], '    replicas: 0\n')])).toBe(1);
    expect(printed(stderr)).toContain('clusters.yaml:5:15: Invalid clusters[1].replicas 0: expected a whole number');
    expect(snapshot(out)).toStrictEqual(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('.synth-'))).toStrictEqual([]);
  });

  test('when a construct rejects a cluster, exits 1 naming it and leaves the output byte-identical', async () => {
    const before = snapshot(out);
    const file = clustersFile(['a'], '    namespace: golang\n    sampleApp: true\n');
    expect(await run(['fleet', file])).toBe(1);
    expect(printed(stderr)).toContain('clusters[0] (a): Invalid namespace "golang"');
    expect(printed(stderr)).toContain('dist/ and the prerequisites were left unchanged.');
    expect(snapshot(out)).toStrictEqual(before);
  });

  test('--output and --workers', async () => {
    const other = join(dir, 'other');
    expect(await run(['fleet', clustersFile(['a', 'b', 'c']), '--output', other, '--workers', '2'])).toBe(0);
    expect(readdirSync(other).sort()).toStrictEqual([OUTPUT_MARKER, 'a', 'b', 'c']);
    expect(printed(stdout)).toContain('2 workers');
  });

  test.each([
    [[], 'error: no command given'],
    [['fleet'], 'error: missing <clusters.yaml> after fleet'],
    [['deploy', 'x.yaml'], 'error: unknown command "deploy": expected one of fleet'],
    [['check', 'x.yaml'], 'error: unknown command "check": expected one of fleet'],
    [['fleet', 'a.yaml', 'b.yaml'], 'error: unexpected argument "b.yaml" after the clusters file'],
    [['fleet', 'x.yaml', '--workers', '0'], 'Invalid --workers "0": expected a whole number from 1 to 64.'],
    [['fleet', 'x.yaml', '--colour'], "Unknown option '--colour'"],
  ])('%j exits 2 with %s', async (argv, message) => {
    expect(await run(argv)).toBe(2);
    expect(printed(stderr)).toContain(message);
  });

  test('a missing clusters file: exit 1, nothing written', async () => {
    expect(await run(['fleet', join(dir, 'missing.yaml')])).toBe(1);
    expect(printed(stderr)).toContain('Cannot read the clusters file');
    expect(printed(stderr)).toContain('Nothing was written.');
  });

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(await run(['--version'])).toBe(0);
    expect(printed(stdout)).toBe(`cdk8s-fargate-container-insights ${version}`);
  });

  test('--help', async () => {
    expect(await run(['--help'])).toBe(0);
    expect(printed(stdout)).toContain('Usage: cdk8s-fargate-container-insights fleet <clusters.yaml>');
  });
});
