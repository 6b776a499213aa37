import { HEALTH_CHECK_PORT } from './components/health-check-extension';
import { telemetryMetrics } from './components/service';
import type { CollectorConfig, ProcessorConfig } from './config-model';
import { APPLICATION_PIPELINE } from './pipelines/application-pipeline';
import { EMF_PIPELINE } from './pipelines/emf-pipeline';
import { OTLP_PIPELINE } from './pipelines/otlp-pipeline';
import type { CollectorConfigOptions, NamespacedRbac, Pipeline, PipelineRbac, RbacRule } from './pipelines/pipeline';
import { POD_HEALTH_PIPELINE } from './pipelines/pod-health-pipeline';
import { dropStalePoints } from './pipelines/stale-points';

/**
 * The collector configuration as a typed object: the merge of what each
 * pipeline module contributes. Field names are the collector's own
 * configuration keys (checked against each component's `config.go`, one file
 * per component under components/), so the object renders to the collector's
 * YAML one to one. String values hold literal `$` characters;
 * `renderCollectorConfig` escapes them.
 */

/**
 * The pipelines, in the order the configuration lists their components: the
 * classic Embedded Metric Format path, the OTLP path, the application
 * metrics, pod health. A new destination is a module under pipelines/ and a line here.
 */
export const PIPELINES: readonly Pipeline[] = [EMF_PIPELINE, OTLP_PIPELINE, APPLICATION_PIPELINE, POD_HEALTH_PIPELINE];

/** The collector components a setting's pipeline uses, by the type names ADOT registers them under. */
export interface SettingComponents {
  /** The setting that turns the pipeline on. */
  readonly setting: string;
  /** The component types its section uses (`prometheus` for `prometheus/ksm`), sorted. */
  readonly components: readonly string[];
}

/**
 * What each enabled pipeline's section uses, read from the section itself:
 * a component added to a pipeline is checked against the release without a
 * list to keep in step.
 */
export function componentsBySetting(options: CollectorConfigOptions): SettingComponents[] {
  return enabledPipelines(options).map((pipeline) => {
    const section = pipeline.section(options);
    const ids = [
      ...Object.keys(section.receivers),
      ...section.processors.map(([id]) => id),
      ...Object.keys(section.exporters),
      ...Object.keys(section.extensions),
    ];
    return { setting: pipeline.setting, components: [...new Set(ids.map((id) => id.split('/')[0] ?? id))].sort() };
  });
}

/** The pipelines the options turn on, in {@link PIPELINES} order. */
export function enabledPipelines(options: CollectorConfigOptions): Pipeline[] {
  return PIPELINES.filter((pipeline) => pipeline.enabled(options));
}

/**
 * What the collector's service account must be allowed: the union of the
 * enabled pipelines' rules, each rule once (the EMF and OTLP paths share the
 * cAdvisor scrape's), in the order the pipelines first ask for them.
 */
export function collectorRbac(options: CollectorConfigOptions): PipelineRbac {
  const clusterRules = new Map<string, RbacRule>();
  const namespaced = new Map<string, { roleName: string; namespaces: Set<string>; rules: Map<string, RbacRule> }>();
  for (const rbac of enabledPipelines(options).map((pipeline) => pipeline.rbac(options))) {
    for (const rule of rbac.clusterRules) clusterRules.set(JSON.stringify(rule), rule);
    for (const grant of rbac.namespaced) {
      const role = namespaced.get(grant.roleName) ?? {
        roleName: grant.roleName,
        namespaces: new Set(),
        rules: new Map(),
      };
      for (const namespace of grant.namespaces) role.namespaces.add(namespace);
      for (const rule of grant.rules) role.rules.set(JSON.stringify(rule), rule);
      namespaced.set(grant.roleName, role);
    }
  }
  return {
    clusterRules: [...clusterRules.values()],
    namespaced: [...namespaced.values()].map(
      (role): NamespacedRbac => ({
        roleName: role.roleName,
        namespaces: [...role.namespaces],
        rules: [...role.rules.values()],
      }),
    ),
  };
}

/** Builds the collector configuration: the sections of the pipelines the options turn on, merged. */
export function buildCollectorConfig(options: CollectorConfigOptions): CollectorConfig {
  const sections = enabledPipelines(options).map((pipeline) => pipeline.section(options));
  // A processor shared by pipelines (memory_limiter, resourcedetection) is defined once, by the first.
  const processors = new Map<string, ProcessorConfig>();
  for (const [id, config] of sections.flatMap((section) => section.processors)) {
    if (!processors.has(id)) processors.set(id, config);
  }
  const extensions = Object.assign({}, ...sections.map((section) => section.extensions));
  // Stale points out before any step that merges data points (pipelines/stale-points.ts).
  const graph = dropStalePoints({
    processors,
    pipelines: Object.assign({}, ...sections.map((section) => section.pipelines)),
  });
  return {
    receivers: Object.assign({}, ...sections.map((section) => section.receivers)),
    processors: Object.fromEntries(graph.processors),
    exporters: Object.assign({}, ...sections.map((section) => section.exporters)),
    extensions: {
      // Bound on all interfaces on every version: from ADOT v0.42.0 the default
      // is localhost, which kubelet probes cannot reach.
      health_check: { endpoint: `0.0.0.0:${HEALTH_CHECK_PORT}` },
      ...extensions,
    },
    service: {
      pipelines: graph.pipelines,
      extensions: ['health_check', ...Object.keys(extensions)],
      telemetry: { metrics: telemetryMetrics(options.version) },
    },
  };
}
