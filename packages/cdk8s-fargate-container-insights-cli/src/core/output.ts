import {
  chmodSync,
  type Dirent,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ValidationError } from 'cdk8s-fargate-container-insights';

/**
 * Replacing an output folder without ever losing what the user owns.
 *
 * Before anything is written, every folder about to be replaced is checked
 * ({@link checkOutputFolders}): it must not be or hold an input file, the
 * working folder or a Git work tree, must not overlap another output folder,
 * and, when this tool's marker says it wrote the folder, may hold only the
 * files the marker lists. Then the new content is synthesized into staging
 * folders beside the outputs. A folder without a marker is the user's until
 * proven otherwise: it is adopted only when every file in it is
 * byte-identical to what was just synthesized ({@link checkUnmarkedFolders}).
 * Only then are the staging folders swapped in, with renames on one file
 * system; any failure leaves every output folder byte-identical and removes
 * the staging folders and any parent folder made for them.
 */

/**
 * The file this tool writes at the top of each folder it replaces, listing
 * the files it wrote there. Its name has no `.yaml` or `.json` extension, so
 * `kubectl apply -f <folder>`, Argo CD and Flux pass it by.
 */
export const OUTPUT_MARKER = '.cdk8s-fargate-container-insights';

const MARKER_HEADER = [
  '# Written by cdk8s-fargate-container-insights. This folder is replaced whole on every synthesis:',
  '# keep nothing else in it. The files it wrote:',
];

/** A folder a command is about to replace, and the setting that chose it, for messages. */
export interface OutputFolderSpec {
  /** The setting that names the folder, as the user wrote it: `--output`, `output in clusters.yaml`. */
  readonly setting: string;
  /** The folder. A relative path is resolved against the working folder. */
  readonly path: string;
}

/** A file the command reads, which no output folder may hold. */
export interface InputFileSpec {
  /** What the file is, for messages: `the clusters file`, `the input file`. */
  readonly what: string;
  /** The file. */
  readonly path: string;
}

/** What else {@link checkOutputFolders} protects. */
export interface OutputGuardOptions {
  /** Files the command reads. @default - none */
  readonly inputs?: readonly InputFileSpec[];
  /** The working folder. @default process.cwd() */
  readonly cwd?: string;
}

/** The path with every existing part's symbolic links resolved, so that two spellings of one folder compare equal. */
function canonical(path: string): string {
  const absolute = resolve(path);
  let existing = absolute;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(basename(existing));
    existing = parent;
  }
  let real = existing;
  try {
    real = realpathSync.native(existing);
  } catch {
    // Unreadable: compare it as written.
  }
  return join(real, ...rest);
}

/** Whether `path` is `folder` or inside it. */
function within(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/** How a path reads in a message: relative to the working folder when inside it. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : within(path, cwd) ? rel : path;
}

/** Every file and folder under `dir` (not following symbolic links), relative to it, sorted. */
function entriesUnder(
  dir: string,
): Array<{ readonly path: string; readonly isDirectory: boolean; readonly isFile: boolean }> {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .map((entry) => ({
      path: relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'),
      isDirectory: entry.isDirectory(),
      isFile: entry.isFile(),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Every regular file under `dir`, in subfolders too (not following symbolic
 * links, nor listing them), as sorted `/`-separated paths relative to it;
 * none if `dir` does not exist.
 */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** The files a folder's marker lists, or undefined when it has none. */
function markedFiles(dir: string): ReadonlySet<string> | undefined {
  const marker = join(dir, OUTPUT_MARKER);
  if (!existsSync(marker) || !lstatSync(marker).isFile()) return undefined;
  const lines = readFileSync(marker, 'utf8').split('\n');
  return new Set(lines.filter((line) => line !== '' && !line.startsWith('#')));
}

/**
 * What an existing folder holds that this tool did not write: a `.git` (a
 * work tree or a submodule) and, when the folder has a marker, anything the
 * marker does not list or that is not a regular file. A folder without a
 * marker is judged after synthesis ({@link checkUnmarkedFolders}).
 */
function foreignEntries(dir: string): { readonly git?: string; readonly foreign: readonly string[] } {
  const listed = markedFiles(dir);
  const foreign: string[] = [];
  for (const entry of entriesUnder(dir)) {
    if (entry.path.split('/').includes('.git'))
      return { git: entry.path.replace(/(^|\/)\.git(\/.*)?$/, '$1.git'), foreign };
    if (listed === undefined || entry.isDirectory || entry.path === OUTPUT_MARKER) continue;
    if (!listed.has(entry.path) || !entry.isFile) foreign.push(entry.path);
  }
  return { foreign };
}

/** The nearest existing ancestor of `path` (or `path` itself) that is not a folder, if any. */
function fileOnTheWay(path: string): string | undefined {
  for (let at = resolve(path); ; at = dirname(at)) {
    if (existsSync(at)) return statSync(at).isDirectory() ? undefined : at;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * Refuses, before anything is written, to replace a folder that holds what
 * the user owns. Each output folder must be a folder path (not a file, not
 * under one, not a symbolic link); must not be or hold an input file, the
 * working folder or a Git work tree's root (a folder holding `.git`); must
 * not be, hold or lie inside another output folder; and, when its marker
 * ({@link OUTPUT_MARKER}) says this tool wrote it, may hold only the regular
 * files the marker lists. A folder without a marker is judged once the new
 * content exists ({@link checkUnmarkedFolders}). A folder inside a
 * repository, such as `dist/`, is fine.
 *
 * @throws ValidationError naming the setting, the folder and what it holds
 */
export function checkOutputFolders(outputs: readonly OutputFolderSpec[], options: OutputGuardOptions = {}): void {
  const cwd = canonical(options.cwd ?? process.cwd());
  const folders = outputs.map((output) => ({ ...output, real: canonical(output.path) }));
  const refuse = (output: OutputFolderSpec & { real: string }, why: string, accepted: string): never => {
    throw new ValidationError(
      `Invalid ${output.setting} ${JSON.stringify(shown(output.real, cwd))}: ${why}; expected ${accepted}.`,
    );
  };
  const elsewhere = 'a folder of its own, such as "dist"';
  folders.forEach((output, i) => {
    if (existsSync(output.real) && !statSync(output.real).isDirectory()) {
      const input = (options.inputs ?? []).find((file) => canonical(file.path) === output.real);
      refuse(output, input ? `it is ${input.what}, which replacing it would delete` : 'it is a file', elsewhere);
    }
    const file = fileOnTheWay(output.path);
    if (file !== undefined) {
      refuse(output, `${shown(file, cwd)} on its path is a file, not a folder`, 'a path whose parents are folders');
    }
    if (within(cwd, output.real)) {
      refuse(
        output,
        output.real === cwd ? 'it is the working folder' : `it holds the working folder (${cwd})`,
        `${elsewhere}, inside the working folder or beside it`,
      );
    }
    for (const input of options.inputs ?? []) {
      const file = canonical(input.path);
      if (within(file, output.real)) {
        refuse(
          output,
          `it holds ${input.what} (${shown(file, cwd)}), which replacing the folder would delete`,
          elsewhere,
        );
      }
    }
    for (const other of folders.slice(0, i)) {
      if (within(output.real, other.real) || within(other.real, output.real)) {
        const how =
          output.real === other.real
            ? 'it is the same folder as'
            : within(output.real, other.real)
              ? 'it is inside'
              : 'it holds';
        refuse(
          output,
          `${how} ${other.setting} ${JSON.stringify(shown(other.real, cwd))}, and each is replaced whole`,
          'two folders apart, neither inside the other',
        );
      }
    }
    if (existsSync(output.path) && lstatSync(output.path).isSymbolicLink()) {
      refuse(
        output,
        `it is a symbolic link (to ${shown(output.real, cwd)}), which replacing it would delete`,
        'the folder it points to, named as it is',
      );
    }
    if (!existsSync(output.real)) return;
    const { git, foreign } = foreignEntries(output.real);
    if (git !== undefined) {
      refuse(
        output,
        git === '.git' ? 'it is the root of a Git work tree (it holds .git)' : `it holds a Git work tree (${git})`,
        `${elsewhere} inside the work tree`,
      );
    }
    if (foreign.length > 0) {
      refuse(
        output,
        `it holds files this tool did not write (${someOf(foreign)}), which replacing the folder would delete`,
        `a new or empty folder, or one this tool wrote (it lists its files in ${OUTPUT_MARKER}); move those files out or choose another folder`,
      );
    }
  });
}

/** At most three of `items`, and how many more: `a, b, c and 2 more`. */
function someOf(items: readonly string[]): string {
  return items.slice(0, 3).join(', ') + (items.length > 3 ? ` and ${items.length - 3} more` : '');
}

/** An output folder and the staging folder holding what is about to replace it. */
export interface StagedOutput extends OutputFolderSpec {
  /** The staging folder. */
  readonly staged: string;
}

/**
 * Adopts an existing folder without a marker only when every file in it is
 * byte-identical to a file just synthesized into its staging folder: an
 * unmarked folder is the user's until proven otherwise (a folder written
 * before the marker existed, or copied by hand, passes; a file the user
 * added or edited there does not). A marked folder was judged before
 * synthesis ({@link checkOutputFolders}).
 *
 * @throws ValidationError naming the setting, the folder, the files and how to adopt it
 */
export function checkUnmarkedFolders(outputs: readonly StagedOutput[], options: OutputGuardOptions = {}): void {
  const cwd = canonical(options.cwd ?? process.cwd());
  for (const output of outputs) {
    if (!existsSync(output.path) || markedFiles(output.path) !== undefined) continue;
    const differing = entriesUnder(output.path).flatMap((entry) => {
      if (entry.isDirectory) return [];
      const fresh = join(output.staged, entry.path);
      const same =
        entry.isFile &&
        existsSync(fresh) &&
        lstatSync(fresh).isFile() &&
        readFileSync(join(output.path, entry.path)).equals(readFileSync(fresh));
      return same ? [] : [entry.path];
    });
    if (differing.length === 0) continue;
    throw new ValidationError(
      `Invalid ${output.setting} ${JSON.stringify(shown(canonical(output.path), cwd))}: it has no ${OUTPUT_MARKER} marker, so it is taken as yours, and it holds files this tool would not write as they are (${someOf(differing)}), which replacing the folder would delete; expected a new or empty folder, or one this tool wrote. To let this tool own it, move those files out (or delete the folder) and run again.`,
    );
  }
}

/** How the marker records a setting the folder was synthesized with: `# setting CLUSTER_NAME="prod-eu"`. */
const SETTING_LINE = /^# setting ([A-Z][A-Z0-9_]*)=(".*")$/;

/**
 * Writes the marker into a folder this tool has filled, listing every file in
 * it and, when given, the settings (environment variables) it was
 * synthesized with, so that a drift check can synthesize it again with them.
 */
export function markOutputFolder(dir: string, settings: Readonly<Record<string, string>> = {}): void {
  const files = entriesUnder(dir)
    .filter((entry) => !entry.isDirectory && entry.path !== OUTPUT_MARKER)
    .map((entry) => entry.path);
  const recorded = Object.keys(settings)
    .sort()
    .map((name) => `# setting ${name}=${JSON.stringify(settings[name])}`);
  writeFileSync(join(dir, OUTPUT_MARKER), `${[...MARKER_HEADER, ...recorded, ...files].join('\n')}\n`);
}

/** The settings a folder's marker records ({@link markOutputFolder}); none without a marker. */
export function recordedSettings(dir: string): Record<string, string> {
  const marker = join(dir, OUTPUT_MARKER);
  if (!existsSync(marker) || !lstatSync(marker).isFile()) return {};
  const settings: Record<string, string> = {};
  for (const line of readFileSync(marker, 'utf8').split('\n')) {
    const match = SETTING_LINE.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) settings[match[1]] = JSON.parse(match[2]) as string;
  }
  return settings;
}

/** Staging folders beside their outputs, and the parent folders made for them. */
export interface Staging {
  /** The staging folders, one per output, in order. */
  readonly dirs: readonly string[];
  /** Removes the staging folders and the parent folders made for them: the tree is as it was. */
  discard(): void;
}

/**
 * Creates an empty staging folder beside each output (so that the swap is a
 * rename on one file system), named `.synth-<output name>-XXXXXX`, making
 * the outputs' missing parent folders; {@link Staging.discard} removes them
 * all again.
 */
export function createStagingFolders(outputs: readonly string[]): Staging {
  const dirs: string[] = [];
  const made: string[] = [];
  const discard = () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    // Deepest first; only the folders made here, and only while empty.
    for (const dir of [...made].sort((a, b) => b.length - a.length)) {
      if (existsSync(dir) && readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    for (const output of outputs) {
      const parent = dirname(resolve(output));
      const first = mkdirSync(parent, { recursive: true });
      if (first !== undefined) {
        for (let dir = parent; ; dir = dirname(dir)) {
          made.push(dir);
          if (dir === first) break;
        }
      }
      const dir = mkdtempSync(join(parent, `.synth-${basename(resolve(output))}-`));
      chmodSync(dir, 0o755); // mkdtemp creates it private; the output folder is not.
      dirs.push(dir);
    }
  } catch (error) {
    discard();
    throw error;
  }
  return { dirs, discard };
}

/** A staged folder and the output folder it replaces. */
export interface StagedFolder {
  /** The output folder. */
  readonly output: string;
  /** The staging folder holding its new content. */
  readonly staged: string;
}

/**
 * Puts each staged folder in place of its output, all or none: the old
 * outputs are moved aside first, then the staged folders moved in, and the
 * old ones removed only once every new one is in place. If a rename fails,
 * the new folders are taken out again, the old ones moved back, the staging
 * folders removed and the error rethrown.
 */
export function replaceFolders(folders: readonly StagedFolder[]): void {
  const aside: Array<{ readonly output: string; readonly previous: string }> = [];
  const placed: string[] = [];
  try {
    for (const { output, staged } of folders) {
      if (!existsSync(output)) continue;
      const previous = `${staged}-previous`;
      renameSync(output, previous);
      aside.push({ output, previous });
    }
    for (const { output, staged } of folders) {
      renameSync(staged, output);
      placed.push(output);
    }
  } catch (error) {
    for (const output of placed) rmSync(output, { recursive: true, force: true });
    for (const { output, previous } of aside) renameSync(previous, output);
    for (const { staged } of folders) rmSync(staged, { recursive: true, force: true });
    throw error;
  }
  for (const { previous } of aside) rmSync(previous, { recursive: true, force: true });
}

/**
 * Checks the output folders ({@link checkOutputFolders}), runs `fill` on a
 * new staging folder for each, checks the unmarked ones against what `fill`
 * wrote ({@link checkUnmarkedFolders}), marks the staging folders, and swaps
 * them in together only once every check passed. On any error the staging
 * folders (and parent folders made for them) are removed and the error
 * rethrown, leaving every output folder as it was.
 */
export async function writeFoldersSafely<T>(
  outputs: readonly OutputFolderSpec[],
  fill: (staged: readonly string[]) => Promise<T> | T,
  options: OutputGuardOptions = {},
): Promise<T> {
  checkOutputFolders(outputs, options);
  const staging = createStagingFolders(outputs.map((output) => output.path));
  const staged = staging.dirs;
  let result: T;
  try {
    result = await fill(staged);
    checkUnmarkedFolders(
      outputs.map((output, i) => ({ ...output, staged: staged[i] ?? '' })),
      options,
    );
    for (const dir of staged) markOutputFolder(dir);
    replaceFolders(outputs.map((output, i) => ({ output: resolve(output.path), staged: staged[i] ?? '' })));
  } catch (error) {
    staging.discard();
    throw error;
  }
  return result;
}

/**
 * Collects files and writes them concurrently. On a disk where every file
 * creation waits for the device, a few writes in flight at once finish several
 * times sooner than one after the other.
 */
export class FileBatch {
  private readonly files: Array<readonly [string, string]> = [];

  /** Queues `text` to be written to `path`. */
  public add(path: string, text: string): void {
    this.files.push([path, text]);
  }

  /** Writes every queued file (creating their folders), at most `concurrency` at a time. */
  public async write(concurrency = 16): Promise<void> {
    for (const folder of new Set(this.files.map(([path]) => dirname(path)))) mkdirSync(folder, { recursive: true });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < this.files.length) {
        const [path, text] = this.files[next++] ?? ['', ''];
        await writeFile(path, text);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, this.files.length) }, worker));
    this.files.length = 0;
  }
}

/** Writes files by name into `dir`, creating it; returns their names, sorted. */
export function writeFiles(files: Readonly<Record<string, string>>, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return queueFiles(files, dir, { add: (path, text) => writeFileSync(path, text) });
}

/** Queues files by name into `dir` on `batch`; returns their names, sorted. */
export function queueFiles(
  files: Readonly<Record<string, string>>,
  dir: string,
  batch: { add(path: string, text: string): void },
): string[] {
  for (const [name, text] of Object.entries(files)) batch.add(join(dir, name), text);
  return Object.keys(files).sort();
}
