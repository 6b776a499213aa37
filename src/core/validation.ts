import { type Duration, type Size, SizeRoundingBehavior } from 'cdk8s';
import type { ContainerResources } from 'cdk8s-plus-29';
import { AWS_PARTITION_REGIONS } from './aws-regions';
import { nearestName } from './edit-distance';
import { invalidInput as fail, showValue, ValidationError } from './errors';
import { UNICODE_15_LETTERS_SEPARATORS_NUMBERS } from './tag-characters';

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
  if (!matches(CLUSTER_NAME, value)) {
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
  if (!matches(REGION, value)) {
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
  const name = typeof value === 'string' ? /:role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]*)$/.exec(value)?.[1] : undefined;
  if (name !== undefined && name.length > 64) {
    fail(input, value, `a role name of at most 64 characters (IAM's limit; this one has ${name.length})`);
  }
  if (!matches(ROLE_ARN, value) || value.length > 2048) {
    fail(
      input,
      value,
      'an IAM role ARN "arn:<partition>:iam::<12-digit account id>:role/[<path>/]<name>" with partition aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f or aws-eusc',
    );
  }
  return value;
}

/**
 * Checks that a prop meant to be an instance of a class (`AdotVersion`,
 * `MetricSelection`, ...) is one, or unset: JavaScript callers may pass a
 * string or a plain object.
 *
 * @throws ValidationError naming the prop, the value and the accepted form
 */
export function validateInstance<T>(
  input: string,
  value: T | undefined,
  type: { readonly prototype: T },
  accepted: string,
): void {
  if (value !== undefined && !Object.prototype.isPrototypeOf.call(type.prototype, value as object))
    fail(input, value, accepted);
}

/** Checks that a construct's props are an object (JavaScript callers may pass anything). */
export function validateProps<T>(input: string, value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(input, value, 'an object of props');
  }
  return value;
}

/** Checks a boolean prop: JavaScript callers may pass `"false"`, which is truthy. */
export function validateBoolean(input: string, value: boolean): boolean {
  if (typeof value !== 'boolean') fail(input, value, 'true or false');
  return value;
}

/**
 * Checks a list of strings: an array (not a single string, which would be
 * read one character at a time) whose every item is a string.
 */
export function validateStringList(input: string, value: readonly string[], accepted: string): readonly string[] {
  if (!Array.isArray(value)) fail(input, value, accepted);
  value.forEach((item, i) => {
    if (typeof item !== 'string') fail(`${input}[${i}]`, item, 'a string');
  });
  return value;
}

/** The partition of each family of regions; every other region is in `aws`. */
const REGION_PARTITIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^cn-/, 'aws-cn'],
  [/^us-gov-/, 'aws-us-gov'],
  [/^us-iso-/, 'aws-iso'],
  [/^us-isob-/, 'aws-iso-b'],
  [/^(us-isof|eu-isof)-/, 'aws-iso-f'],
  [/^eu-isoe-/, 'aws-iso-e'],
  [/^eusc-/, 'aws-eusc'],
];

/** The partition a region is in: `aws-cn` for `cn-north-1`, `aws` for `eu-west-1`. */
export function partitionOf(region: string): string {
  return REGION_PARTITIONS.find(([prefix]) => prefix.test(region))?.[1] ?? 'aws';
}

/** Every region the generated table lists. */
const LISTED_REGIONS: readonly string[] = Object.values(AWS_PARTITION_REGIONS).flat();

/**
 * The regions where Amazon EKS runs no pods on AWS Fargate. The EKS user
 * guide's "AWS Fargate considerations": Fargate with EKS "is available in
 * all Amazon EKS Regions except China (Beijing), China (Ningxia), AWS
 * GovCloud (US-East), and AWS GovCloud (US-West)"; the GovCloud user guide's
 * EKS page agrees ("Amazon EKS on Fargate isn't available").
 */
export const NO_EKS_FARGATE_REGIONS: readonly string[] = [
  'cn-north-1',
  'cn-northwest-1',
  'us-gov-east-1',
  'us-gov-west-1',
];

/**
 * Checks that a region is one a Fargate cluster can be in: a region code,
 * listed in its partition's regions (src/core/aws-regions.ts, from the AWS
 * SDK's partitions data), and not one where EKS runs no pods on Fargate
 * ({@link NO_EKS_FARGATE_REGIONS}). A typo such as `eu-centrall-1` gets the
 * nearest listed region as a suggestion.
 *
 * @param allowUnlisted accept any well-formed region: one newer than the list, or one where EKS on Fargate has come since
 * @param optOut how the reader accepts such a region (`allowUnlistedRegion: true`, `ALLOW_UNLISTED_REGION=true`), for the message
 */
export function validateListedRegion(input: string, value: string, allowUnlisted: boolean, optOut: string): string {
  validateRegion(input, value);
  if (allowUnlisted) return value;
  if (NO_EKS_FARGATE_REGIONS.includes(value)) {
    throw new ValidationError(
      `Invalid ${input} ${showValue(value)}: Amazon EKS runs no pods on AWS Fargate in ${value} (the EKS user guide: every EKS region but ${NO_EKS_FARGATE_REGIONS.join(', ')}), so there would be no Fargate node to collect from and no Fargate profile to create. Expected the region of an EKS cluster with Fargate; if EKS on Fargate has come to ${value} since, set ${optOut}.`,
    );
  }
  if (LISTED_REGIONS.includes(value)) return value;
  const nearest = nearestName(value, LISTED_REGIONS);
  const guess = nearest === undefined ? '.' : `; did you mean ${JSON.stringify(nearest)}?`;
  const examples = (AWS_PARTITION_REGIONS[partitionOf(value)] ?? []).slice(0, 3).join(', ');
  throw new ValidationError(
    `Invalid ${input} ${showValue(value)}: expected a region AWS has in partition ${partitionOf(value)}, such as ${examples}${guess} For a region newer than this library's list, set ${optOut}.`,
  );
}

/**
 * Checks that an IAM role ARN is in the partition of the region the
 * collector runs in: a role of `aws` cannot be assumed in `cn-north-1`, and
 * the prerequisites would name ARNs no partition has (`arn:aws:logs:cn-north-1:...`).
 *
 * @param input the prop or variable of the ARN, for the message
 * @param regionInput the prop or variable of the region
 */
export function validateRolePartition(input: string, arn: string, regionInput: string, region: string): string {
  const partition = partitionOf(region);
  if (!arn.startsWith(`arn:${partition}:`)) {
    fail(
      input,
      arn,
      `an IAM role ARN in ${regionInput} ${JSON.stringify(region)}'s partition, "arn:${partition}:iam::<account id>:role/<name>"`,
    );
  }
  return arn;
}

// RFC 1123 label, as Kubernetes requires for namespace names.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Checks a Kubernetes DNS-1123 label (namespace names). */
export function validateDnsLabel(input: string, value: string): string {
  if (!matches(DNS_LABEL, value)) {
    fail(
      input,
      value,
      'a DNS-1123 label: 1 to 63 lowercase letters, digits or hyphens (-), starting and ending with a letter or digit',
    );
  }
  return value;
}

/** Whether `value` is a string that `regex` matches: JavaScript callers may pass anything. */
function matches(regex: RegExp, value: unknown): value is string {
  return typeof value === 'string' && regex.test(value);
}

/** Checks a whole number within bounds (replicas, limits): a finite number, not a numeric string. */
export function validateInteger(input: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
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
  if (!matches(IMAGE, value)) {
    fail(input, value, 'a container image reference "[registry/]repository[:tag][@sha256:<digest>]"');
  }
  return value;
}

/**
 * The longest duration accepted: a day. Every duration the library writes is
 * a scrape interval or timeout; Go's `time.Duration` (the collector) holds at
 * most about 292 years, and a day keeps every rendering far from that.
 */
const MAX_DURATION_MS = 86_400_000;

/**
 * Checks that a cdk8s `Duration` is a whole number of milliseconds from 1 to
 * {@link MAX_DURATION_MS} (1.5 s is fine, 1.5 ms is not), and returns it in
 * milliseconds.
 */
export function validateDuration(input: string, value: Duration): number {
  const accepted = 'a duration of whole milliseconds from 1 ms to 24 hours, such as Duration.seconds(40)';
  if (!isDuration(value)) fail(input, value, accepted);
  const ms = attempt(() => value.toMilliseconds({ integral: false }));
  if (!(Number.isInteger(ms) && ms >= 1 && ms <= MAX_DURATION_MS)) {
    throw new ValidationError(`Invalid ${input} ${showDuration(ms)}: expected ${accepted}.`);
  }
  return ms;
}

/** A duration in milliseconds for a message: `1500ms`, `NaNms`, `Infinityms`. */
function showDuration(ms: number): string {
  return `"${showValue(ms)}ms"`;
}

/** Whether a JavaScript caller passed something with the `Duration` methods this library calls. */
function isDuration(value: unknown): value is Duration {
  return typeof (value as Duration | null)?.toMilliseconds === 'function';
}

/** Runs a cdk8s unit conversion, which may throw; NaN then. */
function attempt(convert: () => number): number {
  try {
    const result = convert();
    return typeof result === 'number' ? result : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Parses a Kubernetes CPU quantity ("1", "0.5", "250m") into millicores, or NaN. */
export function cpuMillis(amount: string): number {
  const match = typeof amount === 'string' ? /^(\d+(?:\.\d+)?)(m?)$/.exec(amount) : null;
  if (!match) return Number.NaN;
  return match[2] === 'm' ? Number(match[1]) : Number(match[1]) * 1000;
}

/** Fargate's largest pod, which bounds any container's CPU: 16 vCPU. */
const MAX_CPU_MILLIS = 16_000;
/** Fargate's largest pod, which bounds any container's memory: 120 GB. */
const MAX_MEMORY_MIB = 122_880;

const CPU_FORM = `a CPU quantity of whole millicores from 1m to ${MAX_CPU_MILLIS / 1000} vCPU (Fargate's largest pod), such as Cpu.units(1) or Cpu.millis(250)`;
const MEMORY_FORM = `a whole number of mebibytes from 1 to ${MAX_MEMORY_MIB} (120 GiB, Fargate's largest pod), such as Size.mebibytes(512)`;

/** A CPU quantity's millicores, or NaN for anything else. */
function cpuOf(quantity: unknown): number {
  const millis = cpuMillis((quantity as { amount?: string } | null)?.amount as string);
  return Number.isInteger(millis) && millis >= 1 && millis <= MAX_CPU_MILLIS ? millis : Number.NaN;
}

/** A `Size`'s mebibytes, unrounded, or NaN for anything else; never throws. */
function mebibytesOf(size: Size): number {
  if (typeof (size as Size | null)?.toMebibytes !== 'function') return Number.NaN;
  return attempt(() => size.toMebibytes({ rounding: SizeRoundingBehavior.NONE }));
}

/** A memory quantity's whole mebibytes, or NaN for anything else. */
function memoryOf(quantity: unknown): number {
  const mib = mebibytesOf(quantity as Size);
  return Number.isInteger(mib) && mib >= 1 && mib <= MAX_MEMORY_MIB ? mib : Number.NaN;
}

/** A CPU or memory quantity as a message shows it: `"250m"`, `"102.4Mi"`, `"NaNMi"`. */
function showQuantity(kind: 'cpu' | 'memory', quantity: unknown): string {
  if (kind === 'cpu') {
    const amount = (quantity as { amount?: unknown } | null)?.amount;
    return typeof amount === 'string' ? JSON.stringify(amount) : showValue(quantity);
  }
  const mib = mebibytesOf(quantity as Size);
  return Number.isNaN(mib) && typeof (quantity as Size | null)?.toMebibytes !== 'function'
    ? showValue(quantity)
    : `"${showValue(mib)}Mi"`;
}

/** Checks a request/limit pair: each a valid quantity, the request no larger than the limit. */
function validateRequestAndLimit(input: string, kind: 'cpu' | 'memory', pair: unknown): void {
  if (pair === undefined) return;
  if (typeof pair !== 'object' || pair === null) fail(`${input}.${kind}`, pair, `{ request, limit } of ${kind}`);
  const amount = kind === 'cpu' ? cpuOf : memoryOf;
  const accepted = kind === 'cpu' ? CPU_FORM : MEMORY_FORM;
  const values = pair as { readonly request?: unknown; readonly limit?: unknown };
  for (const which of ['request', 'limit'] as const) {
    const quantity = values[which];
    if (quantity !== undefined && Number.isNaN(amount(quantity))) {
      throw new ValidationError(
        `Invalid ${input}.${kind}.${which} ${showQuantity(kind, quantity)}: expected ${accepted}.`,
      );
    }
  }
  if (values.request !== undefined && values.limit !== undefined && amount(values.request) > amount(values.limit)) {
    throw new ValidationError(
      `Invalid ${input}.${kind}.request ${showQuantity(kind, values.request)}: expected at most the ${kind === 'cpu' ? 'CPU' : 'memory'} limit (${showQuantity(kind, values.limit).replaceAll('"', '')}).`,
    );
  }
}

/**
 * Checks container resources: CPU in whole millicores and memory in whole
 * mebibytes, each positive and no more than Fargate's largest pod; no request
 * above its limit; and a memory limit (the Pod Security Standard "restricted"
 * expects one, and the collector's memory_limiter is sized from it).
 */
export function validateResources(input: string, value: ContainerResources): ContainerResources {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(input, value, 'container resources such as { cpu: { request, limit }, memory: { request, limit } }');
  }
  validateRequestAndLimit(input, 'cpu', value.cpu);
  validateRequestAndLimit(input, 'memory', value.memory);
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
  const days =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(EMF_LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    fail(input, value, `0 (never expire) or one of ${EMF_LOG_RETENTION_DAYS.slice(1).join(', ')} days`);
  }
  return days;
}

// CloudWatch Logs tag keys and values (CreateLogGroup, TagResource): letters,
// spaces, digits and _ . : / = + - @. The exporter checks the same patterns
// with Go's Unicode 15.0.0 tables (see tag-characters.ts).
const TAG_TEXT = new RegExp(`^[${UNICODE_15_LETTERS_SEPARATORS_NUMBERS}_.:/=+\\-@]+$`, 'u');

/**
 * Keys a plain JavaScript object cannot hold as data everywhere: `__proto__`
 * is dropped or changes the prototype, and the names of `Object.prototype`'s
 * members (`constructor`, `toString`, ...) shadow them, which breaks the
 * serializers the manifests go through.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'prototype',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/**
 * Checks the tags of a log group, by CloudWatch Logs' rules and the awsemf
 * exporter's (`ValidateTagsInput`): 1 to 50 tags; keys of 1 to 128 and values
 * of 1 to 256 bytes (the exporter counts bytes) of Unicode 15.0.0 letters,
 * spaces and digits or `_ . : / = + - @`; no key starting with `aws:`, which
 * AWS reserves; no key holding `::`, which the collector reads as a path
 * separator in its configuration; no key named after a member of
 * `Object.prototype` (`constructor`, `__proto__`). Returns them sorted by
 * key, so the output does not depend on the order they were written in.
 */
export function validateLogGroupTags(
  input: string,
  value: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  const form =
    '1 to 50 tags, keys of 1 to 128 and values of 1 to 256 bytes of letters, spaces, digits or "_ . : / = + - @" (Unicode 15.0), no key starting with "aws:", holding "::" or named after an Object.prototype member such as "constructor"';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(input, value, `a mapping of ${form}`);
  const entries = Object.entries(value);
  if (entries.length === 0) fail(input, value, `${form}; leave it unset for no tags`);
  if (entries.length > 50) fail(input, `${entries.length} tags`, form);
  for (const [key, tag] of entries) {
    const bytes = Buffer.byteLength(key);
    if (
      bytes < 1 ||
      bytes > 128 ||
      !TAG_TEXT.test(key) ||
      key.toLowerCase().startsWith('aws:') ||
      key.includes('::') ||
      PROTOTYPE_KEYS.has(key)
    ) {
      fail(`${input} key`, key, form);
    }
    const size = typeof tag === 'string' ? Buffer.byteLength(tag) : 0;
    if (typeof tag !== 'string' || size < 1 || size > 256 || !TAG_TEXT.test(tag)) {
      fail(`${input}.${key}`, tag, form);
    }
  }
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** CloudWatch accepts at most 30 dimensions on a metric. */
export const MAX_DIMENSIONS = 30;

/** The values that occur more than once, each once, in order of their second occurrence. */
export function duplicatesOf(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, i) => values.indexOf(value) !== i))];
}
