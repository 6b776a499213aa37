import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { App } from 'cdk8s';
import { AdotVersion } from 'cdk8s-fargate-container-insights';
import { EMF_LOG_RETENTION_DAYS } from 'cdk8s-fargate-container-insights/internal';
import * as fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Document, parseAllDocuments } from 'yaml';
import { ROLE_ARN } from '../../../../test/support/fixtures';
import {
  budget,
  check,
  checkAsync,
  expectValidAndUnique,
  junk,
  outcomeOf,
  Tally,
} from '../../../../test/support/property';
import { readTree } from '../../../../tools/folders';
import type { KubernetesObject } from '../../../../tools/manifests';
import { run } from '../../src/cli';
import { OUTPUT_MARKER } from '../../src/core/output';
import { addClusterCharts } from '../../src/fleet/cluster-charts';
import type { FleetCluster } from '../../src/fleet/cluster-settings';
import { readFleetFile } from '../../src/fleet/fleet-file';

/**
 * Clusters files and the folders the fleet command writes, generated: every
 * file ends as a ValidationError naming the file, or as clusters whose
 * manifests pass their schemas; every command ends with exit 0 or 1, never
 * an exception, and with exit 1 every file of the project is byte-identical.
 */

const scratch = mkdtempSync(join(tmpdir(), 'files-property-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }), 120_000);

const REMOTE_WRITE =
  'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-12345678-abcd-ef01-2345-6789abcdef01/api/v1/remote_write';

/** What YAML can hold where a field belongs, beyond the right type. */
const yamlJunk: fc.Arbitrary<unknown> = fc.oneof(
  junk,
  fc.constantFrom([123], [null], [REMOTE_WRITE], { a: 1 }, 'yes', '~'),
);

/** Absent most of the time. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary });

/** Mostly `valid`, now and then a value of the wrong type or out of range. */
const mostly = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> =>
  fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: yamlJunk });

/** Shared blocks: the same object in several clusters becomes an anchor and aliases in the YAML. */
const SHARED_APPLICATION_METRICS = { managedPrometheus: { remoteWriteUrl: REMOTE_WRITE } };
const SHARED_TAGS = { team: 'platform', cost: 'observability' };

const cluster = fc.record({
  name: mostly(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/)),
  // A misspelt region, and one of another partition than the role's (aws): refused with the file's line.
  region: sometimes(fc.constantFrom('eu-west-1', 'us-east-1', 'us-east-1', 'eu-centrall-1', 'us-gov-west-1')),
  oidcIssuer: sometimes(
    fc.constantFrom(
      'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
      'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    ),
  ),
  replicas: sometimes(mostly(fc.integer({ min: 1, max: 4 }))),
  expectedPods: sometimes(mostly(fc.integer({ min: 1, max: 5000 }))),
  namespace: sometimes(mostly(fc.constantFrom('monitoring', 'golang'))),
  adotVersion: sometimes(mostly(fc.constantFrom(...AdotVersion.SUPPORTED))),
  sampleApp: sometimes(mostly(fc.boolean())),
  collectorMode: sometimes(fc.constantFrom('manifests', 'operator', 'operator', 'helm')),
  fargateLogging: sometimes(fc.boolean()),
  performanceLogRetentionDays: sometimes(mostly(fc.constantFrom(...EMF_LOG_RETENTION_DAYS))),
  performanceLogGroupTags: sometimes(
    fc.oneof({ weight: 4, arbitrary: fc.constant(SHARED_TAGS) }, fc.constantFrom({}, { 'a::b': 'x' }), yamlJunk),
  ),
  applicationMetrics: sometimes(
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(SHARED_APPLICATION_METRICS) },
      fc.constantFrom(
        { namespaces: [123], managedPrometheus: { remoteWriteUrl: REMOTE_WRITE } },
        { namespaces: [null], managedPrometheus: { remoteWriteUrl: REMOTE_WRITE } },
        { managedPrometheus: { remoteWriteUrl: [REMOTE_WRITE] } },
      ),
    ),
  ),
  metricsDestination: sometimes(fc.constantFrom('emf', 'otlp', 'both', 'x')),
  unknownField: fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(1) }),
});

const fleet = fc.record({
  defaults: fc.constant({ region: 'eu-west-1', serviceAccountRoleArn: ROLE_ARN }),
  clusters: fc.array(cluster, { minLength: 0, maxLength: 2 }),
});

/** The YAML text of a generated fleet, then maybe broken: encodings, emptiness, truncation. */
const clustersFileBytes = fc
  .tuple(
    fleet,
    fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom('utf8', 'bom') },
      {
        weight: 6,
        arbitrary: fc.constantFrom(
          'utf16',
          'empty',
          'document-marker',
          'truncated',
          'not-yaml',
          'forward-alias',
          'self-alias',
          'flow-indent',
          'alias-bomb',
        ),
      },
    ),
    fc.nat(),
  )
  .map(([data, form, cut]) => {
    const clean = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(clean)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))
          : value;
    const text = new Document(
      { ...data, clusters: data.clusters.map(clean) },
      { aliasDuplicateObjects: true },
    ).toString();
    switch (form) {
      case 'bom':
        return Buffer.from(`\uFEFF${text}`);
      case 'utf16':
        return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      case 'empty':
        return Buffer.alloc(0);
      case 'document-marker':
        return Buffer.from('---\n');
      case 'truncated':
        return Buffer.from(text.slice(0, cut % (text.length + 1)));
      case 'not-yaml':
        return Buffer.from(`${text}\n  - [unclosed\n`);
      case 'forward-alias':
        return Buffer.from(`early: *late\n${text}late: &late x\n`);
      case 'self-alias':
        return Buffer.from(`${text}loop: &loop [a, *loop]\n`);
      case 'flow-indent':
        return Buffer.from(`${text}extra: [a,\nb]\n`);
      case 'alias-bomb':
        return Buffer.from(
          `${text}b0: &b0 [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 6 }, (_, i) => `b${i + 1}: &b${i + 1} [${Array(10).fill(`*b${i}`).join(', ')}]`).join('\n')}\n`,
        );
      default:
        return Buffer.from(text);
    }
  });

/** The objects one cluster's charts synthesize. */
function synthCluster(entry: FleetCluster): KubernetesObject[] {
  const app = new App();
  addClusterCharts(app, entry);
  return parseAllDocuments(app.synthYaml()).map((doc) => doc.toJS() as KubernetesObject);
}

describe('clusters files', () => {
  test(
    'every generated file is refused naming the file, or gives clusters whose charts are refused by name or valid',
    () => {
      const dir = mkdtempSync(join(scratch, 'file-'));
      const path = join(dir, 'clusters.yaml');
      const tally = new Tally();
      check(
        fc.property(clustersFileBytes, (bytes) => {
          writeFileSync(path, bytes);
          const read = outcomeOf(() => {
            readFleetFile(path);
            return [];
          });
          if ('rejected' in read) {
            tally.add('file refused');
            expect(read.rejected.message).toContain('clusters.yaml');
            return;
          }
          for (const entry of readFleetFile(path).fleet.clusters) {
            const built = outcomeOf(() => synthCluster(entry));
            tally.add('rejected' in built ? 'cluster refused' : 'cluster synthesized');
            if ('objects' in built) expectValidAndUnique(built.objects);
          }
        }),
        'clustersFiles',
      );
      tally.report('clusters files', ['file refused', 'cluster synthesized']);
    },
    budget('clustersFiles').timeoutMs,
  );
});

describe('the folders the fleet command writes', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = process.cwd();
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    process.chdir(cwd);
    vi.restoreAllMocks();
  });

  /** The clusters file's own fields take relative folders only: some are or hold what the user owns. */
  const FIELD_PATHS = [
    'clusters.yaml',
    'notes.txt',
    '.git',
    'sub',
    'sub/out',
    'dist',
    'out',
    'out/inner',
    'p',
    'p/dist',
    'here',
  ];
  /** The flags take any folder: those, and the working folder, its parent, and one outside the project. */
  const FLAG_PATHS = [...FIELD_PATHS, '.', '..', '$PWD', 'elsewhere'];

  const setting = (paths: readonly string[]) => sometimes(fc.constantFrom(...paths));
  const scenario = fc.record({
    outputFlag: setting(FLAG_PATHS),
    prerequisitesFlag: setting(FLAG_PATHS),
    outputField: setting(FIELD_PATHS),
    prerequisitesField: setting(FIELD_PATHS),
    twice: fc.boolean(),
  });

  /** A project holding what the user owns: the clusters file, a Git work tree, a note, a folder of theirs, a link to itself. */
  function project(fields: string): string {
    const dir = mkdtempSync(join(scratch, 'project-'));
    writeFileSync(
      join(dir, 'clusters.yaml'),
      `defaults: { region: eu-west-1, serviceAccountRoleArn: "${ROLE_ARN}" }\nclusters:\n  - name: a\n${fields}`,
    );
    mkdirSync(join(dir, '.git', 'refs'), { recursive: true });
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'keep.txt'), 'mine too\n');
    symlinkSync(dir, join(dir, 'here'));
    return dir;
  }

  /** Every staging folder left under `dir` (not following the link to itself). */
  const staging = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.name.startsWith('.synth-'))
      .map((entry) => join(entry.parentPath, entry.name));

  test(
    'every output and prerequisites setting: exit 0 or 1, and with 1 every file byte-identical',
    async () => {
      const tally = new Tally();
      const elsewhere = mkdtempSync(join(scratch, 'elsewhere-'));
      await checkAsync(
        fc.asyncProperty(scenario, async (s) => {
          const fields = [
            ...(s.outputField === undefined ? [] : [`output: ${s.outputField}`]),
            ...(s.prerequisitesField === undefined ? [] : [`prerequisites: ${s.prerequisitesField}`]),
          ];
          const dir = project(fields.map((f) => `${f}\n`).join(''));
          const flag = (path: string) =>
            path === '$PWD' ? dir : path === 'elsewhere' ? join(elsewhere, `${relative(scratch, dir)}-out`) : path;
          const args = [
            ...(s.outputFlag === undefined ? [] : ['--output', flag(s.outputFlag)]),
            ...(s.prerequisitesFlag === undefined ? [] : ['--prerequisites', flag(s.prerequisitesFlag)]),
          ];
          const roundsIn = async (dir: string): Promise<void> => {
            for (let round = 0; round < (s.twice ? 2 : 1); round++) {
              const before = readTree(dir);
              const code = await run(['fleet', 'clusters.yaml', ...args]);
              expect([0, 1], `exit ${code} for ${args.join(' ')} ${fields.join(', ')}`).toContain(code);
              expect(staging(dir)).toStrictEqual([]);
              expect(staging(elsewhere)).toStrictEqual([]);
              tally.add(code === 0 ? 'written' : 'refused');
              if (code === 1) {
                expect(readTree(dir)).toStrictEqual(before);
                break;
              }
              // Written: what the user owns is as it was, and each folder written is marked.
              expect(readFileSync(join(dir, 'clusters.yaml'), 'utf8')).toBe(before['clusters.yaml']);
              expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
              expect(readFileSync(join(dir, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
              expect(readFileSync(join(dir, 'sub', 'keep.txt'), 'utf8')).toBe('mine too\n');
              const output = resolve(dir, s.outputFlag === undefined ? (s.outputField ?? 'dist') : flag(s.outputFlag));
              expect(existsSync(join(output, OUTPUT_MARKER)), output).toBe(true);
            }
          };
          process.chdir(dir);
          try {
            await roundsIn(dir);
          } finally {
            // Each case cleans up after itself, so a long run does not leave thousands of projects to delete.
            process.chdir(scratch);
            rmSync(dir, { recursive: true, force: true });
            rmSync(flag('elsewhere'), { recursive: true, force: true });
          }
        }),
        'cliPaths',
      );
      tally.report('fleet command folders', ['written', 'refused']);
    },
    budget('cliPaths').timeoutMs,
  );
});

describe('output folders that hold something already', () => {
  let cwd: string;
  let stderr: string[];
  beforeEach(() => {
    cwd = process.cwd();
    stderr = [];
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      stderr.push(args.join(' '));
    });
  });
  afterEach(() => {
    process.chdir(cwd);
    vi.restoreAllMocks();
  });

  /** Every entry under `dir` (not following links): files with their text, folders, and links with their targets. */
  function snapshot(dir: string): Record<string, string> {
    if (!existsSync(dir)) return {};
    const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
    return Object.fromEntries(
      entries
        .map((entry) => {
          const path = join(entry.parentPath, entry.name);
          const key = relative(dir, path);
          if (entry.isSymbolicLink()) return [key, `link -> ${readlinkSync(path)}`] as const;
          if (entry.isDirectory()) return [key, 'folder'] as const;
          return [key, readFileSync(path, 'utf8')] as const;
        })
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  }

  /**
   * What the output folder (`dist`) holds before the command runs, and which
   * of its files are the user's: a folder this tool wrote (marked, or copied
   * without the marker), one with a file of the user's (named as this tool
   * names its files, or an edited one), a file or a link where the folder
   * goes, a folder under a file.
   */
  const STATES = [
    'absent',
    'empty',
    'written before',
    'copied without the marker',
    "a kustomization of the user's, no marker",
    'an edited manifest, no marker',
    "a marked folder with a file of the user's",
    'a file where the folder goes',
    "a link to a folder of the user's",
    'a path under a file',
  ] as const;
  type State = (typeof STATES)[number];

  const CLUSTERS = `defaults: { region: eu-west-1, serviceAccountRoleArn: "${ROLE_ARN}" }\nclusters:\n  - name: a\n`;

  /** Sets a project's `dist` up in a state; returns the user's files there, by path relative to the project. */
  async function arrange(dir: string, state: State): Promise<Record<string, string>> {
    const dist = join(dir, 'dist');
    const writeBefore = async () => {
      expect(await run(['fleet', 'clusters.yaml'])).toBe(0);
    };
    switch (state) {
      case 'absent':
        return {};
      case 'empty':
        mkdirSync(dist);
        return {};
      case 'written before':
        await writeBefore();
        return {};
      case 'copied without the marker':
        await writeBefore();
        rmSync(join(dist, OUTPUT_MARKER));
        rmSync(join(dir, 'prerequisites', OUTPUT_MARKER));
        return {};
      case "a kustomization of the user's, no marker":
        mkdirSync(join(dist, 'a'), { recursive: true });
        writeFileSync(join(dist, 'a', 'kustomization.yaml'), 'resources: [mine.yaml]\n');
        return { 'dist/a/kustomization.yaml': 'resources: [mine.yaml]\n' };
      case 'an edited manifest, no marker': {
        await writeBefore();
        rmSync(join(dist, OUTPUT_MARKER));
        const manifest = join(dist, 'a', 'fargate-container-insights.k8s.yaml');
        const edited = `${readFileSync(manifest, 'utf8')}# my edit\n`;
        writeFileSync(manifest, edited);
        return { 'dist/a/fargate-container-insights.k8s.yaml': edited };
      }
      case "a marked folder with a file of the user's":
        await writeBefore();
        writeFileSync(join(dist, 'a', 'patch.yaml'), 'kind: Patch\n');
        return { 'dist/a/patch.yaml': 'kind: Patch\n' };
      case 'a file where the folder goes':
        writeFileSync(dist, 'not a folder\n');
        return { dist: 'not a folder\n' };
      case "a link to a folder of the user's":
        mkdirSync(join(dir, 'mine'));
        writeFileSync(join(dir, 'mine', 'keep.yaml'), 'kind: Mine\n');
        symlinkSync(join(dir, 'mine'), dist);
        return { 'mine/keep.yaml': 'kind: Mine\n' };
      case 'a path under a file':
        writeFileSync(join(dir, 'clusters.yaml'), `${CLUSTERS}output: notes.txt/dist\n`);
        return {};
    }
  }

  test(
    "a fleet is written over each: exit 0 with every file of the user's byte-identical, or exit 1 with every file so",
    async () => {
      const tally = new Tally();
      await checkAsync(
        fc.asyncProperty(fc.constantFrom(...STATES), fc.boolean(), async (state, prerequisitesToo) => {
          const dir = mkdtempSync(join(scratch, 'state-'));
          process.chdir(dir);
          try {
            writeFileSync(join(dir, 'clusters.yaml'), CLUSTERS);
            writeFileSync(join(dir, 'notes.txt'), 'mine\n');
            const owned = {
              'clusters.yaml': readFileSync(join(dir, 'clusters.yaml'), 'utf8'),
              'notes.txt': 'mine\n',
              ...(await arrange(dir, state)),
            };
            if (prerequisitesToo && existsSync(join(dir, 'prerequisites'))) {
              writeFileSync(join(dir, 'prerequisites', 'README.md'), 'my notes\n');
              Object.assign(owned, { 'prerequisites/README.md': 'my notes\n' });
            }
            stderr.length = 0;
            const before = snapshot(dir);
            const code = await run(['fleet', 'clusters.yaml']);
            expect(stderr.join('\n')).not.toContain('unexpectedly');
            expect([0, 1], `exit ${code} for ${state}: ${stderr.join(' ')}`).toContain(code);
            tally.add(code === 0 ? 'written' : 'refused');
            if (code === 1) {
              expect(snapshot(dir), state).toStrictEqual(before);
              return;
            }
            for (const [path, text] of Object.entries(owned)) {
              expect(existsSync(join(dir, path)) && lstatSync(join(dir, path)).isFile(), path).toBe(true);
              expect(readFileSync(join(dir, path), 'utf8'), path).toBe(text);
            }
            expect(existsSync(join(dir, 'dist', OUTPUT_MARKER)), state).toBe(true);
            expect(readdirSync(dir).filter((name) => name.startsWith('.synth-'))).toStrictEqual([]);
          } finally {
            process.chdir(scratch);
            rmSync(dir, { recursive: true, force: true });
          }
        }),
        'cliPaths',
      );
      tally.report('output folder states', ['written', 'refused']);
    },
    budget('cliPaths').timeoutMs,
  );
});
