import { invalidInput, PATTERNS, showValue, validateDnsLabel } from 'cdk8s-fargate-container-insights/internal';
import {
  CLUSTER_FIELDS,
  DEFAULT_FIELDS,
  type FleetCluster,
  REQUIREMENTS,
  resolveCluster,
  settingValue,
} from './cluster-settings';
import { crossSettingProblems } from './cross-settings';
import {
  checkFields,
  type Field,
  fail,
  type InputPath,
  type Issue,
  matching,
  objectSchema,
  pathLabel,
  text,
  withoutNulls,
} from './fields';
import { argoCdNormalizedName, GITOPS_OBJECT_NAME } from './gitops';

/** Emit an Argo CD ApplicationSet over the cluster folders. */
export interface FleetArgoCd {
  /**
   * Namespace Argo CD runs in.
   *
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * Argo CD project of the generated Applications.
   *
   * @default 'default'
   */
  readonly project?: string;
}

/** Emit a Flux GitRepository and Kustomization for each cluster. */
export interface FleetFlux {
  /**
   * Namespace Flux runs in.
   *
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * How often Flux checks the repository and reconciles, a Go duration.
   *
   * @default '10m'
   */
  readonly interval?: string;
}

/** Where the fleet's output is committed, and which GitOps objects to emit. */
export interface FleetGitOps {
  /** Repository URL, `https://...` or `ssh://...`. */
  readonly repoURL: string;
  /**
   * Branch the controllers follow.
   *
   * @default 'main'
   */
  readonly branch?: string;
  /** Path of the output folder in the repository, e.g. `clusters/dist`. */
  readonly path: string;
  /**
   * Emit `_gitops/argocd/applicationset.yaml`.
   *
   * @default - not emitted
   */
  readonly argoCd?: FleetArgoCd;
  /**
   * Emit `_gitops/flux/<cluster>.yaml` for each cluster.
   *
   * @default - not emitted
   */
  readonly flux?: FleetFlux;
}

/** A fleet: its clusters and, optionally, its GitOps wiring. */
export interface Fleet {
  /** The clusters, each synthesized into a folder of its own. */
  readonly clusters: readonly FleetCluster[];
  /**
   * GitOps wiring.
   *
   * @default - none: only the cluster folders are written
   */
  readonly gitops?: FleetGitOps;
}

// Go durations as Flux's CRDs accept them: "10m", "1h30m", "90s".
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

// Longer would be no reconciliation at all; Go's durations end near 2,562,047 h.
const MAX_FLUX_INTERVAL_MS = 86_400_000;

const GO_UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The milliseconds of a duration that matches GO_DURATION. */
function goDurationMs(value: string): number {
  let total = 0;
  for (const [, amount = '0', , unit = 'ms'] of value.matchAll(/([0-9]+(\.[0-9]+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * (GO_UNIT_MS[unit] ?? 1);
  }
  return total;
}

// The URL forms both Flux (http, https, ssh) and Argo CD accept; plain http is not offered.
const REPO_URL = /^(https|ssh):\/\/[^\s/]+\/\S+$/;

// A relative path in a repository or beside the clusters file: segments of safe characters, no `.` or `..`.
const REPO_PATH = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[\w.-]+(?:\/[\w.-]+)*$/;

// A Git branch: letters, digits and . _ / + -, without the sequences git check-ref-format rejects.
const BRANCH = /^(?!\/|.*(?:\/\/|\.\.|\/$|\.lock$|\.$))[\w./+-]+$/;

const ARGOCD_FIELDS: Readonly<Record<keyof FleetArgoCd, Field>> = {
  namespace: text('Namespace Argo CD runs in. Default: argocd.', PATTERNS.dnsLabel, validateDnsLabel),
  project: text('Argo CD project of the Applications. Default: default.', PATTERNS.dnsLabel, validateDnsLabel),
};

const FLUX_FIELDS: Readonly<Record<keyof FleetFlux, Field>> = {
  namespace: text('Namespace Flux runs in. Default: flux-system.', PATTERNS.dnsLabel, validateDnsLabel),
  interval: text(
    'How often Flux reconciles, a Go duration. Default: 10m.',
    GO_DURATION,
    (input: string, value: string) => {
      if (!GO_DURATION.test(value) || !(goDurationMs(value) >= 1 && goDurationMs(value) <= MAX_FLUX_INTERVAL_MS)) {
        invalidInput(input, value, 'a Go duration from 1ms to 24h, such as "10m", "1h" or "90s"');
      }
    },
  ),
};

const GITOPS_FIELDS: Readonly<Record<keyof FleetGitOps, Field>> = {
  repoURL: matching(
    'Repository the output is committed to: https://... or ssh://...',
    REPO_URL,
    'a repository URL starting with https:// or ssh:// (Flux does not accept the scp-like "git@host:path" form)',
    true,
  ),
  branch: matching('Branch the controllers follow. Default: main.', BRANCH, 'a Git branch name such as "main"'),
  path: matching(
    'Path of the output folder in the repository, e.g. clusters/dist.',
    REPO_PATH,
    'the path of the output folder in the repository, such as "clusters/dist": relative, without leading or trailing "/", "." or ".." segments',
    true,
  ),
  argoCd: { type: 'object', description: 'Emit an Argo CD ApplicationSet over the cluster folders ({} for defaults).' },
  flux: { type: 'object', description: 'Emit a Flux GitRepository and Kustomization per cluster ({} for defaults).' },
};

const FILE_FIELDS: Readonly<Record<'defaults' | 'clusters' | 'output' | 'prerequisites' | 'gitops', Field>> = {
  defaults: {
    type: 'object',
    description: 'Fields every cluster gets unless it sets them: any cluster field but name.',
  },
  clusters: { type: 'list', required: true, description: 'The clusters: one output folder each.' },
  output: matching(
    'Output folder, relative to this file. Default: dist.',
    REPO_PATH,
    'a folder relative to the clusters file, such as "dist", without "." or ".." segments',
  ),
  prerequisites: matching(
    'Folder of the prerequisites (eksctl config, CloudFormation template), relative to this file. Default: prerequisites.',
    REPO_PATH,
    'a folder relative to the clusters file, such as "prerequisites", without "." or ".." segments',
  ),
  gitops: { type: 'object', description: 'Where the output is committed, and which GitOps objects to emit.' },
};

/**
 * Validates a fleet given as plain data (read from a file or built in code),
 * and fills in the defaults. Returns the fleet and every issue found.
 */
export function checkFleet(input: unknown, issues: Issue[]): Fleet {
  if (!checkFields(input, [], FILE_FIELDS, issues)) return { clusters: [] };
  const defaults = (input.defaults ?? {}) as Record<string, unknown>;
  if (input.defaults !== undefined) checkFields(input.defaults, ['defaults'], DEFAULT_FIELDS, issues);

  const entries = Array.isArray(input.clusters) ? (input.clusters as unknown[]) : [];
  if (Array.isArray(input.clusters) && entries.length === 0) {
    issues.push({ path: ['clusters'], message: 'Invalid clusters []: expected at least one cluster.' });
  }
  const clusters: FleetCluster[] = [];
  const defaultsValid = issues.length === 0;
  entries.forEach((entry, index) => {
    const before = issues.length;
    if (checkFields(entry, ['clusters', index], CLUSTER_FIELDS, issues, defaults)) {
      const cluster = { ...defaults, ...withoutNulls(entry) };
      checkRequirements(cluster, ['clusters', index], issues);
      // The rules between settings read valid settings only.
      if (defaultsValid && issues.length === before) checkAcrossSettings(cluster, index, issues);
      clusters.push(cluster as unknown as FleetCluster);
    }
  });

  // Folder names must differ on case-insensitive file systems too.
  const seen = new Map<string, number>();
  clusters.forEach((cluster, index) => {
    if (typeof cluster.name !== 'string') return;
    const key = cluster.name.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
    } else {
      issues.push({
        path: ['clusters', index, 'name'],
        message: `Invalid ${pathLabel(['clusters', index, 'name'])} ${showValue(cluster.name)}: expected a name no other cluster has, ignoring case (clusters[${first}] is ${showValue(clusters[first]?.name)}); each cluster gets a folder of that name.`,
      });
    }
  });

  let gitops: FleetGitOps | undefined;
  if (input.gitops !== undefined && checkFields(input.gitops, ['gitops'], GITOPS_FIELDS, issues)) {
    gitops = withoutNulls(input.gitops) as unknown as FleetGitOps;
    if (gitops.argoCd !== undefined) checkFields(gitops.argoCd, ['gitops', 'argoCd'], ARGOCD_FIELDS, issues);
    if (gitops.flux !== undefined) checkFields(gitops.flux, ['gitops', 'flux'], FLUX_FIELDS, issues);
    if (gitops.argoCd !== undefined) checkApplicationNames(clusters, issues);
  }
  return gitops === undefined ? { clusters } : { clusters, gitops };
}

/**
 * A setting that does nothing without another set so is refused, naming
 * both (`Invalid clusters[0].operatorVersion with collectorMode manifests:
 * ...`): in the cluster, or in `defaults`, where the issue then is.
 */
function checkRequirements(cluster: Readonly<Record<string, unknown>>, path: InputPath, issues: Issue[]): void {
  for (const [key, requirement] of REQUIREMENTS) {
    if (cluster[key] === undefined) continue;
    const other = settingValue(cluster, requirement.setting);
    if (requirement.values.includes(other)) continue;
    issues.push({
      path: [...path, key],
      message: `Invalid ${pathLabel([...path, key])} with ${requirement.setting} ${showValue(other)}: ${requirement.why}. Set ${requirement.setting} to ${requirement.values.map((v) => showValue(v)).join(' or ')}, or remove ${key}.`,
    });
  }
}

/** The rules between a cluster's settings (cross-settings.ts), each problem at the setting it names. */
function checkAcrossSettings(cluster: Readonly<Record<string, unknown>>, index: number, issues: Issue[]): void {
  const path = (key: string): InputPath => ['clusters', index, key];
  const problems = crossSettingProblems(resolveCluster(cluster as unknown as FleetCluster), {
    name: (key) => pathLabel(path(key)),
    assignment: (key, value) => `${key}: ${String(value)}`,
    isSet: (key) => cluster[key] !== undefined,
  });
  for (const { at, message } of problems) issues.push({ path: path(at), message });
}

/**
 * Argo CD names each Application after its folder, normalized to a DNS name:
 * two clusters must not end up with one name.
 */
function checkApplicationNames(clusters: readonly FleetCluster[], issues: Issue[]): void {
  const seen = new Map<string, number>();
  clusters.forEach((cluster, index) => {
    if (typeof cluster.name !== 'string') return;
    const application = `${GITOPS_OBJECT_NAME}-${argoCdNormalizedName(cluster.name)}`;
    const first = seen.get(application);
    if (first === undefined) {
      seen.set(application, index);
      return;
    }
    issues.push({
      path: ['clusters', index, 'name'],
      message: `Invalid ${pathLabel(['clusters', index, 'name'])} ${showValue(cluster.name)}: with gitops.argoCd set, expected a name whose Argo CD Application name (${application}) differs from that of clusters[${first}] ${showValue(clusters[first]?.name)}; Argo CD lower-cases names and replaces "_" with "-".`,
    });
  });
}

/**
 * Validates a fleet built in code. Throws a ValidationError that lists every
 * problem, each naming the entry and field (`clusters[2].region`).
 */
export function validateFleet(fleet: Fleet): Fleet {
  const issues: Issue[] = [];
  const checked = checkFleet(fleet, issues);
  if (issues.length > 0) fail(issues, () => '');
  return checked;
}

/**
 * The JSON schema of a clusters file, built from the same field tables as
 * the validation, for editors (`# yaml-language-server: $schema=...`). The
 * validation checks more than it says: names unique ignoring case, Argo CD
 * Application names, and each field's own rules.
 */
export function fleetJsonSchema(): Record<string, unknown> {
  // Required cluster fields that `defaults` may give instead.
  const inheritable = Object.keys(CLUSTER_FIELDS).filter(
    (key) => CLUSTER_FIELDS[key as keyof FleetCluster].required && key in DEFAULT_FIELDS,
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'cdk8s-fargate-container-insights clusters file',
    ...objectSchema(FILE_FIELDS, {
      defaults: objectSchema(DEFAULT_FIELDS),
      clusters: { minItems: 1, items: objectSchema(CLUSTER_FIELDS, {}, inheritable) },
      gitops: objectSchema(GITOPS_FIELDS, {
        argoCd: objectSchema(ARGOCD_FIELDS),
        flux: objectSchema(FLUX_FIELDS),
      }),
    }),
    // Each of those is required of every cluster unless defaults has it.
    allOf: inheritable.map((key) => ({
      if: {
        not: { type: 'object', required: ['defaults'], properties: { defaults: { type: 'object', required: [key] } } },
      },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited.
      then: { type: 'object', properties: { clusters: { type: 'array', items: { type: 'object', required: [key] } } } },
    })),
  };
}
