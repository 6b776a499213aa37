import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { withoutEmptySpec } from '../core/empty-defaults';
import { claimNamespace } from '../core/namespace-claims';
import { keysOf, refuseUnknownFields } from '../core/unknown-fields';
import { validateDnsLabel, validateImage, validateInteger, validateProps, validateResources } from '../core/validation';
import type { FargatePodSize } from '../fargate/fargate-size';
import {
  annotateFargateSize,
  containerRequests,
  fargatePodSizeOf,
  RESTRICTED_NAMESPACE_LABELS,
  restrictedSecurityContext,
  validateFargateFit,
} from '../fargate/pod-template';

/** The sample image of the AWS Container Insights on Fargate walkthrough. */
const SAMPLE_GO_WEBAPP_IMAGE = 'public.ecr.aws/awsvijisarathy/prometheus-webapp:latest';

/** The sample application's pods unless told otherwise. */
export const DEFAULT_SAMPLE_REPLICAS = 2;

/** Port the sample web application listens on, and serves `/metrics` on. */
const WEBAPP_PORT = 3000;

/**
 * Runs the process as `nobody`: a numeric user lets the kubelet enforce
 * `runAsNonRoot` whatever user the image declares.
 */
const NOBODY = 65534;

/**
 * Default CPU and memory, as requests and limits: 0.25 vCPU and 256 MiB, plus
 * the 256 MiB Fargate adds, fill Fargate's smallest size, 0.25 vCPU 0.5 GB.
 */
const DEFAULT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(250) },
  memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) },
};

/** What Fargate provisions for each pod with the default resources: 0.25 vCPU 0.5 GB. */
export const DEFAULT_SAMPLE_FARGATE_SIZE: FargatePodSize = validateFargateFit(
  'resources',
  containerRequests(DEFAULT_RESOURCES),
);

/** Every prop of {@link SampleGoWebappProps} (the compiler holds the table to the interface). */
const SAMPLE_PROP_NAMES = keysOf<SampleGoWebappProps>({
  namespace: true,
  replicas: true,
  image: true,
  resources: true,
});

/** Properties of a {@link SampleGoWebapp}. */
export interface SampleGoWebappProps {
  /**
   * Namespace to create and run the application in. Needs a Fargate profile.
   *
   * @default 'golang'
   */
  readonly namespace?: string;

  /**
   * Number of pods. On Fargate each pod is a node, so each replica shows up as
   * its own pod in Container Insights.
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Image of the application. Pin a digest (`...prometheus-webapp@sha256:...`)
   * for repeatable deployments: the upstream sample publishes only `latest`.
   *
   * @default 'public.ecr.aws/awsvijisarathy/prometheus-webapp:latest'
   */
  readonly image?: string;

  /**
   * CPU and memory of the container; a memory limit is required. Fargate sizes
   * and bills each pod by its requests plus 256 MiB, rounded up to its size
   * table (see `fargateSize`); set requests equal to limits.
   *
   * @default 250m CPU and 256 MiB, as requests and limits: Fargate size 0.25 vCPU 0.5 GB
   */
  readonly resources?: kplus.ContainerResources;
}

/**
 * The sample Go web application of the AWS walkthrough, to see pod metrics
 * reach Container Insights: namespace `golang`, Deployment `webapp`.
 */
export class SampleGoWebapp extends Construct {
  /** The namespace the application runs in. */
  public readonly namespace: kplus.Namespace;
  /** Deployment `webapp`. */
  public readonly deployment: kplus.Deployment;
  /** The application container of the Deployment's pod template. */
  public readonly container: kplus.Container;
  /** The number of pods. */
  public readonly replicas: number;

  public constructor(scope: Construct, id: string, props: SampleGoWebappProps = {}) {
    super(scope, id);

    validateProps('props', props);
    refuseUnknownFields(undefined, props, SAMPLE_PROP_NAMES);
    const namespaceName = validateDnsLabel('namespace', props.namespace ?? 'golang');
    const replicas = validateInteger('replicas', props.replicas ?? DEFAULT_SAMPLE_REPLICAS, 0, 1000);
    this.replicas = replicas;
    const image = validateImage('image', props.image ?? SAMPLE_GO_WEBAPP_IMAGE);
    const resources = validateResources('resources', props.resources ?? DEFAULT_RESOURCES);
    validateFargateFit('resources', containerRequests(resources));
    claimNamespace(this, 'namespace', namespaceName);

    const labels = { app: 'webapp', role: 'webapp-service' };

    this.namespace = new kplus.Namespace(this, 'Namespace', {
      metadata: { name: namespaceName, labels: { ...RESTRICTED_NAMESPACE_LABELS } },
    });
    withoutEmptySpec(this.namespace);

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: 'webapp', namespace: namespaceName, labels },
      replicas,
      select: false,
      podMetadata: {
        labels,
        annotations: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': String(WEBAPP_PORT),
          'prometheus.io/path': '/metrics',
        },
      },
      securityContext: { user: NOBODY, group: NOBODY, ensureNonRoot: true },
    });
    this.deployment.select(kplus.LabelSelector.of({ labels }));
    annotateFargateSize(this.deployment);

    this.container = this.deployment.addContainer({
      name: 'go',
      image,
      portNumber: WEBAPP_PORT,
      // Started (the default startup probe) and still serving on its port.
      readiness: kplus.Probe.fromTcpSocket({ port: WEBAPP_PORT }),
      liveness: kplus.Probe.fromTcpSocket({ port: WEBAPP_PORT }),
      resources,
      securityContext: restrictedSecurityContext(NOBODY),
    });
  }

  /**
   * The vCPU and memory Fargate provisions, and bills, for each pod: the
   * containers' requests plus 256 MiB, rounded up to Fargate's size table.
   * Also written to the pod template as the
   * `fargate-container-insights/fargate-size` annotation.
   */
  public get fargateSize(): FargatePodSize {
    return fargatePodSizeOf(this.deployment);
  }
}
