import { ApiObject, JsonPatch } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-29';

/**
 * cdk8s-plus writes some fields with empty or default values that mean the
 * same to the API server as leaving them out: a Namespace's `spec: {}`, a
 * ConfigMap's `immutable: false`, a Service's `externalIPs: []`, a rule's
 * `resourceNames: []`. They are noise in a reviewed manifest, so the
 * constructs drop them with JSON patches, which cdk8s applies after
 * rendering each object. Each path is one the object always has.
 */

/** Drops a Namespace's `spec: {}`. */
export function withoutEmptySpec(namespace: kplus.Namespace): void {
  ApiObject.of(namespace).addJsonPatch(JsonPatch.remove('/spec'));
}

/** Drops a ConfigMap's `immutable: false`. */
export function withoutMutableFlag(configMap: kplus.ConfigMap): void {
  ApiObject.of(configMap).addJsonPatch(JsonPatch.remove('/immutable'));
}

/** Drops a Service's `externalIPs: []`. */
export function withoutExternalIps(service: kplus.Service): void {
  ApiObject.of(service).addJsonPatch(JsonPatch.remove('/spec/externalIPs'));
}

/** Drops `resourceNames: []` from the first `rules` rules of a ClusterRole (those allowed so far). */
export function withoutEmptyResourceNames(role: kplus.ClusterRole, rules: number): void {
  const object = ApiObject.of(role);
  for (let i = 0; i < rules; i++) object.addJsonPatch(JsonPatch.remove(`/rules/${i}/resourceNames`));
}
