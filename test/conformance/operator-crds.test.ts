import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { FargateContainerInsightsOperatorCollector } from '../../src/collector/fargate-container-insights-operator-collector';
import { OperatorVersion } from '../../src/collector/operator-version';
import { CRD_IMPORT_FILE, CRD_IMPORT_RELEASE, generateCrdImport } from '../../tools/crd-import';
import { conformanceDescribe } from '../support/conformance';
import { ROLE_ARN } from '../support/fixtures';
import { only, synth } from '../support/synth';

/**
 * Conformance with the OpenTelemetry Operator's own CRDs: the custom resource
 * written for each release must be accepted by that release's
 * `opentelemetrycollectors` CRD (`v1beta1`), with unknown fields rejected at
 * any depth, as the API server's strict field validation does. Optional: it
 * runs when `OPERATOR_CRD_DIR` names a folder of
 * `opentelemetrycollectors.<tag>.yaml` files, or `../shared/crds/opentelemetry-operator`
 * is beside the repository, and is reported as skipped otherwise.
 */
const CRDS = {
  what: 'the OpenTelemetry Operator CRDs',
  variable: 'OPERATOR_CRD_DIR',
  fallback: '../shared/crds/opentelemetry-operator',
} as const;

type Schema = Record<string, unknown>;

/**
 * A structural CRD schema as the API server applies it, in JSON schema terms:
 * objects without `additionalProperties` or `x-kubernetes-preserve-unknown-fields`
 * accept no other field; int-or-string accepts both.
 */
function strict(schema: Schema): Schema {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return {};
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-') || key === 'format' || key === 'description') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, child]) => [name, strict(child)]),
      );
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = strict(value as Schema);
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as Schema[]).map(strict);
    } else {
      out[key] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** The release's v1beta1 schema of an OpenTelemetryCollector, strict. */
function v1beta1Schema(file: string): Schema {
  const crd = parse(readFileSync(file, 'utf8')) as {
    spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }> };
  };
  const version = crd.spec.versions.find((v) => v.name === 'v1beta1');
  if (!version) throw new Error(`${file} has no v1beta1 version`);
  return strict(version.schema.openAPIV3Schema);
}

/** The custom resource this library writes for an operator release. */
function customResource(tag: string): Record<string, unknown> {
  const objects = synth(
    (chart) =>
      new FargateContainerInsightsOperatorCollector(chart, 'Collector', {
        clusterName: 'prod-eu',
        region: 'eu-west-1',
        serviceAccountRoleArn: ROLE_ARN,
        replicas: 2,
        operatorVersion: OperatorVersion.of(tag),
      }),
  );
  return only(objects, 'OpenTelemetryCollector');
}

conformanceDescribe('OpenTelemetry Operator CRDs', CRDS, (dir) => {
  const files = readdirSync(dir)
    .map((file) => /^opentelemetrycollectors\.(v\d+\.\d+\.\d+)\.yaml$/.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ tag: match[1] as string, file: join(dir, match[0]) }));
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

  test('has CRDs to check against', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  test.each(files)('the resource written for $tag is accepted by its CRD, strictly', ({ tag, file }) => {
    const validate = ajv.compile(v1beta1Schema(file));
    const resource = customResource(tag);
    expect(validate(resource), JSON.stringify(validate.errors)).toBe(true);
  });

  test.each(files)('$tag rejects the fields it does not have: the check can fail', ({ tag, file }) => {
    const validate = ajv.compile(v1beta1Schema(file));
    const resource = customResource(tag) as { spec: Record<string, unknown> };
    expect(validate({ ...resource, spec: { ...resource.spec, notAField: true } })).toBe(false);
    // The probes the table leaves out for older releases: they would be rejected.
    const withProbes = { ...resource.spec, startupProbe: { periodSeconds: 5 }, readinessProbe: { periodSeconds: 5 } };
    const accepted = validate({ ...resource, spec: withProbes });
    const version = OperatorVersion.of(tag);
    expect(accepted).toBe(version.accepts('startupProbe') && version.accepts('readinessProbe'));
  });

  test('the default release writes what the latest CRD at hand accepts', () => {
    const latest = [...files].sort((a, b) => a.tag.localeCompare(b.tag, undefined, { numeric: true })).at(-1);
    expect(latest).toBeDefined();
    const validate = ajv.compile(v1beta1Schema(latest?.file as string));
    expect(validate(customResource(OperatorVersion.DEFAULT.tag)), JSON.stringify(validate.errors)).toBe(true);
  });
});

conformanceDescribe('the generated custom resource types', CRDS, (dir) => {
  test(`imports/opentelemetry.io.ts is what cdk8s import generates from the ${CRD_IMPORT_RELEASE} CRD (npm run import)`, () => {
    const crd = join(dir, `opentelemetrycollectors.${CRD_IMPORT_RELEASE}.yaml`);
    expect(readFileSync(CRD_IMPORT_FILE, 'utf8')).toBe(generateCrdImport(crd));
  }, 60_000);
});
