// The command-line package's API for Node.js programs: what the
// `cdk8s-fargate-container-insights` command does, in code. It reads and
// writes files and starts worker threads, which is why it is not part of the
// constructs package (`cdk8s-fargate-container-insights`, the one jsii
// carries to other languages).

export {
  ClusterFleet,
  type ClusterFleetSynthOptions,
  type ClusterFleetSynthResult,
  type ClusterWithoutTemplate,
} from './fleet/cluster-fleet';
