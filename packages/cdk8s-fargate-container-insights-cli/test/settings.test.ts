import { App, Chart } from 'cdk8s';
import {
  ArgoCdSyncWaves,
  CollectorPrerequisites,
  FargateContainerInsightsCollector,
  type FargateContainerInsightsCollectorProps,
  ValidationError,
} from 'cdk8s-fargate-container-insights';
import { COLLECTOR_SETTING_RULES, OIDC_ISSUER_RULE } from 'cdk8s-fargate-container-insights/internal';
import { describe, expect, test } from 'vitest';
import { ROLE_ARN } from '../../../test/support/fixtures';
import { settingsFromEnvironment } from '../src/app/app-settings';
import { addClusterCharts, clusterProps } from '../src/fleet/cluster-charts';
import { CLUSTER_SETTINGS, resolveCluster, type Setting } from '../src/fleet/cluster-settings';
import { parseFleet } from '../src/fleet/fleet-file';

/**
 * Every cluster setting is declared once, in the table of
 * the command-line package's src/fleet/cluster-settings.ts: its field, its default, its check and its
 * variable. These tests walk the table, so a row added there is held to the
 * same rules without a test of its own: one default, reached through
 * `resolveCluster`, the construct's own (a cluster with none set synthesizes
 * what the collector's defaults give); one check, run for the clusters-file
 * field (whose message names `clusters[i].field`), for the app's variable
 * (whose message names the variable) and for the collector's prop of the
 * same name (whose message names the prop).
 */

const SETTINGS = Object.entries(CLUSTER_SETTINGS) as [string, Setting<unknown>][];
const REQUIRED = { name: 'prod-eu', region: 'eu-west-1', serviceAccountRoleArn: ROLE_ARN };
const ENV = { CLUSTER_NAME: 'prod-eu', AWS_REGION: 'eu-west-1', COLLECTOR_ROLE_ARN: ROLE_ARN };

/** Values of a field's type its check may refuse, as YAML and as a variable's text. */
const CANDIDATES: Readonly<Record<string, ReadonlyArray<readonly [yaml: string, text: string]>>> = {
  string: [
    ['"!!!"', '!!!'],
    ['""', ''],
    ['"x-1"', 'x-1'],
  ],
  integer: [
    ['-1', '-1'],
    ['1000001', '1000001'],
    ['0', '0'],
  ],
  boolean: [['"maybe"', 'maybe']],
  object: [['[]', '[]']],
  list: [['{}', '{}']],
};

/** The message of the ValidationError `run` throws, or undefined when it accepts. */
function refusal(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  return undefined;
}

/** The clusters file of one cluster with `key` set to `yaml` (YAML text), over the required fields. */
function fileWith(key: string, yaml: string): string {
  const fields: Record<string, string> = { ...REQUIRED, [key]: yaml };
  const [first, ...rest] = Object.entries(fields);
  return [
    'clusters:',
    `  - ${first?.[0]}: ${first?.[1]}`,
    ...rest.map(([field, value]) => `    ${field}: ${value}`),
    '',
  ].join('\n');
}

describe('every setting of the table', () => {
  test('the table is what the tests walk: at least 20 settings, most with a variable', () => {
    expect(SETTINGS.length).toBeGreaterThanOrEqual(20);
    expect(SETTINGS.filter(([, s]) => s.env !== undefined).length).toBeGreaterThanOrEqual(15);
  });

  test.each(SETTINGS.filter(([, s]) => s.default !== undefined))(
    '%s: one default, which resolveCluster fills in',
    (key, setting) => {
      expect((resolveCluster(REQUIRED) as Record<string, unknown>)[key]).toStrictEqual(setting.default);
      // Its check accepts it: a default the setting refuses would be a bug in the table.
      expect(() => setting.field.check?.(key, setting.default as never)).not.toThrow();
    },
  );

  test.each(SETTINGS)(
    '%s: a value its check refuses is refused for the field, named clusters[0].field',
    (key, setting) => {
      const refused = CANDIDATES[setting.field.type]?.find(([yaml]) =>
        refusal(() => parseFleet(fileWith(key, yaml), 'clusters.yaml')),
      );
      expect(refused, `no candidate value refused for clusters[0].${key}`).toBeDefined();
      const message = refusal(() => parseFleet(fileWith(key, refused?.[0] ?? ''), 'clusters.yaml'));
      expect(message).toContain(`clusters[0].${key}`);
    },
  );

  test.each(SETTINGS.filter(([, s]) => s.env !== undefined))(
    '%s: a value its check refuses is refused for the variable, named as the variable',
    (key, setting) => {
      const name = setting.env as string;
      const refused = CANDIDATES[setting.field.type]?.find(([, text]) =>
        refusal(() => settingsFromEnvironment({ ...ENV, [name]: text })),
      );
      expect(refused, `no candidate value refused for ${name}`).toBeDefined();
      const message = refusal(() => settingsFromEnvironment({ ...ENV, [name]: refused?.[1] ?? '' })) ?? '';
      expect(message).toContain(name);
      // The variable's name, not the field's: a user of the app never sees `clusters[0]` or the prop.
      expect(message).not.toContain(`clusters[0].${key}`);
    },
  );
});

describe("the table's defaults are the constructs'", () => {
  test("a cluster with no optional setting synthesizes the collector that the construct's own defaults give", () => {
    // The fleet's path: the table's defaults filled in (resolveCluster), mapped to props (clusterProps).
    const fleetApp = new App();
    addClusterCharts(fleetApp, REQUIRED);
    // The construct's path: the required props alone, every other left to the construct.
    const ownApp = new App();
    const chart = new Chart(ownApp, fleetApp.charts[0]?.node.id as string);
    new FargateContainerInsightsCollector(chart, 'Collector', {
      clusterName: REQUIRED.name,
      region: REQUIRED.region,
      serviceAccountRoleArn: REQUIRED.serviceAccountRoleArn,
    });
    ArgoCdSyncWaves.addTo(ownApp); // as the fleet's manifests carry them
    // The fleet sets every prop it has a setting for: a default the table spelled differently shows here.
    expect(Object.keys(clusterProps(REQUIRED)).length).toBeGreaterThanOrEqual(10);
    expect(fleetApp.charts[0]?.toJson()).toStrictEqual(chart.toJson());
  });
});

describe('the props reach the same checks', () => {
  const props = clusterProps(REQUIRED) as unknown as Record<string, unknown>;
  // The settings whose prop has the field's name and takes its value as it is (not a class made from it).
  const direct = SETTINGS.filter(
    ([key, setting]) =>
      key in props && ['integer', 'string', 'boolean'].includes(setting.field.type) && typeof props[key] !== 'object',
  );

  test('most settings are props of the collector under the same name', () => {
    expect(direct.length).toBeGreaterThanOrEqual(6);
  });

  test.each(direct)('%s: a value its check refuses is refused by the collector, named as the prop', (key, setting) => {
    const value = ({ integer: -1, string: '!!!', boolean: 'maybe' } as Record<string, unknown>)[setting.field.type];
    // The table refuses it too: by its check, or (a boolean) by the field's type.
    const yaml = typeof value === 'string' ? JSON.stringify(value) : String(value);
    expect(refusal(() => parseFleet(fileWith(key, yaml), 'clusters.yaml'))).toContain(`clusters[0].${key}`);
    const message = refusal(
      () =>
        new FargateContainerInsightsCollector(new Chart(new App(), 'c'), 'Collector', {
          clusterName: REQUIRED.name,
          region: REQUIRED.region,
          serviceAccountRoleArn: REQUIRED.serviceAccountRoleArn,
          [key]: value,
        }),
    );
    expect(message).toContain(key);
  });
});

describe("the rules between settings are the constructs', run by all three inputs", () => {
  /** A breach of each rule, by the setting it is reported at: the settings as the clusters file and the props take them. */
  const BREACHES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
    region: { region: 'us-east-9' },
    serviceAccountRoleArn: { region: 'cn-northwest-1', allowUnlistedRegion: true },
    metricsDestination: { region: 'il-central-1', metricsDestination: 'otlp' },
    podHealth: { metricsDestination: 'otlp', podHealth: { alarms: { restarts: 5 } } },
    expectedPods: { expectedPods: 100_000 },
    oidcIssuer: { oidcIssuer: `https://oidc.eks.us-east-1.amazonaws.com/id/${'A'.repeat(32)}` },
  };
  const VARIABLES = SETTINGS.flatMap(([key, s]) => (s.env === undefined ? [] : [[s.env, key] as const])).sort(
    ([a], [b]) => b.length - a.length,
  );
  /** A message with every input's name as the prop's, every assignment as `key: value`: what all three must share. */
  const unnamed = (message: string) =>
    VARIABLES.reduce((text, [variable, key]) => text.replaceAll(variable, key), message)
      .replace(/^\S+:\d+:\d+: /, '')
      .replaceAll('clusters[0].', '')
      .replace(/\b(\w+)=(\w+)/g, '$1: $2')
      .replace(/\b(\w+): "(\w+)"/g, '$1: $2');

  test('every rule of the collector and of the prerequisites has a breach here', () => {
    const rules = [...COLLECTOR_SETTING_RULES, OIDC_ISSUER_RULE].map((rule) => rule.at);
    expect(Object.keys(BREACHES).sort()).toStrictEqual([...new Set(rules)].sort());
  });

  test.each(Object.entries(BREACHES))(
    '%s: refused by the file, the app and the construct, one message, each input named its own way',
    (at, breach) => {
      // GIVEN a cluster that breaks the rule reported at `at`
      const setting = CLUSTER_SETTINGS[at as keyof typeof CLUSTER_SETTINGS] as Setting<unknown>;
      const variable = setting.env as string;
      const env = Object.fromEntries(
        Object.entries(breach).map(([key, value]) => [
          (CLUSTER_SETTINGS[key as keyof typeof CLUSTER_SETTINGS] as Setting<unknown>).env as string,
          typeof value === 'string' ? value : JSON.stringify(value),
        ]),
      );
      // WHEN each input takes it
      const file = refusal(() =>
        parseFleet(`clusters:\n  - ${JSON.stringify({ ...REQUIRED, ...breach })}\n`, 'c.yaml'),
      );
      const app = refusal(() => settingsFromEnvironment({ ...ENV, ...env }));
      const construct = refusal(() => {
        const chart = new Chart(new App(), 'c');
        const { name, oidcIssuer, ...props } = { ...REQUIRED, ...breach } as Record<string, unknown>;
        const collector = new FargateContainerInsightsCollector(chart, 'Collector', {
          ...(props as unknown as FargateContainerInsightsCollectorProps),
          clusterName: name as string,
        });
        if (oidcIssuer !== undefined) CollectorPrerequisites.of({ collector, oidcIssuer: oidcIssuer as string });
      });
      // THEN each refuses with the rule's one message, naming the setting as that input names it
      expect(file).toMatch(new RegExp(`^c\\.yaml:\\d+:\\d+: Invalid clusters\\[0\\]\\.${at}\\b`));
      expect(app).toMatch(new RegExp(`^Invalid ${variable}\\b`));
      expect(construct).toMatch(new RegExp(`^Invalid ${at}\\b`));
      expect(unnamed(file ?? '')).toStrictEqual(unnamed(construct ?? ''));
      expect(unnamed(app ?? '')).toStrictEqual(unnamed(construct ?? ''));
    },
  );
});
