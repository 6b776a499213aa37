import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-29';
import { describe, expect, test } from 'vitest';
import { AWS_PARTITION_REGIONS } from '../src/core/aws-regions';
import { ValidationError } from '../src/core/errors';
import {
  NO_EKS_FARGATE_REGIONS,
  partitionOf,
  validateClusterName,
  validateDnsLabel,
  validateDuration,
  validateImage,
  validateInteger,
  validateListedRegion,
  validateLogGroupTags,
  validateRegion,
  validateResources,
  validateRoleArn,
} from '../src/core/validation';
import { renderRegionTable } from '../tools/aws-regions';
import { TAG_CHARACTERS_FILE, tagCharactersSource } from '../tools/tag-characters';

describe('validateClusterName', () => {
  test.each(['demo', 'prod-eu_1', 'A', '9lives', 'a'.repeat(100)])('accepts %j', (name) => {
    expect(validateClusterName('clusterName', name)).toBe(name);
  });
  test.each(['', 'bad name', '-leading', '_leading', 'dots.not.allowed', 'a'.repeat(101), 'ünïcode'])(
    'rejects %j',
    (name) => {
      expect(() => validateClusterName('clusterName', name)).toThrow(ValidationError);
      expect(() => validateClusterName('clusterName', name)).toThrow(
        `Invalid clusterName ${JSON.stringify(name)}: expected an EKS cluster name: 1 to 100 characters`,
      );
    },
  );
});

describe('validateRegion', () => {
  test.each([
    'us-east-1',
    'eu-central-2',
    'ap-southeast-5',
    'cn-north-1',
    'us-gov-west-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'eusc-de-east-1',
    'ca-west-1',
    'il-central-1',
  ])('accepts %j', (region) => {
    expect(validateRegion('region', region)).toBe(region);
  });
  test.each(['', 'us-east', 'US-EAST-1', 'us-east-1a', 'useast1', 'us_east_1', ' us-east-1', 'us-east-123'])(
    'rejects %j',
    (region) => {
      expect(() => validateRegion('region', region)).toThrow(
        `Invalid region ${JSON.stringify(region)}: expected an AWS region code such as "us-east-1"`,
      );
    },
  );
});

describe('validateListedRegion: the regions AWS has', () => {
  const check = (region: string, allow = false) =>
    validateListedRegion('AWS_REGION', region, allow, 'ALLOW_UNLISTED_REGION=true');

  test('src/core/aws-regions.ts is what npm run regions generates from the installed AWS SDK', () => {
    expect(readFileSync(join(__dirname, '..', 'src', 'core', 'aws-regions.ts'), 'utf8')).toBe(renderRegionTable());
  });

  test('every listed region is accepted but those without EKS on Fargate, and is in the partition its name says', () => {
    for (const [partition, regions] of Object.entries(AWS_PARTITION_REGIONS)) {
      expect(regions.length, partition).toBeGreaterThan(0);
      for (const region of regions) {
        if (NO_EKS_FARGATE_REGIONS.includes(region)) expect(() => check(region)).toThrow(ValidationError);
        else expect(check(region)).toBe(region);
        expect(check(region, true)).toBe(region);
        expect(partitionOf(region), region).toBe(partition);
      }
    }
    // Each of them is a region the list has: the refusal is for Fargate, not for a typo.
    for (const region of NO_EKS_FARGATE_REGIONS) expect(Object.values(AWS_PARTITION_REGIONS).flat()).toContain(region);
    expect(AWS_PARTITION_REGIONS.aws).toContain('eu-central-1');
    expect(AWS_PARTITION_REGIONS['aws-cn']).toStrictEqual(['cn-north-1', 'cn-northwest-1']);
  });

  test('a typo is refused by name, with the nearest region and the opt-out', () => {
    expect(() => check('eu-centrall-1')).toThrow(
      'Invalid AWS_REGION "eu-centrall-1": expected a region AWS has in partition aws, such as af-south-1, ap-east-1, ap-east-2; did you mean "eu-central-1"? For a region newer than this library\'s list, set ALLOW_UNLISTED_REGION=true.',
    );
    expect(() => check('cn-south-7')).toThrow(/partition aws-cn, such as cn-north-1, cn-northwest-1[.;]/);
  });

  test.each(['cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1'])(
    '%s, where EKS runs no pods on Fargate, is refused by name with the opt-out',
    (region) => {
      expect(() => check(region)).toThrow(
        `Invalid AWS_REGION "${region}": Amazon EKS runs no pods on AWS Fargate in ${region} (the EKS user guide: every EKS region but cn-north-1, cn-northwest-1, us-gov-east-1, us-gov-west-1), so there would be no Fargate node to collect from and no Fargate profile to create. Expected the region of an EKS cluster with Fargate; if EKS on Fargate has come to ${region} since, set ALLOW_UNLISTED_REGION=true.`,
      );
    },
  );

  test('a region newer than the list passes with the opt-out, if it is a region code', () => {
    expect(check('ap-moon-1', true)).toBe('ap-moon-1');
    expect(() => check('ap-moon-1')).toThrow(/set ALLOW_UNLISTED_REGION=true\.$/);
    expect(() => check('moon', true)).toThrow('expected an AWS region code');
  });
});

describe('validateRoleArn', () => {
  test.each([
    'arn:aws:iam::123456789012:role/adot-collector',
    'arn:aws:iam::123456789012:role/platform/observability/adot-collector',
    'arn:aws-cn:iam::123456789012:role/adot',
    'arn:aws-us-gov:iam::123456789012:role/adot',
    'arn:aws-iso-b:iam::123456789012:role/adot',
    'arn:aws:iam::123456789012:role/name+=,.@-_',
  ])('accepts %j', (arn) => {
    expect(validateRoleArn('serviceAccountRoleArn', arn)).toBe(arn);
  });
  test.each([
    ['empty', ''],
    ['a user, not a role', 'arn:aws:iam::123456789012:user/adot'],
    ['an 11-digit account', 'arn:aws:iam::12345678901:role/adot'],
    ['a 13-digit account', 'arn:aws:iam::1234567890123:role/adot'],
    ['an unknown partition', 'arn:aws-mars:iam::123456789012:role/adot'],
    ['another service', 'arn:aws:sts::123456789012:role/adot'],
    ['a region in an IAM ARN', 'arn:aws:iam:us-east-1:123456789012:role/adot'],
    ['no role name', 'arn:aws:iam::123456789012:role/'],
    ['a space', 'arn:aws:iam::123456789012:role/my role'],
    ['a plain role name', 'adot-collector'],
  ])('rejects %s', (_, arn) => {
    expect(() => validateRoleArn('serviceAccountRoleArn', arn)).toThrow(
      `Invalid serviceAccountRoleArn ${JSON.stringify(arn)}: expected an IAM role ARN "arn:<partition>:iam::<12-digit account id>:role/[<path>/]<name>"`,
    );
  });
});

test("a role name over 64 characters is refused naming IAM's limit", () => {
  const arn = `arn:aws:iam::123456789012:role/path/${'r'.repeat(65)}`;
  expect(() => validateRoleArn('serviceAccountRoleArn', arn)).toThrow(
    `Invalid serviceAccountRoleArn ${JSON.stringify(arn)}: expected a role name of at most 64 characters (IAM's limit; this one has 65).`,
  );
});

describe('validateDnsLabel', () => {
  test.each(['golang', 'fargate-container-insights', 'a', 'a1', 'x'.repeat(63)])('accepts %j', (label) => {
    expect(validateDnsLabel('namespace', label)).toBe(label);
  });
  test.each(['', 'Golang', 'with_underscore', '-start', 'end-', 'has.dot', 'x'.repeat(64)])('rejects %j', (label) => {
    expect(() => validateDnsLabel('namespace', label)).toThrow(
      `Invalid namespace ${JSON.stringify(label)}: expected a DNS-1123 label`,
    );
  });
});

describe('validateDuration', () => {
  test('accepts positive whole milliseconds', () => {
    expect(validateDuration('scrapeInterval', Duration.seconds(30))).toBe(30_000);
  });
  test.each([
    ['zero', Duration.seconds(0)],
    ['a fraction of a millisecond', Duration.millis(0.5)],
  ])('rejects %s', (_, duration) => {
    expect(() => validateDuration('scrapeInterval', duration)).toThrow(
      /^Invalid scrapeInterval "(0|0.5)ms": expected a duration of whole milliseconds from 1 ms to 24 hours/,
    );
  });
});

describe('validateResources', () => {
  test('accepts requests at or below limits', () => {
    const resources = {
      cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
      memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) },
    };
    expect(validateResources('resources', resources)).toBe(resources);
  });
  test.each([
    [
      'a negative CPU',
      { cpu: { request: Cpu.units(-1) } },
      /Invalid resources.cpu.request "-1": expected a CPU quantity of whole millicores from 1m to 16 vCPU/,
    ],
    [
      'zero CPU',
      { cpu: { limit: Cpu.millis(0) } },
      /Invalid resources.cpu.limit "0m": expected a CPU quantity of whole millicores/,
    ],
    [
      'a CPU request above the limit',
      { cpu: { request: Cpu.units(2), limit: Cpu.units(1) } },
      /Invalid resources.cpu.request "2": expected at most the CPU limit \(1\)/,
    ],
    [
      'zero memory',
      { memory: { request: Size.mebibytes(0) } },
      /Invalid resources.memory.request "0Mi": expected a whole number of mebibytes from 1 to 122880/,
    ],
    ['a fraction of a mebibyte', { memory: { limit: Size.kibibytes(1536) } }, /Invalid resources.memory.limit "1.5Mi"/],
    [
      'a memory request above the limit',
      { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } },
      /Invalid resources.memory.request "2048Mi": expected at most the memory limit \(1024Mi\)/,
    ],
    [
      'no memory limit',
      { cpu: { request: Cpu.units(1), limit: Cpu.units(1) }, memory: { request: Size.mebibytes(512) } },
      /Invalid resources.memory.limit \(not set\): expected a memory limit such as Size.mebibytes\(512\)/,
    ],
  ])('rejects %s', (_, resources, message) => {
    expect(() => validateResources('resources', resources)).toThrow(message);
  });
});

describe('validateInteger and validateImage', () => {
  test.each([-1, 1.5, Number.NaN, 1001])('replicas rejects %s', (n) => {
    expect(() => validateInteger('replicas', n, 0, 1000)).toThrow('expected a whole number from 0 to 1000');
  });
  test.each([
    'public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0',
    `registry.example.com:5000/mirror/adot@sha256:${'a'.repeat(64)}`,
    'busybox',
  ])('image accepts %j', (image) => {
    expect(validateImage('image', image)).toBe(image);
  });
  test.each(['', 'UPPER/case', 'repo:', 'repo:tag with space', 'repo@sha256:short'])('image rejects %j', (image) => {
    expect(() => validateImage('image', image)).toThrow(
      `Invalid image ${JSON.stringify(image)}: expected a container image reference`,
    );
  });
});

describe('the tag characters', () => {
  test('src/core/tag-characters.ts is what npm run tag-characters generates from the Unicode 15.0.0 data', async () => {
    expect(readFileSync(TAG_CHARACTERS_FILE, 'utf8')).toBe(await tagCharactersSource());
  });

  test.each([
    ['a Latin letter with an accent', 'équipe', true],
    ['CJK of Unicode 15.0 (extension H)', '\u{31350}', true],
    ['CJK extension I, new in Unicode 15.1', '\u{2EBF0}', false],
    ['an emoji', '\u{1F600}', false],
  ])('%s: accepted %s', (_, value, accepted) => {
    const check = () => validateLogGroupTags('performanceLogGroupTags', { team: value });
    if (accepted) expect(check).not.toThrow();
    else expect(check).toThrow(ValidationError);
  });
});
