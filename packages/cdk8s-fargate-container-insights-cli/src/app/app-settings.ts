import {
  type ApplicationMetrics,
  ApplicationMetricsDestination,
  ValidationError,
} from 'cdk8s-fargate-container-insights';
import {
  APPLICATION_METRICS_DESTINATIONS,
  defaultExpectedNamespaces,
  defaultExpectedServices,
  defaultExpectedWorkloads,
  invalidInput,
  inWords,
  nearestName,
  parseRemoteWriteUrl,
  SAMPLE_GO_WEBAPP_DECLARATIONS,
  showValue,
  validateDnsLabel,
} from 'cdk8s-fargate-container-insights/internal';
import {
  CLUSTER_SETTINGS,
  type FleetCluster,
  REQUIREMENTS,
  type ResolvedCluster,
  resolveCluster,
  type Setting,
  settingValue,
} from '../fleet/cluster-settings';
import { crossSettingProblems } from '../fleet/cross-settings';
import { TYPE_NAMES } from '../fleet/fields';

/**
 * This repository's app reads one cluster from environment variables: each
 * cluster setting's variable comes from the settings table
 * (src/fleet/cluster-settings.ts), checked by the same rules as the clusters
 * file, its messages naming the variable. Beside those, the app has the
 * sample application's metrics and the cluster size its estimate assumes.
 */

/** The environment, as `process.env` gives it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** What the app synthesizes, and for what cluster size it estimates the bill. */
export interface AppSettings {
  /** The cluster, as a clusters file would give it; with the sample application in the demo or with `SAMPLE_APP=true`. */
  readonly cluster: FleetCluster;
  /**
   * Namespaces, pods, workloads and Services to estimate the bill for
   * (`EXPECTED_NAMESPACES`, `EXPECTED_PODS`, `EXPECTED_WORKLOADS`, `EXPECTED_SERVICES`).
   */
  readonly expected: {
    readonly namespaces: number;
    readonly pods: number;
    readonly workloads: number;
    readonly services: number;
    /** Which of the variables were not set, so their defaults are used. */
    readonly defaulted: string[];
  };
  /** True when none of the cluster's variables was set and the demo values are used. */
  readonly demo: boolean;
}

type SettingKey = keyof typeof CLUSTER_SETTINGS;
const SETTINGS = Object.entries(CLUSTER_SETTINGS) as ReadonlyArray<[SettingKey, Setting<unknown>]>;

/** The variable of each setting the app takes, in the table's order. */
const SETTING_VARIABLES: ReadonlyArray<readonly [SettingKey, string]> = SETTINGS.flatMap(([key, setting]) =>
  setting.env === undefined ? [] : [[key, setting.env] as const],
);

/** The variables a cluster must have (or none of them, for the demo). */
const REQUIRED: readonly string[] = SETTINGS.flatMap(([, setting]) =>
  setting.field.required && setting.env !== undefined ? [setting.env] : [],
);

/** The app's own variables: the sample's metrics, and the namespaces its estimate assumes. */
const APP_ONLY = [
  'EXPECTED_NAMESPACES',
  'APPLICATION_METRICS',
  'APPLICATION_METRICS_NAMESPACES',
  'AMP_REMOTE_WRITE_URL',
];

/** Every variable of the single-cluster app: what `npm run synth` records in dist/'s marker, for the drift check. */
export const APP_VARIABLES: readonly string[] = [...SETTING_VARIABLES.map(([, name]) => name), ...APP_ONLY];

/** The variables the app reads besides the cluster's: a fleet's file, and where `npm run synth` stages the output. */
const RUN_VARIABLES = ['CLUSTERS_FILE', 'CDK8S_OUTDIR', 'PREREQUISITES_OUTDIR'];

/** Variables the app read once, and what took their place. */
const RETIRED_VARIABLES: Readonly<Record<string, string>> = {
  REPLICAS: 'COLLECTOR_REPLICAS',
  SKIP_OTLP_REGION_CHECK: 'ALLOW_UNLISTED_REGION',
};

/** Prefixes only this app's variables have: any other variable starting so is taken for a mistake. */
const OWN_PREFIXES = [
  'COLLECTOR_',
  'EXPECTED_',
  'PERFORMANCE_LOG_',
  'FARGATE_LOG',
  'APPLICATION_METRICS',
  'POD_HEALTH',
  'METRIC_PROFILE',
  'METRICS_DESTINATION',
  'SAMPLE_APP',
  'OPERATOR_VERSION',
  'ADOT_VERSION',
  'OIDC_ISSUER',
  'AMP_REMOTE_WRITE',
  'ALLOW_UNLISTED',
];

/**
 * Refuses a variable that looks meant for this app but is not one of its
 * own: a retired name, a near miss of one (`COLLECTOR_REPLICA`,
 * `cluster_name`), or one with a prefix only its variables have. Others
 * (PATH, AWS_PROFILE, ...) pass: the environment is shared.
 *
 * @throws ValidationError naming each such variable and what was meant
 */
export function checkVariableNames(env: Environment): void {
  const known = [...APP_VARIABLES, ...RUN_VARIABLES];
  const problems = Object.keys(env)
    .filter((name) => env[name] !== undefined && !known.includes(name))
    .sort()
    .flatMap((name) => {
      const invalid = `Invalid ${name}=${JSON.stringify(env[name])}`;
      const retired = RETIRED_VARIABLES[name];
      if (retired !== undefined) return [`${invalid}: the app no longer reads ${name}; set ${retired} instead.`];
      const near = nearestName(name, known);
      if (near !== undefined) return [`${invalid}: not a variable of this app; did you mean ${near}?`];
      const prefix = OWN_PREFIXES.find((p) => name.startsWith(p));
      if (prefix === undefined) return [];
      const family = known.filter((k) => k.startsWith(prefix)).join(', ');
      return [`${invalid}: not a variable of this app, whose variables starting with ${prefix} are ${family}.`];
    });
  // Each on a line of its own, every one at once.
  if (problems.length > 0) throw new ValidationError(problems.join('\n'));
}

/**
 * The demo configuration, synthesized when none of the cluster's required
 * variables (nor `ADOT_VERSION`) is set. 111122223333 is the account id AWS
 * documentation uses for examples, and the OIDC issuer's id is the example
 * id of its IRSA pages; with it the demo's prerequisites have a
 * CloudFormation template.
 */
export const DEMO_ENVIRONMENT = {
  CLUSTER_NAME: 'demo',
  AWS_REGION: 'us-east-1',
  COLLECTOR_ROLE_ARN: 'arn:aws:iam::111122223333:role/demo-adot-collector',
  OIDC_ISSUER: 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E',
} as const;

/** The variable of a setting, for messages. */
function variableOf(key: string): string {
  return (CLUSTER_SETTINGS as Readonly<Record<string, Setting<unknown>>>)[key]?.env ?? key;
}

/**
 * One setting from its variable: the text read as the setting's type, then
 * the setting's own check. A message echoes the text as set (variables are
 * text), naming the variable.
 */
function settingFromEnvironment(name: string, setting: Setting<unknown>, text: string): unknown {
  let value: unknown = text;
  if (setting.field.type === 'integer') value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (setting.field.type === 'boolean') {
    if (text !== 'true' && text !== 'false') invalidInput(name, text, TYPE_NAMES.boolean);
    value = text === 'true';
  }
  if (setting.field.type === 'object') {
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      invalidInput(name, text, setting.envForm ?? 'a JSON object');
    }
  }
  try {
    setting.field.check?.(name, value as never);
  } catch (error) {
    if (!(error instanceof ValidationError) || value === text) throw error;
    throw new ValidationError(error.message.replace(`${name} ${showValue(value)}`, `${name} ${showValue(text)}`));
  }
  return value;
}

/**
 * Reads the app's settings from the environment: the cluster's required
 * variables together (or none of them and no `ADOT_VERSION`, for the demo
 * configuration), the optional ones each by its setting's rules.
 *
 * @throws ValidationError naming the variable, the value and the accepted form
 */
export function settingsFromEnvironment(env: Environment): AppSettings {
  const given = [...REQUIRED, 'ADOT_VERSION'].filter((name) => env[name] !== undefined);
  const demo = given.length === 0;
  const source: Environment = demo ? { ...env, ...DEMO_ENVIRONMENT } : env;
  const missing = REQUIRED.filter((name) => source[name] === undefined);
  if (missing.length > 0) {
    const names = `${missing.length === 1 ? 'variable' : 'variables'} ${inWords(missing)}`;
    throw new ValidationError(
      `Missing environment ${names}: set ${inWords(REQUIRED)} together (ADOT_VERSION is optional), or none of them for the demo configuration.`,
    );
  }
  const values: Record<string, unknown> = {};
  for (const [key, name] of SETTING_VARIABLES) {
    const text = source[name];
    if (text !== undefined) values[key] = settingFromEnvironment(name, CLUSTER_SETTINGS[key], text);
  }
  for (const [key, requirement] of REQUIREMENTS) {
    if (values[key] === undefined) continue;
    const other = settingValue(values, requirement.setting);
    if (requirement.values.includes(other)) continue;
    const otherName = variableOf(requirement.setting);
    throw new ValidationError(
      `Invalid ${variableOf(key)} with ${otherName}=${String(other)}: ${requirement.why}. Set ${otherName}=${requirement.values.map(String).join(' or ')}, or unset ${variableOf(key)}.`,
    );
  }
  // The demo shows metrics flowing, so it runs the sample; a real cluster runs it only when asked.
  const sampleApp = (values.sampleApp as boolean | undefined) ?? demo;
  const applicationMetrics = applicationMetricsFromEnvironment(env, sampleApp);
  const cluster = {
    ...values,
    sampleApp,
    ...(applicationMetrics === undefined ? {} : { applicationMetrics }),
  } as FleetCluster;
  const resolved = resolveCluster(cluster);
  checkAcrossSettings(env, resolved);
  const pods = resolved.expectedPods;
  const namespaces = wholeNumber(
    env,
    'EXPECTED_NAMESPACES',
    defaultExpectedNamespaces(pods),
    1,
    pods,
    env.EXPECTED_PODS === undefined
      ? ` (the default EXPECTED_PODS): a namespace without pods sends no metrics`
      : ` (EXPECTED_PODS): a namespace without pods sends no metrics`,
  );
  const workloads = resolved.expectedWorkloads ?? defaultExpectedWorkloads(pods, namespaces);
  if (workloads < namespaces) {
    throw new ValidationError(
      `Invalid EXPECTED_WORKLOADS=${workloads} with EXPECTED_NAMESPACES=${namespaces}${env.EXPECTED_NAMESPACES === undefined ? ' (its default)' : ''}: every namespace with pods has a workload. Set EXPECTED_WORKLOADS to at least ${namespaces}, or fewer EXPECTED_NAMESPACES.`,
    );
  }
  const services = resolved.expectedServices ?? defaultExpectedServices(workloads);
  const defaulted = ['EXPECTED_PODS', 'EXPECTED_NAMESPACES', 'EXPECTED_WORKLOADS', 'EXPECTED_SERVICES'].filter(
    (name) => env[name] === undefined,
  );
  return { cluster, expected: { namespaces, pods, workloads, services, defaulted }, demo };
}

/**
 * The rules between settings (src/fleet/cross-settings.ts), with the
 * variables' names; every problem at once.
 */
function checkAcrossSettings(env: Environment, cluster: ResolvedCluster): void {
  const problems = crossSettingProblems(cluster, {
    name: variableOf,
    assignment: (key, value) => `${variableOf(key)}=${String(value)}`,
    isSet: (key) => {
      const name = variableOf(key);
      return name !== key && env[name] !== undefined;
    },
  });
  // Each problem on a line of its own, every one at once.
  if (problems.length > 0) throw new ValidationError(problems.map((p) => p.message).join('\n'));
}

/** The values of `APPLICATION_METRICS`: a comma-separated list of destinations, or `none`. */
const APPLICATION_METRICS_VALUES: readonly string[] = APPLICATION_METRICS_DESTINATIONS;
const APPLICATION_METRICS_FORM = `none, or a comma-separated list of destinations: ${APPLICATION_METRICS_DESTINATIONS.join(', ')} (the latter with AMP_REMOTE_WRITE_URL)`;

/**
 * The sample application's metrics from `APPLICATION_METRICS` (default, with
 * the sample: `cloudwatch`, the sample's declared metrics to CloudWatch;
 * without it: `none`), `AMP_REMOTE_WRITE_URL` and
 * `APPLICATION_METRICS_NAMESPACES` (default: every namespace).
 */
function applicationMetricsFromEnvironment(env: Environment, sampleApp: boolean): ApplicationMetrics | undefined {
  const text = env.APPLICATION_METRICS ?? (sampleApp ? ApplicationMetricsDestination.CLOUD_WATCH : 'none');
  const url = env.AMP_REMOTE_WRITE_URL;
  const namespaces = env.APPLICATION_METRICS_NAMESPACES;
  if (text === 'none') {
    const stray =
      url !== undefined
        ? 'AMP_REMOTE_WRITE_URL'
        : namespaces !== undefined
          ? 'APPLICATION_METRICS_NAMESPACES'
          : undefined;
    if (stray !== undefined && env.APPLICATION_METRICS === undefined) {
      throw new ValidationError(
        `Invalid ${stray} with APPLICATION_METRICS unset and no SAMPLE_APP=true: application metrics are off (APPLICATION_METRICS defaults to none without the sample). Set APPLICATION_METRICS to a destination, or unset ${stray}.`,
      );
    }
    if (stray !== undefined) {
      throw new ValidationError(
        `Invalid ${stray} with APPLICATION_METRICS=none: set a destination in APPLICATION_METRICS, or unset ${stray}.`,
      );
    }
    return undefined;
  }
  const destinations = text.split(',').map((d) => d.trim());
  const unknown = destinations.find((d) => !APPLICATION_METRICS_VALUES.includes(d));
  if (unknown !== undefined || new Set(destinations).size !== destinations.length) {
    const near = unknown === undefined ? undefined : nearestName(unknown, APPLICATION_METRICS_VALUES);
    invalidInput(
      'APPLICATION_METRICS',
      text,
      `${APPLICATION_METRICS_FORM}${near === undefined ? '' : `; did you mean ${JSON.stringify(near)}?`}`,
    );
  }
  const prometheus = destinations.includes(ApplicationMetricsDestination.MANAGED_PROMETHEUS);
  if (prometheus && url === undefined) {
    throw new ValidationError(
      `Missing environment variable AMP_REMOTE_WRITE_URL: APPLICATION_METRICS=${text} sends to Amazon Managed Service for Prometheus, which needs the workspace's remote write URL.`,
    );
  }
  if (!prometheus && url !== undefined) {
    throw new ValidationError(
      `Invalid AMP_REMOTE_WRITE_URL with APPLICATION_METRICS=${text}: add ${ApplicationMetricsDestination.MANAGED_PROMETHEUS} to APPLICATION_METRICS, or unset AMP_REMOTE_WRITE_URL.`,
    );
  }
  return {
    ...(namespaces === undefined ? {} : { namespaces: namespaceList(namespaces) }),
    ...(destinations.includes(ApplicationMetricsDestination.CLOUD_WATCH)
      ? { cloudWatch: { declarations: SAMPLE_GO_WEBAPP_DECLARATIONS } }
      : {}),
    ...(prometheus && url !== undefined
      ? { managedPrometheus: { remoteWriteUrl: parseRemoteWriteUrl('AMP_REMOTE_WRITE_URL', url).remoteWriteUrl } }
      : {}),
  };
}

/** `APPLICATION_METRICS_NAMESPACES`: a comma-separated list of namespaces, each once. */
function namespaceList(text: string): string[] {
  const names = text.split(',').map((n) => validateDnsLabel('APPLICATION_METRICS_NAMESPACES', n.trim()));
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    invalidInput('APPLICATION_METRICS_NAMESPACES', text, `each namespace once ("${repeated}" is listed twice)`);
  }
  return names;
}

/** A whole-number environment variable within bounds, or its default. */
function wholeNumber(env: Environment, name: string, fallback: number, min: number, max: number, why: string): number {
  const text = env[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    invalidInput(name, text, `a whole number from ${min} to ${max}${why}`);
  }
  return value;
}
