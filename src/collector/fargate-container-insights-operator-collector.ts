import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-29';
import type { Construct } from 'constructs';
import { SHARD_ENV } from '../config/pipelines/cadvisor-scrape';
import { escapedCollectorConfig } from '../config/render';
import { invalidInput } from '../core/errors';
import { type FargatePodSize, formatFargatePodSize } from '../fargate/fargate-size';
import { containerRequests, FARGATE_SIZE_ANNOTATION, validateFargateFit } from '../fargate/pod-template';
import { ADOT_IMAGE_USER, COLLECTOR_NAMES, collectorEnvironment, POD_INDEX_LABEL } from './collector-common';
import type { FargateContainerInsightsCollectorProps } from './collector-props';
import { ContainerInsightsCollectorBase } from './container-insights-collector-base';
import { OperatorVersion } from './operator-version';

/**
 * The same collector as {@link FargateContainerInsightsCollector}, for
 * clusters running the OpenTelemetry Operator (the ADOT EKS add-on): an
 * `OpenTelemetryCollector` custom resource (`opentelemetry.io/v1beta1`, mode
 * `statefulset`) instead of the StatefulSet, ConfigMap and Service, which the
 * operator then creates.
 */

/** The custom resource's name; the operator names what it creates `<name>-collector`, so the StatefulSet is `adot-collector`. */
export const OPERATOR_COLLECTOR_NAME = 'adot';

/** A container environment variable with a literal value. */
export interface OperatorEnvValue {
  /** The variable's name. */
  readonly name: string;
  /** Its value. */
  readonly value: string;
}

/** A container environment variable read from a field of the pod. */
export interface OperatorEnvFieldRef {
  /** The variable's name. */
  readonly name: string;
  /** Where its value comes from. */
  readonly valueFrom: {
    /** A field of the pod. */
    readonly fieldRef: {
      /** The field's path, e.g. `metadata.labels['apps.kubernetes.io/pod-index']`. */
      readonly fieldPath: string;
    };
  };
}

/** A container environment variable, as the CRD's `spec.env` takes it. */
export type OperatorEnvVar = OperatorEnvValue | OperatorEnvFieldRef;

/** Probe timings; the operator points the probes at the `health_check` extension itself. */
export interface OperatorProbe {
  /** Seconds between probes. */
  readonly periodSeconds: number;
  /** Failed probes in a row before the container is restarted (liveness, startup) or unready (readiness). */
  readonly failureThreshold: number;
  /** Seconds a probe may take. */
  readonly timeoutSeconds: number;
}

/** The `seccompProfile` of a security context. */
export interface OperatorSeccompProfile {
  /** The container runtime's default system-call filter. */
  readonly type: 'RuntimeDefault';
}

/** The pod's security context: a numeric non-root user, Pod Security "restricted". */
export interface OperatorPodSecurityContext {
  /** The kubelet refuses to start a container as root. */
  readonly runAsNonRoot: true;
  /** The user id, the ADOT image's own. */
  readonly runAsUser: number;
  /** The group id. */
  readonly runAsGroup: number;
  /** The group that owns mounted volumes. */
  readonly fsGroup: number;
  /** The system-call filter. */
  readonly seccompProfile: OperatorSeccompProfile;
}

/** The collector container's security context: Pod Security "restricted", read-only root filesystem. */
export interface OperatorContainerSecurityContext {
  /** No setuid path to more privileges. */
  readonly allowPrivilegeEscalation: false;
  /** Not privileged. */
  readonly privileged: false;
  /** The collector writes only to its `/tmp` volume. */
  readonly readOnlyRootFilesystem: true;
  /** The kubelet refuses to start the container as root. */
  readonly runAsNonRoot: true;
  /** The user id, the ADOT image's own. */
  readonly runAsUser: number;
  /** The group id. */
  readonly runAsGroup: number;
  /** Linux capabilities. */
  readonly capabilities: {
    /** Every capability dropped. */
    readonly drop: readonly ['ALL'];
  };
  /** The system-call filter. */
  readonly seccompProfile: OperatorSeccompProfile;
}

/**
 * The `spec` of an `OpenTelemetryCollector` (`opentelemetry.io/v1beta1`), the
 * fields we set, as read in the operator's CRD
 * (config/crd/bases/opentelemetry.io_opentelemetrycollectors.yaml).
 */
export interface OpenTelemetryCollectorSpec {
  /** The operator runs the collector as a StatefulSet. */
  readonly mode: 'statefulset';
  /** The collector image, pinned to the ADOT release. */
  readonly image: string;
  /** Pull the pinned image only when the node does not have it. */
  readonly imagePullPolicy: 'IfNotPresent';
  /** Collector pods; more than one share the nodes between them. */
  readonly replicas: number;
  /** The service account we create, with the IRSA annotation; the operator creates none. */
  readonly serviceAccount: string;
  /** `none`: the operator must not rewrite a configuration written for a pinned release. */
  readonly upgradeStrategy: 'none';
  /** The collector configuration, `$` escaped as in the ConfigMap of the StatefulSet mode. */
  readonly config: Record<string, unknown>;
  /** The collector container's environment. */
  readonly env: readonly OperatorEnvVar[];
  /** The collector container's CPU and memory. */
  readonly resources: {
    /** Requests, which Fargate sizes the pod by. */
    readonly requests: Readonly<Record<string, string>>;
    /** Limits, equal to the requests. */
    readonly limits: Readonly<Record<string, string>>;
  };
  /** The pod's security context. */
  readonly podSecurityContext: OperatorPodSecurityContext;
  /** The collector container's security context. */
  readonly securityContext: OperatorContainerSecurityContext;
  /** The pod's volumes: an `emptyDir` for `/tmp`. */
  readonly volumes: ReadonlyArray<{
    /** The volume's name. */
    readonly name: string;
    /** An empty folder that lives as long as the pod. */
    readonly emptyDir: Record<string, never>;
  }>;
  /** Where the volumes are mounted in the collector container. */
  readonly volumeMounts: ReadonlyArray<{
    /** The volume's name. */
    readonly name: string;
    /** The path it is mounted at. */
    readonly mountPath: string;
  }>;
  /** Annotations of the pods: the computed Fargate size. */
  readonly podAnnotations: Readonly<Record<string, string>>;
  /** The PodDisruptionBudget the operator creates. */
  readonly podDisruptionBudget: {
    /** Pods that may be evicted at once. */
    readonly maxUnavailable: number;
  };
  /** Gives the collector time to start before liveness applies (operator v0.137.0 or later). */
  readonly startupProbe?: OperatorProbe;
  /** Takes the pod out of its Service while it cannot serve (operator v0.102.0 or later). */
  readonly readinessProbe?: OperatorProbe;
  /** Restarts a collector that stopped answering. */
  readonly livenessProbe: OperatorProbe;
}

/** Kubernetes quantities of one side (requests or limits) of the resources. */
function quantities(resources: kplus.ContainerResources, side: 'request' | 'limit'): Record<string, string> {
  const cpu = resources.cpu?.[side];
  const memory = resources.memory?.[side];
  return {
    ...(cpu === undefined ? {} : { cpu: cpu.amount }),
    ...(memory === undefined ? {} : { memory: `${memory.toMebibytes()}Mi` }),
  };
}

/** Properties of a {@link FargateContainerInsightsOperatorCollector}: the same as the StatefulSet mode's. */
export interface FargateContainerInsightsOperatorCollectorProps extends FargateContainerInsightsCollectorProps {
  /**
   * The OpenTelemetry Operator release installed in the cluster. The custom
   * resource carries only the `spec` fields its CRD accepts
   * (`OPERATOR_SPEC_FIELDS`): before v0.137.0 no `startupProbe`, before
   * v0.102.0 no `readinessProbe`. From v0.99.0, the first release that
   * reconciles `opentelemetry.io/v1beta1`.
   *
   * @default OperatorVersion.DEFAULT (v0.156.0, what the ADOT EKS add-on installs)
   */
  readonly operatorVersion?: OperatorVersion;
}

/**
 * The Container Insights collector as an OpenTelemetry Operator custom
 * resource, with the namespace, IRSA service account and least-privilege RBAC
 * it needs (the operator creates none of them). The configuration is the one
 * {@link FargateContainerInsightsCollector} renders, from the same props.
 *
 * Needs an operator that reconciles `opentelemetry.io/v1beta1` (OpenTelemetry
 * Operator v0.99.0 or later), such as the one the ADOT EKS add-on installs;
 * `operatorVersion` says which, so the resource carries only what its CRD
 * accepts.
 */
export class FargateContainerInsightsOperatorCollector extends ContainerInsightsCollectorBase {
  /** The `OpenTelemetryCollector` custom resource. */
  public readonly collector: ApiObject;
  /**
   * The custom resource's `spec`, as emitted; `collector` is the object to
   * change it through.
   *
   * @internal
   */
  public readonly _spec: OpenTelemetryCollectorSpec;
  /** The vCPU and memory Fargate provisions, and bills, for each collector pod. */
  public readonly fargateSize: FargatePodSize;
  /** The operator release the custom resource is written for. */
  public readonly operatorVersion: OperatorVersion;

  public constructor(scope: Construct, id: string, props: FargateContainerInsightsOperatorCollectorProps) {
    super(scope, id, props);
    const resolved = this._resolved;
    if (props.operatorVersion !== undefined && !(props.operatorVersion instanceof OperatorVersion)) {
      invalidInput(
        'operatorVersion',
        props.operatorVersion,
        'an OperatorVersion, such as OperatorVersion.DEFAULT or OperatorVersion.of("v0.102.0")',
      );
    }
    const operator = props.operatorVersion ?? OperatorVersion.DEFAULT;
    this.operatorVersion = operator;
    this.fargateSize = validateFargateFit('resources', containerRequests(resolved.resources));

    const environment = collectorEnvironment(resolved);
    const probe = (periodSeconds: number, failureThreshold: number): OperatorProbe => ({
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 5,
    });
    this._spec = {
      mode: 'statefulset',
      image: resolved.image,
      imagePullPolicy: 'IfNotPresent',
      replicas: resolved.replicas,
      serviceAccount: COLLECTOR_NAMES.serviceAccount,
      upgradeStrategy: 'none',
      config: escapedCollectorConfig(this._config),
      env: [
        ...Object.entries(environment).map(([name, value]) => ({ name, value })),
        // The shard this pod scrapes: its index in the StatefulSet (0, 1, ...).
        ...(resolved.replicas > 1
          ? [{ name: SHARD_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${POD_INDEX_LABEL}']` } } }]
          : []),
      ],
      resources: {
        requests: quantities(resolved.resources, 'request'),
        limits: quantities(resolved.resources, 'limit'),
      },
      podSecurityContext: {
        runAsNonRoot: true,
        runAsUser: ADOT_IMAGE_USER,
        runAsGroup: ADOT_IMAGE_USER,
        fsGroup: 65534,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: ADOT_IMAGE_USER,
        runAsGroup: ADOT_IMAGE_USER,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      // The root filesystem is read-only; give the process a writable /tmp.
      volumes: [{ name: 'tmp', emptyDir: {} }],
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      podAnnotations: { [FARGATE_SIZE_ANNOTATION]: formatFargatePodSize(this.fargateSize) },
      podDisruptionBudget: { maxUnavailable: 1 },
      // Only what the installed operator's CRD accepts: strict validation
      // would reject the whole object for one unknown field.
      ...(operator.accepts('startupProbe') ? { startupProbe: probe(5, 24) } : {}),
      ...(operator.accepts('readinessProbe') ? { readinessProbe: probe(10, 3) } : {}),
      livenessProbe: probe(30, 3),
    };
    this.collector = new ApiObject(this, 'Collector', {
      apiVersion: 'opentelemetry.io/v1beta1',
      kind: 'OpenTelemetryCollector',
      metadata: { name: OPERATOR_COLLECTOR_NAME, namespace: resolved.namespaceName, labels: { app: 'aws-adot' } },
      spec: this._spec,
    });
  }
}
