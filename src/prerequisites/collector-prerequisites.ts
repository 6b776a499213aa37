import type { ContainerInsightsCollectorBase } from '../collector/container-insights-collector-base';
import { FargateContainerInsightsOperatorCollector } from '../collector/fargate-container-insights-operator-collector';
import type { FargateLogging } from '../logging/fargate-logging';
import {
  type ClusterPrerequisites,
  clusterPrerequisites,
  prerequisiteFiles,
  writePrerequisites,
} from './prerequisites';

/** What {@link CollectorPrerequisites.of} derives the AWS side from. */
export interface CollectorPrerequisitesOptions {
  /** The cluster's collector, in either mode: its cluster, region, namespace, service account and role. */
  readonly collector: ContainerInsightsCollectorBase;
  /**
   * Other namespaces the cluster runs pods in (the sample application's),
   * each needing a Fargate profile.
   *
   * @default - none
   */
  readonly workloadNamespaces?: string[];
  /**
   * The cluster's Fargate logging, for the pod execution role's policy.
   *
   * @default - no logging policy
   */
  readonly logging?: FargateLogging;
  /**
   * The cluster's OIDC issuer URL (`aws eks describe-cluster --query
   * cluster.identity.oidc.issuer`), for the collector role's trust policy.
   *
   * @default - no trust policy in collector-role.json (eksctl writes one)
   */
  readonly oidcIssuer?: string;
}

/**
 * The AWS side a collector needs before it can run (docs/prerequisites.md):
 * an eksctl ClusterConfig fragment with the Fargate profiles and the IRSA
 * service account, the collector role as IAM JSON, and, with Fargate
 * logging, the pod execution role's logging policy.
 */
export class CollectorPrerequisites {
  /**
   * The prerequisites of a collector.
   *
   * @throws ValidationError naming a bad `oidcIssuer` or namespace
   */
  public static of(options: CollectorPrerequisitesOptions): CollectorPrerequisites {
    return new CollectorPrerequisites(
      clusterPrerequisites({
        collector: options.collector,
        ...(options.workloadNamespaces === undefined ? {} : { workloadNamespaces: options.workloadNamespaces }),
        ...(options.logging === undefined ? {} : { logging: options.logging }),
        ...(options.oidcIssuer === undefined ? {} : { oidcIssuer: options.oidcIssuer }),
        operatorMode: options.collector instanceof FargateContainerInsightsOperatorCollector,
      }),
    );
  }

  /** Each file's text, by file name (`eksctl-cluster-config.yaml`, `collector-role.json`, ...). */
  public readonly files: Record<string, string>;

  private readonly prerequisites: ClusterPrerequisites;

  private constructor(prerequisites: ClusterPrerequisites) {
    this.prerequisites = prerequisites;
    this.files = prerequisiteFiles(prerequisites);
  }

  /** Writes the files into `dir`, creating it; returns their names, sorted. */
  public writeTo(dir: string): string[] {
    return writePrerequisites(this.prerequisites, dir);
  }
}
