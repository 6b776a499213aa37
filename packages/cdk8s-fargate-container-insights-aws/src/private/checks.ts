import { type Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { type CollectorPrerequisites, ValidationError } from 'cdk8s-fargate-container-insights';

/**
 * The companion's checks: what CloudFormation, CloudWatch Logs and EKS would
 * refuse at deploy time, and what would contradict the collector, refused by
 * name before any resource is created.
 */

/** The stack's region and account, when known, must be the collector's. */
export function checkEnvironment(stack: Stack, prerequisites: CollectorPrerequisites): void {
  if (!Token.isUnresolved(stack.region) && stack.region !== prerequisites.region) {
    throw new ValidationError(
      `Invalid stack region "${stack.region}": the collector's cluster ${prerequisites.clusterName} is in ${prerequisites.region}; deploy this stack to ${prerequisites.region}.`,
    );
  }
  if (!Token.isUnresolved(stack.account) && stack.account !== prerequisites.account) {
    throw new ValidationError(
      `Invalid stack account "${stack.account}": the collector's role arn:${prerequisites.partition}:iam::${prerequisites.account}:role${prerequisites.collectorRolePath}${prerequisites.collectorRoleName} is in account ${prerequisites.account}.`,
    );
  }
}

/** The cluster, when named, must be the collector's. */
export function checkClusterName(name: string, prerequisites: CollectorPrerequisites): void {
  if (!Token.isUnresolved(name) && name !== prerequisites.clusterName) {
    throw new ValidationError(
      `Invalid cluster "${name}": the collector is for cluster "${prerequisites.clusterName}"; give that cluster, or build the collector with clusterName "${name}".`,
    );
  }
}

/** The retention periods CloudWatch Logs offers, in days (`logs.RetentionDays`; 9999 is "never expire"). */
const RETENTION_DAYS: readonly number[] = Object.values(logs.RetentionDays).filter(
  (value): value is number => typeof value === 'number',
);

/** A retention CloudWatch Logs offers, or our error naming the prop before aws-cdk-lib sees it. */
export function checkRetention(input: string, days: number): logs.RetentionDays {
  if (!RETENTION_DAYS.includes(days)) {
    throw new ValidationError(
      `Invalid ${input} ${JSON.stringify(days)}: expected a retention CloudWatch Logs offers, a logs.RetentionDays value (${RETENTION_DAYS.filter((d) => d !== logs.RetentionDays.INFINITE).join(', ')} days, or INFINITE).`,
    );
  }
  return days as logs.RetentionDays;
}

/** An EKS add-on version, as `aws eks describe-addon-versions` lists them: `v0.109.0-eksbuild.2`. */
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

export function checkAddonVersion(input: string, version: string): void {
  if (Token.isUnresolved(version) || ADDON_VERSION.test(version)) return;
  throw new ValidationError(
    `Invalid ${input} ${JSON.stringify(version)}: expected an EKS add-on version "vMAJOR.MINOR.PATCH-eksbuild.N" (aws eks describe-addon-versions --addon-name adot), or no addonVersion for EKS's default.`,
  );
}

/** The characters CloudWatch Logs accepts in tag keys and values: letters, digits, spaces and _ . : / = + - @. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * A log group's tags as CloudWatch Logs accepts them (TagResource): at most
 * 50, keys of 1 to 128 characters not starting with `aws:`, values of at
 * most 256, each of the characters it allows.
 */
export function checkLogGroupTags(input: string, tags: Readonly<Record<string, string>>, logGroupName: string): void {
  const keys = Object.keys(tags);
  const allowed = 'letters, digits, spaces and _ . : / = + - @';
  const problem =
    keys.length > 50
      ? `${keys.length} tags on ${logGroupName} (the collector's included); a log group takes at most 50`
      : keys
          .map((key) => {
            const value = tags[key] ?? '';
            const shown = JSON.stringify(key);
            if (Token.isUnresolved(key) || Token.isUnresolved(value)) return undefined;
            if (key.length < 1 || key.length > 128)
              return `key ${shown} has ${key.length} characters; expected 1 to 128`;
            if (key.toLowerCase().startsWith('aws:')) return `key ${shown} starts with aws:, which is reserved for AWS`;
            if (!TAG_TEXT.test(key)) return `key ${shown} has characters other than ${allowed}`;
            if (value.length > 256) return `the value of ${shown} has ${value.length} characters; expected at most 256`;
            if (!TAG_TEXT.test(value)) return `the value of ${shown} has characters other than ${allowed}`;
            return undefined;
          })
          .find((found) => found !== undefined);
  if (problem !== undefined) throw new ValidationError(`Invalid ${input}: ${problem}.`);
}

/** CloudWatch Logs' retention for a number of days; 0 keeps the events forever. */
export function retentionOf(days: number): logs.RetentionDays {
  return days === 0 ? logs.RetentionDays.INFINITE : checkRetention("the prerequisites' log group retention", days);
}

/** Add-on configuration values must be a JSON object. */
export function configurationValues(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(
      `Invalid addonConfigurationValues ${JSON.stringify(text)}: expected a JSON object of the ADOT add-on's configuration schema (aws eks describe-addon-configuration --addon-name adot).`,
    );
  }
  return JSON.stringify(value);
}
