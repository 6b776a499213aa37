import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-29';
import type { Construct } from 'constructs';
import { SHARD_ENV } from '../config/collector-config';
import { escapedCollectorConfig } from '../config/render';
import { type FargatePodSize, formatFargatePodSize } from '../fargate/fargate-size';
import { containerRequests, FARGATE_SIZE_ANNOTATION, validateFargateFit } from '../fargate/pod-template';
import { ADOT_IMAGE_USER, COLLECTOR_NAMES, collectorEnvironment, POD_INDEX_LABEL } from './collector-base';
import { ContainerInsightsCollectorBase } from './collector-construct';
import type { FargateContainerInsightsCollectorProps } from './collector-props';

/**
 * The same collector as {@link FargateContainerInsightsCollector}, for
 * clusters running the OpenTelemetry Operator (the ADOT EKS add-on): an
 * `OpenTelemetryCollector` custom resource (`opentelemetry.io/v1beta1`, mode
 * `statefulset`) instead of the StatefulSet, ConfigMap and Service, which the
 * operator then creates.
 */

/** The custom resource's name; the operator names what it creates `<name>-collector`, so the StatefulSet is `adot-collector`. */
export const OPERATOR_COLLECTOR_NAME = 'adot';

/** A container environment variable, as the CRD's `spec.env` takes it. */
export type OperatorEnvVar =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly valueFrom: { readonly fieldRef: { readonly fieldPath: string } } };

/** Probe timings; the operator points the probes at the `health_check` extension itself. */
export interface OperatorProbe {
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly timeoutSeconds: number;
}

/**
 * The `spec` of an `OpenTelemetryCollector` (`opentelemetry.io/v1beta1`), the
 * fields we set, as read in the operator's CRD
 * (config/crd/bases/opentelemetry.io_opentelemetrycollectors.yaml).
 */
export interface OpenTelemetryCollectorSpec {
  readonly mode: 'statefulset';
  readonly image: string;
  readonly imagePullPolicy: 'IfNotPresent';
  readonly replicas: number;
  /** The service account we create, with the IRSA annotation; the operator creates none. */
  readonly serviceAccount: string;
  /** `none`: the operator must not rewrite a configuration written for a pinned release. */
  readonly upgradeStrategy: 'none';
  readonly config: Record<string, unknown>;
  readonly env: readonly OperatorEnvVar[];
  readonly resources: {
    readonly requests: Readonly<Record<string, string>>;
    readonly limits: Readonly<Record<string, string>>;
  };
  readonly podSecurityContext: {
    readonly runAsNonRoot: true;
    readonly runAsUser: number;
    readonly runAsGroup: number;
    readonly fsGroup: number;
    readonly seccompProfile: { readonly type: 'RuntimeDefault' };
  };
  readonly securityContext: {
    readonly allowPrivilegeEscalation: false;
    readonly privileged: false;
    readonly readOnlyRootFilesystem: true;
    readonly runAsNonRoot: true;
    readonly runAsUser: number;
    readonly runAsGroup: number;
    readonly capabilities: { readonly drop: readonly ['ALL'] };
    readonly seccompProfile: { readonly type: 'RuntimeDefault' };
  };
  readonly volumes: ReadonlyArray<{ readonly name: string; readonly emptyDir: Record<string, never> }>;
  readonly volumeMounts: ReadonlyArray<{ readonly name: string; readonly mountPath: string }>;
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly podDisruptionBudget: { readonly maxUnavailable: number };
  readonly startupProbe: OperatorProbe;
  readonly readinessProbe: OperatorProbe;
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
export interface FargateContainerInsightsOperatorCollectorProps extends FargateContainerInsightsCollectorProps {}

/**
 * The Container Insights collector as an OpenTelemetry Operator custom
 * resource, with the namespace, IRSA service account and least-privilege RBAC
 * it needs (the operator creates none of them). The configuration is the one
 * {@link FargateContainerInsightsCollector} renders, from the same props.
 *
 * Needs an operator that reconciles `opentelemetry.io/v1beta1` (OpenTelemetry
 * Operator 0.99.0 or later), such as the one the ADOT EKS add-on installs.
 */
export class FargateContainerInsightsOperatorCollector extends ContainerInsightsCollectorBase {
  /** The `OpenTelemetryCollector` custom resource. */
  public readonly collector: ApiObject;
  /** The custom resource's `spec`, as emitted. */
  public readonly spec: OpenTelemetryCollectorSpec;
  /** The vCPU and memory Fargate provisions, and bills, for each collector pod. */
  public readonly fargateSize: FargatePodSize;

  public constructor(scope: Construct, id: string, props: FargateContainerInsightsOperatorCollectorProps) {
    super(scope, id, props);
    const { resolved } = this;
    this.fargateSize = validateFargateFit('resources', containerRequests(resolved.resources));

    const environment = collectorEnvironment(resolved);
    const probe = (periodSeconds: number, failureThreshold: number): OperatorProbe => ({
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 5,
    });
    this.spec = {
      mode: 'statefulset',
      image: resolved.image,
      imagePullPolicy: 'IfNotPresent',
      replicas: resolved.replicas,
      serviceAccount: COLLECTOR_NAMES.serviceAccount,
      upgradeStrategy: 'none',
      config: escapedCollectorConfig(this.config),
      env: [
        { name: 'OTEL_RESOURCE_ATTRIBUTES', value: environment.OTEL_RESOURCE_ATTRIBUTES },
        { name: 'GOMEMLIMIT', value: environment.GOMEMLIMIT },
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
      startupProbe: probe(5, 24),
      readinessProbe: probe(10, 3),
      livenessProbe: probe(30, 3),
    };
    this.collector = new ApiObject(this, 'Collector', {
      apiVersion: 'opentelemetry.io/v1beta1',
      kind: 'OpenTelemetryCollector',
      metadata: { name: OPERATOR_COLLECTOR_NAME, namespace: resolved.namespaceName, labels: { app: 'aws-adot' } },
      spec: this.spec,
    });
  }
}
