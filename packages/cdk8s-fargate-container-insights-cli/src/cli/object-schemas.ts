import { nearestName } from 'cdk8s-fargate-container-insights/internal';
import {
  type CrdFieldType,
  OPENTELEMETRY_COLLECTOR_CRD_RELEASE,
  OPENTELEMETRY_COLLECTOR_SPEC_TYPES,
} from './opentelemetry-collector-fields';

/**
 * Checking one object against its schema as a strict API server would:
 * wrong types, missing required fields and unknown fields are all problems.
 *
 * - Kubernetes kinds: the schemas of the `kubernetes-models` package (the
 *   Kubernetes OpenAPI schemas, compiled), when it is installed. Its
 *   validators read every field their schema knows, so a field they never
 *   read is one the API server does not know either: each object is wrapped
 *   in a proxy that records what the validator reads.
 * - The OpenTelemetry Operator's `OpenTelemetryCollector` (v1beta1): the
 *   field table generated from its CRD (opentelemetry-collector-fields.ts).
 */

/** The result of checking one object: its problems, or why it was not checked. */
export type SchemaCheck =
  | { readonly checked: string; readonly problems: readonly string[] }
  | { readonly skipped: string };

/** A manifest object as read. */
export type ManifestObject = Record<string, unknown>;

interface KubernetesModel {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(this: unknown): void };
}

/** Whether a module can be found. */
function resolvable(module: string): boolean {
  try {
    require.resolve(module);
    return true;
  } catch {
    return false;
  }
}

/**
 * The kubernetes-models classes of an apiVersion by kind; `null` when the
 * group is not a Kubernetes one (a custom resource); a problem when the
 * group is but the version is not; `undefined` without the package.
 */
function modelsOf(apiVersion: string): ReadonlyMap<string, KubernetesModel> | null | { problem: string } | undefined {
  if (!resolvable('kubernetes-models/package.json')) return undefined;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const groupModule = group === '' ? 'kubernetes-models/v1' : `kubernetes-models/${group}`;
  if (!/^[a-z0-9.-]*$/.test(group ?? '') || !resolvable(groupModule)) return null;
  if (!/^v[0-9a-z]+$/.test(version ?? '') || !resolvable(`kubernetes-models/${apiVersion}`)) {
    return {
      problem: `no apiVersion ${JSON.stringify(apiVersion)} in Kubernetes${group === '' ? '' : ` (group ${group})`}`,
    };
  }
  const exports = require(`kubernetes-models/${apiVersion}`) as Record<string, unknown>;
  const models = new Map<string, KubernetesModel>();
  for (const value of Object.values(exports)) {
    const model = value as Partial<KubernetesModel> | undefined;
    if (typeof value === 'function' && typeof model?.kind === 'string' && model.apiVersion === apiVersion) {
      models.set(model.kind, model as KubernetesModel);
    }
  }
  return models;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Runs a kubernetes-models validator on the object through a proxy, and
 * returns its errors and the fields it never read. An object none of whose
 * fields was read is free-form (raw JSON, a CRD schema's `default`), not
 * unknown.
 */
function validateStrictly(model: KubernetesModel, object: ManifestObject): string[] {
  const reads = new Map<string, { readonly value: Record<string, unknown>; readonly seen: Set<string> }>();
  const wrap = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const seen = new Set<string>();
    if (!Array.isArray(value)) reads.set(path, { value: value as Record<string, unknown>, seen });
    return new Proxy(value, {
      get(target, key, receiver) {
        const inner = Reflect.get(target, key, receiver) as unknown;
        if (typeof key !== 'string') return inner;
        seen.add(key);
        return wrap(inner, Array.isArray(target) ? `${path}[${key}]` : `${path}.${key}`);
      },
      ownKeys(target) {
        for (const key of Reflect.ownKeys(target)) if (typeof key === 'string') seen.add(key);
        return Reflect.ownKeys(target);
      },
    });
  };
  const problems: string[] = [];
  try {
    model.prototype.validate.call(wrap(object, ''));
  } catch (error) {
    const errors = (error as { errors?: Array<{ instancePath: string; message?: string }> }).errors;
    problems.push(
      ...(errors ?? [{ instancePath: '', message: (error as Error).message }]).map(
        (e) =>
          `${e.instancePath === '' ? '' : `${e.instancePath.slice(1).replaceAll('/', '.')} `}${e.message ?? 'is not valid'}`,
      ),
    );
  }
  for (const [path, { value, seen }] of reads) {
    if (seen.size === 0) continue;
    for (const key of Object.keys(value)) {
      if (!seen.has(key)) problems.push(`unknown field ${`${path}.${key}`.slice(1)}`);
    }
  }
  return problems;
}

/** What a value must be for a scalar field type, when it is not; undefined when it is, or the type is not scalar. */
function scalarMismatch(value: unknown, type: CrdFieldType): string | undefined {
  switch (type) {
    case 's':
      return typeof value === 'string' ? undefined : 'a string';
    case 'n':
      return typeof value === 'number' ? undefined : 'a number';
    case 'b':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'q':
      return typeof value === 'number' || typeof value === 'string' ? undefined : 'a number or a string';
    default:
      return undefined;
  }
}

/** Checks a value against a field type of the OpenTelemetryCollector table. */
function checkCrdValue(value: unknown, type: CrdFieldType, path: string, problems: string[]): void {
  const wrong = (what: string) => problems.push(`${path} must be ${what}, not ${JSON.stringify(value)}`);
  if (type === 'a') return;
  const scalar = scalarMismatch(value, type);
  if (scalar !== undefined) {
    wrong(scalar);
  } else if (Array.isArray(type)) {
    if (!Array.isArray(value)) wrong('a list');
    else {
      value.forEach((item, i) => {
        checkCrdValue(item, type[0], `${path}[${i}]`, problems);
      });
    }
  } else if (typeof type === 'object' && 'e' in type) {
    if (typeof value !== 'string' || !type.e.includes(value)) wrong(`one of ${type.e.join(', ')}`);
  } else if (typeof type === 'object') {
    if (!isPlainObject(value)) wrong('a mapping');
    else for (const [key, inner] of Object.entries(value)) checkCrdValue(inner, type.m, `${path}.${key}`, problems);
  } else if (type.length > 1) {
    checkCrdObject(value, type, path, problems);
  }
}

/** Checks a mapping against a type of the table: unknown fields, each field's type, required fields. */
function checkCrdObject(value: unknown, type: string, path: string, problems: string[]): void {
  const fields = OPENTELEMETRY_COLLECTOR_SPEC_TYPES[type];
  if (fields === undefined) return;
  if (!isPlainObject(value)) {
    problems.push(`${path} must be a mapping, not ${JSON.stringify(value)}`);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    const field = fields[key];
    if (field === undefined) {
      const near = nearestName(key, Object.keys(fields));
      problems.push(`unknown field ${path}.${key}${near === undefined ? '' : ` (did you mean ${near}?)`}`);
    } else if (inner !== null) {
      checkCrdValue(inner, field[0], `${path}.${key}`, problems);
    }
  }
  for (const [key, [, required]] of Object.entries(fields)) {
    if (required === 1 && value[key] === undefined) problems.push(`${path}.${key} is required`);
  }
}

/** Checks an OpenTelemetryCollector of `opentelemetry.io/v1beta1` against the operator CRD's fields. */
function checkOpenTelemetryCollector(object: ManifestObject): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(object)) {
    if (!['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(key)) problems.push(`unknown field ${key}`);
  }
  const metadata = object.metadata;
  if (!isPlainObject(metadata)) problems.push('metadata must be a mapping');
  else {
    for (const key of ['name', 'namespace']) {
      if (metadata[key] !== undefined && typeof metadata[key] !== 'string')
        problems.push(`metadata.${key} must be a string`);
    }
    for (const key of ['labels', 'annotations']) {
      if (metadata[key] !== undefined) checkCrdValue(metadata[key], { m: 's' }, `metadata.${key}`, problems);
    }
  }
  if (object.spec === undefined) problems.push('spec is required');
  else checkCrdValue(object.spec, 'Spec', 'spec', problems);
  return problems;
}

/** The API groups that are not Kubernetes objects to apply at all, and what they are. */
const NOT_APPLIED: Readonly<Record<string, string>> = {
  'eksctl.io': "eksctl's cluster configuration, for eksctl rather than kubectl",
  'kustomize.config.k8s.io': "kustomize's own file",
};

/**
 * Checks one object (which has an apiVersion, kind and name) against its
 * schema, strictly; or says why it could not.
 */
export function checkObjectSchema(object: ManifestObject): SchemaCheck {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
  const notApplied = NOT_APPLIED[group];
  if (notApplied !== undefined) return { skipped: notApplied };
  if (group === 'opentelemetry.io') {
    if (apiVersion === 'opentelemetry.io/v1beta1' && kind === 'OpenTelemetryCollector') {
      return {
        checked: `the OpenTelemetryCollector CRD of operator ${OPENTELEMETRY_COLLECTOR_CRD_RELEASE}`,
        problems: checkOpenTelemetryCollector(object),
      };
    }
    return {
      skipped:
        'a custom resource it has no schema for (of opentelemetry.io it checks the v1beta1 OpenTelemetryCollector)',
    };
  }
  const models = modelsOf(apiVersion);
  if (models === undefined) {
    return {
      skipped:
        'not checked against the Kubernetes schemas: install kubernetes-models (npm install --save-dev kubernetes-models) to check it',
    };
  }
  if (models === null) return { skipped: 'a custom resource it has no schema for' };
  if ('problem' in models)
    return { checked: 'the Kubernetes schemas of kubernetes-models', problems: [models.problem] };
  const model = models.get(kind);
  if (model === undefined) {
    const near = nearestName(kind, [...models.keys()]);
    return {
      checked: 'the Kubernetes schemas of kubernetes-models',
      problems: [
        `no kind ${JSON.stringify(kind)} in ${apiVersion}${near === undefined ? '' : `; did you mean ${JSON.stringify(near)}?`}`,
      ],
    };
  }
  return { checked: 'the Kubernetes schemas of kubernetes-models', problems: validateStrictly(model, object) };
}
