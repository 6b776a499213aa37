import { ArgoCdSyncWaves } from 'cdk8s-fargate-container-insights';
import type { IConstruct } from 'constructs';
import { type FleetSynthResult, synthesizeFleet } from './fleet';
import { readFleetFile } from './fleet-file';
import type { Fleet } from './fleet-spec';

/** Where {@link ClusterFleet.synth} writes, and how. */
export interface ClusterFleetSynthOptions {
  /**
   * The folder to write each cluster's manifests to, replaced whole.
   *
   * @default - the clusters file's `output`, relative to the file (`dist` unless set)
   */
  readonly outdir?: string;
  /**
   * The folder to write each cluster's prerequisites to (eksctl config,
   * CloudFormation template), replaced whole like the output folder.
   *
   * @default - the clusters file's `prerequisites`, relative to the file (`prerequisites` unless set)
   */
  readonly prerequisitesOutdir?: string;
  /**
   * Worker threads to spread the clusters over; 1 synthesizes in the calling thread.
   *
   * @default - 1 below 200 clusters; else one per CPU, at most 8
   */
  readonly workers?: number;
}

/** A cluster whose prerequisites have no CloudFormation template, and why. */
export interface ClusterWithoutTemplate {
  /** The cluster's name. */
  readonly clusterName: string;
  /**
   * Why: it has no `oidcIssuer` (the role's trust policy names the
   * provider), or the companion package `cdk8s-fargate-container-insights-aws`
   * is not installed.
   */
  readonly reason: string;
}

/** What {@link ClusterFleet.synth} wrote. */
export interface ClusterFleetSynthResult {
  /** Every file written, relative to the output folder, sorted. */
  readonly files: string[];
  /** Every prerequisite file written, relative to the prerequisites folder, sorted. */
  readonly prerequisites: string[];
  /**
   * The clusters whose prerequisites have no CloudFormation template (which
   * holds the collector's role and the alarms), each with why, in the file's
   * order: empty when every cluster has one.
   */
  readonly withoutTemplate: ClusterWithoutTemplate[];
  /** Worker threads used (1: the calling thread). */
  readonly workers: number;
}

/**
 * A fleet of clusters from a clusters file (docs/fleets-and-gitops.md): one
 * folder of manifests per cluster, with its kustomization, prerequisites and
 * the Argo CD and Flux objects that apply them. What the
 * `cdk8s-fargate-container-insights fleet` command does, in code.
 *
 * @example
 * const fleet = ClusterFleet.fromFile('clusters.yaml');
 * fleet.synth().then(({ files }) => console.log(`${files.length} files`));
 */
export class ClusterFleet {
  /**
   * Reads and validates a clusters file.
   *
   * @throws ValidationError listing every problem as `file:line:col: ...`
   */
  public static fromFile(path: string): ClusterFleet {
    const file = readFleetFile(path);
    return new ClusterFleet(path, file.fleet, file.output, file.prerequisites);
  }

  /**
   * Gives the objects under `scope` the Argo CD sync waves a fleet's
   * manifests carry (namespaces and RBAC before the collector), for an app of
   * your own that Argo CD syncs.
   */
  public static addArgoCdSyncWaves(scope: IConstruct): void {
    ArgoCdSyncWaves.addTo(scope);
  }

  /** The clusters file this fleet was read from. */
  public readonly file: string;
  /** The clusters' names, in the file's order. */
  public readonly clusterNames: string[];
  /** The output folder the file names, as an absolute path. */
  public readonly outdir: string;
  /** The prerequisites folder the file names, as an absolute path. */
  public readonly prerequisitesOutdir: string;

  private readonly fleet: Fleet;

  private constructor(file: string, fleet: Fleet, outdir: string, prerequisitesOutdir: string) {
    this.file = file;
    this.fleet = fleet;
    this.clusterNames = fleet.clusters.map((cluster) => cluster.name);
    this.outdir = outdir;
    this.prerequisitesOutdir = prerequisitesOutdir;
  }

  /**
   * Synthesizes every cluster, then replaces both folders whole, or neither:
   * a folder that is or holds the clusters file, the working folder or a Git
   * work tree, or holds files this tool did not write, is refused first.
   *
   * @throws ValidationError naming the cluster and field, or the folder; both folders are then unchanged
   */
  public async synth(options: ClusterFleetSynthOptions = {}): Promise<ClusterFleetSynthResult> {
    const result: FleetSynthResult = await synthesizeFleet(this.fleet, options.outdir ?? this.outdir, {
      prerequisitesOutdir: options.prerequisitesOutdir ?? this.prerequisitesOutdir,
      outdirSetting: options.outdir === undefined ? `output of ${this.file}` : 'outdir',
      prerequisitesOutdirSetting:
        options.prerequisitesOutdir === undefined ? `prerequisites of ${this.file}` : 'prerequisitesOutdir',
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      inputFiles: [this.file],
    });
    return {
      files: [...result.files],
      prerequisites: [...result.prerequisites],
      withoutTemplate: result.withoutTemplate.map((cluster) => ({ ...cluster })),
      workers: result.workers,
    };
  }
}
