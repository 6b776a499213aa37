import { App, Chart } from 'cdk8s';
import {
  CollectorPrerequisites,
  FargateContainerInsightsCollector,
  FargateContainerInsightsOperatorCollector,
  FargateLogging,
  MetricsDestination,
  SampleGoWebapp,
} from 'cdk8s-fargate-container-insights';
import { FargateContainerInsightsStack } from 'cdk8s-fargate-container-insights-aws';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { budget, check, Tally } from '../../../test/support/property';
import { TemplateShapes } from '../src/private/template-shapes';

/** What tells one cluster from another of the same shape. */
interface ClusterValues {
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly issuerId: string;
  /** The collector's role is named after the cluster (`<name>-adot`), or shared by the fleet. */
  readonly roleAfterCluster: boolean;
}

/** Everything else: what makes the shape. */
interface Shape {
  readonly operator: boolean;
  readonly sample: boolean;
  readonly logging: boolean;
  readonly destination: MetricsDestination;
  readonly retention: number;
  readonly tags?: Record<string, string>;
  readonly podHealth: boolean;
}

const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'me-central-1', 'cn-north-1'] as const;

/** The prerequisites of one cluster of a shape, as the cdk8s side derives them. */
function prerequisitesOf(shape: Shape, values: ClusterValues): CollectorPrerequisites {
  const chart = new Chart(new App(), 'fargate-container-insights');
  const partition = values.region.startsWith('cn-') ? 'aws-cn' : 'aws';
  const role = values.roleAfterCluster ? `${values.name.slice(0, 58)}-adot` : 'adot-collector';
  const props = {
    clusterName: values.name,
    region: values.region,
    serviceAccountRoleArn: `arn:${partition}:iam::${values.account}:role/${role}`,
    metricsDestination: shape.destination,
    // OTLP in the China regions too: the template does not change with it.
    allowUnlistedRegion: true,
    performanceLogRetentionDays: shape.retention,
    ...(shape.tags === undefined ? {} : { performanceLogGroupTags: shape.tags }),
    ...(shape.podHealth ? { podHealth: {} } : {}),
  };
  const collector = shape.operator
    ? new FargateContainerInsightsOperatorCollector(chart, 'collector', props)
    : new FargateContainerInsightsCollector(chart, 'collector', props);
  const suffix = partition === 'aws-cn' ? '.cn' : '';
  return CollectorPrerequisites.of({
    collector,
    ...(shape.sample ? { workloadNamespaces: [new SampleGoWebapp(chart, 'sample').namespace.name] } : {}),
    ...(shape.logging
      ? {
          logging: new FargateLogging(chart, 'logging', {
            clusterName: values.name,
            region: values.region,
            allowUnlistedRegion: true,
          }),
        }
      : {}),
    oidcIssuer: `https://oidc.eks.${values.region}.amazonaws.com${suffix}/id/${values.issuerId}`,
  });
}

const shapes: fc.Arbitrary<Shape> = fc.record(
  {
    operator: fc.boolean(),
    sample: fc.boolean(),
    logging: fc.boolean(),
    destination: fc.constantFrom(MetricsDestination.EMF, MetricsDestination.OTLP, MetricsDestination.BOTH),
    retention: fc.constantFrom(0, 1, 30, 3653),
    tags: fc.dictionary(fc.constantFrom('team', 'env', 'cost'), fc.constantFrom('a', 'platform', 'x-1'), {
      minKeys: 1,
    }),
    podHealth: fc.boolean(),
  },
  { requiredKeys: ['operator', 'sample', 'logging', 'destination', 'retention', 'podHealth'] },
);

/** Cluster names as EKS takes them, short and long, with the characters that logical IDs drop. */
const names = fc.oneof(
  fc.stringMatching(/^[0-9A-Za-z][A-Za-z0-9_-]{0,12}$/),
  fc.stringMatching(/^[0-9A-Za-z][A-Za-z0-9_-]{60,99}$/),
  fc.constantFrom('prod', 'eu-west-1', 'aws', 'Resource', 'performance', 'a'),
);

const clusterValues: fc.Arbitrary<ClusterValues> = fc.record({
  name: names,
  region: fc.constantFrom(...REGIONS),
  account: fc.stringMatching(/^\d{12}$/),
  issuerId: fc.stringMatching(/^[0-9A-F]{32}$/),
  roleAfterCluster: fc.boolean(),
});

/** A value of the same length and characters as `value`: another cluster that shares its shape. */
function sameLength(value: string, seed: number): string {
  return [...value]
    .map((c, i) => {
      const set = /\d/.test(c) ? '0123456789' : /[a-z]/.test(c) ? 'abcdefghij' : /[A-Z]/.test(c) ? 'ABCDEFGHIJ' : c;
      return set[(seed + i * 3) % set.length];
    })
    .join('');
}

describe('templates filled in from their shape', () => {
  test(
    'every cluster of every generated shape: byte for byte the template of a direct synthesis',
    () => {
      const tally = new Tally();
      check(
        fc.property(
          shapes,
          fc.array(clusterValues, { minLength: 1, maxLength: 3 }),
          fc.nat(1000),
          (shape, fleet, seed) => {
            // A fleet: each generated cluster, and two others of the same lengths (which share its shape) after it.
            const like = (v: ClusterValues, at: number): ClusterValues => ({
              ...v,
              name: sameLength(v.name, at),
              account: sameLength(v.account, at + 1),
              issuerId: sameLength(v.issuerId, at + 2).replace(/[G-J]/g, 'F'),
            });
            const clusters = fleet.flatMap((v) => [v, like(v, seed), like(v, seed + 5)]);
            const shapesOf = new TemplateShapes((p) => FargateContainerInsightsStack._synthesis(p, false));
            for (const values of clusters) {
              const prerequisites = prerequisitesOf(shape, values);
              const before = shapesOf.syntheses;
              expect(shapesOf.template(prerequisites)).toBe(
                FargateContainerInsightsStack._synthesize(prerequisites, false),
              );
              tally.add(shapesOf.syntheses === before ? 'filled in' : 'synthesized');
            }
          },
        ),
        'templateShapes',
      );
      // Not vacuous: most clusters after the first of their shape are filled in, and some shapes are synthesized.
      tally.report('templates', ['filled in', 'synthesized']);
    },
    budget('templateShapes').timeoutMs,
  );

  test('a fleet of one shape is synthesized twice, not once per cluster: its first cluster, and the shape with stand-ins when a second comes', () => {
    const shapesOf = new TemplateShapes((p) => FargateContainerInsightsStack._synthesis(p, false));
    const shape: Shape = {
      operator: false,
      sample: true,
      logging: true,
      destination: MetricsDestination.BOTH,
      retention: 30,
      podHealth: true,
    };
    const templates = Array.from({ length: 20 }, (_, i) =>
      shapesOf.template(
        prerequisitesOf(shape, {
          name: `cluster-${String(i).padStart(4, '0')}`,
          region: REGIONS[i % 4] === 'ap-southeast-2' ? 'eu-west-1' : (REGIONS[i % 2] as string),
          account: String(111122223333 + i),
          issuerId: i.toString(16).toUpperCase().padStart(32, '0'),
          roleAfterCluster: true,
        }),
      ),
    );
    expect(shapesOf.syntheses).toBe(2);
    expect(new Set(templates).size).toBe(20);
    // The log group's logical ID holds the cluster's name and a hash of its path: each cluster's own.
    const logGroupIds = templates.map((t) =>
      Object.entries(JSON.parse(t).Resources as Record<string, { Type: string }>)
        .filter(([, r]) => r.Type === 'AWS::Logs::LogGroup')
        .map(([id]) => id),
    );
    expect(logGroupIds[3]).toContainEqual(
      expect.stringMatching(/^AwsLogGroupawscontainerinsightscluster0003performance[0-9A-F]{8}$/),
    );
    expect(new Set(logGroupIds.flat()).size).toBe(logGroupIds.flat().length);
  });

  test('a shape whose values are written other than as they are is synthesized for every cluster', () => {
    // A synthesis that writes the cluster's name in capitals: filling in the stand-in cannot give that.
    const shapesOf = new TemplateShapes((p) => {
      const synthesis = FargateContainerInsightsStack._synthesis(p, false);
      return { ...synthesis, text: `${synthesis.text}${p.clusterName.toUpperCase()}\n` };
    });
    const shape: Shape = {
      operator: false,
      sample: false,
      logging: false,
      destination: MetricsDestination.EMF,
      retention: 1,
      podHealth: false,
    };
    const values = (name: string): ClusterValues => ({
      name,
      region: 'eu-west-1',
      account: '111122223333',
      issuerId: 'EXAMPLED539D4633E53DE1B716D3041E',
      roleAfterCluster: false,
    });
    expect(shapesOf.template(prerequisitesOf(shape, values('kilo1')))).toMatch(/\nKILO1\n$/);
    expect(shapesOf.syntheses).toBe(1);
    expect(shapesOf.template(prerequisitesOf(shape, values('kilo2')))).toMatch(/\nKILO2\n$/);
    expect(shapesOf.syntheses).toBe(3);
  });
});
