import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseManifest } from '../../scripts/manifests';

/** What the collector does to its configuration file: `$$` stands for a literal `$`. */
export function collectorUnescape(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$$', '$');
  if (Array.isArray(value)) return value.map(collectorUnescape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, collectorUnescape(v)]));
  }
  return value;
}

/** The collector configuration as the collector sees it, from the text it reads. */
export function loadCollectorConfig(text: string): Record<string, any> {
  return collectorUnescape(parse(text)) as Record<string, any>;
}

export const REFERENCE_DIR = join(__dirname, '..', '..', '..', 'shared', 'reference');

/** The AWS reference manifest's objects and its collector configuration, as the collector sees it. */
export function loadReference(file: string) {
  const objects = parseManifest(readFileSync(join(REFERENCE_DIR, file), 'utf8')).filter(Boolean);
  const configMap = objects.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
  return { objects, config: loadCollectorConfig(configMap.data['adot-collector-config']) };
}
