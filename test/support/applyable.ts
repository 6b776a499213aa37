import { readdirSync } from 'node:fs';
import { readManifests } from '../../tools/manifests';

/**
 * What `kubectl apply -k <folder>` needs from a folder to work on an empty
 * cluster with nothing else applied: its kustomization.yaml lists exactly its
 * manifests, and every object another one refers to (namespace, service
 * account, ClusterRole, ConfigMap, governing Service, pods of a budget) is in
 * the folder. Returns the problems found; none means applyable on its own.
 */
export function applyabilityProblems(dir: string): string[] {
  const problems: string[] = [];
  const files = readManifests(dir);
  const kustomizations = files.filter(({ file }) => file === 'kustomization.yaml');
  const manifests = files.filter(({ file }) => file !== 'kustomization.yaml');
  const listed = kustomizations[0]?.objects[0] as { resources?: string[] } | undefined;
  if (!listed) problems.push('no kustomization.yaml');
  else if (JSON.stringify(listed.resources) !== JSON.stringify(manifests.map(({ file }) => file).sort())) {
    problems.push(`kustomization.yaml lists ${listed.resources} but the folder has ${manifests.map((m) => m.file)}`);
  }
  if (readdirSync(dir, { withFileTypes: true }).some((entry) => entry.isDirectory())) {
    problems.push('has subfolders, which kustomization.yaml does not list');
  }

  const objects: any[] = manifests.flatMap(({ objects }) => objects);
  const has = (kind: string, name: string, namespace?: string) =>
    objects.some((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
  const need = (what: string, kind: string, name: string, namespace?: string) => {
    if (!has(kind, name, namespace)) problems.push(`${what} needs ${kind} ${namespace ? `${namespace}/` : ''}${name}`);
  };

  const keys = objects.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  for (const key of new Set(keys)) {
    if (keys.filter((k) => k === key).length > 1) problems.push(`${key} is emitted twice`);
  }
  for (const o of objects) {
    const what = `${o.kind} ${o.metadata.name}`;
    if (o.metadata.namespace) need(what, 'Namespace', o.metadata.namespace);
    if (o.kind === 'ClusterRoleBinding') {
      need(what, 'ClusterRole', o.roleRef.name);
      for (const s of o.subjects ?? []) need(what, s.kind, s.name, s.namespace);
    }
    const pod = o.spec?.template?.spec;
    if (pod) {
      if (pod.serviceAccountName) need(what, 'ServiceAccount', pod.serviceAccountName, o.metadata.namespace);
      for (const v of pod.volumes ?? [])
        if (v.configMap) need(what, 'ConfigMap', v.configMap.name, o.metadata.namespace);
    }
    if (o.kind === 'StatefulSet') need(what, 'Service', o.spec.serviceName, o.metadata.namespace);
    // The operator runs the collector with this service account; it creates none.
    if (o.kind === 'OpenTelemetryCollector') need(what, 'ServiceAccount', o.spec.serviceAccount, o.metadata.namespace);
    if (o.kind === 'PodDisruptionBudget') {
      const selector = o.spec.selector.matchLabels as Record<string, string>;
      const selects = objects.some(
        (w) =>
          w.metadata.namespace === o.metadata.namespace &&
          Object.entries(selector).every(([k, v]) => w.spec?.template?.metadata?.labels?.[k] === v),
      );
      if (!selects) problems.push(`${what} selects no pods of the folder`);
    }
  }
  return problems;
}

/**
 * What `kubectl apply -f <folder>` needs on an empty cluster: it applies the
 * files in name order and each file's objects in turn, so a Namespace the
 * folder creates must come before every object in it. Returns the objects
 * that come first; none means one pass applies the folder.
 */
export function applyOrderProblems(dir: string): string[] {
  const files = readManifests(dir)
    .filter(({ file }) => file !== 'kustomization.yaml')
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const objects: any[] = files.flatMap(({ file, objects }) => objects.map((o: any) => ({ ...o, file })));
  const created = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const applied = new Set<string>();
  const problems: string[] = [];
  for (const o of objects) {
    const namespace = o.metadata.namespace;
    if (namespace !== undefined && created.has(namespace) && !applied.has(namespace)) {
      problems.push(`${o.file}: ${o.kind} ${namespace}/${o.metadata.name} comes before Namespace ${namespace}`);
    }
    if (o.kind === 'Namespace') applied.add(o.metadata.name);
  }
  return problems;
}
