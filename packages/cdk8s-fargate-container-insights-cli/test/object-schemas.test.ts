import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CRD_FIELDS_FILE, generateCrdFields } from '../../../tools/crd-fields';
import { checkObjectSchema } from '../src/cli/object-schemas';
import { OPENTELEMETRY_COLLECTOR_SPEC_TYPES } from '../src/cli/opentelemetry-collector-fields';

/**
 * What the `validate` command checks one object against: a strict API
 * server's view of its schema. Kubernetes kinds through kubernetes-models'
 * validators (every field they never read is unknown); the
 * OpenTelemetryCollector through the table generated from its CRD.
 */

const problemsOf = (object: Record<string, unknown>) => {
  const result = checkObjectSchema(object);
  if ('skipped' in result) throw new Error(`skipped: ${result.skipped}`);
  return result.problems;
};

describe('Kubernetes kinds', () => {
  test('a valid object has no problem; each unknown field is named by its path', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
        },
      },
    };
    expect(problemsOf(deployment)).toStrictEqual([]);
    const typo = structuredClone(deployment) as Record<string, any>;
    typo.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    typo.spec.replica = 2;
    expect([...problemsOf(typo)].sort()).toStrictEqual([
      'unknown field spec.replica',
      'unknown field spec.template.spec.containers[0].imagePullPolicyy',
    ]);
  });

  test('a wrong type is the schema error, at its path', () => {
    expect(
      problemsOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { key: 1 } }),
    ).toStrictEqual(['data.key must be string']);
  });

  test('maps take any key; free-form values (a CRD schema default) are not unknown fields', () => {
    expect(
      problemsOf({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com', annotations: { 'any/key': 'v' } },
        spec: {
          group: 'example.com',
          names: { kind: 'Widget', plural: 'widgets' },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: { size: { type: 'object', default: { anything: 1, goes: [2] } } },
                },
              },
            },
          ],
        },
      }),
    ).toStrictEqual([]);
  });

  test.each([
    [{ apiVersion: 'v1', kind: 'ConfigMapp' }, 'no kind "ConfigMapp" in v1; did you mean "ConfigMap"?'],
    [{ apiVersion: 'apps/v2', kind: 'Deployment' }, 'no apiVersion "apps/v2" in Kubernetes (group apps)'],
    [{ apiVersion: 'v2', kind: 'Pod' }, 'no apiVersion "v2" in Kubernetes'],
  ])('%j is not a Kubernetes object', (head, problem) => {
    expect(problemsOf({ ...head, metadata: { name: 'x' } })).toStrictEqual([problem]);
  });

  test('what it has no schema for is skipped, saying why', () => {
    expect(
      checkObjectSchema({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' } }),
    ).toStrictEqual({
      skipped: 'a custom resource it has no schema for',
    });
    expect(
      checkObjectSchema({ apiVersion: 'eksctl.io/v1alpha5', kind: 'ClusterConfig', metadata: { name: 'c' } }),
    ).toStrictEqual({ skipped: "eksctl's cluster configuration, for eksctl rather than kubectl" });
  });
});

describe('the OpenTelemetryCollector', () => {
  const collector = (spec: Record<string, unknown>) => ({
    apiVersion: 'opentelemetry.io/v1beta1',
    kind: 'OpenTelemetryCollector',
    metadata: { name: 'c', namespace: 'n' },
    spec: { config: { receivers: {}, exporters: {}, service: { pipelines: {} } }, ...spec },
  });

  test('types, enums, unknown and required fields, as the CRD has them', () => {
    expect(problemsOf(collector({ mode: 'statefulset', replicas: 2 }))).toStrictEqual([]);
    expect(problemsOf(collector({ replicas: 'two', mode: 'cluster', modee: 'x' }))).toStrictEqual([
      'spec.replicas must be a number, not "two"',
      'spec.mode must be one of daemonset, deployment, sidecar, statefulset, not "cluster"',
      'unknown field spec.modee (did you mean mode?)',
    ]);
    expect(problemsOf({ ...collector({}), spec: { mode: 'deployment' } })).toStrictEqual(['spec.config is required']);
    expect(problemsOf(collector({ env: [{ name: 'A', valu: 'b' }] }))).toStrictEqual([
      'unknown field spec.env[0].valu (did you mean value?)',
    ]);
  });

  test("the JSON keys are the CRD's, not the generated types' property names (hostPID, not hostPid)", () => {
    expect(OPENTELEMETRY_COLLECTOR_SPEC_TYPES.Spec).toHaveProperty('hostPID');
    expect(OPENTELEMETRY_COLLECTOR_SPEC_TYPES.Spec).not.toHaveProperty('hostPid');
    expect(problemsOf(collector({ hostPID: false }))).toStrictEqual([]);
  });

  test('the table is what tools/crd-fields.ts generates from imports/ now (run `npm run import`)', () => {
    expect(readFileSync(CRD_FIELDS_FILE, 'utf8')).toBe(generateCrdFields());
  });
});
