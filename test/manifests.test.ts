import { describe, expect, test } from 'vitest';
import { parseManifest, validateManifest } from '../tools/manifests';

describe('validateManifest', () => {
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ok' } };

  test('accepts a valid object', () => {
    expect(() => validateManifest(namespace)).not.toThrow();
  });

  test('rejects an object that breaks its schema', () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'broken' },
      spec: { replicas: 'one', selector: {}, serviceName: 'x', template: {} },
    };
    expect(() => validateManifest(broken)).toThrow(
      /apps\/v1\/StatefulSet "broken" does not match the Kubernetes schema/,
    );
  });

  test('rejects a kind it has no schema for', () => {
    expect(() => validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toThrow(
      'no schema known for example.com/v1/Widget',
    );
  });

  test('parses multi-document YAML', () => {
    expect(parseManifest('a: 1\n---\nb: 2\n')).toStrictEqual([{ a: 1 }, { b: 2 }]);
  });
});
