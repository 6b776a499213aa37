import { runApp } from './packages/cdk8s-fargate-container-insights-cli/src/app/app';

/**
 * This repository's cdk8s app (`cdk8s synth`, `npm run synth`): one cluster
 * from the environment (`CLUSTER_NAME`, `AWS_REGION`, `COLLECTOR_ROLE_ARN` and
 * the optional variables of the README), or a fleet from `CLUSTERS_FILE`.
 * The app itself is packages/cdk8s-fargate-container-insights-cli/src/app/; the settings it reads are the table in
 * packages/cdk8s-fargate-container-insights-cli/src/fleet/cluster-settings.ts.
 */
void runApp(process.env).then((status) => {
  process.exitCode = status;
});
