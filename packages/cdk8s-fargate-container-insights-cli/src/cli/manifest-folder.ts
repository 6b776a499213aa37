import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lintCollectorConfig, plural, unescapedDollars } from 'cdk8s-fargate-container-insights/internal';
import { parse, parseAllDocuments } from 'yaml';
import { filesUnder, OUTPUT_MARKER } from '../core/output';
import { checkObjectSchema, type ManifestObject } from './object-schemas';

/**
 * What the `validate` and `check` commands read of a folder of manifests:
 * the objects of every `*.yaml` file under it, checked as `kubectl apply`
 * and the collector will take them, and the differences between two
 * folders. No Kubernetes API server is needed: the objects are checked
 * against their schemas strictly (object-schemas.ts), the Kubernetes ones
 * when the `kubernetes-models` package can be loaded.
 */

/** The result of validating a folder. */
export interface FolderValidation {
  /** The YAML files read. */
  readonly files: number;
  /** The objects in them. */
  readonly objects: number;
  /** What is wrong, each naming the file and object. */
  readonly problems: string[];
  /** What was not checked, and why: files that are not manifests, kinds it has no schema for. */
  readonly skipped: string[];
  /** One sentence: what was read, what checked against what, what skipped. */
  readonly summary: string;
}

/** The collector configurations of a folder's objects, with the environment their container sets. */
function collectorConfigs(
  objects: ReadonlyArray<{ readonly file: string; readonly object: ReadObject }>,
): Array<{ readonly where: string; readonly config: unknown; readonly text: string; readonly environment?: string[] }> {
  const found: Array<{ where: string; config: unknown; text: string; environment?: string[] }> = [];
  const containerEnv = objects.flatMap(({ object }) => {
    const containers = (
      object as { spec?: { template?: { spec?: { containers?: Array<{ env?: Array<{ name: string }> }> } } } }
    ).spec?.template?.spec?.containers;
    return object.kind === 'StatefulSet' ? (containers ?? []).flatMap((c) => (c.env ?? []).map((e) => e.name)) : [];
  });
  for (const { file, object } of objects) {
    const name = String(object.metadata?.name ?? '');
    if (object.kind === 'ConfigMap') {
      const data = (object as { data?: Record<string, unknown> }).data ?? {};
      for (const [key, value] of Object.entries(data)) {
        if (typeof value !== 'string' || !/^\s*(receivers|processors|exporters|service):/m.test(value)) continue;
        // The collector reads `$$` as `$`; the wiring checks need the keys only.
        found.push({
          where: `${file}: ConfigMap ${name} ${key}`,
          config: parse(value),
          text: value,
          environment: containerEnv,
        });
      }
    }
    if (object.kind === 'OpenTelemetryCollector') {
      const spec = (object as { spec?: { config?: unknown; env?: Array<{ name: string }> } }).spec;
      const text = strings(spec?.config).join('\n');
      found.push({
        where: `${file}: OpenTelemetryCollector ${name}`,
        config: spec?.config,
        text,
        environment: (spec?.env ?? []).map((e) => e.name),
      });
    }
  }
  return found;
}

/** Every string in a value, depth first. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** A manifest object as the folder check reads it: its kind and name where it has them. */
type ReadObject = ManifestObject & {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown };
};

/** The files under a folder that are manifests (`*.yaml`, `*.yml`), and the others with why they are not read. */
function manifestFiles(dir: string): { readonly yaml: string[]; readonly other: string[] } {
  const yaml: string[] = [];
  const other: string[] = [];
  for (const file of filesUnder(dir)) {
    const name = file.split('/').pop() ?? file;
    if (name === OUTPUT_MARKER) continue;
    if (/\.ya?ml$/.test(name) && name !== 'kustomization.yaml') yaml.push(file);
    else other.push(file);
  }
  return { yaml, other };
}

/**
 * Validates a folder of manifests: each `*.yaml` file parses; each object has
 * an apiVersion, kind and name and passes its schema strictly (unknown
 * fields refused; object-schemas.ts); each folder applies in one pass with
 * `kubectl apply -f` (every Namespace it creates before the objects in it);
 * each collector configuration is wired as the collector needs. What it
 * could not check is listed as skipped; a folder with no object it could
 * check is a problem, not a pass.
 */
export function validateManifestFolder(dir: string): FolderValidation {
  const { yaml: files, other } = manifestFiles(dir);
  const problems: string[] = [];
  const skipped: string[] = [];
  if (other.length > 0) {
    const shown = other.slice(0, 5).join(', ') + (other.length > 5 ? ` and ${other.length - 5} more` : '');
    skipped.push(
      `${plural(other.length, 'file')} that ${other.length === 1 ? 'is' : 'are'} not Kubernetes manifests (${shown})`,
    );
  }
  const objects: Array<{ file: string; object: ReadObject }> = [];
  for (const file of files) {
    for (const document of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      for (const error of document.errors) {
        const [line, col] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [0, 0];
        problems.push(`${file}:${line}:${col}: ${error.message.split('\n')[0]}`);
      }
      if (document.errors.length > 0) continue;
      const object = document.toJSON() as unknown;
      if (object === null || object === undefined) continue;
      if (typeof object !== 'object' || Array.isArray(object)) {
        problems.push(`${file}: a document that is not an object`);
        continue;
      }
      objects.push({ file, object: object as ReadObject });
    }
  }
  const checkedAgainst = new Map<string, number>();
  for (const { file, object } of objects) {
    const { apiVersion, kind } = object;
    const name = object.metadata?.name;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') {
      problems.push(`${file}: an object without apiVersion, kind and metadata.name`);
      continue;
    }
    const result = checkObjectSchema(object);
    if ('skipped' in result) {
      skipped.push(`${file}: ${kind} ${name} (${apiVersion}): ${result.skipped}`);
      continue;
    }
    checkedAgainst.set(result.checked, (checkedAgainst.get(result.checked) ?? 0) + 1);
    for (const problem of result.problems) problems.push(`${file}: ${kind} ${name}: ${problem}`);
  }
  // kubectl apply -f <folder> applies each folder's files in name order.
  for (const folder of [...new Set(objects.map(({ file }) => dirname(file)))]) {
    const inFolder = objects.filter(({ file }) => dirname(file) === folder);
    const created = new Set(
      inFolder.filter(({ object }) => object.kind === 'Namespace').map(({ object }) => object.metadata?.name),
    );
    const applied = new Set<unknown>();
    for (const { file, object } of inFolder) {
      const namespace = object.metadata?.namespace;
      if (namespace !== undefined && created.has(namespace) && !applied.has(namespace)) {
        problems.push(
          `${file}: ${String(object.kind)} ${String(namespace)}/${String(object.metadata?.name)} comes before Namespace ${String(namespace)}: kubectl apply -f would fail on a new cluster`,
        );
      }
      if (object.kind === 'Namespace') applied.add(object.metadata?.name);
    }
  }
  for (const { where, config, text, environment } of collectorConfigs(objects)) {
    for (const problem of [...lintCollectorConfig(config, text, environment), ...unescapedDollars(text)]) {
      problems.push(`${where}: ${problem}`);
    }
  }
  const checked = [...checkedAgainst.values()].reduce((a, b) => a + b, 0);
  if (checked === 0) {
    problems.push(
      objects.length === 0
        ? 'no Kubernetes object to check: the folder holds no YAML manifest with an object'
        : 'no Kubernetes object it could check: every object was skipped',
    );
  }
  const against = [...checkedAgainst].map(([what, n]) => `${n} against ${what}`).join(', ');
  const summary = `${plural(files.length, 'manifest file')}, ${plural(objects.length, 'object')}: ${checked} checked${against === '' ? '' : ` (${against})`}, ${skipped.length} skipped.`;
  return { files: files.length, objects: objects.length, problems, skipped, summary };
}

/**
 * Where two folders differ: files only one has, and for each file both have
 * but with other text, its first differing line.
 */
export function folderDifferences(committed: string, fresh: string, name: string): string[] {
  const all = [...new Set([...filesUnder(committed), ...filesUnder(fresh)])].sort();
  return all.flatMap((file) => {
    const [before, after] = [committed, fresh].map((dir) =>
      existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : undefined,
    );
    if (before === after) return [];
    if (before === undefined) return [`${name}/${file}: missing (synthesized now, not committed)`];
    if (after === undefined) return [`${name}/${file}: not synthesized any more (committed only)`];
    const [a, b] = [before.split('\n'), after.split('\n')];
    const line = a.findIndex((text, i) => text !== b[i]);
    const at = line < 0 ? a.length : line;
    return [
      `${name}/${file}: differs from line ${at + 1}:\n  committed:       ${JSON.stringify(a[at] ?? '')}\n  synthesized now: ${JSON.stringify(b[at] ?? '')}`,
    ];
  });
}
