import { ApiObject, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';

/**
 * Orders an app's charts so that each Namespace comes before the objects in
 * it. cdk8s writes one file per chart; `kubectl apply -f <folder>` applies
 * the files in name order, and fails on an object whose namespace a later
 * file creates (a Role in the sample application's namespace, say). A chart
 * holding an object in a namespace another chart creates is made to depend
 * on that chart: cdk8s then writes the charts in dependency order and numbers
 * the files (`0000-…`, `0001-…`), which `kubectl` and kustomize apply in turn.
 * An app where no chart needs another keeps its plain file names.
 */
export function orderNamespacesFirst(app: IConstruct): void {
  const objects = app.node.findAll().filter((child): child is ApiObject => ApiObject.isApiObject(child));
  const creators = new Map<string, Chart>();
  for (const object of objects) {
    const name = object.metadata.name;
    if (object.kind === 'Namespace' && name !== undefined) creators.set(name, Chart.of(object));
  }
  for (const object of objects) {
    const namespace = object.metadata.namespace;
    const creator = namespace === undefined ? undefined : creators.get(namespace);
    const chart = Chart.of(object);
    if (creator !== undefined && creator !== chart) chart.addDependency(creator);
  }
}
