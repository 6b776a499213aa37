import {
  type ApplicationMetrics,
  type ApplicationMetricsConfigOptions,
  resolveApplicationMetrics,
} from '../../src/config/application-metrics';
import type { CollectorConfig } from '../../src/config/config-model';
import { buildConfig } from './collector';

/** The application metrics the tests send: a workspace, two metrics declared for CloudWatch. */

export const WORKSPACE = 'ws-12345678-abcd-ef01-2345-6789abcdef01';
export const REMOTE_WRITE_URL = `https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/${WORKSPACE}/api/v1/remote_write`;

export const DECLARATIONS = {
  declarations: [
    {
      metrics: ['http_requests_total', 'request_duration_seconds'],
      dimensionSets: [['ClusterName', 'namespace', 'app']],
    },
  ],
};
export const CLOUDWATCH: ApplicationMetrics = { cloudWatch: DECLARATIONS };
export const PROMETHEUS: ApplicationMetrics = { managedPrometheus: { remoteWriteUrl: REMOTE_WRITE_URL } };
export const BOTH: ApplicationMetrics = { ...CLOUDWATCH, ...PROMETHEUS };

/** The options the collector resolves `app` to. */
export const resolved = (app: ApplicationMetrics): ApplicationMetricsConfigOptions =>
  resolveApplicationMetrics('applicationMetrics', app);

/** The configuration with `app` and these overrides. */
export const configWith = (
  app: ApplicationMetrics,
  overrides: Parameters<typeof buildConfig>[0] = {},
): CollectorConfig => buildConfig({ applicationMetrics: resolved(app), ...overrides });
