import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { run } from '../packages/cdk8s-fargate-container-insights-cli/src/cli';
import { ClusterFleet } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/cluster-fleet';
import { AWS_PACKAGE } from '../src/prerequisites/aws-template';
import { PREREQUISITE_FILES } from '../src/prerequisites/prerequisites';
import { readTree } from '../tools/folders';
import { captureConsole, type Printed } from './support/console';
import { ROLE_ARN } from './support/fixtures';

/**
 * Without the companion package the CloudFormation template (the
 * collector's role and the alarms) cannot be written: every path says so,
 * per cluster, and the drift check refuses to advise a run that would
 * delete a committed template. The package is a workspace of this
 * repository, so its absence is simulated here.
 */
vi.mock('../src/prerequisites/aws-template', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/prerequisites/aws-template')>();
  return {
    ...original,
    companionInstalled: () => false,
    awsTemplate: (input: { oidcProvider?: string }) =>
      input.oidcProvider === undefined
        ? original.awsTemplate(input)
        : { missing: `${original.AWS_PACKAGE} is not installed` },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'companion-absent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const file = join(dir, 'clusters.yaml');
writeFileSync(
  file,
  `defaults: { region: eu-west-1, serviceAccountRoleArn: "${ROLE_ARN}" }\nclusters:\n  - name: with-issuer\n    oidcIssuer: ${ISSUER}\n  - name: without-issuer\n`,
);

const { stdout, stderr } = captureConsole();
const printed = (stream: Printed) => stream.text();

describe('without the companion package', () => {
  test('fleet names each cluster without a template, and why', async () => {
    expect(await run(['fleet', file])).toBe(0);
    expect(printed(stdout)).toContain(
      `No CloudFormation template for with-issuer (the collector's role and the alarms): ${AWS_PACKAGE} is not installed.`,
    );
    expect(printed(stdout)).toMatch(/No CloudFormation template for without-issuer .*: no OIDC issuer/);
  });

  test('ClusterFleet.synth lists them in its result', async () => {
    const result = await ClusterFleet.fromFile(file).synth({
      outdir: join(dir, 'lib-dist'),
      prerequisitesOutdir: join(dir, 'lib-prerequisites'),
    });
    expect(result.withoutTemplate.map((c) => c.clusterName)).toStrictEqual(['with-issuer', 'without-issuer']);
    expect(result.withoutTemplate[0]?.reason).toBe(`${AWS_PACKAGE} is not installed`);
  });

  test('check exits 2 naming a committed template it cannot write, and advises installing, not regenerating', async () => {
    expect(await run(['fleet', file])).toBe(0);
    const template = join(dir, 'prerequisites', 'with-issuer', PREREQUISITE_FILES.template);
    writeFileSync(template, '{"AWSTemplateFormatVersion": "2010-09-09"}\n');
    const before = readTree(dir);
    expect(await run(['check', file])).toBe(2);
    const message = printed(stderr);
    expect(message).toContain(`prerequisites/with-issuer/${PREREQUISITE_FILES.template} is committed`);
    expect(message).toContain(`${AWS_PACKAGE} is not installed. Install it`);
    expect(message).not.toContain('run cdk8s-fargate-container-insights fleet');
    expect(readTree(dir)).toStrictEqual(before);
    expect(readFileSync(template, 'utf8')).toContain('AWSTemplateFormatVersion');
  });
});
