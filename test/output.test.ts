import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, type MockInstance, test, vi } from 'vitest';
import { run } from '../src/cli';
import { ValidationError } from '../src/core/errors';
import {
  checkOutputFolders,
  markOutputFolder,
  OUTPUT_MARKER,
  replaceFolders,
  writeFoldersSafely,
} from '../src/core/output';
import { readTree } from '../tools/folders';
import { ROLE_ARN } from './support/fixtures';

/**
 * The folders a command replaces never hold what the user owns: GIVEN a
 * scratch project holding a clusters file, a `.git` folder and other files,
 * WHEN the CLI is pointed at a folder that is or holds any of them, THEN it
 * exits 1 naming the setting, and every file is byte-identical.
 */

const scratch = mkdtempSync(join(tmpdir(), 'output-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CLUSTERS = `defaults: { region: eu-west-1, serviceAccountRoleArn: "${ROLE_ARN}" }\nclusters:\n  - name: a\n`;

/** A fresh project: clusters.yaml, a Git work tree and a file of the user's; returns its folder. */
function project(clusters = CLUSTERS): string {
  const dir = mkdtempSync(join(scratch, 'project-'));
  writeFileSync(join(dir, 'clusters.yaml'), clusters);
  mkdirSync(join(dir, '.git', 'objects'), { recursive: true });
  writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(dir, 'notes.txt'), 'mine\n');
  return dir;
}

let stderr: MockInstance;
let cwd: string;
beforeEach(() => {
  cwd = process.cwd();
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  process.chdir(cwd);
  vi.restoreAllMocks();
});
const printed = () => stderr.mock.calls.map((call) => call.join(' ')).join('\n');

/** Runs the CLI in `dir`; returns its exit code. */
async function fleetIn(dir: string, ...args: string[]): Promise<number> {
  process.chdir(dir);
  return run(['fleet', 'clusters.yaml', ...args]);
}

describe('the fleet command refuses, by name, a folder that is or holds what the user owns', () => {
  test.each<[string, (dir: string) => string[], string | undefined, RegExp]>([
    [
      '--output "$PWD"',
      (dir) => ['--output', dir],
      undefined,
      /^error: Invalid --output "\.": it is the working folder/,
    ],
    ['--output .', () => ['--output', '.'], undefined, /^error: Invalid --output "\.": it is the working folder/],
    ['--output ..', () => ['--output', '..'], undefined, /^error: Invalid --output ".+": it holds the working folder/],
    [
      '--output clusters.yaml',
      () => ['--output', 'clusters.yaml'],
      undefined,
      /^error: Invalid --output "clusters\.yaml": it is the input file, which replacing it would delete/,
    ],
    [
      'output: clusters.yaml',
      () => [],
      'output: clusters.yaml\n',
      /^error: Invalid output of clusters\.yaml "clusters\.yaml": it is the input file/,
    ],
    [
      'prerequisites: clusters.yaml',
      () => [],
      'prerequisites: clusters.yaml\n',
      /^error: Invalid prerequisites of clusters\.yaml "clusters\.yaml": it is the input file/,
    ],
    [
      'output: out, prerequisites: out/prereq',
      () => [],
      'output: out\nprerequisites: out/prereq\n',
      /^error: Invalid prerequisites of clusters\.yaml "out\/prereq": it is inside output of clusters\.yaml "out"/,
    ],
    [
      'output: p/dist, prerequisites: p',
      () => [],
      'output: p/dist\nprerequisites: p\n',
      /^error: Invalid prerequisites of clusters\.yaml "p": it holds output of clusters\.yaml "p\/dist"/,
    ],
    [
      '--output and --prerequisites the same folder',
      () => ['--output', 'x', '--prerequisites', 'x'],
      undefined,
      /^error: Invalid --prerequisites "x": it is the same folder as --output "x"/,
    ],
    [
      "a folder of the user's files",
      (dir) => {
        mkdirSync(join(dir, 'mine'));
        writeFileSync(join(dir, 'mine', 'deployment.yaml'), 'kind: Deployment\n');
        return ['--output', 'mine'];
      },
      undefined,
      /^error: Invalid --output "mine": it holds files this tool did not write \(deployment\.yaml\)/,
    ],
    [
      'a folder holding a Git work tree',
      (dir) => {
        mkdirSync(join(dir, 'vendor', 'lib', '.git'), { recursive: true });
        writeFileSync(join(dir, 'vendor', 'lib', '.git', 'HEAD'), 'x\n');
        return ['--output', 'vendor'];
      },
      undefined,
      /^error: Invalid --output "vendor": it holds a Git work tree \(lib\/\.git\)/,
    ],
    [
      'a symbolic link to the working folder',
      (dir) => {
        symlinkSync(dir, join(dir, 'here'));
        return ['--output', 'here'];
      },
      undefined,
      /^error: Invalid --output "\.": it is the working folder/,
    ],
    [
      'a file',
      () => ['--output', 'notes.txt'],
      undefined,
      /^error: Invalid --output "notes\.txt": it is a file; expected a folder of its own/,
    ],
  ])('%s: exit 1, every file byte-identical, no staging folder', async (_, args, extra, message) => {
    const dir = project(CLUSTERS + (extra ?? ''));
    const extraArgs = args(dir);
    const before = readTree(dir);
    expect(await fleetIn(dir, ...extraArgs)).toBe(1);
    expect(printed()).toMatch(message);
    expect(readTree(dir)).toStrictEqual(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('.synth-'))).toStrictEqual([]);
  });

  test('a folder inside the work tree, such as dist/, is fine, and so is writing it again', async () => {
    const dir = project();
    expect(await fleetIn(dir)).toBe(0);
    expect(readdirSync(join(dir, 'dist')).sort()).toStrictEqual([OUTPUT_MARKER, 'a']);
    expect(await fleetIn(dir)).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(dir, 'clusters.yaml'), 'utf8')).toBe(CLUSTERS);
  });

  test('a file added by hand to a folder it wrote is not deleted: the next run refuses, naming it', async () => {
    const dir = project();
    expect(await fleetIn(dir)).toBe(0);
    writeFileSync(join(dir, 'dist', 'a', 'patch.yaml'), 'kind: Patch\n');
    const before = readTree(dir);
    expect(await fleetIn(dir)).toBe(1);
    expect(printed()).toContain(
      'Invalid output of clusters.yaml "dist": it holds files this tool did not write (a/patch.yaml)',
    );
    expect(readTree(dir)).toStrictEqual(before);
  });
});

describe('checkOutputFolders', () => {
  const folder = (...files: string[]) => {
    const dir = mkdtempSync(join(scratch, 'folder-'));
    for (const file of files) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), 'x\n');
    }
    return dir;
  };
  const check = (path: string) => () => checkOutputFolders([{ setting: 'outdir', path }], { cwd: scratch });

  test('accepts a folder that does not exist yet, an empty one, and one of only the files it writes', () => {
    expect(check(join(scratch, 'new', 'dist'))).not.toThrow();
    expect(check(folder())).not.toThrow();
    // Written before the marker existed: the charts, kustomizations, GitOps files and prerequisites.
    expect(
      check(
        folder(
          'fargate-container-insights.k8s.yaml',
          'prod/sample-go-webapp.k8s.yaml',
          'prod/kustomization.yaml',
          '_gitops/flux/prod.yaml',
          'prod/fargate-container-insights.template.json',
        ),
      ),
    ).not.toThrow();
  });

  test('with a marker, accepts exactly the files it lists', () => {
    const dir = folder('a/whatever.yaml');
    markOutputFolder(dir);
    expect(check(dir)).not.toThrow();
    writeFileSync(join(dir, 'extra.yaml'), 'x\n');
    expect(check(dir)).toThrow(/it holds files this tool did not write \(extra\.yaml\)/);
  });

  test('names at most three foreign files, and how many more', () => {
    expect(check(folder('a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt'))).toThrow(
      'it holds files this tool did not write (a.txt, b.txt, c.txt and 2 more)',
    );
  });

  test('throws ValidationError', () => {
    expect(check(scratch)).toThrow(ValidationError);
  });
});

describe('writeFoldersSafely and replaceFolders', () => {
  test('a failing fill leaves every folder as it was and removes the staging folders', async () => {
    const parent = mkdtempSync(join(scratch, 'write-'));
    const out = join(parent, 'out');
    await writeFoldersSafely([{ setting: 'outdir', path: out }], ([dir = '']) => {
      writeFileSync(join(dir, 'fargate-container-insights.k8s.yaml'), 'old\n');
    });
    const before = readTree(out);
    await expect(
      writeFoldersSafely([{ setting: 'outdir', path: out }], () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(readTree(out)).toStrictEqual(before);
    expect(readdirSync(parent)).toStrictEqual(['out']);
  });

  test('swaps several folders all or none: a rename that fails puts every old folder back', () => {
    const parent = mkdtempSync(join(scratch, 'swap-'));
    const first = join(parent, 'first');
    mkdirSync(first);
    writeFileSync(join(first, 'old'), 'first\n');
    const stagedFirst = join(parent, '.synth-first');
    mkdirSync(stagedFirst);
    writeFileSync(join(stagedFirst, 'new'), 'new\n');
    // The second staged folder is missing, so its rename fails after the first succeeded.
    expect(() =>
      replaceFolders([
        { output: first, staged: stagedFirst },
        { output: join(parent, 'second'), staged: join(parent, '.synth-second') },
      ]),
    ).toThrow(/ENOENT/);
    expect(readTree(first)).toStrictEqual({ old: 'first\n' });
    expect(readdirSync(parent)).toStrictEqual(['first']);
  });
});
