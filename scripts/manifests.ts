import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

/**
 * Reading and schema-validating synthesized manifests, shared by the safe
 * synth script and the tests. Schemas come from the `kubernetes-models`
 * package (the Kubernetes OpenAPI schemas), not from hand-written rules.
 */

/** A synthesized Kubernetes object. */
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
};

/** Validates one object against the Kubernetes schema of its kind; throws with the object and the schema error. */
export function validateManifest(object: KubernetesObject): void {
  const key = `${object.apiVersion}/${object.kind}`;
  const Model = MODELS[key];
  if (!Model) throw new Error(`no schema known for ${key} (${object.metadata?.name}); add its kubernetes-models class`);
  try {
    new Model(object as never).validate();
  } catch (error) {
    throw new Error(
      `${key} "${object.metadata?.name}" does not match the Kubernetes schema: ${(error as Error).message}`,
    );
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

/** Reads every `*.yaml` file of a folder (sorted), parsed. */
export function readManifests(dir: string): ManifestFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, objects: parseManifest(readFileSync(join(dir, file), 'utf8')) }));
}
