import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { budget, check, expectValidAndUnique, outcomeOf, Tally } from '../../../../test/support/property';
import type { KubernetesObject } from '../../../../tools/manifests';
import { buildCluster } from '../../src/app/app';
import { settingsFromEnvironment } from '../../src/app/app-settings';

/**
 * The app's environment, generated: every set of variables ends as a
 * ValidationError that names a variable the user set (never a library prop
 * behind it), or as manifests that pass their schemas.
 */

const WORKSPACE = 'ws-12345678-abcd-ef01-2345-6789abcdef01';

/** For each variable, values it accepts and values it does not. */
const VALUES: Readonly<Record<string, readonly string[]>> = {
  CLUSTER_NAME: ['prod-eu', 'demo', 'bad name', ''],
  AWS_REGION: ['eu-west-1', 'us-east-1', 'cn-north-1', 'me-south-1', 'eu-centrall-1', 'nowhere'],
  COLLECTOR_ROLE_ARN: [
    'arn:aws:iam::123456789012:role/adot',
    'arn:aws-cn:iam::123456789012:role/adot',
    'arn:aws:iam::1:role/x',
  ],
  ADOT_VERSION: ['v0.49.0', '0.40.0', 'v0.42.0', 'latest'],
  COLLECTOR_MODE: ['manifests', 'operator', 'helm'],
  OPERATOR_VERSION: ['v0.102.0', 'v0.90.0', 'x'],
  METRIC_PROFILE: ['reference', 'console', 'all'],
  SAMPLE_APP: ['true', 'false', 'on'],
  FARGATE_LOGGING: ['true', 'false', 'yes'],
  FARGATE_LOG_RETENTION_DAYS: ['30', '2', '1096'],
  OIDC_ISSUER: [
    'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
    'https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
    'https://example.com',
  ],
  PERFORMANCE_LOG_RETENTION_DAYS: ['0', '30', '1096', '2', '-1', '1e3'],
  PERFORMANCE_LOG_GROUP_TAGS: ['{"team":"platform"}', '{}', '[]', '{"a::b":"x"}', '{"constructor":"x"}', 'nope'],
  EXPECTED_NAMESPACES: ['1', '10', '50', '0', 'x'],
  EXPECTED_PODS: ['1', '20', '100', '2500', '1000000', '2000000', '1.5', 'Infinity'],
  COLLECTOR_REPLICAS: ['1', '3', '100', '0', '101', 'two'],
  APPLICATION_METRICS: [
    'cloudWatch',
    'none',
    'managedPrometheus',
    'cloudWatch,managedPrometheus',
    'cloudwatch',
    'loki',
    '',
  ],
  APPLICATION_METRICS_NAMESPACES: ['golang', 'golang,golang', 'a,b', 'Bad', '', ','],
  AMP_REMOTE_WRITE_URL: [
    `https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/${WORKSPACE}/api/v1/remote_write`,
    `https://aps-workspaces.us-east-1.amazonaws.com/workspaces/${WORKSPACE}/api/v1/remote_write`,
    'https://x',
  ],
  METRICS_DESTINATION: ['emf', 'otlp', 'both', 'prometheus'],
  ALLOW_UNLISTED_REGION: ['true', 'false', '1'],
};
const NAMES = Object.keys(VALUES);
const REQUIRED = ['CLUSTER_NAME', 'AWS_REGION', 'COLLECTOR_ROLE_ARN'];

/** Mostly the three required variables, valid, and a few optional ones. */
const environment = fc
  .tuple(
    fc.oneof({ weight: 6, arbitrary: fc.constant(REQUIRED) }, { weight: 1, arbitrary: fc.subarray(REQUIRED) }),
    fc.subarray(
      NAMES.filter((name) => !REQUIRED.includes(name)),
      { maxLength: 4 },
    ),
    fc.infiniteStream(fc.nat()),
  )
  .map(([required, optional, picks]) => {
    const iterator = picks[Symbol.iterator]();
    return Object.fromEntries(
      [...required, ...optional].map((name) => {
        const values = VALUES[name] ?? [''];
        const pick = iterator.next().value ?? 0;
        // The required ones are mostly valid, so that the optional ones are what is tested.
        return [
          name,
          REQUIRED.includes(name) && pick % 4 !== 0 ? (values[0] ?? '') : (values[pick % values.length] ?? ''),
        ];
      }),
    );
  });

describe('the app', () => {
  test(
    'every set of variables is rejected naming a variable it set, or synthesizes valid, unique objects',
    () => {
      const tally = new Tally();
      check(
        fc.property(environment, (env) => {
          const outcome = outcomeOf(() => {
            const { app } = buildCluster(settingsFromEnvironment(env));
            return parseAllDocuments(app.synthYaml()).map((doc) => doc.toJS() as KubernetesObject);
          });
          if ('rejected' in outcome) {
            tally.add('rejected');
            const message = outcome.rejected.message;
            const named = NAMES.filter((name) => message.includes(name));
            expect(named.length, `${message} names no variable (${JSON.stringify(env)})`).toBeGreaterThan(0);
            // The subject of the message is a variable, never a library prop such as expectedPods.
            expect(message, JSON.stringify(env)).toMatch(/^(Invalid|Missing environment variables?) [A-Z]/);
            return;
          }
          tally.add('accepted');
          expectValidAndUnique(outcome.objects);
        }),
        'appVariables',
      );
      tally.report('app variables', ['accepted', 'rejected']);
    },
    budget('appVariables').timeoutMs,
  );
});
