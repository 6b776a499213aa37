import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ValidationError } from 'cdk8s-fargate-container-insights';
import { showValue } from 'cdk8s-fargate-container-insights/internal';
import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import type { Issue } from './fields';
import { fail } from './fields';
import { checkFleet, type Fleet } from './fleet-spec';

/** A clusters file, read and validated. */
export interface FleetFile {
  /** The fleet, validated. */
  readonly fleet: Fleet;
  /** Absolute path of the output folder (`output`, relative to the file; default `dist`). */
  readonly output: string;
  /** Absolute path of the prerequisites folder (`prerequisites`, relative to the file; default `prerequisites`). */
  readonly prerequisites: string;
}

/**
 * Parses and validates the text of a clusters file. Every problem is reported
 * at once, each with its line and column, the entry and the field:
 * `clusters.yaml:7:13: Invalid clusters[1].region "eu-west": expected ...`.
 *
 * @param text the YAML text
 * @param file the file name shown in messages
 */
export function parseFleet(
  text: string,
  file: string,
): {
  /** The fleet, validated. */
  readonly fleet: Fleet;
  /** The `output` field, as written (default `dist`). */
  readonly output: string;
  /** The `prerequisites` field, as written (default `prerequisites`). */
  readonly prerequisites: string;
} {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.startsWith('\uFEFF') ? text.slice(1) : text, { lineCounter, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}: `;
  };
  if (doc.errors.length > 0) {
    throw new ValidationError(
      doc.errors.map((error) => `${at(error.pos[0])}Invalid YAML: ${yamlProblem(error.message)}`).join('\n  '),
    );
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw new ValidationError(`${file}: Invalid clusters file: it is empty; expected ${FLEET_FILE_FORM}.`);
  }
  const alias = aliasProblem(doc);
  if (alias !== undefined)
    throw new ValidationError(`${at(alias.alias.range?.[0] ?? 0)}Invalid YAML: ${alias.message}`);
  const issues: Issue[] = [];
  const data: unknown = doc.toJS({ maxAliasCount: -1 });
  const fleet = checkFleet(data, issues);
  if (issues.length > 0) {
    // In the order of the file, as an editor lists them.
    const located = issues.map((issue) => ({ issue, offset: offsetOf(doc.contents, issue) }));
    located.sort((a, b) => a.offset - b.offset);
    const offsets = new Map(located.map(({ issue, offset }) => [issue, offset]));
    fail(
      located.map(({ issue }) => issue),
      (issue) => at(offsets.get(issue) ?? 0),
    );
  }
  const { output = 'dist', prerequisites = 'prerequisites' } = data as { output?: string; prerequisites?: string };
  if (output === prerequisites) {
    throw new ValidationError(
      `${file}: Invalid prerequisites ${showValue(prerequisites)}: expected a folder other than output ("${output}"); the prerequisites are not Kubernetes objects.`,
    );
  }
  return { fleet, output, prerequisites };
}

/** What a clusters file holds at least, for messages about a file that is not one. */
const FLEET_FILE_FORM =
  'a YAML mapping with a clusters list, each cluster with name, region and serviceAccountRoleArn (see clusters.schema.json)';
/**
 * The first line of a YAML parser message, without its trailing colon (the
 * source excerpt that follows is dropped) or its position (the message is
 * prefixed with `file:line:col`).
 */
function yamlProblem(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/:\s*$/, '').replace(/ at line \d+, column \d+$/, '');
}

/**
 * How many values aliases may copy into a clusters file in all: enough for
 * an alias per field of thousands of clusters, far short of an alias bomb
 * (nine aliases of nine aliases of ... nine levels deep copy 387 million).
 */
const MAX_ALIASED_NODES = 100_000;

/**
 * The first alias, in the order of the file, that cannot be expanded: one
 * naming no anchor before it, one inside the node its anchor names, or the
 * one at which the values the aliases copy exceed
 * {@link MAX_ALIASED_NODES}; with what is wrong. Each alias copies its
 * anchor's node with everything under it, the aliases there expanded too;
 * sizes are memoized, so an alias bomb is measured without being expanded.
 */
function aliasProblem(doc: Document): { readonly alias: Alias; readonly message: string } | undefined {
  const sizes = new Map<unknown, number>();
  const pending = new Set<unknown>();
  const size = (node: unknown): number => {
    const known = sizes.get(node);
    if (known !== undefined) return known;
    // An alias inside its own anchor: the parser has rejected it already.
    if (pending.has(node)) return Number.POSITIVE_INFINITY;
    pending.add(node);
    let total = 1;
    if (isAlias(node)) total = size(node.resolve(doc));
    else if (isMap(node)) for (const pair of node.items) total += size(pair.key) + size(pair.value);
    else if (isSeq(node)) for (const item of node.items) total += size(item);
    pending.delete(node);
    sizes.set(node, total);
    return total;
  };
  let copied = 0;
  let found: { alias: Alias; message: string } | undefined;
  visit(doc, {
    Alias(_, alias) {
      const anchored = alias.resolve(doc);
      if (anchored === undefined) {
        found = {
          alias,
          message: `the alias *${alias.source} names no anchor before it; expected an anchor &${alias.source} earlier in the file.`,
        };
        return visit.BREAK;
      }
      const copies = size(anchored);
      if (copies === Number.POSITIVE_INFINITY) {
        found = {
          alias,
          message: `the alias *${alias.source} is inside the node its anchor &${alias.source} names, which would copy itself without end; expected an alias outside its anchor's node.`,
        };
        return visit.BREAK;
      }
      copied += copies;
      if (copied > MAX_ALIASED_NODES) {
        found = {
          alias,
          message: `the alias *${alias.source} takes the file past ${MAX_ALIASED_NODES} values copied by aliases; expected fewer or smaller aliases (a guard against alias bombs).`,
        };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Where in the text an issue is: its value, or its key for an unknown field; else its nearest parent. */
function offsetOf(root: Node | null, issue: Issue): number {
  let node: unknown = root;
  let offset = root?.range?.[0] ?? 0;
  for (const [i, part] of issue.path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (!pair) break;
      const last = i === issue.path.length - 1;
      const target = last && issue.atKey ? pair.key : pair.value;
      offset = (target as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      offset = (node as Node | null)?.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

/**
 * Reads and validates a clusters file. The output folder is resolved against
 * the file's folder.
 */
export function readFleetFile(path: string): FleetFile {
  const shown = isAbsolute(path) ? relative(process.cwd(), path) || path : path;
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) {
      throw new ValidationError(`Invalid clusters file ${shown}: it is a folder; expected a file: ${FLEET_FILE_FORM}.`);
    }
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const code = (error as { code?: unknown }).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'ENOTDIR'
            ? 'a part of its path is a file, not a folder'
            : (error as Error).message;
    throw new ValidationError(`Cannot read the clusters file ${shown}: ${why}.`);
  }
  const text = decodeFleetFile(bytes, shown);
  const { fleet, output, prerequisites } = parseFleet(text, shown);
  return { fleet, output: resolve(dirname(path), output), prerequisites: resolve(dirname(path), prerequisites) };
}

/**
 * The text of a clusters file, which must be UTF-8 (with or without a byte
 * order mark): YAML 1.2 allows UTF-16 and UTF-32, but editors, Git diffs and
 * the YAML language server all expect UTF-8, so the file is refused with
 * how to fix it rather than decoded into an error about its bytes.
 */
function decodeFleetFile(bytes: Buffer, file: string): string {
  const starts = (...prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);
  const wide =
    starts(0x00, 0x00, 0xfe, 0xff) || starts(0xff, 0xfe, 0x00, 0x00)
      ? 'UTF-32'
      : starts(0xfe, 0xff) || starts(0xff, 0xfe) || bytes.subarray(0, 4096).includes(0)
        ? 'UTF-16'
        : undefined;
  if (wide !== undefined) {
    throw new ValidationError(
      `${file}: Invalid clusters file: it is ${wide} text (or binary); expected UTF-8 text: ${FLEET_FILE_FORM}. Save it as UTF-8.`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError(
      `${file}: Invalid clusters file: it is not valid UTF-8 text; expected UTF-8 text: ${FLEET_FILE_FORM}. Save it as UTF-8.`,
    );
  }
}
