import { ApiObject, JsonPatch } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-29';
import type { Construct } from 'constructs';
import {
  OpenTelemetryCollectorV1Beta1,
  type OpenTelemetryCollectorV1Beta1Spec,
  type OpenTelemetryCollectorV1Beta1SpecConfig,
  OpenTelemetryCollectorV1Beta1SpecMode,
  OpenTelemetryCollectorV1Beta1SpecPodDisruptionBudgetMaxUnavailable,
  OpenTelemetryCollectorV1Beta1SpecResourcesLimits,
  OpenTelemetryCollectorV1Beta1SpecUpgradeStrategy,
  toJson_OpenTelemetryCollectorV1Beta1Spec,
} from '../../imports/opentelemetry.io';
import { SHARD_ENV } from '../config/pipelines/cadvisor-scrape';
import { escapedCollectorConfig } from '../config/render';
import { keysOf } from '../core/unknown-fields';
import { validateInstance } from '../core/validation';
import { type FargatePodSize, formatFargatePodSize } from '../fargate/fargate-size';
import { containerRequests, FARGATE_SIZE_ANNOTATION, validateFargateFit } from '../fargate/pod-template';
import { ADOT_IMAGE_USER, COLLECTOR_NAMES, collectorEnvironment, POD_INDEX_LABEL } from './collector-common';
import type { FargateContainerInsightsCollectorProps } from './collector-props';
import { COLLECTOR_PROP_NAMES } from './collector-props';
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
const OPERATOR_COLLECTOR_NAME = 'adot';

/** Kubernetes quantities of one side (requests or limits) of the resources. */
function quantities(
  resources: kplus.ContainerResources,
  side: 'request' | 'limit',
): Record<string, OpenTelemetryCollectorV1Beta1SpecResourcesLimits> {
  const cpu = resources.cpu?.[side];
  const memory = resources.memory?.[side];
  const quantity = (text: string) => OpenTelemetryCollectorV1Beta1SpecResourcesLimits.fromString(text);
  return {
    ...(cpu === undefined ? {} : { cpu: quantity(cpu.amount) }),
    ...(memory === undefined ? {} : { memory: quantity(`${memory.toMebibytes()}Mi`) }),
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

/** The props the operator collector adds to the collector's (the compiler holds the table to the interface). */
const OPERATOR_OWN_PROP_NAMES = keysOf<
  Omit<FargateContainerInsightsOperatorCollectorProps, keyof FargateContainerInsightsCollectorProps>
>({ operatorVersion: true });

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
  /** The `OpenTelemetryCollector` custom resource (`opentelemetry.io/v1beta1`). */
  public readonly collector: ApiObject;
  /**
   * The custom resource's `spec`, typed by the operator's CRD
   * (imports/opentelemetry.io.ts); `collector` is the object to change it
   * through.
   *
   * @internal
   */
  public readonly _spec: OpenTelemetryCollectorV1Beta1Spec;
  /** The vCPU and memory Fargate provisions, and bills, for each collector pod. */
  public readonly fargateSize: FargatePodSize;
  /** The operator release the custom resource is written for. */
  public readonly operatorVersion: OperatorVersion;

  public constructor(scope: Construct, id: string, props: FargateContainerInsightsOperatorCollectorProps) {
    super(scope, id, props, [...COLLECTOR_PROP_NAMES, ...OPERATOR_OWN_PROP_NAMES]);
    const resolved = this._resolved;
    validateInstance(
      'operatorVersion',
      props.operatorVersion,
      OperatorVersion,
      'an OperatorVersion, such as OperatorVersion.DEFAULT or OperatorVersion.of("v0.102.0")',
    );
    const operator = props.operatorVersion ?? OperatorVersion.DEFAULT;
    this.operatorVersion = operator;
    this.fargateSize = validateFargateFit('resources', containerRequests(resolved.resources));

    const environment = collectorEnvironment(resolved);
    const probe = (periodSeconds: number, failureThreshold: number) => ({
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 5,
    });
    this._spec = {
      mode: OpenTelemetryCollectorV1Beta1SpecMode.STATEFULSET,
      image: resolved.image,
      imagePullPolicy: 'IfNotPresent',
      replicas: resolved.replicas,
      serviceAccount: COLLECTOR_NAMES.serviceAccount,
      upgradeStrategy: OpenTelemetryCollectorV1Beta1SpecUpgradeStrategy.NONE,
      config: escapedCollectorConfig(
        this._config,
        this._configOptions.version,
      ) as unknown as OpenTelemetryCollectorV1Beta1SpecConfig,
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
      podDisruptionBudget: {
        maxUnavailable: OpenTelemetryCollectorV1Beta1SpecPodDisruptionBudgetMaxUnavailable.fromNumber(1),
      },
      // Only what the installed operator's CRD accepts: strict validation
      // would reject the whole object for one unknown field.
      ...(operator.accepts('startupProbe') ? { startupProbe: probe(5, 24) } : {}),
      ...(operator.accepts('readinessProbe') ? { readinessProbe: probe(10, 3) } : {}),
      livenessProbe: probe(30, 3),
    };
    // The spec as the CRD's generated types write it, in a plain ApiObject:
    // the generated class re-sorts every key after its patches, and cdk8s
    // sorts every object's keys, which would list the configuration's
    // exporters first. A patch is applied after sorting, so the configuration
    // reads receivers, processors, exporters, extensions, service, as the
    // collector's own files and the StatefulSet mode's ConfigMap do.
    this.collector = new ApiObject(this, 'Collector', {
      ...OpenTelemetryCollectorV1Beta1.GVK,
      metadata: { name: OPERATOR_COLLECTOR_NAME, namespace: resolved.namespaceName, labels: { app: 'aws-adot' } },
      spec: toJson_OpenTelemetryCollectorV1Beta1Spec(this._spec),
    });
    this.collector.addJsonPatch(
      JsonPatch.replace('/spec/config', escapedCollectorConfig(this._config, this._configOptions.version)),
    );
  }
}
