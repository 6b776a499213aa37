import type { Duration } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-29';
import { invalidInput as fail, ValidationError } from './errors';

/**
 * One validator per kind of value. Each takes the name of the input it checks
 * (a prop such as `clusterName`, or an environment variable such as
 * `CLUSTER_NAME`) so the error tells the user exactly what to fix.
 */

// EKS CreateCluster: 1-100 characters, starts with an alphanumeric character,
// then alphanumerics, hyphens and underscores.
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/** Checks an EKS cluster name. */
export function validateClusterName(input: string, value: string): string {
  if (!CLUSTER_NAME.test(value)) {
    fail(
      input,
      value,
      'an EKS cluster name: 1 to 100 characters, starting with a letter or digit, then letters, digits, hyphens (-) and underscores (_)',
    );
  }
  return value;
}

// Commercial, China, GovCloud, ISO and European Sovereign Cloud regions, e.g.
// us-east-1, cn-north-1, us-gov-west-1, us-iso-east-1, us-isob-east-1, eusc-de-east-1.
const REGION = /^[a-z]{2,4}(-[a-z]+){1,2}-\d{1,2}$/;

/** Checks an AWS region code. */
export function validateRegion(input: string, value: string): string {
  if (!REGION.test(value)) {
    fail(input, value, 'an AWS region code such as "us-east-1", "eu-central-1", "cn-north-1" or "us-gov-west-1"');
  }
  return value;
}

// IAM role ARN in any partition: arn:<partition>:iam::<12-digit account>:role/<optional path/>name.
// Role names: 1-64 of [\w+=,.@-]; paths: "/" or "/segment/.../" of the same characters.
const ROLE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

/** Checks an IAM role ARN, as used by IRSA's `eks.amazonaws.com/role-arn` annotation. */
export function validateRoleArn(input: string, value: string): string {
  const match = ROLE_ARN.exec(value);
  if (!match || value.length > 2048) {
    fail(
      input,
      value,
      'an IAM role ARN "arn:<partition>:iam::<12-digit account id>:role/[<path>/]<name>" with partition aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f or aws-eusc',
    );
  }
  return value;
}

// RFC 1123 label, as Kubernetes requires for namespace names.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Checks a Kubernetes DNS-1123 label (namespace names). */
export function validateDnsLabel(input: string, value: string): string {
  if (!DNS_LABEL.test(value)) {
    fail(
      input,
      value,
      'a DNS-1123 label: 1 to 63 lowercase letters, digits or hyphens (-), starting and ending with a letter or digit',
    );
  }
  return value;
}

/** Checks a whole number within bounds (replicas, limits). */
export function validateInteger(input: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(input, value, `a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * The regular expressions of the validators above, for schemas that describe
 * the same inputs (the clusters file's JSON schema).
 */
export const PATTERNS = {
  /** An EKS cluster name. */
  clusterName: CLUSTER_NAME,
  /** An AWS region code. */
  region: REGION,
  /** An IAM role ARN, in any partition. */
  roleArn: ROLE_ARN,
  /** A DNS-1123 label (a namespace name). */
  dnsLabel: DNS_LABEL,
} as const;

// Container image reference: [registry[:port]/]path[:tag][@digest].
const IMAGE =
  /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** Checks a container image reference. */
export function validateImage(input: string, value: string): string {
  if (!IMAGE.test(value)) {
    fail(input, value, 'a container image reference "[registry/]repository[:tag][@sha256:<digest>]"');
  }
  return value;
}

/** Checks that a cdk8s `Duration` is a positive whole number of milliseconds. */
export function validateDuration(input: string, value: Duration): Duration {
  const ms = whole(() => value.toMilliseconds());
  if (!(ms > 0)) {
    fail(input, `${value.toHumanString()}`, 'a positive duration of whole milliseconds, such as Duration.seconds(40)');
  }
  return value;
}

/** Runs a cdk8s unit conversion, which throws when the result is not whole; NaN then. */
function whole(convert: () => number): number {
  try {
    return convert();
  } catch {
    return Number.NaN;
  }
}

/** Parses a Kubernetes CPU quantity ("1", "0.5", "250m") into millicores, or NaN. */
export function cpuMillis(amount: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(amount);
  if (!match) return Number.NaN;
  return match[2] === 'm' ? Number(match[1]) : Number(match[1]) * 1000;
}

/** Checks a request/limit pair: both positive, the request no larger than the limit. */
function validateRequestAndLimit<T>(
  input: string,
  what: string,
  pair: { readonly request?: T; readonly limit?: T } | undefined,
  amount: (quantity: T) => number,
  show: (quantity: T) => string,
  accepted: string,
): void {
  for (const which of ['request', 'limit'] as const) {
    const quantity = pair?.[which];
    if (quantity !== undefined && !(amount(quantity) > 0)) fail(`${input}.${which}`, show(quantity), accepted);
  }
  if (pair?.request !== undefined && pair.limit !== undefined && amount(pair.request) > amount(pair.limit)) {
    fail(`${input}.request`, show(pair.request), `at most the ${what} limit (${show(pair.limit)})`);
  }
}

/**
 * Checks container resources: positive CPU and memory quantities, no request
 * above its limit, and a memory limit (the Pod Security Standard "restricted"
 * expects one, and the collector's memory_limiter is sized from it).
 */
export function validateResources(input: string, value: ContainerResources): ContainerResources {
  validateRequestAndLimit(
    `${input}.cpu`,
    'CPU',
    value.cpu,
    (cpu) => cpuMillis(cpu.amount),
    (cpu) => cpu.amount,
    'a positive CPU quantity such as Cpu.units(1) or Cpu.millis(250)',
  );
  validateRequestAndLimit(
    `${input}.memory`,
    'memory',
    value.memory,
    (size) => whole(() => size.toMebibytes()),
    (size) => {
      const mebibytes = whole(() => size.toMebibytes());
      return Number.isNaN(mebibytes) ? `${size.toKibibytes()}Ki` : `${mebibytes}Mi`;
    },
    'a whole, positive number of mebibytes such as Size.mebibytes(512)',
  );
  if (value.memory?.limit === undefined) {
    throw new ValidationError(
      `Invalid ${input}.memory.limit (not set): expected a memory limit such as Size.mebibytes(512); on Fargate, set it equal to the request.`,
    );
  }
  return value;
}

/**
 * Log retention periods, in days, that the awsemf exporter accepts for
 * `log_retention` (`ValidateRetentionValue` in its `cwlogs` package, the same
 * list at every supported ADOT release); 0 keeps the events forever
 * ("Never expire"). CloudWatch Logs itself also takes 1096, which the
 * exporter refuses, so it is left out here.
 */
export const EMF_LOG_RETENTION_DAYS = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Checks a performance log group retention: one of
 * {@link EMF_LOG_RETENTION_DAYS}, as a number or (from an environment
 * variable) its digits.
 */
export function validateEmfLogRetention(input: string, value: number | string): number {
  const days = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(EMF_LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    fail(input, value, `0 (never expire) or one of ${EMF_LOG_RETENTION_DAYS.slice(1).join(', ')} days`);
  }
  return days;
}

// CloudWatch Logs tag keys and values (CreateLogGroup, TagResource): letters,
// spaces, digits and _ . : / = + - @. The exporter checks the same patterns.
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;

/**
 * Checks the tags of a log group, by CloudWatch Logs' rules and the awsemf
 * exporter's (`ValidateTagsInput`): at most 50; keys 1 to 128 and values 1 to
 * 256 bytes (the exporter counts bytes, so characters for ASCII) of letters,
 * spaces, digits and `_ . : / = + - @`; no key starting with `aws:`, which AWS
 * reserves. Returns them sorted by key, so the output does not depend on the
 * order they were written in.
 */
export function validateLogGroupTags(
  input: string,
  value: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  const entries = Object.entries(value);
  const form =
    'at most 50 tags, keys of 1 to 128 and values of 1 to 256 letters, spaces, digits or "_ . : / = + - @", no key starting with "aws:"';
  if (entries.length > 50) fail(input, `${entries.length} tags`, form);
  for (const [key, tag] of entries) {
    const bytes = Buffer.byteLength(key);
    if (bytes < 1 || bytes > 128 || !TAG_KEY.test(key) || key.toLowerCase().startsWith('aws:')) {
      fail(`${input} key`, key, form);
    }
    const size = typeof tag === 'string' ? Buffer.byteLength(tag) : 0;
    if (typeof tag !== 'string' || size < 1 || size > 256 || !TAG_VALUE.test(tag)) {
      fail(`${input}.${key}`, tag, form);
    }
  }
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
