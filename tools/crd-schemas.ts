import { object, type Schema } from './json-schema';

/**
 * JSON schemas of the custom resources we emit (the GitOps objects and the
 * OpenTelemetryCollector) and of kustomization.yaml, for validating them like
 * the Kubernetes objects. Each is the subset of its CRD (or, for kustomize,
 * of the Kustomization file format) that we set: the same types, patterns,
 * enums and required fields as the source below, and no other field
 * (`additionalProperties: false`), so a misspelt or unsupported field fails.
 *
 * - OpenTelemetryCollector: opentelemetry-operator config/crd/bases/opentelemetry.io_opentelemetrycollectors.yaml (v1beta1)
 * - ApplicationSet: argo-cd manifests/crds/applicationset-crd.yaml (argoproj.io/v1alpha1)
 * - GitRepository: fluxcd/source-controller config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml (v1)
 * - Kustomization: fluxcd/kustomize-controller config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml (v1)
 * - kustomization.yaml: kustomize api/types/kustomization.go (kustomize.config.k8s.io/v1beta1)
 */

const string: Schema = { type: 'string' };
const boolean: Schema = { type: 'boolean' };
const strings: Schema = { type: 'array', items: string };

/** metadata of a namespaced object: a DNS subdomain name and a namespace. */
const metadata = object(
  {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$' },
    namespace: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
  ['name', 'namespace'],
);

function kind(apiVersion: string, name: string, spec: Schema): Schema {
  return object({ apiVersion: { const: apiVersion }, kind: { const: name }, metadata, spec }, [
    'apiVersion',
    'kind',
    'metadata',
    'spec',
  ]);
}

// Flux: "^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$" for interval and Kustomization timeout.
const fluxDuration: Schema = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$' };

// Kubernetes quantities, as the CRDs take them (int-or-string with this pattern).
const quantity: Schema = {
  type: 'string',
  pattern:
    '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
};
const quantities: Schema = { type: 'object', additionalProperties: quantity };
const positive: Schema = { type: 'integer', minimum: 1 };
const probe = object({ periodSeconds: positive, failureThreshold: positive, timeoutSeconds: positive });
// The collector configuration: the CRD requires these sections and keeps what is in them.
const collectorSection: Schema = { type: 'object' };

/** Schemas by `apiVersion/kind`. */
export const CRD_SCHEMAS: Readonly<Record<string, Schema>> = {
  'opentelemetry.io/v1beta1/OpenTelemetryCollector': kind(
    'opentelemetry.io/v1beta1',
    'OpenTelemetryCollector',
    object(
      {
        mode: { enum: ['daemonset', 'deployment', 'sidecar', 'statefulset'] },
        image: string,
        imagePullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
        replicas: { type: 'integer', minimum: 0 },
        serviceAccount: string,
        upgradeStrategy: { enum: ['automatic', 'none'] },
        config: {
          type: 'object',
          required: ['exporters', 'receivers', 'service'],
          properties: {
            connectors: collectorSection,
            exporters: collectorSection,
            extensions: collectorSection,
            processors: collectorSection,
            receivers: collectorSection,
            service: collectorSection,
          },
          additionalProperties: false,
        },
        env: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: string,
              value: string,
              valueFrom: object({ fieldRef: object({ fieldPath: string }) }),
            },
          },
        },
        resources: object({ requests: quantities, limits: quantities }, []),
        podSecurityContext: object(
          {
            runAsNonRoot: boolean,
            runAsUser: { type: 'integer' },
            runAsGroup: { type: 'integer' },
            fsGroup: { type: 'integer' },
            seccompProfile: object({ type: { enum: ['Localhost', 'RuntimeDefault', 'Unconfined'] } }),
          },
          [],
        ),
        securityContext: object(
          {
            allowPrivilegeEscalation: boolean,
            privileged: boolean,
            readOnlyRootFilesystem: boolean,
            runAsNonRoot: boolean,
            runAsUser: { type: 'integer' },
            runAsGroup: { type: 'integer' },
            capabilities: object({ drop: strings }),
            seccompProfile: object({ type: { enum: ['Localhost', 'RuntimeDefault', 'Unconfined'] } }),
          },
          [],
        ),
        volumes: { type: 'array', items: object({ name: string, emptyDir: object({}, []) }, ['name']) },
        volumeMounts: { type: 'array', items: object({ name: string, mountPath: string }) },
        podAnnotations: { type: 'object', additionalProperties: string },
        podDisruptionBudget: object({ maxUnavailable: { anyOf: [{ type: 'integer' }, { type: 'string' }] } }, []),
        startupProbe: probe,
        readinessProbe: probe,
        livenessProbe: probe,
      },
      ['config'],
    ),
  ),
  'argoproj.io/v1alpha1/ApplicationSet': kind(
    'argoproj.io/v1alpha1',
    'ApplicationSet',
    object(
      {
        goTemplate: boolean,
        goTemplateOptions: strings,
        generators: {
          type: 'array',
          items: object({
            git: object(
              {
                repoURL: string,
                revision: string,
                directories: { type: 'array', items: object({ path: string, exclude: boolean }, ['path']) },
              },
              ['repoURL', 'revision'],
            ),
          }),
        },
        template: object(
          {
            metadata: object({ name: string }),
            spec: object(
              {
                project: string,
                source: object({ repoURL: string, targetRevision: string, path: string }, ['repoURL']),
                destination: object({ name: string, namespace: string, server: string }),
                syncPolicy: object({ automated: object({ prune: boolean, selfHeal: boolean }) }),
              },
              ['destination', 'project'],
            ),
          },
          ['metadata', 'spec'],
        ),
      },
      ['generators', 'template'],
    ),
  ),
  'source.toolkit.fluxcd.io/v1/GitRepository': kind(
    'source.toolkit.fluxcd.io/v1',
    'GitRepository',
    object(
      {
        interval: fluxDuration,
        url: { type: 'string', pattern: '^(http|https|ssh)://.*$' },
        ref: object({ branch: string }),
      },
      ['interval', 'url'],
    ),
  ),
  'kustomize.toolkit.fluxcd.io/v1/Kustomization': kind(
    'kustomize.toolkit.fluxcd.io/v1',
    'Kustomization',
    object(
      {
        interval: fluxDuration,
        path: string,
        prune: boolean,
        wait: boolean,
        timeout: fluxDuration,
        sourceRef: object(
          {
            kind: { type: 'string', enum: ['OCIRepository', 'GitRepository', 'Bucket', 'ExternalArtifact'] },
            name: string,
          },
          ['kind', 'name'],
        ),
      },
      ['interval', 'prune', 'sourceRef'],
    ),
  ),
  'kustomize.config.k8s.io/v1beta1/Kustomization': object(
    {
      apiVersion: { const: 'kustomize.config.k8s.io/v1beta1' },
      kind: { const: 'Kustomization' },
      resources: { type: 'array', items: string, minItems: 1, uniqueItems: true },
    },
    ['apiVersion', 'kind', 'resources'],
  ),
};
