import { Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import type { KubernetesObject } from '../../tools/manifests';

/** Synthesizes what `build` adds to a fresh test chart. */
export function synth(build: (chart: Construct) => void): KubernetesObject[] {
  const chart = Testing.chart();
  build(chart);
  return Testing.synth(chart) as KubernetesObject[];
}

/** The one object of a kind (and name, if given); fails when there is not exactly one. */
export function only(objects: KubernetesObject[], kind: string, name?: string): any {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}
