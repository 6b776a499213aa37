import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { AdotVersion } from '../src/config/adot-version';
import { CONTAINER_INSIGHTS_EKS_METRICS } from '../src/config/catalog/console-reference';
import {
  POD_HEALTH_METRICS,
  PodHealthProfile,
  podHealthLevel,
  podHealthSeries,
} from '../src/config/catalog/pod-health-metrics';
import { EMF_UNITS } from '../src/config/components/awsemf-exporter';
import { podHealthReceiver } from '../src/config/pipelines/pod-health-pipeline';
import { PodNaming } from '../src/config/pod-naming';
import { buildConfig, DEFAULT_CONFIG_OPTIONS } from './support/collector';
import { parseExposition } from './support/exposition';
import {
  asCollectorReads,
  type EmittedValue,
  type Metric,
  PipelineModel,
  POD_HEALTH_PIPELINE_MODEL,
  sent,
  sentAll,
} from './support/pipeline-model';
import { PROPERTY_SEED } from './support/property';
import { relabel } from './support/relabel';

/**
 * kube-state-metrics' exposition for a small cluster, in its own format:
 * - shop/web-7d9f8b6c5-x2x4z (a pod of Deployment web) runs and is ready;
 * - shop/web-7d9f8b6c5-b5q7z runs but its container is crash-looping (5, then 7 restarts);
 * - shop/web-7d9f8b6c5-k2x9m is pending, its image cannot be pulled;
 * - batch/db-0 (StatefulSet db) runs; its container was OOM-killed once (1, then 2 restarts);
 * - Deployment shop/web wants 3 replicas and has 2; StatefulSet batch/db has
 *   its 2; DaemonSet kube-system/probe (on an EC2 node) has 0 of 1;
 * - Service shop/web has the first pod ready (in two of its EndpointSlices, as while the controller moves it) and the second not;
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
${phases('web-7d9f8b6c5-x2x4z', 'shop', 'Running')}
${phases('web-7d9f8b6c5-b5q7z', 'shop', 'Running')}
${phases('web-7d9f8b6c5-k2x9m', 'shop', 'Pending')}
${phases('db-0', 'batch', 'Running')}
${ready('web-7d9f8b6c5-x2x4z', 'shop', 'true')}
${ready('web-7d9f8b6c5-b5q7z', 'shop', 'false')}
${ready('web-7d9f8b6c5-k2x9m', 'shop', 'false')}
${ready('db-0', 'batch', 'true')}
${container('web-7d9f8b6c5-x2x4z', 'shop', 'running', 0)}
${container('web-7d9f8b6c5-b5q7z', 'shop', 'waiting', webBRestarts)}
${container('web-7d9f8b6c5-k2x9m', 'shop', 'waiting', 0)}
${container('db-0', 'batch', 'running', jobRestarts)}
kube_pod_container_status_waiting_reason{namespace="shop",pod="web-7d9f8b6c5-b5q7z",uid="u-web-7d9f8b6c5-b5q7z",container="app",reason="CrashLoopBackOff"} 1
kube_pod_container_status_waiting_reason{namespace="shop",pod="web-7d9f8b6c5-k2x9m",uid="u-web-7d9f8b6c5-k2x9m",container="app",reason="ImagePullBackOff"} 1
kube_pod_container_status_last_terminated_reason{namespace="shop",pod="web-7d9f8b6c5-b5q7z",uid="u-web-7d9f8b6c5-b5q7z",container="app",reason="Error"} 1
kube_pod_container_status_last_terminated_reason{namespace="batch",pod="db-0",uid="u-db-0",container="app",reason="OOMKilled"} 1
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
kube_endpointslice_endpoints{namespace="shop",endpointslice="web-b5q7z",ready="true",serving="true",hostname="",terminating="false",targetref_kind="Pod",targetref_name="web-7d9f8b6c5-x2x4z",targetref_namespace="shop",endpoint_nodename="fargate-ip-10-0-0-1",endpoint_zone="eu-west-1a",address="10.0.0.1"} 1
kube_endpointslice_endpoints{namespace="shop",endpointslice="web-k2x9m",ready="true",serving="true",hostname="",terminating="false",targetref_kind="Pod",targetref_name="web-7d9f8b6c5-x2x4z",targetref_namespace="shop",endpoint_nodename="fargate-ip-10-0-0-1",endpoint_zone="eu-west-1a",address="10.0.0.1"} 1
kube_endpointslice_endpoints{namespace="shop",endpointslice="web-b5q7z",ready="false",serving="false",hostname="",terminating="false",targetref_kind="Pod",targetref_name="web-7d9f8b6c5-b5q7z",targetref_namespace="shop",endpoint_nodename="fargate-ip-10-0-0-2",endpoint_zone="eu-west-1a",address="10.0.0.2"} 1
${node('fargate-ip-10-0-0-1', true)}
${node('fargate-ip-10-0-0-2', true)}
${node('fargate-ip-10-0-0-3', true)}
${node('fargate-ip-10-0-0-4', false)}
`;
}

const CLUSTER = 'prod-eu';

function run(
  profile: PodHealthProfile,
  podNaming = PodNaming.WORKLOAD,
): { first: EmittedValue[]; second: EmittedValue[]; metrics: Metric[] } {
  const config = buildConfig({
    podNaming,
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
  const metrics = model.scrape(parseExposition(exposition(7, 2)), {}, 60);
  return { first, second: model.emitted(metrics), metrics };
}

const WEB = ['web-7d9f8b6c5-x2x4z', 'web-7d9f8b6c5-b5q7z', 'web-7d9f8b6c5-k2x9m'] as const;
const workload = (name: string, ns: string) => ({ PodName: name, Namespace: ns, ClusterName: CLUSTER });
const namespace = (ns: string) => ({ Namespace: ns, ClusterName: CLUSTER });
const cluster = { ClusterName: CLUSTER };

/** The dimension sets each metric is declared in, by a profile and a naming. */
function declaredSets(profile: PodHealthProfile, podNaming: PodNaming): Map<string, Set<string>> {
  const sets = new Map<string, Set<string>>();
  for (const { metric, computation } of podHealthSeries(profile)) {
    if (computation.logsOnly === true) continue;
    const set = sets.get(metric.name) ?? new Set();
    for (const dimensions of podHealthLevel(computation.level, podNaming).dimensions) {
      set.add([...dimensions].sort().join(','));
    }
    sets.set(metric.name, set);
  }
  return sets;
}

describe('pod health through the pipeline model, full profile, by workload', () => {
  const { first, second, metrics } = run(PodHealthProfile.FULL);

  test('pod status per namespace and in the cluster; per pod in the log events only', () => {
    expect(sent(second, 'pod_status_pending', namespace('shop'))).toBe(1);
    expect(sent(second, 'pod_status_pending', namespace('batch'))).toBe(0);
    expect(sent(second, 'pod_status_pending', cluster)).toBe(1);
    expect(sent(second, 'pod_status_ready', cluster)).toBe(2);
    expect(sent(second, 'pod_status_failed', cluster)).toBe(0);
    // pod_status_running is namespace_number_of_running_pods again: in the log events only.
    expect(second.filter((e) => e.metric === 'pod_status_running')).toStrictEqual([]);
    const running = metrics.find(
      (m) => m.name === 'pod_status_running' && m.points.some((p) => p.attrs.Type === 'Pod'),
    );
    expect(running?.points.find((p) => p.attrs.FullPodName === WEB[0])?.attrs).toMatchObject({
      PodName: 'web',
      FullPodName: WEB[0],
      Namespace: 'shop',
      Type: 'Pod',
    });
  });

  test('the crash-looping, the image that cannot be pulled and the OOM-killed container, per namespace', () => {
    expect(sent(second, 'pod_container_status_waiting_reason_crash_loop_back_off', namespace('shop'))).toBe(1);
    expect(sent(second, 'pod_container_status_waiting_reason_crash_loop_back_off', cluster)).toBe(1);
    expect(sent(second, 'pod_container_status_waiting_reason_image_pull_error', namespace('shop'))).toBe(1);
    expect(sent(second, 'pod_container_status_terminated_reason_oom_killed', namespace('batch'))).toBe(1);
    // No container of shop's was ever OOM-killed: kube-state-metrics has no such series, so no value.
    expect(sent(second, 'pod_container_status_terminated_reason_oom_killed', namespace('shop'))).toBeUndefined();
    expect(sent(second, 'pod_container_status_terminated_reason_oom_killed', cluster)).toBe(1);
    expect(sent(second, 'pod_container_status_waiting', cluster)).toBe(2);
    expect(sent(second, 'pod_container_status_waiting', namespace('shop'))).toBeUndefined();
  });

  test('restarts: the increase since the previous scrape, none on the first; per workload, CloudWatch adds up its pods', () => {
    expect(first.filter((e) => e.metric === 'pod_number_of_container_restarts')).toEqual([]);
    // The Deployment's three pods are three values of one metric: Sum 2, Maximum 2.
    expect(sentAll(second, 'pod_number_of_container_restarts', workload('web', 'shop')).sort()).toStrictEqual([
      0, 0, 2,
    ]);
    expect(sent(second, 'pod_number_of_container_restarts', workload('db', 'batch'))).toBe(1);
    expect(sent(second, 'pod_number_of_container_restarts', namespace('shop'))).toBe(2);
    expect(sent(second, 'pod_number_of_container_restarts', cluster)).toBe(3);
  });

  test('running pods per namespace, per service and in the cluster; nodes', () => {
    expect(sent(second, 'namespace_number_of_running_pods', namespace('shop'))).toBe(2);
    expect(sent(second, 'namespace_number_of_running_pods', namespace('batch'))).toBe(1);
    expect(sent(second, 'namespace_number_of_running_pods', cluster)).toBe(3);
    expect(sent(second, 'cluster_number_of_running_pods', cluster)).toBe(3);
    // The first pod is in two EndpointSlices: one running pod.
    expect(sent(second, 'service_number_of_running_pods', { Service: 'web', ...namespace('shop') })).toBe(1);
    expect(sent(second, 'service_number_of_running_pods', cluster)).toBe(1);
    expect(sent(second, 'cluster_node_count', cluster)).toBe(4);
    expect(sent(second, 'cluster_failed_node_count', cluster)).toBe(1);
  });

  test('workload replicas: the deployment below its desired count', () => {
    const web = workload('web', 'shop');
    expect(sent(second, 'replicas_desired', web)).toBe(3);
    expect(sent(second, 'replicas_ready', web)).toBe(2);
    // Desired minus unavailable: in the log events only.
    expect(sent(second, 'status_replicas_available', web)).toBeUndefined();
    expect(sent(second, 'status_replicas_unavailable', web)).toBe(1);
    expect(sent(second, 'replicas_ready', workload('db', 'batch'))).toBe(2);
    expect(sent(second, 'status_replicas_unavailable', workload('db', 'batch'))).toBeUndefined();
    expect(sent(second, 'status_replicas_unavailable', workload('probe', 'kube-system'))).toBe(1);
    // The Deployment's and the DaemonSet's unavailable replicas, merged.
    expect(sent(second, 'status_replicas_unavailable', cluster)).toBe(2);
  });

  test('each value is sent in a dimension set of its level, never in another, and every declared metric is sent', () => {
    const sets = declaredSets(PodHealthProfile.FULL, PodNaming.WORKLOAD);
    for (const e of second) {
      expect(sets.get(e.metric), e.metric).toContain(Object.keys(e.dimensions).sort().join(','));
    }
    // Only a workload's pods share a set of dimension values.
    for (const e of second.filter(
      (e) => !(e.metric === 'pod_number_of_container_restarts' && 'PodName' in e.dimensions),
    )) {
      sent(second, e.metric, { ...e.dimensions });
    }
    expect(new Set(second.map((e) => e.metric))).toEqual(new Set(sets.keys()));
  });
});

describe('pod health by pod naming', () => {
  test('pod: PodName is the pod, as the AWS reference manifest names it', () => {
    const { second } = run(PodHealthProfile.FULL, PodNaming.POD);
    expect(sent(second, 'pod_number_of_container_restarts', workload(WEB[1], 'shop'))).toBe(2);
    expect(sent(second, 'pod_number_of_container_restarts', workload('web', 'shop'))).toBeUndefined();
    expect(second.some((e) => 'FullPodName' in e.dimensions)).toBe(false);
  });

  test('workloadAndPod: the workload, and each pod with FullPodName', () => {
    const { second } = run(PodHealthProfile.FULL, PodNaming.WORKLOAD_AND_POD);
    expect(sent(second, 'pod_number_of_container_restarts', { ...workload('web', 'shop'), FullPodName: WEB[1] })).toBe(
      2,
    );
    expect(sentAll(second, 'pod_number_of_container_restarts', workload('web', 'shop'))).toHaveLength(3);
  });

  test('the workload from the pod name: each kind of owner, and an ownerless pod', () => {
    const rules = podHealthReceiver(DEFAULT_CONFIG_OPTIONS, {
      profile: PodHealthProfile.FULL,
      target: 'ksm:8080',
      pod: { size: '', monthlyUsd: 0 },
    }).config.scrape_configs[0]?.metric_relabel_configs;
    const workloadOf = (pod: string) =>
      relabel({ __name__: 'kube_pod_status_phase', namespace: 'shop', pod }, rules ?? [])?.workload;
    expect(workloadOf('web-7d9f8b6c5-x2x4z')).toBe('web'); // Deployment
    expect(workloadOf('api-server-5c6b7d8f9-q2w4r')).toBe('api-server'); // Deployment, a name with a dash
    expect(workloadOf('db-0')).toBe('db'); // StatefulSet
    expect(workloadOf('kafka-broker-12')).toBe('kafka-broker'); // StatefulSet
    expect(workloadOf('probe-x2x4z')).toBe('probe'); // DaemonSet
    expect(workloadOf('migrate-h7k2p')).toBe('migrate'); // Job
    expect(workloadOf('report-29612345-h7k2p')).toBe('report'); // CronJob's Job
    expect(workloadOf('debug')).toBe('debug'); // ownerless
    expect(workloadOf('curl-test')).toBe('curl-test'); // ownerless: "test" has a vowel
    expect(relabel({ __name__: 'kube_node_info', node: 'n' }, rules ?? [])).not.toHaveProperty('workload');
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
      const ours = [...(declaredSets(PodHealthProfile.FULL, PodNaming.WORKLOAD).get(name) ?? [])];
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
