import { type MetricsDestination, validateAlarmsDestination, validateOtlpRegion } from '../config/metrics-destination';
import { LISTED_REGION_RULE, type SettingRule } from '../core/setting-rules';
import { validateRolePartition } from '../core/validation';
import { sizeCollector } from '../fargate/collector-sizing';

/**
 * The rules between the collector's settings, declared once: the
 * collector's props run them with the props' names, the clusters file and
 * the app with theirs. Each reads values that have passed their own checks.
 */

/** What the rules read: the collector's settings, defaults filled in, by the props' names. */
export interface CollectorRuleValues {
  readonly region: string;
  readonly allowUnlistedRegion: boolean;
  readonly serviceAccountRoleArn: string;
  readonly metricsDestination: MetricsDestination;
  readonly podHealth?: { readonly alarms?: { readonly enabled?: boolean } };
  readonly expectedPods: number;
  readonly replicas: number;
  readonly scrapeIntervalSeconds: number;
}

/** The settings the rules name: the collector's props, the clusters file's fields of the same names. */
export type CollectorRuleKey =
  | 'region'
  | 'allowUnlistedRegion'
  | 'serviceAccountRoleArn'
  | 'metricsDestination'
  | 'podHealth'
  | 'expectedPods'
  | 'replicas';

/**
 * In order: the region AWS has, the role's partition, OTLP's regions, the
 * pod health alarms' destination, and the pods its replicas can scrape.
 */
export const COLLECTOR_SETTING_RULES: readonly SettingRule<CollectorRuleValues, CollectorRuleKey>[] = [
  LISTED_REGION_RULE,
  {
    at: 'serviceAccountRoleArn',
    check: (v, n) => {
      validateRolePartition(n.name('serviceAccountRoleArn'), v.serviceAccountRoleArn, n.name('region'), v.region);
    },
  },
  {
    at: 'metricsDestination',
    check: (v, n) =>
      validateOtlpRegion(
        n.name('metricsDestination'),
        v.metricsDestination,
        v.region,
        v.allowUnlistedRegion,
        n.assignment('allowUnlistedRegion', true),
      ),
  },
  {
    at: 'podHealth',
    check: (v, n) =>
      validateAlarmsDestination(
        v.podHealth?.alarms,
        v.metricsDestination,
        `${n.name('podHealth')}.alarms`,
        n.name('metricsDestination'),
        n.assignment('metricsDestination', v.metricsDestination),
      ),
  },
  {
    at: 'expectedPods',
    check: (v, n) => {
      sizeCollector(
        {
          expectedPods: v.expectedPods,
          replicas: v.replicas,
          scrapeIntervalSeconds: v.scrapeIntervalSeconds,
          podHealth: v.podHealth !== undefined,
        },
        n.name('expectedPods'),
        n.name('replicas'),
      );
    },
  },
];
