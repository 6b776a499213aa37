import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { CRD_SCHEMAS } from './crd-schemas';
import { listFiles } from './folders';
import { schemaCheck } from './json-schema';

/**
 * Reading and schema-validating synthesized manifests, shared by the safe
 * synth and check scripts and the tests. Kubernetes schemas come from the
 * `kubernetes-models` package (the Kubernetes OpenAPI schemas), not from
 * hand-written rules; the custom resources' from their CRDs (crd-schemas.ts).
 */

/** A synthesized Kubernetes object (or a kustomization.yaml, which has no metadata). */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

interface Validatable {
  validate(): void;
}

// One model class per kind we emit. A kind missing here fails validation, so
// a new kind cannot slip out unchecked.
const MODELS: Readonly<Record<string, new (data: never) => Validatable>> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/StatefulSet': StatefulSet,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

const CRD_CHECKS = new Map(Object.entries(CRD_SCHEMAS).map(([key, schema]) => [key, schemaCheck(schema)]));

/**
 * Validates one object against the schema of its kind; throws with the file,
 * the object and the schema error.
 *
 * @param file where the object was read from, for the message
 */
export function validateManifest(object: KubernetesObject, file?: string): void {
  const key = `${object.apiVersion}/${object.kind}`;
  const where = `${file === undefined ? '' : `${file}: `}${key} "${object.metadata?.name ?? ''}"`;
  const check = CRD_CHECKS.get(key);
  if (check) {
    const errors = check(object);
    if (errors !== undefined) throw new Error(`${where} does not match its CRD schema: ${errors}`);
    return;
  }
  const Model = MODELS[key];
  if (!Model) throw new Error(`no schema known for ${where}; add its kubernetes-models class or CRD schema`);
  try {
    new Model(object as never).validate();
  } catch (error) {
    throw new Error(`${where} does not match the Kubernetes schema: ${(error as Error).message}`);
  }
}

/** Parses a multi-document YAML manifest. */
export function parseManifest(text: string): KubernetesObject[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('; '));
    return doc.toJS() as KubernetesObject;
  });
}

/** One manifest file: its name and its objects. */
export interface ManifestFile {
  readonly file: string;
  readonly objects: KubernetesObject[];
}

/** Reads every `*.yaml` file under a folder, in subfolders too, sorted by path relative to it, parsed. */
export function readManifests(dir: string): ManifestFile[] {
  return listFiles(dir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => ({ file, objects: parseManifest(readFileSync(join(dir, file), 'utf8')) }));
}
