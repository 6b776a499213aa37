import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from 'cdk8s-fargate-container-insights';
import { afterAll, afterEach, beforeEach, describe, expect, type MockInstance, test, vi } from 'vitest';
import { ROLE_ARN } from '../../../test/support/fixtures';
import { readTree } from '../../../tools/folders';
import { run } from '../src/cli';
import {
  checkOutputFolders,
  checkUnmarkedFolders,
  markOutputFolder,
  OUTPUT_MARKER,
  replaceFolders,
  writeFoldersSafely,
} from '../src/core/output';

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
      /^error: Invalid --output "mine": it has no \.cdk8s-fargate-container-insights marker, so it is taken as yours, and it holds files this tool would not write as they are \(deployment\.yaml\)/,
    ],
    [
      "a folder without a marker holding a file of the user's with a name this tool writes",
      (dir) => {
        mkdirSync(join(dir, 'dist', 'a'), { recursive: true });
        writeFileSync(join(dir, 'dist', 'a', 'kustomization.yaml'), 'resources: [mine.yaml]\n');
        writeFileSync(join(dir, 'dist', 'kustomization.yaml'), 'resources: [a]\n');
        return [];
      },
      undefined,
      /^error: Invalid output of clusters\.yaml "dist": it has no .+ marker, so it is taken as yours, and it holds files this tool would not write as they are \(a\/kustomization\.yaml, kustomization\.yaml\)/,
    ],
    [
      'a path under a file',
      () => ['--output', 'notes.txt/dist'],
      undefined,
      /^error: Invalid --output "notes\.txt\/dist": notes\.txt on its path is a file, not a folder; expected a path whose parents are folders\./,
    ],
    [
      'a symbolic link to a folder elsewhere',
      (dir) => {
        mkdirSync(join(dir, 'real'));
        symlinkSync(join(dir, 'real'), join(dir, 'linked'));
        return ['--output', 'linked'];
      },
      undefined,
      /^error: Invalid --output "real": it is a symbolic link \(to real\), which replacing it would delete; expected the folder it points to/,
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
    const entries = readdirSync(dir).sort();
    expect(await fleetIn(dir, ...extraArgs)).toBe(1);
    expect(printed()).toMatch(message);
    expect(printed()).toContain('Nothing was written.');
    expect(readTree(dir)).toStrictEqual(before);
    expect(readdirSync(dir).sort()).toStrictEqual(entries);
  });

  test('a folder without a marker whose every file is what this tool writes now is adopted', async () => {
    // GIVEN output folders copied by hand, or written before the marker existed: the same files, no marker
    const dir = project();
    expect(await fleetIn(dir)).toBe(0);
    rmSync(join(dir, 'dist', OUTPUT_MARKER));
    rmSync(join(dir, 'prerequisites', OUTPUT_MARKER));
    const before = readTree(join(dir, 'dist'));
    // WHEN the fleet is synthesized again
    expect(await fleetIn(dir)).toBe(0);
    // THEN the folders are adopted: their files as they were, and a marker
    expect(readdirSync(join(dir, 'dist')).sort()).toStrictEqual([OUTPUT_MARKER, 'a']);
    const { [OUTPUT_MARKER]: _, ...after } = readTree(join(dir, 'dist'));
    expect(after).toStrictEqual(before);
  });

  test('a new output folder under folders that do not exist: made on success, and left unmade on failure', async () => {
    const dir = project();
    expect(await fleetIn(dir, '--output', 'new/deep/dist', '--prerequisites', 'new/deep/dist')).toBe(1);
    expect(readdirSync(dir).includes('new')).toBe(false);
    expect(await fleetIn(dir, '--output', 'new/deep/dist', '--prerequisites', 'other/prerequisites')).toBe(0);
    expect(readdirSync(join(dir, 'new', 'deep', 'dist')).sort()).toStrictEqual([OUTPUT_MARKER, 'a']);
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
    // GIVEN a folder the fleet wrote, with a file the user added since
    const dir = project();
    expect(await fleetIn(dir)).toBe(0);
    writeFileSync(join(dir, 'dist', 'a', 'patch.yaml'), 'kind: Patch\n');
    const before = readTree(dir);
    // WHEN the fleet is synthesized again
    expect(await fleetIn(dir)).toBe(1);
    // THEN it refuses, naming the file, and the project is byte for byte as it was
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

  test('accepts a folder that does not exist yet, an empty one, and, until its new content is known, one without a marker', () => {
    expect(check(join(scratch, 'new', 'dist'))).not.toThrow();
    expect(check(folder())).not.toThrow();
    expect(check(folder('fargate-container-insights.k8s.yaml', 'notes.txt'))).not.toThrow();
  });

  test('with a marker, accepts exactly the files it lists', () => {
    const dir = folder('a/whatever.yaml');
    markOutputFolder(dir);
    expect(check(dir)).not.toThrow();
    writeFileSync(join(dir, 'extra.yaml'), 'x\n');
    expect(check(dir)).toThrow(/it holds files this tool did not write \(extra\.yaml\)/);
  });

  test('names at most three foreign files, and how many more', () => {
    const dir = folder();
    markOutputFolder(dir);
    for (const name of ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt']) writeFileSync(join(dir, name), 'x\n');
    expect(check(dir)).toThrow('it holds files this tool did not write (a.txt, b.txt, c.txt and 2 more)');
  });

  test('with a marker, a listed path that is not a regular file is not its own', () => {
    const dir = folder('a/x.yaml');
    markOutputFolder(dir);
    rmSync(join(dir, 'a', 'x.yaml'));
    symlinkSync(join(scratch, 'elsewhere'), join(dir, 'a', 'x.yaml'));
    expect(check(dir)).toThrow(/it holds files this tool did not write \(a\/x\.yaml\)/);
  });
});

describe('checkUnmarkedFolders', () => {
  const tree = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(scratch, 'tree-'));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    return dir;
  };
  const check = (path: string, staged: string) => () =>
    checkUnmarkedFolders([{ setting: 'outdir', path, staged }], { cwd: scratch });
  const fresh = { 'a/m.yaml': 'new\n', 'a/kustomization.yaml': 'k\n' };

  test('adopts a folder whose every file is byte-identical to one just synthesized, fewer files included', () => {
    expect(check(tree(fresh), tree(fresh))).not.toThrow();
    expect(check(tree({ 'a/m.yaml': 'new\n' }), tree(fresh))).not.toThrow();
    expect(check(tree({}), tree(fresh))).not.toThrow();
  });

  test.each([
    ['an edited file', { ...fresh, 'a/m.yaml': 'edited\n' }, 'a/m.yaml'],
    ["a file of the user's", { ...fresh, 'a/patch.yaml': 'p\n' }, 'a/patch.yaml'],
  ])('refuses a folder holding %s, naming it and how to adopt the folder', (_, files, named) => {
    expect(check(tree(files), tree(fresh))).toThrow(
      new RegExp(
        `it holds files this tool would not write as they are \\(${named.replace('.', '\\.')}\\).*To let this tool own it, move those files out`,
      ),
    );
  });

  test('a marked folder is not its to judge (checkOutputFolders did)', () => {
    const dir = tree({ 'mine.txt': 'x\n' });
    markOutputFolder(dir);
    expect(check(dir, tree(fresh))).not.toThrow();
  });

  test('throws ValidationError', () => {
    expect(check(tree({ 'x.txt': 'mine\n' }), tree(fresh))).toThrow(ValidationError);
    expect(() => checkOutputFolders([{ setting: 'outdir', path: scratch }], { cwd: scratch })).toThrow(ValidationError);
  });
});

describe('writeFoldersSafely and replaceFolders', () => {
  test('a failing fill leaves every folder as it was and removes the staging folders', async () => {
    // GIVEN an output folder written before
    const parent = mkdtempSync(join(scratch, 'write-'));
    const out = join(parent, 'out');
    await writeFoldersSafely([{ setting: 'outdir', path: out }], ([dir = '']) => {
      writeFileSync(join(dir, 'fargate-container-insights.k8s.yaml'), 'old\n');
    });
    const before = readTree(out);
    // WHEN the next fill throws, THEN the error comes out, the folder is as it was, and no staging folder is left
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
