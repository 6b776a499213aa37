/**
 * The objects that wire a fleet's output folder into GitOps controllers, and
 * the sync-wave annotations that order one cluster's objects in Argo CD.
 *
 * Only the fields we set are modelled, as read in the controllers' CRD schemas
 * (Argo CD `argoproj.io/v1alpha1` ApplicationSet; Flux source-controller
 * `source.toolkit.fluxcd.io/v1` GitRepository and kustomize-controller
 * `kustomize.toolkit.fluxcd.io/v1` Kustomization) and in kustomize's
 * `kustomize.config.k8s.io/v1beta1` Kustomization file. The sync waves are
 * the main package's `ArgoCdSyncWaves`.
 */

/** The file name kustomize, Argo CD and Flux look for in a folder. */
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/** A kustomize `kustomization.yaml` that lists a folder's manifests. */
export interface KustomizeKustomization {
  /** The kustomize file format. */
  readonly apiVersion: 'kustomize.config.k8s.io/v1beta1';
  /** The kind of file. */
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
  /** The object's name. */
  readonly name: string;
  /** The namespace of the controller that reads it. */
  readonly namespace: string;
}

/** Argo CD ApplicationSet with a git directory generator (the fields we set). */
export interface ArgoCdApplicationSet {
  /** The Argo CD API version. */
  readonly apiVersion: 'argoproj.io/v1alpha1';
  /** The kind. */
  readonly kind: 'ApplicationSet';
  /** Name and namespace (Argo CD's). */
  readonly metadata: ObjectMeta;
  /** What the ApplicationSet generates. */
  readonly spec: {
    /** Templates are Go templates. */
    readonly goTemplate: true;
    /** Options of the Go templates: `missingkey=error`. */
    readonly goTemplateOptions: readonly string[];
    /** Where the Applications come from: one per cluster folder. */
    readonly generators: ReadonlyArray<{
      /** A git directory generator. */
      readonly git: {
        /** The repository. */
        readonly repoURL: string;
        /** The revision followed. */
        readonly revision: string;
        /** The folders that become Applications (`path`, a glob) or are left out (`exclude`). */
        readonly directories: ReadonlyArray<{
          /** A folder glob, relative to the repository's root. */
          readonly path: string;
          /** Leave the folders `path` matches out. */
          readonly exclude?: boolean;
        }>;
      };
    }>;
    /** The Application made for each folder. */
    readonly template: {
      /** The Application's metadata: its name. */
      readonly metadata: {
        /** The Application's name, a Go template. */
        readonly name: string;
      };
      /** The Application's spec. */
      readonly spec: {
        /** The Argo CD project. */
        readonly project: string;
        /** The folder in Git that is synced. */
        readonly source: {
          /** The repository. */
          readonly repoURL: string;
          /** The revision synced. */
          readonly targetRevision: string;
          /** The folder, a Go template. */
          readonly path: string;
        };
        /** The cluster it is synced to, by its name in Argo CD. */
        readonly destination: {
          /** The cluster's name in Argo CD, a Go template. */
          readonly name: string;
        };
        /** How it is synced. */
        readonly syncPolicy: {
          /** Automatically, deleting what is gone (`prune`) and undoing changes made by hand (`selfHeal`). */
          readonly automated: {
            /** Delete what is no longer in the folder. */
            readonly prune: boolean;
            /** Undo changes made in the cluster by hand. */
            readonly selfHeal: boolean;
          };
        };
      };
    };
  };
}

/** Flux source-controller GitRepository (the fields we set). */
export interface FluxGitRepository {
  /** The Flux source API version. */
  readonly apiVersion: 'source.toolkit.fluxcd.io/v1';
  /** The kind. */
  readonly kind: 'GitRepository';
  /** Name and namespace (Flux's). */
  readonly metadata: ObjectMeta;
  /** Where and how often Flux fetches. */
  readonly spec: {
    /** How often Flux fetches, as a Go duration. */
    readonly interval: string;
    /** The repository URL. */
    readonly url: string;
    /** The branch fetched. */
    readonly ref: {
      /** The branch. */
      readonly branch: string;
    };
  };
}

/** Flux kustomize-controller Kustomization (the fields we set). */
export interface FluxKustomization {
  /** The Flux kustomize API version. */
  readonly apiVersion: 'kustomize.toolkit.fluxcd.io/v1';
  /** The kind. */
  readonly kind: 'Kustomization';
  /** Name and namespace (Flux's). */
  readonly metadata: ObjectMeta;
  /** What Flux applies, and how. */
  readonly spec: {
    /** How often Flux reconciles, as a Go duration. */
    readonly interval: string;
    /** The cluster's folder in the repository. */
    readonly path: string;
    /** Delete what is no longer in the folder. */
    readonly prune: boolean;
    /** Wait until what was applied is ready. */
    readonly wait: boolean;
    /** How long a reconciliation may take. */
    readonly timeout: string;
    /** The GitRepository the folder is read from. */
    readonly sourceRef: {
      /** The source's kind. */
      readonly kind: 'GitRepository';
      /** The source's name, in the Kustomization's namespace. */
      readonly name: string;
    };
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
