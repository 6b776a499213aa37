import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AdotVersion } from '../src/config/adot-version';
import { CONTAINER_INSIGHTS_EKS_METRICS } from '../src/config/catalog/console-reference';
import {
  POD_HEALTH_LEVELS,
  POD_HEALTH_METRICS,
  PodHealthProfile,
  podHealthSeries,
} from '../src/config/catalog/pod-health-metrics';
import { EMF_UNITS } from '../src/config/components/awsemf-exporter';
import { podHealthReceiver } from '../src/config/pipelines/pod-health-pipeline';
import { buildConfig, DEFAULT_CONFIG_OPTIONS } from './support/collector';
import { parseExposition } from './support/exposition';
import {
  asCollectorReads,
  type EmittedValue,
  PipelineModel,
  POD_HEALTH_PIPELINE_MODEL,
  sent,
} from './support/pipeline-model';
import { PROPERTY_SEED } from './support/property';
import { relabel } from './support/relabel';

/**
 * kube-state-metrics' exposition for a small cluster, in its own format:
 * - shop/web-a runs and is ready;
 * - shop/web-b runs but its container is crash-looping (5, then 7 restarts);
 * - shop/web-c is pending, its image cannot be pulled;
 * - batch/job-x runs; its container was OOM-killed once (1, then 2 restarts);
 * - Deployment shop/web wants 3 replicas and has 2; StatefulSet batch/db has
 *   its 2; DaemonSet kube-system/probe (on an EC2 node) has 0 of 1;
 * - Service shop/web has web-a ready (in two of its EndpointSlices, as while the controller moves it) and web-b not;
 * - four Fargate nodes, one not ready.
 */
function exposition(webBRestarts: number, jobRestarts: number): string {
  const phases = (pod: string, ns: string, running: string) =>
    ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']
      .map(
        (p) =>
          `kube_pod_status_phase{namespace="${ns}",pod="${pod}",uid="u-${pod}",phase="${p}"} ${p === running ? 1 : 0}`,
      )
      .join('\n');
  const ready = (pod: string, ns: string, value: 'true' | 'false') =>
    ['true', 'false', 'unknown']
      .map(
        (c) =>
          `kube_pod_status_ready{namespace="${ns}",pod="${pod}",uid="u-${pod}",condition="${c}"} ${c === value ? 1 : 0}`,
      )
      .join('\n');
  const container = (pod: string, ns: string, state: 'running' | 'waiting' | 'terminated', restarts: number) =>
    [
      ...(['running', 'waiting', 'terminated'] as const).map(
        (s) =>
          `kube_pod_container_status_${s}{namespace="${ns}",pod="${pod}",uid="u-${pod}",container="app"} ${s === state ? 1 : 0}`,
      ),
      `kube_pod_container_status_restarts_total{namespace="${ns}",pod="${pod}",uid="u-${pod}",container="app"} ${restarts}`,
    ].join('\n');
  const node = (name: string, isReady: boolean) =>
    [
      `kube_node_info{node="${name}",kernel_version="5.10",os_image="Amazon Linux 2",kubelet_version="v1.33.0-eks"} 1`,
      ...['true', 'false', 'unknown'].map(
        (status) =>
          `kube_node_status_condition{node="${name}",condition="Ready",status="${status}"} ${status === String(isReady) ? 1 : 0}`,
      ),
      ...['true', 'false', 'unknown'].map(
        (status) =>
          `kube_node_status_condition{node="${name}",condition="MemoryPressure",status="${status}"} ${status === 'false' ? 1 : 0}`,
      ),
    ].join('\n');
  return `
# HELP kube_pod_status_phase The pods current phase.
# TYPE kube_pod_status_phase gauge
${phases('web-a', 'shop', 'Running')}
${phases('web-b', 'shop', 'Running')}
${phases('web-c', 'shop', 'Pending')}
${phases('job-x', 'batch', 'Running')}
${ready('web-a', 'shop', 'true')}
${ready('web-b', 'shop', 'false')}
${ready('web-c', 'shop', 'false')}
${ready('job-x', 'batch', 'true')}
${container('web-a', 'shop', 'running', 0)}
${container('web-b', 'shop', 'waiting', webBRestarts)}
${container('web-c', 'shop', 'waiting', 0)}
${container('job-x', 'batch', 'running', jobRestarts)}
kube_pod_container_status_waiting_reason{namespace="shop",pod="web-b",uid="u-web-b",container="app",reason="CrashLoopBackOff"} 1
kube_pod_container_status_waiting_reason{namespace="shop",pod="web-c",uid="u-web-c",container="app",reason="ImagePullBackOff"} 1
kube_pod_container_status_last_terminated_reason{namespace="shop",pod="web-b",uid="u-web-b",container="app",reason="Error"} 1
kube_pod_container_status_last_terminated_reason{namespace="batch",pod="job-x",uid="u-job-x",container="app",reason="OOMKilled"} 1
kube_deployment_spec_replicas{namespace="shop",deployment="web"} 3
kube_deployment_status_replicas_ready{namespace="shop",deployment="web"} 2
kube_deployment_status_replicas_available{namespace="shop",deployment="web"} 2
kube_deployment_status_replicas_unavailable{namespace="shop",deployment="web"} 1
kube_statefulset_replicas{namespace="batch",statefulset="db"} 2
kube_statefulset_status_replicas_ready{namespace="batch",statefulset="db"} 2
kube_statefulset_status_replicas_available{namespace="batch",statefulset="db"} 2
kube_daemonset_status_desired_number_scheduled{namespace="kube-system",daemonset="probe"} 1
kube_daemonset_status_number_ready{namespace="kube-system",daemonset="probe"} 0
kube_daemonset_status_number_available{namespace="kube-system",daemonset="probe"} 0
kube_daemonset_status_number_unavailable{namespace="kube-system",daemonset="probe"} 1
kube_endpointslice_endpoints{namespace="shop",endpointslice="web-b5q7z",ready="true",serving="true",hostname="",terminating="false",targetref_kind="Pod",targetref_name="web-a",targetref_namespace="shop",endpoint_nodename="fargate-ip-10-0-0-1",endpoint_zone="eu-west-1a",address="10.0.0.1"} 1
kube_endpointslice_endpoints{namespace="shop",endpointslice="web-k2x9m",ready="true",serving="true",hostname="",terminating="false",targetref_kind="Pod",targetref_name="web-a",targetref_namespace="shop",endpoint_nodename="fargate-ip-10-0-0-1",endpoint_zone="eu-west-1a",address="10.0.0.1"} 1
kube_endpointslice_endpoints{namespace="shop",endpointslice="web-b5q7z",ready="false",serving="false",hostname="",terminating="false",targetref_kind="Pod",targetref_name="web-b",targetref_namespace="shop",endpoint_nodename="fargate-ip-10-0-0-2",endpoint_zone="eu-west-1a",address="10.0.0.2"} 1
${node('fargate-ip-10-0-0-1', true)}
${node('fargate-ip-10-0-0-2', true)}
${node('fargate-ip-10-0-0-3', true)}
${node('fargate-ip-10-0-0-4', false)}
`;
}

const CLUSTER = 'prod-eu';

function run(profile: PodHealthProfile): { first: EmittedValue[]; second: EmittedValue[] } {
  const config = buildConfig({
    podHealth: {
      profile,
      target: 'kube-state-metrics.fargate-container-insights.svc:8080',
      pod: { size: '0.25 vCPU 0.5 GB', monthlyUsd: 9.01 },
    },
  });
  const model = new PipelineModel(
    asCollectorReads(config, AdotVersion.DEFAULT),
    { ClusterName: CLUSTER },
    POD_HEALTH_PIPELINE_MODEL,
  );
  const first = model.emitted(model.scrape(parseExposition(exposition(5, 1)), {}));
  const second = model.emitted(model.scrape(parseExposition(exposition(7, 2)), {}, 60));
  return { first, second };
}

const pod = (name: string, ns: string) => ({ PodName: name, Namespace: ns, ClusterName: CLUSTER });
const namespace = (ns: string) => ({ Namespace: ns, ClusterName: CLUSTER });
const cluster = { ClusterName: CLUSTER };

describe('pod health through the pipeline model, full profile', () => {
  const { first, second } = run(PodHealthProfile.FULL);

  test('pod status per pod, per namespace and in the cluster', () => {
    expect(sent(second, 'pod_status_running', pod('web-a', 'shop'))).toBe(1);
    expect(sent(second, 'pod_status_running', pod('web-c', 'shop'))).toBe(0);
    expect(sent(second, 'pod_status_pending', pod('web-c', 'shop'))).toBe(1);
    expect(sent(second, 'pod_status_pending', namespace('shop'))).toBe(1);
    expect(sent(second, 'pod_status_pending', namespace('batch'))).toBe(0);
    expect(sent(second, 'pod_status_pending', cluster)).toBe(1);
    expect(sent(second, 'pod_status_running', cluster)).toBe(3);
    expect(sent(second, 'pod_status_ready', namespace('shop'))).toBe(1);
    expect(sent(second, 'pod_status_failed', cluster)).toBe(0);
  });

  test('the crash-looping, the image that cannot be pulled and the OOM-killed container', () => {
    expect(sent(second, 'pod_container_status_waiting_reason_crash_loop_back_off', pod('web-b', 'shop'))).toBe(1);
    expect(sent(second, 'pod_container_status_waiting_reason_crash_loop_back_off', cluster)).toBe(1);
    expect(sent(second, 'pod_container_status_waiting_reason_image_pull_error', pod('web-c', 'shop'))).toBe(1);
    expect(sent(second, 'pod_container_status_terminated_reason_oom_killed', pod('job-x', 'batch'))).toBe(1);
    expect(sent(second, 'pod_container_status_terminated_reason_oom_killed', namespace('shop'))).toBeUndefined();
    expect(sent(second, 'pod_container_status_terminated_reason_oom_killed', cluster)).toBe(1);
    expect(sent(second, 'pod_container_status_waiting', namespace('shop'))).toBe(2);
  });

  test('restarts: the increase since the previous scrape, none on the first', () => {
    expect(first.filter((e) => e.metric === 'pod_number_of_container_restarts')).toEqual([]);
    expect(sent(second, 'pod_number_of_container_restarts', pod('web-b', 'shop'))).toBe(2);
    expect(sent(second, 'pod_number_of_container_restarts', pod('job-x', 'batch'))).toBe(1);
    expect(sent(second, 'pod_number_of_container_restarts', pod('web-a', 'shop'))).toBe(0);
    expect(sent(second, 'pod_number_of_container_restarts', namespace('shop'))).toBe(2);
    expect(sent(second, 'pod_number_of_container_restarts', cluster)).toBe(3);
  });

  test('running pods per namespace, per service and in the cluster; nodes', () => {
    expect(sent(second, 'namespace_number_of_running_pods', namespace('shop'))).toBe(2);
    expect(sent(second, 'namespace_number_of_running_pods', namespace('batch'))).toBe(1);
    expect(sent(second, 'namespace_number_of_running_pods', cluster)).toBe(3);
    expect(sent(second, 'cluster_number_of_running_pods', cluster)).toBe(3);
    // web-a is in two EndpointSlices: one running pod.
    expect(sent(second, 'service_number_of_running_pods', { Service: 'web', ...namespace('shop') })).toBe(1);
    expect(sent(second, 'service_number_of_running_pods', cluster)).toBe(1);
    expect(sent(second, 'cluster_node_count', cluster)).toBe(4);
    expect(sent(second, 'cluster_failed_node_count', cluster)).toBe(1);
  });

  test('workload replicas: the deployment below its desired count', () => {
    const web = pod('web', 'shop');
    expect(sent(second, 'replicas_desired', web)).toBe(3);
    expect(sent(second, 'replicas_ready', web)).toBe(2);
    expect(sent(second, 'status_replicas_available', web)).toBe(2);
    expect(sent(second, 'status_replicas_unavailable', web)).toBe(1);
    expect(sent(second, 'replicas_ready', pod('db', 'batch'))).toBe(2);
    expect(sent(second, 'status_replicas_unavailable', pod('db', 'batch'))).toBeUndefined();
    expect(sent(second, 'status_replicas_unavailable', pod('probe', 'kube-system'))).toBe(1);
    // The Deployment's and the DaemonSet's unavailable replicas, merged.
    expect(sent(second, 'status_replicas_unavailable', cluster)).toBe(2);
  });

  test('each value is sent in exactly the dimension set of its level, never in another', () => {
    const sets = new Map<string, Set<string>>();
    for (const { metric, computation } of podHealthSeries(PodHealthProfile.FULL)) {
      const set = sets.get(metric.name) ?? new Set();
      set.add([...POD_HEALTH_LEVELS[computation.level].dimensions].sort().join(','));
      sets.set(metric.name, set);
    }
    for (const e of second) {
      expect(sets.get(e.metric), e.metric).toContain(Object.keys(e.dimensions).sort().join(','));
    }
    // No metric is sent twice for one set of dimension values (sent would throw).
    for (const e of second) sent(second, e.metric, { ...e.dimensions });
    // Every metric of the catalog is sent.
    expect(new Set(second.map((e) => e.metric))).toEqual(new Set(POD_HEALTH_METRICS.map((m) => m.name)));
  });
});

describe('pod health through the pipeline model, cluster profile', () => {
  const { second } = run(PodHealthProfile.CLUSTER);

  test('only namespace- and cluster-wide values, the same as the full profile gives', () => {
    expect(second.some((e) => 'PodName' in e.dimensions || 'Service' in e.dimensions)).toBe(false);
    const full = run(PodHealthProfile.FULL).second.filter(
      (e) => !('PodName' in e.dimensions || 'Service' in e.dimensions),
    );
    expect([...second].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [...full].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(sent(second, 'status_replicas_unavailable', cluster)).toBe(2);
  });
});

describe('the catalog', () => {
  test('every metric is a count with a unit awsemf accepts, computed at distinct levels', () => {
    for (const metric of POD_HEALTH_METRICS) {
      expect(EMF_UNITS).toContain(metric.unit);
      expect(metric.computations.length).toBeGreaterThan(0);
    }
  });

  test("the CloudWatch user guide's EKS metrics it has, in every dimension set the guide lists", () => {
    const covered = Object.entries(CONTAINER_INSIGHTS_EKS_METRICS).filter(([name]) =>
      POD_HEALTH_METRICS.some((m) => m.name === name),
    );
    expect(covered.map(([name]) => name).sort()).toStrictEqual([
      'cluster_failed_node_count',
      'cluster_node_count',
      'namespace_number_of_running_pods',
      'pod_number_of_container_restarts',
      'service_number_of_running_pods',
    ]);
    for (const [name, sets] of covered) {
      const ours = podHealthSeries(PodHealthProfile.FULL)
        .filter((s) => s.metric.name === name)
        .map((s) => [...POD_HEALTH_LEVELS[s.computation.level].dimensions].sort().join(','));
      for (const set of sets) expect(ours, name).toContain([...set].sort().join(','));
    }
  });

  test('every label matcher is anchored', () => {
    for (const { computation } of podHealthSeries(PodHealthProfile.FULL)) {
      for (const regex of Object.values(computation.source.labels ?? {})) {
        expect(regex).toMatch(/^\^.*\$$/);
      }
    }
  });
});

describe('the Service of an EndpointSlice series', () => {
  const options = {
    profile: PodHealthProfile.FULL,
    target: 'kube-state-metrics.fargate-container-insights.svc:8080',
    pod: { size: '0.25 vCPU 0.5 GB', monthlyUsd: 9.01 },
  };
  const rules = podHealthReceiver(DEFAULT_CONFIG_OPTIONS, options).config.scrape_configs[0]?.metric_relabel_configs;
  /** A Service name: a DNS-1035 label short enough for its slices' names to hold it whole. */
  const serviceName = fc.stringMatching(/^[a-z]([a-z0-9-]{0,55}[a-z0-9])?$/);
  /** The five characters generateName appends (Kubernetes' utilrand alphabet). */
  const suffix = fc.stringMatching(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);

  test('is the slice name without the five characters the controller appended, for every Service name', () => {
    fc.assert(
      fc.property(serviceName, suffix, (name, random) => {
        const labels = relabel(
          { __name__: 'kube_endpointslice_endpoints', namespace: 'shop', endpointslice: `${name}-${random}` },
          rules ?? [],
        );
        expect(labels?.service).toBe(name);
      }),
      { seed: PROPERTY_SEED, numRuns: 200 },
    );
  });

  test('is set on no other family', () => {
    const labels = relabel({ __name__: 'kube_pod_status_phase', namespace: 'shop', pod: 'web-b5q7z' }, rules ?? []);
    expect(labels).toBeDefined();
    expect(labels).not.toHaveProperty('service');
  });
});
