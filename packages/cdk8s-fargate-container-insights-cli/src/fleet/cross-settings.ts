import { ValidationError } from 'cdk8s-fargate-container-insights';
import {
  DEFAULT_SCRAPE_INTERVAL,
  sizeCollector,
  validateAlarmsDestination,
  validateListedRegion,
  validateMetricsDestination,
  validateOidcIssuer,
  validateRolePartition,
} from 'cdk8s-fargate-container-insights/internal';
import type { FleetCluster, ResolvedCluster } from './cluster-settings';

/**
 * The rules between a cluster's settings, declared once: the region AWS
 * has, the role's partition, the OIDC issuer's region, OTLP's regions, the
 * pod health alarms' destination, and the pods its replicas can scrape.
 * The clusters file runs them for every cluster, each problem at its
 * `file:line:col` with the `clusters[i].field` path, all at once; the app
 * runs them with its variables' names. The collector's props check the
 * same again when the constructs are built.
 */

/** A setting's key, as the clusters file writes it. */
export type SettingKey = keyof FleetCluster;

/** How the messages name settings: `clusters[1].region` in a clusters file, `AWS_REGION` in the app. */
export interface SettingNames {
  /** The setting's name. */
  readonly name: (key: SettingKey) => string;
  /** The setting set to a value: `allowUnlistedRegion: true`, `ALLOW_UNLISTED_REGION=true`. */
  readonly assignment: (key: SettingKey, value: string) => string;
  /** Whether the setting was set (in the environment or the file), rather than defaulted. */
  readonly isSet: (key: SettingKey) => boolean;
}

/** One rule: the setting a problem is reported at, and the check (which throws a ValidationError). */
interface CrossSettingRule {
  readonly at: SettingKey;
  readonly check: (cluster: ResolvedCluster, names: SettingNames) => void;
}

const RULES: readonly CrossSettingRule[] = [
  {
    at: 'region',
    check: (c, n) =>
      validateListedRegion(
        n.name('region'),
        c.region,
        c.allowUnlistedRegion,
        n.assignment('allowUnlistedRegion', 'true'),
      ),
  },
  {
    at: 'serviceAccountRoleArn',
    check: (c, n) =>
      validateRolePartition(n.name('serviceAccountRoleArn'), c.serviceAccountRoleArn, n.name('region'), c.region),
  },
  {
    at: 'oidcIssuer',
    check: (c, n) => {
      if (c.oidcIssuer !== undefined) validateOidcIssuer(n.name('oidcIssuer'), c.oidcIssuer, c.region, c.name);
    },
  },
  {
    at: 'metricsDestination',
    check: (c, n) => {
      if (!n.isSet('metricsDestination')) return;
      validateMetricsDestination(
        n.name('metricsDestination'),
        c.metricsDestination,
        c.region,
        c.allowUnlistedRegion,
        n.assignment('allowUnlistedRegion', 'true'),
      );
    },
  },
  {
    at: 'podHealth',
    check: (c, n) =>
      validateAlarmsDestination(
        c.podHealth?.alarms,
        c.metricsDestination,
        `${n.name('podHealth')} alarms`,
        n.name('metricsDestination'),
        n.assignment('metricsDestination', c.metricsDestination),
      ),
  },
  {
    at: 'expectedPods',
    check: (c, n) => {
      sizeCollector(
        {
          expectedPods: c.expectedPods,
          replicas: c.replicas,
          scrapeIntervalSeconds: DEFAULT_SCRAPE_INTERVAL.toSeconds(),
          podHealth: c.podHealth !== undefined,
        },
        n.name('expectedPods'),
      );
    },
  },
  ...(['expectedWorkloads', 'expectedServices'] as const).map(
    (at): CrossSettingRule => ({
      at,
      check: (c, n) => {
        const value = c[at];
        if (value === undefined || value <= c.expectedPods) return;
        throw new ValidationError(
          `Invalid ${n.name(at)} ${value}: expected at most ${n.name('expectedPods')} (${c.expectedPods}${n.isSet('expectedPods') ? '' : ', its default'}): ${at === 'expectedWorkloads' ? 'every workload has a pod' : 'a Service with ready pods has at least one'}.`,
        );
      },
    }),
  ),
];

/** Every rule's problem for one cluster, in the table's order, each with the setting it is at. */
export function crossSettingProblems(
  cluster: ResolvedCluster,
  names: SettingNames,
): Array<{ readonly at: SettingKey; readonly message: string }> {
  return RULES.flatMap((rule) => {
    try {
      rule.check(cluster, names);
      return [];
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return [{ at: rule.at, message: error.message }];
    }
  });
}
