import { describe, expect, test } from 'vitest';
import { AdotVersion } from '../src/config/adot-version';
import { ValidationError } from '../src/core/errors';

describe('AdotVersion', () => {
  test('the default is the newest checked release', () => {
    expect(AdotVersion.DEFAULT.tag).toBe('v0.49.0');
    expect(AdotVersion.SUPPORTED.at(-1)).toBe(AdotVersion.DEFAULT.tag);
  });

  test('v0.40.0, the reference manifest version, stays selectable', () => {
    expect(AdotVersion.of('v0.40.0').tag).toBe('v0.40.0');
    expect(AdotVersion.SUPPORTED).toContain('v0.40.0');
  });

  test('a tag without the leading v is accepted', () => {
    expect(AdotVersion.of('0.43.3').tag).toBe('v0.43.3');
  });

  test.each([
    ['v0.40.0', 'experimental_metricsgeneration'],
    ['v0.41.2', 'experimental_metricsgeneration'],
    ['v0.42.0', 'metricsgeneration'],
    ['v0.49.0', 'metricsgeneration'],
  ])('%s names the metrics generation processor %s', (tag, type) => {
    expect(AdotVersion.of(tag)._metricsGenerationProcessor).toBe(type);
  });

  test('every version before v0.42.0 uses the experimental name, every later one the stable name', () => {
    for (const tag of AdotVersion.SUPPORTED) {
      const version = AdotVersion.of(tag);
      const expected =
        version.compare(AdotVersion.V0_42_0) < 0 ? 'experimental_metricsgeneration' : 'metricsgeneration';
      expect(version._metricsGenerationProcessor, tag).toBe(expected);
    }
  });

  test('the image tag follows the version', () => {
    expect(AdotVersion.of('v0.43.1').image).toBe('public.ecr.aws/aws-observability/aws-otel-collector:v0.43.1');
  });

  test('versions are listed oldest first', () => {
    const parts = AdotVersion.SUPPORTED.map((tag) => tag.slice(1).split('.').map(Number));
    const sorted = [...parts].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    expect(parts).toStrictEqual(sorted);
  });

  test.each([
    ['latest', /is not a release tag "vMAJOR.MINOR.PATCH" \(floating tags such as "latest" are not accepted/],
    ['v0.49', /is not a release tag/],
    ['v0.49.0-rc1', /is not a release tag/],
    ['', /is not a release tag/],
    ['v0.39.3', /is not a release whose component configuration this library has checked/],
    ['v9.0.0', /is not a release whose component configuration/],
  ])('rejects %j with the supported versions', (tag, reason) => {
    expect(() => AdotVersion.of(tag)).toThrow(ValidationError);
    expect(() => AdotVersion.of(tag)).toThrow(reason);
    expect(() => AdotVersion.of(tag)).toThrow(/Supported versions: v0\.40\.0, .*v0\.49\.0\./);
    expect(() => AdotVersion.of(tag)).toThrow(`Invalid adotVersion ${JSON.stringify(tag)}`);
  });

  test('the error names the input the tag came from', () => {
    expect(() => AdotVersion.of('latest', 'ADOT_VERSION')).toThrow(/^Invalid ADOT_VERSION "latest"/);
  });
});
