import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

/**
 * The sync wave of each kind we emit. Namespaces come first, then what the
 * workloads refer to (service accounts, RBAC, configuration), then the
 * workloads. A kind not listed here is in wave 0, with the workloads.
 */
const SYNC_WAVES: Readonly<Record<string, number>> = {
  Namespace: -2,
  ServiceAccount: -1,
  ClusterRole: -1,
  ClusterRoleBinding: -1,
  Role: -1,
  RoleBinding: -1,
  ConfigMap: -1,
  Secret: -1,
};

/**
 * The order Argo CD applies one cluster's objects in: namespaces, then
 * service accounts, RBAC and configuration, then workloads (and prunes in the
 * reverse order). A fleet's manifests carry it; call {@link ArgoCdSyncWaves.addTo}
 * for an app of your own that Argo CD syncs. The annotation is inert for
 * every other tool.
 *
 * @example
 * ArgoCdSyncWaves.addTo(app);
 * app.synth();
 */
export class ArgoCdSyncWaves {
  /** The annotation Argo CD orders a sync by: lower waves are applied first. */
  public static readonly ANNOTATION = 'argocd.argoproj.io/sync-wave';

  /**
   * The wave of a kind: -2 for namespaces; -1 for service accounts, roles,
   * bindings, config maps and secrets; 0 for every other kind.
   */
  public static waveOf(kind: string): number {
    return SYNC_WAVES[kind] ?? 0;
  }

  /**
   * Annotates every Kubernetes object under `scope` with its wave. Call it
   * after the objects are created, e.g. just before `synth()`.
   */
  public static addTo(scope: IConstruct): void {
    for (const child of scope.node.findAll()) {
      if (ApiObject.isApiObject(child)) {
        child.metadata.addAnnotation(ArgoCdSyncWaves.ANNOTATION, String(ArgoCdSyncWaves.waveOf(child.kind)));
      }
    }
  }

  private constructor() {}
}
