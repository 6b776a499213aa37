import { ValidationError } from 'cdk8s-fargate-container-insights';
import {
  COLLECTOR_SETTING_RULES,
  DEFAULT_SCRAPE_INTERVAL,
  type InputNames,
  OIDC_ISSUER_RULE,
  type RuleProblem,
  ruleProblems,
  type SettingRule,
} from 'cdk8s-fargate-container-insights/internal';
import type { FleetCluster, ResolvedCluster } from './cluster-settings';

/**
 * The rules between a cluster's settings. Those between the collector's
 * settings and the OIDC issuer's are the constructs' own, declared once
 * beside them (`COLLECTOR_SETTING_RULES`, `OIDC_ISSUER_RULE`); this module
 * adds only the rules of the estimate's settings, which no construct takes.
 * The clusters file runs them for every cluster, each problem at its
 * `file:line:col` with the `clusters[i].field` path, all at once; the app
 * runs them with its variables' names. The constructs run theirs again, on
 * props these settings have already passed.
 */

/** A setting's key, as the clusters file writes it. */
export type SettingKey = keyof FleetCluster;

/** How the messages name settings: `clusters[1].region` in a clusters file, `AWS_REGION` in the app. */
export type SettingNames = InputNames<SettingKey>;

/** The estimate's counts are at most the pods they count: every workload has a pod, every Service one ready. */
const ESTIMATE_RULES: readonly SettingRule<ResolvedCluster, SettingKey>[] = (
  ['expectedWorkloads', 'expectedServices'] as const
).map((at) => ({
  at,
  check: (c, n) => {
    const value = c[at];
    if (value === undefined || value <= c.expectedPods) return;
    throw new ValidationError(
      `Invalid ${n.name(at)} ${value}: expected at most ${n.name('expectedPods')} (${c.expectedPods}${n.isSet('expectedPods') ? '' : ', its default'}): ${at === 'expectedWorkloads' ? 'every workload has a pod' : 'a Service with ready pods has at least one'}.`,
    );
  },
}));

/** Every rule's problem for one cluster, in order (the collector's, the OIDC issuer's, the estimate's). */
export function crossSettingProblems(cluster: ResolvedCluster, names: SettingNames): RuleProblem<SettingKey>[] {
  const collector = { ...cluster, scrapeIntervalSeconds: DEFAULT_SCRAPE_INTERVAL.toSeconds() };
  return [
    ...ruleProblems(COLLECTOR_SETTING_RULES, collector, names),
    ...ruleProblems([OIDC_ISSUER_RULE], cluster, names),
    ...ruleProblems(ESTIMATE_RULES, cluster, names),
  ];
}
