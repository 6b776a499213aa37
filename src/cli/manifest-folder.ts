import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { lintCollectorConfig, unescapedDollars } from '../config/config-lint';
import { filesUnder } from '../core/output';

/**
 * What the `validate` and `check` commands read of a folder of manifests:
 * the objects of every `*.yaml` file under it, checked as `kubectl apply`
 * and the collector will take them, and the differences between two
 * folders. No Kubernetes API server is needed; the Kubernetes schemas are
 * checked when the `kubernetes-models` package can be loaded.
 */

/** A manifest object as read: any fields, its kind and name where it has them. */
type ManifestObject = Record<string, unknown> & {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown };
};

/** The result of validating a folder. */
export interface FolderValidation {
  /** The manifest files read. */
  readonly files: number;
  /** The objects in them. */
  readonly objects: number;
  /** What is wrong, each naming the file and object. */
  readonly problems: string[];
  /** How the objects were checked against the Kubernetes schemas, or why they were not. */
  readonly schemas: string;
}

/** The `kubernetes-models` class of each kind this library writes, when that package is installed. */
const SCHEMA_MODELS: ReadonlyArray<readonly [string, string, string]> = [
  ['v1/Namespace', 'kubernetes-models/v1', 'Namespace'],
  ['v1/ServiceAccount', 'kubernetes-models/v1', 'ServiceAccount'],
  ['v1/ConfigMap', 'kubernetes-models/v1', 'ConfigMap'],
  ['v1/Service', 'kubernetes-models/v1', 'Service'],
  ['apps/v1/StatefulSet', 'kubernetes-models/apps/v1', 'StatefulSet'],
  ['apps/v1/Deployment', 'kubernetes-models/apps/v1', 'Deployment'],
  ['policy/v1/PodDisruptionBudget', 'kubernetes-models/policy/v1', 'PodDisruptionBudget'],
  ['rbac.authorization.k8s.io/v1/ClusterRole', 'kubernetes-models/rbac.authorization.k8s.io/v1', 'ClusterRole'],
  [
    'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
    'kubernetes-models/rbac.authorization.k8s.io/v1',
    'ClusterRoleBinding',
  ],
  ['rbac.authorization.k8s.io/v1/Role', 'kubernetes-models/rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1/RoleBinding', 'kubernetes-models/rbac.authorization.k8s.io/v1', 'RoleBinding'],
];

type Validate = (object: ManifestObject) => void;

/** Schema checks by `apiVersion/kind`, or why there are none. */
function schemaChecks(): { readonly checks: ReadonlyMap<string, Validate>; readonly how: string } {
  const checks = new Map<string, Validate>();
  try {
    for (const [key, module, name] of SCHEMA_MODELS) {
      const Model = (require(module) as Record<string, new (data: unknown) => { validate(): void }>)[name];
      if (Model === undefined) throw new Error(`${module} has no ${name}`);
      checks.set(key, (object) => new Model(object).validate());
    }
  } catch {
    return {
      checks: new Map(),
      how: 'not checked against the Kubernetes schemas: install kubernetes-models (npm install --save-dev kubernetes-models) to check them',
    };
  }
  return { checks, how: 'checked against the Kubernetes schemas of kubernetes-models' };
}

/** The collector configurations of a folder's objects, with the environment their container sets. */
function collectorConfigs(
  objects: ReadonlyArray<{ readonly file: string; readonly object: ManifestObject }>,
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

/**
 * Validates a folder of manifests: each `*.yaml` file parses, each object has
 * an apiVersion, kind and name and (when the package is installed) passes its
 * Kubernetes schema, each folder applies in one pass with `kubectl apply -f`
 * (every Namespace it creates before the objects in it), and each collector
 * configuration is wired as the collector needs.
 */
export function validateManifestFolder(dir: string): FolderValidation {
  const files = filesUnder(dir).filter((file) => /\.ya?ml$/.test(file) && !file.endsWith('kustomization.yaml'));
  const problems: string[] = [];
  const objects: Array<{ file: string; object: ManifestObject }> = [];
  for (const file of files) {
    for (const document of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      for (const error of document.errors) {
        const [line, col] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [0, 0];
        problems.push(`${file}:${line}:${col}: ${error.message.split('\n')[0]}`);
      }
      const object = document.toJSON() as unknown;
      if (object === null || object === undefined) continue;
      if (typeof object !== 'object' || Array.isArray(object)) {
        problems.push(`${file}: a document that is not an object`);
        continue;
      }
      objects.push({ file, object: object as ManifestObject });
    }
  }
  const { checks, how } = schemaChecks();
  for (const { file, object } of objects) {
    const { apiVersion, kind } = object;
    const name = object.metadata?.name;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') {
      problems.push(`${file}: an object without apiVersion, kind and metadata.name`);
      continue;
    }
    try {
      checks.get(`${apiVersion}/${kind}`)?.(object);
    } catch (error) {
      problems.push(`${file}: ${kind} ${name}: ${(error as Error).message.split('\n')[0]}`);
    }
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
  return { files: files.length, objects: objects.length, problems, schemas: how };
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
