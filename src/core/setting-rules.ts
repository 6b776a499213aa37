import { showValue, ValidationError } from './errors';
import { validateListedRegion } from './validation';

/**
 * The rules between settings (a region and whether unlisted ones are
 * allowed, a role and its region's partition, ...), declared once, each
 * beside the construct whose props it reads, and run by everything that
 * takes those settings: the construct with its props' names, the clusters
 * file with `clusters[i].field`, the app with its variables. A rule never
 * spells an input's name; it asks the {@link InputNames} it is given.
 */

/** How messages name the inputs a rule reads: `region` for a prop, `clusters[1].region`, `AWS_REGION`. */
export interface InputNames<K extends string> {
  /** The input's name. */
  readonly name: (key: K) => string;
  /** The input set to a value: `allowUnlistedRegion: true`, `ALLOW_UNLISTED_REGION=true`. */
  readonly assignment: (key: K, value: unknown) => string;
  /** Whether the input was set, rather than left to its default. */
  readonly isSet: (key: K) => boolean;
}

/** One rule: the input a problem is reported at, and the check, which throws a ValidationError. */
export interface SettingRule<V, K extends string> {
  /** The input the problem is reported at (its `file:line:col` in a clusters file). */
  readonly at: K;
  /** Throws a ValidationError naming the inputs through `names`. */
  readonly check: (values: V, names: InputNames<K>) => void;
}

/** A problem a rule found, at the input it is reported at. */
export interface RuleProblem<K extends string> {
  readonly at: K;
  readonly message: string;
}

/** Every rule's problem, in the rules' order: for inputs that report all problems at once. */
export function ruleProblems<V, K extends string>(
  rules: readonly SettingRule<V, K>[],
  values: V,
  names: InputNames<K>,
): RuleProblem<K>[] {
  return rules.flatMap((rule) => {
    try {
      rule.check(values, names);
      return [];
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return [{ at: rule.at, message: error.message }];
    }
  });
}

/** Runs the rules in order; the first problem is thrown. */
export function checkSettingRules<V, K extends string>(
  rules: readonly SettingRule<V, K>[],
  values: V,
  names: InputNames<K>,
): void {
  for (const rule of rules) rule.check(values, names);
}

/** The names of a construct's props: the prop itself, `prop: value` as TypeScript writes it. */
export function propInputNames<K extends string>(props: object): InputNames<K> {
  return {
    name: (key) => key,
    assignment: (key, value) => `${key}: ${showValue(value)}`,
    isSet: (key) => (props as Record<string, unknown>)[key] !== undefined,
  };
}

/** Whether a region newer than the library's lists is accepted when unset. */
export const DEFAULT_ALLOW_UNLISTED_REGION = false;

/** The inputs of the region rule. */
export interface RegionValues {
  readonly region: string;
  readonly allowUnlistedRegion: boolean;
}

/** A region AWS has and EKS runs Fargate pods in, unless `allowUnlistedRegion` is set. */
export const LISTED_REGION_RULE: SettingRule<RegionValues, 'region' | 'allowUnlistedRegion'> = {
  at: 'region',
  check: (v, n) => {
    validateListedRegion(n.name('region'), v.region, v.allowUnlistedRegion, n.assignment('allowUnlistedRegion', true));
  },
};
