import type { Size } from 'cdk8s';
import { Testing } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-29';
import type { Construct } from 'constructs';
import { expect, test } from 'vitest';
import { settingsFromEnvironment } from '../../packages/cdk8s-fargate-container-insights-cli/src/app/app-settings';
import type { FargateContainerInsightsCollectorProps } from '../../src/collector/collector-props';
import { FargateContainerInsightsCollector } from '../../src/collector/fargate-container-insights-collector';
import type { MetricSelection } from '../../src/config/metric-selection';
import { ValidationError } from '../../src/core/errors';
import { SampleGoWebapp, type SampleGoWebappProps } from '../../src/sample/sample-go-webapp';
import { COLLECTOR_PROPS, ROLE_ARN } from './fixtures';

/**
 * The bad-input tables' language: what builds each case (a collector, a
 * sample application, the app's environment) and the check every case
 * passes. Every kind of bad input, through the public surface a user
 * touches, must fail with a ValidationError naming the input, echoing the
 * value and saying what is accepted, before any object is added to the chart.
 */

export { REMOTE_WRITE_URL, WORKSPACE } from './application-metrics';

/** The app's required variables. */
export const ENV = {
  CLUSTER_NAME: 'prod-eu',
  AWS_REGION: 'eu-west-1',
  COLLECTOR_ROLE_ARN: ROLE_ARN,
};

/** Builds a case's constructs into a chart (or reads its environment). */
export type Build = (chart: Construct) => unknown;

/** One case: its name, what it builds, the message (or its pattern), and what to build first. */
export type BadInputCase = readonly [name: string, build: Build, message: string | RegExp, setup?: Build];

/** A collector with these props over the fixture's. */
export const collector =
  (overrides: Partial<FargateContainerInsightsCollectorProps>): Build =>
  (chart) =>
    new FargateContainerInsightsCollector(chart, 'Collector', { ...COLLECTOR_PROPS, ...overrides });
/** A collector with the metric selection `make` gives, made when the case runs: the factories validate. */
export const selection =
  (make: () => MetricSelection): Build =>
  (chart) =>
    new FargateContainerInsightsCollector(chart, 'Collector', { ...COLLECTOR_PROPS, metricSelection: make() });
/** The sample application with these props. */
export const webapp =
  (props: SampleGoWebappProps): Build =>
  (chart) =>
    new SampleGoWebapp(chart, 'Webapp', props);
/** The app reading these variables. */
export const env =
  (vars: Record<string, string>): Build =>
  () =>
    settingsFromEnvironment(vars);

/** An ARN in the aws partition. */
export const arn = (account: string, rest = 'role/adot') => `arn:aws:iam::${account}:${rest}`;
/** Requests and limits of this CPU and memory. */
export const cpuAndMemory = (cpu: kplus.Cpu, memory: Size): kplus.ContainerResources => ({
  cpu: { request: cpu, limit: cpu },
  memory: { request: memory, limit: memory },
});

/** Runs every case: a ValidationError with the message, and nothing of the failing construct in the chart. */
export function checkBadInput(cases: readonly BadInputCase[]): void {
  const rows = cases.map(([name, build, message, setup]) => ({ name, build, message, setup }));
  test.each(rows)('$name', ({ build, message, setup }) => {
    const chart = Testing.chart();
    setup?.(chart);
    const before = Testing.synth(chart);
    let thrown: unknown;
    try {
      build(chart);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    if (typeof message === 'string') expect((thrown as Error).message).toContain(message);
    else expect((thrown as Error).message).toMatch(message);
    // Nothing of the failing construct reaches the chart.
    expect(Testing.synth(chart)).toStrictEqual(before);
  });
}
