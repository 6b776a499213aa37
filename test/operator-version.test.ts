import { Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { FargateContainerInsightsOperatorCollector } from '../src/collector/fargate-container-insights-operator-collector';
import { OPERATOR_SPEC_FIELDS, OPERATOR_V1BETA1_MINIMUM, OperatorVersion } from '../src/collector/operator-version';
import { ValidationError } from '../src/core/errors';
import { COLLECTOR_PROPS } from './support/fixtures';

const PROPS = COLLECTOR_PROPS;

describe('OperatorVersion', () => {
  test('the table: what each release added to the CRD, as read in the CRDs', () => {
    expect(OPERATOR_SPEC_FIELDS).toStrictEqual([
      { field: 'livenessProbe', since: 'v0.99.0' },
      { field: 'podDisruptionBudget', since: 'v0.99.0' },
      { field: 'upgradeStrategy', since: 'v0.99.0' },
      { field: 'readinessProbe', since: 'v0.102.0' },
      { field: 'startupProbe', since: 'v0.137.0' },
    ]);
    expect(OPERATOR_V1BETA1_MINIMUM).toBe('v0.99.0');
  });

  test.each<[string, Record<string, boolean>]>([
    ['v0.99.0', { livenessProbe: true, readinessProbe: false, startupProbe: false }],
    ['v0.101.9', { readinessProbe: false, startupProbe: false }],
    ['v0.102.0', { readinessProbe: true, startupProbe: false }],
    ['v0.136.0', { readinessProbe: true, startupProbe: false }],
    ['v0.137.0', { readinessProbe: true, startupProbe: true }],
    ['v1.0.0', { readinessProbe: true, startupProbe: true }],
  ])('%s accepts %j', (tag, fields) => {
    const version = OperatorVersion.of(tag);
    for (const [field, accepted] of Object.entries(fields)) {
      expect(version.accepts(field), field).toBe(accepted);
    }
  });

  test('the default is the ADOT EKS add-on operator, which accepts every field we set', () => {
    expect(OperatorVersion.DEFAULT.tag).toBe('v0.156.0');
    for (const { field } of OPERATOR_SPEC_FIELDS) expect(OperatorVersion.DEFAULT.accepts(field)).toBe(true);
  });

  test.each([
    [
      'v0.98.1',
      'Invalid operatorVersion "v0.98.1": expected an OpenTelemetry Operator release from v0.99.0, the first to reconcile opentelemetry.io/v1beta1.',
    ],
    [
      '0.102.0',
      'Invalid operatorVersion "0.102.0": expected an OpenTelemetry Operator release tag such as "v0.102.0", v0.99.0 or later.',
    ],
    ['latest', 'Invalid operatorVersion "latest"'],
    ['v0.102', 'Invalid operatorVersion "v0.102"'],
    ['v0.102.0-rc1', 'Invalid operatorVersion "v0.102.0-rc1"'],
  ])('rejects %s by name', (tag, message) => {
    expect(() => OperatorVersion.of(tag)).toThrow(ValidationError);
    expect(() => OperatorVersion.of(tag)).toThrow(message);
  });
});

describe('the custom resource follows the operator release', () => {
  const spec = (tag?: string) =>
    new FargateContainerInsightsOperatorCollector(Testing.chart(), 'C', {
      ...PROPS,
      ...(tag === undefined ? {} : { operatorVersion: OperatorVersion.of(tag) }),
    })._spec;

  test('by default, every probe', () => {
    expect(Object.keys(spec())).toEqual(expect.arrayContaining(['startupProbe', 'readinessProbe', 'livenessProbe']));
  });

  test('v0.99.0: liveness only; v0.102.0: readiness too; v0.137.0: the startup probe too', () => {
    const probes = (tag: string) => Object.keys(spec(tag)).filter((key) => key.endsWith('Probe'));
    expect(probes('v0.99.0')).toStrictEqual(['livenessProbe']);
    expect(probes('v0.102.0')).toStrictEqual(['readinessProbe', 'livenessProbe']);
    expect(probes('v0.137.0')).toStrictEqual(['startupProbe', 'readinessProbe', 'livenessProbe']);
  });

  test('everything else is the same whatever the release', () => {
    const { startupProbe, readinessProbe, ...rest } = spec('v0.158.0');
    expect(startupProbe).toBeDefined();
    expect(readinessProbe).toBeDefined();
    expect(spec('v0.99.0')).toStrictEqual(rest);
  });
});
