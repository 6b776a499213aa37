import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { afterAll, describe, expect, test } from 'vitest';
import { buildApp } from '../packages/cdk8s-fargate-container-insights-cli/src/app/app';
import { settingsFromEnvironment } from '../packages/cdk8s-fargate-container-insights-cli/src/app/app-settings';
import { FargateContainerInsightsCollector } from '../src/collector/fargate-container-insights-collector';
import { AdotVersion } from '../src/config/adot-version';
import {
  configMapChecksum,
  containerRequests,
  RESTRICTED_NAMESPACE_LABELS,
  restrictedSecurityContext,
} from '../src/fargate/pod-template';
import { SampleGoWebapp } from '../src/sample/sample-go-webapp';
import { type KubernetesObject, readManifests } from '../tools/manifests';
import { COLLECTOR_PROPS } from './support/fixtures';
import { RESTRICTED_RULES, restrictedViolations } from './support/pod-security';

const collectorProps = COLLECTOR_PROPS;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Everything the repository's app writes to dist/, plus the constructs with non-default props. */
function everyObject(): KubernetesObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'pss-'));
  dirs.push(dir);
  buildApp(settingsFromEnvironment({}), dir).synth();
  const chart = Testing.chart();
  new FargateContainerInsightsCollector(chart, 'Oldest', {
    ...collectorProps,
    namespace: 'oldest',
    adotVersion: AdotVersion.V0_40_0,
  });
  new SampleGoWebapp(chart, 'Bigger', {
    namespace: 'bigger',
    resources: { cpu: { limit: kplus.Cpu.units(2) }, memory: { limit: Size.gibibytes(4) } },
  });
  return [...readManifests(dir).flatMap((m) => m.objects), ...(Testing.synth(chart) as KubernetesObject[])];
}

const objects = everyObject();
const templates = objects
  .filter((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment')
  .map((o) => [`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, (o as any).spec.template.spec] as const);

describe('Pod Security Standard "restricted" on every pod template', () => {
  test('there are pod templates to check: the collector and the webapp, default and customized', () => {
    expect(templates.map(([name]) => name)).toStrictEqual([
      'StatefulSet fargate-container-insights/adot-collector',
      'Deployment golang/webapp',
      'StatefulSet oldest/adot-collector',
      'Deployment bigger/webapp',
    ]);
  });

  const cases = templates.flatMap(([name, pod]) => RESTRICTED_RULES.map((rule) => [name, rule.name, pod] as const));
  test.each(cases)('%s: %s', (_, ruleName, pod) => {
    const rule = RESTRICTED_RULES.find((r) => r.name === ruleName);
    expect(rule?.violations(pod)).toStrictEqual([]);
  });

  test('every namespace enforces, audits and warns about "restricted"', () => {
    const namespaces = objects.filter((o) => o.kind === 'Namespace');
    expect(namespaces).toHaveLength(4);
    for (const namespace of namespaces) {
      expect(namespace.metadata.labels, namespace.metadata.name).toStrictEqual({
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      });
    }
    expect(RESTRICTED_NAMESPACE_LABELS['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});

describe('the checker catches what it checks', () => {
  const good = () => structuredClone(templates[0][1]);
  const first = (pod: any) => pod.containers[0];
  test.each<[string, (pod: any) => void]>([
    ['no host namespaces', (pod) => Object.assign(pod, { hostNetwork: true })],
    ['no privileged containers', (pod) => Object.assign(first(pod).securityContext, { privileged: true })],
    ['no host ports', (pod) => first(pod).ports.push({ containerPort: 1, hostPort: 1 })],
    ['only restricted volume types', (pod) => pod.volumes.push({ name: 'h', hostPath: { path: '/' } })],
    ['allowPrivilegeEscalation false', (pod) => delete first(pod).securityContext.allowPrivilegeEscalation],
    [
      'runAsNonRoot true',
      (pod) => {
        delete first(pod).securityContext.runAsNonRoot;
        delete pod.securityContext.runAsNonRoot;
      },
    ],
    ['numeric non-zero runAsUser and runAsGroup', (pod) => Object.assign(first(pod).securityContext, { runAsUser: 0 })],
    [
      'seccomp profile RuntimeDefault or Localhost',
      (pod) => Object.assign(first(pod).securityContext, { seccompProfile: { type: 'Unconfined' } }),
    ],
    [
      'capabilities drop ALL, add at most NET_BIND_SERVICE',
      (pod) => Object.assign(first(pod).securityContext, { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } }),
    ],
    [
      'read-only root filesystem',
      (pod) => Object.assign(first(pod).securityContext, { readOnlyRootFilesystem: false }),
    ],
    ['memory limit', (pod) => delete first(pod).resources.limits.memory],
    [
      'no Windows host process',
      (pod) => Object.assign(first(pod).securityContext, { windowsOptions: { hostProcess: true } }),
    ],
    ['default /proc mount', (pod) => Object.assign(first(pod).securityContext, { procMount: 'Unmasked' })],
    [
      'no custom SELinux user or role',
      (pod) => Object.assign(pod.securityContext, { seLinuxOptions: { role: 'sysadm_r' } }),
    ],
    [
      'only safe sysctls',
      (pod) => Object.assign(pod.securityContext, { sysctls: [{ name: 'kernel.msgmax', value: '1' }] }),
    ],
  ])('%s', (ruleName, breakIt) => {
    expect(RESTRICTED_RULES.map((r) => r.name)).toContain(ruleName);
    const pod = good();
    expect(restrictedViolations(pod)).toStrictEqual([]);
    breakIt(pod);
    const violations = restrictedViolations(pod);
    expect(violations.length).toBeGreaterThan(0);
    expect(
      violations.every((v) => v.startsWith(`${ruleName}: `)),
      violations.join('; '),
    ).toBe(true);
  });

  test('a container added without the settings is caught', () => {
    const pod = good();
    pod.containers.push({ name: 'sidecar', image: 'busybox' });
    expect(restrictedViolations(pod).filter((v) => v.includes('container sidecar')).length).toBeGreaterThan(4);
  });
});

describe('restrictedSecurityContext', () => {
  test('renders the restricted settings for a numeric user', () => {
    const chart = Testing.chart();
    const pod = new kplus.Pod(chart, 'Pod', { securityContext: { user: 1000, group: 1000 } });
    pod.addContainer({
      image: 'busybox',
      securityContext: restrictedSecurityContext(1000),
      resources: { memory: { limit: Size.mebibytes(64) } },
    });
    const [object] = Testing.synth(chart) as any[];
    expect(object.spec.containers[0].securityContext).toStrictEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 1000,
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(restrictedViolations(object.spec)).toStrictEqual([]);
  });
});

describe('containerRequests', () => {
  test.each<[string, kplus.ContainerResources | undefined, { cpuMillis: number; memoryMiB: number }]>([
    [
      'requests',
      { cpu: { request: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256) } },
      { cpuMillis: 250, memoryMiB: 256 },
    ],
    [
      'limits stand in for missing requests',
      { cpu: { limit: kplus.Cpu.units(2) }, memory: { limit: Size.gibibytes(1) } },
      { cpuMillis: 2000, memoryMiB: 1024 },
    ],
    ['nothing set', undefined, { cpuMillis: 0, memoryMiB: 0 }],
    ['fractions of a CPU', { cpu: { request: kplus.Cpu.units(0.5) } }, { cpuMillis: 500, memoryMiB: 0 }],
  ])('%s', (_, resources, requests) => {
    expect(containerRequests(resources)).toStrictEqual(requests);
  });
});

describe('configMapChecksum', () => {
  test('depends on the data, not on the order of its keys', () => {
    expect(configMapChecksum({ a: '1', b: '2' })).toBe(configMapChecksum({ b: '2', a: '1' }));
    expect(configMapChecksum({ a: '1', b: '2' })).not.toBe(configMapChecksum({ a: '1', b: '3' }));
    expect(configMapChecksum({ ab: '' })).not.toBe(configMapChecksum({ a: 'b' }));
  });
});
