/**
 * The Pod Security Standard "restricted" (which includes "baseline"), as
 * Kubernetes documents it (kubernetes.io/docs/concepts/security/pod-security-standards),
 * written as checks on a pod spec, plus the rules this library adds: a numeric
 * group, a read-only root filesystem and a memory limit on every container.
 * Each rule returns the violations it finds, so a test can name the rule.
 */

type Json = Record<string, any>;

export interface PodSecurityRule {
  readonly name: string;
  readonly violations: (pod: Json) => string[];
}

const allContainers = (pod: Json): Json[] => [
  ...(pod.initContainers ?? []),
  ...(pod.containers ?? []),
  ...(pod.ephemeralContainers ?? []),
];

/** A container setting, or the pod's when the container leaves it unset. */
const effective = (pod: Json, container: Json, key: string): unknown =>
  container.securityContext?.[key] ?? pod.securityContext?.[key];

const perContainer = (pod: Json, check: (container: Json) => string | undefined): string[] =>
  allContainers(pod).flatMap((c) => {
    const problem = check(c);
    return problem ? [`container ${c.name}: ${problem}`] : [];
  });

const ALLOWED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];

export const RESTRICTED_RULES: readonly PodSecurityRule[] = [
  // baseline
  {
    name: 'no host namespaces',
    violations: (pod) => ['hostNetwork', 'hostPID', 'hostIPC'].filter((key) => pod[key] === true),
  },
  {
    name: 'no privileged containers',
    violations: (pod) => perContainer(pod, (c) => (c.securityContext?.privileged === true ? 'privileged' : undefined)),
  },
  {
    name: 'no host ports',
    violations: (pod) =>
      perContainer(pod, (c) => ((c.ports ?? []).some((p: Json) => p.hostPort) ? 'hostPort' : undefined)),
  },
  {
    name: 'no Windows host process',
    violations: (pod) =>
      perContainer(pod, (c) =>
        (effective(pod, c, 'windowsOptions') as Json)?.hostProcess === true ? 'hostProcess' : undefined,
      ),
  },
  {
    name: 'default /proc mount',
    violations: (pod) =>
      perContainer(pod, (c) => {
        const procMount = c.securityContext?.procMount;
        return procMount !== undefined && procMount !== 'Default' ? `procMount ${procMount}` : undefined;
      }),
  },
  {
    name: 'no custom SELinux user or role',
    violations: (pod) =>
      perContainer(pod, (c) => {
        const options = effective(pod, c, 'seLinuxOptions') as Json | undefined;
        return options?.user || options?.role ? 'seLinuxOptions user/role' : undefined;
      }),
  },
  {
    name: 'only safe sysctls',
    violations: (pod) =>
      (pod.securityContext?.sysctls ?? [])
        .map((s: Json) => s.name as string)
        .filter((name: string) => !SAFE_SYSCTLS.includes(name)),
  },
  // restricted
  {
    name: 'only restricted volume types',
    violations: (pod) =>
      (pod.volumes ?? []).flatMap((v: Json) =>
        Object.keys(v)
          .filter((key) => key !== 'name' && !ALLOWED_VOLUME_TYPES.includes(key))
          .map((key) => `volume ${v.name}: ${key}`),
      ),
  },
  {
    name: 'allowPrivilegeEscalation false',
    violations: (pod) =>
      perContainer(pod, (c) => (c.securityContext?.allowPrivilegeEscalation === false ? undefined : 'may escalate')),
  },
  {
    name: 'runAsNonRoot true',
    violations: (pod) =>
      perContainer(pod, (c) => (effective(pod, c, 'runAsNonRoot') === true ? undefined : 'may run as root')),
  },
  {
    name: 'numeric non-zero runAsUser and runAsGroup',
    violations: (pod) =>
      perContainer(pod, (c) => {
        const user = effective(pod, c, 'runAsUser');
        const group = effective(pod, c, 'runAsGroup');
        const ok = (id: unknown) => Number.isInteger(id) && (id as number) > 0;
        return ok(user) && ok(group) ? undefined : `runAsUser ${user}, runAsGroup ${group}`;
      }),
  },
  {
    name: 'seccomp profile RuntimeDefault or Localhost',
    violations: (pod) =>
      perContainer(pod, (c) => {
        const type = (effective(pod, c, 'seccompProfile') as Json | undefined)?.type;
        return type === 'RuntimeDefault' || type === 'Localhost' ? undefined : `seccomp ${type}`;
      }),
  },
  {
    name: 'capabilities drop ALL, add at most NET_BIND_SERVICE',
    violations: (pod) =>
      perContainer(pod, (c) => {
        const capabilities = c.securityContext?.capabilities ?? {};
        const added = (capabilities.add ?? []).filter((cap: string) => cap !== 'NET_BIND_SERVICE');
        return (capabilities.drop ?? []).includes('ALL') && added.length === 0 ? undefined : 'capabilities';
      }),
  },
  // this library's own
  {
    name: 'read-only root filesystem',
    violations: (pod) =>
      perContainer(pod, (c) => (c.securityContext?.readOnlyRootFilesystem === true ? undefined : 'writable root')),
  },
  {
    name: 'memory limit',
    violations: (pod) => perContainer(pod, (c) => (c.resources?.limits?.memory ? undefined : 'no memory limit')),
  },
];

/** Every violation of the restricted standard in a pod spec, prefixed with its rule. */
export function restrictedViolations(pod: Json): string[] {
  return RESTRICTED_RULES.flatMap((rule) => rule.violations(pod).map((v) => `${rule.name}: ${v}`));
}
