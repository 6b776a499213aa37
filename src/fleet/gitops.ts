import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

/**
 * The objects that wire a fleet's output folder into GitOps controllers, and
 * the sync-wave annotations that order one cluster's objects in Argo CD.
 *
 * Only the fields we set are modelled, as read in the controllers' CRD schemas
 * (Argo CD `argoproj.io/v1alpha1` ApplicationSet; Flux source-controller
 * `source.toolkit.fluxcd.io/v1` GitRepository and kustomize-controller
 * `kustomize.toolkit.fluxcd.io/v1` Kustomization) and in kustomize's
 * `kustomize.config.k8s.io/v1beta1` Kustomization file.
 */

/** The annotation Argo CD orders a sync by: lower waves are applied first. */
export const ARGOCD_SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The sync wave of each kind we emit. Namespaces come first, then what the
 * workloads refer to (service accounts, RBAC, configuration), then the
 * workloads. A kind not listed here is in wave 0, with the workloads.
 */
export const SYNC_WAVES: Readonly<Record<string, number>> = {
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
 * Annotates every Kubernetes object under `scope` with its Argo CD sync wave
 * from {@link SYNC_WAVES}, so that a sync applies namespaces, then service
 * accounts, RBAC and configuration, then workloads, and prunes in the reverse
 * order. Call it after the objects are created, e.g. just before `synth()`;
 * the annotation is inert for every other tool.
 */
export function addArgoCdSyncWaves(scope: IConstruct): void {
  for (const child of scope.node.findAll()) {
    if (ApiObject.isApiObject(child)) {
      child.metadata.addAnnotation(ARGOCD_SYNC_WAVE_ANNOTATION, String(SYNC_WAVES[child.kind] ?? 0));
    }
  }
}

/** The file name kustomize, Argo CD and Flux look for in a folder. */
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/** A kustomize `kustomization.yaml` that lists a folder's manifests. */
export interface KustomizeKustomization {
  readonly apiVersion: 'kustomize.config.k8s.io/v1beta1';
  readonly kind: 'Kustomization';
  /** Manifest files of the folder, relative to it. */
  readonly resources: readonly string[];
}

/** The `kustomization.yaml` for a folder holding `files`. */
export function kustomization(files: readonly string[]): KustomizeKustomization {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [...files].sort(),
  };
}

/** Metadata of the namespaced GitOps objects. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace: string;
}

/** Argo CD ApplicationSet with a git directory generator (the fields we set). */
export interface ArgoCdApplicationSet {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: 'ApplicationSet';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly goTemplate: true;
    readonly goTemplateOptions: readonly string[];
    readonly generators: ReadonlyArray<{
      readonly git: {
        readonly repoURL: string;
        readonly revision: string;
        readonly directories: ReadonlyArray<{ readonly path: string; readonly exclude?: boolean }>;
      };
    }>;
    readonly template: {
      readonly metadata: { readonly name: string };
      readonly spec: {
        readonly project: string;
        readonly source: { readonly repoURL: string; readonly targetRevision: string; readonly path: string };
        readonly destination: { readonly name: string };
        readonly syncPolicy: {
          readonly automated: { readonly prune: boolean; readonly selfHeal: boolean };
        };
      };
    };
  };
}

/** Flux source-controller GitRepository (the fields we set). */
export interface FluxGitRepository {
  readonly apiVersion: 'source.toolkit.fluxcd.io/v1';
  readonly kind: 'GitRepository';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly interval: string;
    readonly url: string;
    readonly ref: { readonly branch: string };
  };
}

/** Flux kustomize-controller Kustomization (the fields we set). */
export interface FluxKustomization {
  readonly apiVersion: 'kustomize.toolkit.fluxcd.io/v1';
  readonly kind: 'Kustomization';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly interval: string;
    readonly path: string;
    readonly prune: boolean;
    readonly wait: boolean;
    readonly timeout: string;
    readonly sourceRef: { readonly kind: 'GitRepository'; readonly name: string };
  };
}

/** Where a fleet's output folder is in Git, and which controllers to emit objects for. */
export interface GitOpsSource {
  /** Repository URL: `https://...` or `ssh://...` (the forms both Argo CD and Flux accept). */
  readonly repoURL: string;
  /** Branch the controllers follow. */
  readonly branch: string;
  /** Path of the fleet's output folder in the repository, without leading or trailing `/`. */
  readonly path: string;
}

/** Name of every object we create in a controller's namespace. */
export const GITOPS_OBJECT_NAME = 'fargate-container-insights';

/**
 * Folder under the fleet output that holds the GitOps objects. Cluster names
 * start with a letter or digit, so it cannot clash with a cluster folder, and
 * the ApplicationSet excludes it.
 */
export const GITOPS_FOLDER = '_gitops';

/**
 * One Argo CD Application per cluster folder, found by a git directory
 * generator. The Application is named after the folder (normalized to a
 * DNS name by Argo CD's `basenameNormalized`) and deploys to the Argo CD
 * cluster registered under the cluster's name.
 */
export function argoCdApplicationSet(
  source: GitOpsSource,
  options: { readonly namespace: string; readonly project: string },
): ArgoCdApplicationSet {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: GITOPS_OBJECT_NAME, namespace: options.namespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [
        {
          git: {
            repoURL: source.repoURL,
            revision: source.branch,
            directories: [{ path: `${source.path}/*` }, { path: `${source.path}/${GITOPS_FOLDER}`, exclude: true }],
          },
        },
      ],
      template: {
        metadata: { name: `${GITOPS_OBJECT_NAME}-{{.path.basenameNormalized}}` },
        spec: {
          project: options.project,
          source: { repoURL: source.repoURL, targetRevision: source.branch, path: '{{.path.path}}' },
          destination: { name: '{{.path.basename}}' },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      },
    },
  };
}

/**
 * The Flux objects for one cluster, applied in that cluster: a GitRepository
 * for the repository and a Kustomization for the cluster's folder.
 */
export function fluxObjects(
  source: GitOpsSource,
  cluster: string,
  options: { readonly namespace: string; readonly interval: string },
): [FluxGitRepository, FluxKustomization] {
  const metadata = { name: GITOPS_OBJECT_NAME, namespace: options.namespace };
  return [
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata,
      spec: { interval: options.interval, url: source.repoURL, ref: { branch: source.branch } },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata,
      spec: {
        interval: options.interval,
        path: `./${source.path}/${cluster}`,
        prune: true,
        // Ready only once the collector is: Fargate takes a minute or two to start a pod.
        wait: true,
        timeout: '5m',
        sourceRef: { kind: 'GitRepository', name: GITOPS_OBJECT_NAME },
      },
    },
  ];
}

/**
 * Argo CD's `basenameNormalized`: lower case, every character other than
 * a-z, 0-9, `-` and `.` replaced by `-`, at most 253 characters, without
 * leading or trailing `-` and `.`.
 */
export function argoCdNormalizedName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-a-z0-9.]/g, '-')
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, '');
}
