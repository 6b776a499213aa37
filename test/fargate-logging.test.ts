import { Chart, Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../src/core/errors';
import { FargateLogging, type FargateLoggingProps, type IamPolicyDocument } from '../src/logging/fargate-logging';
import {
  FARGATE_FILTER_PLUGINS,
  FARGATE_LOGGING_MAX_CHARACTERS,
  FARGATE_OUTPUT_PLUGINS,
} from '../src/logging/fluent-bit';
import { SampleGoWebapp } from '../src/sample/sample-go-webapp';
import { validateManifest } from '../tools/manifests';
import { only, synth } from './support/synth';

const PROPS: FargateLoggingProps = { clusterName: 'prod-eu', region: 'eu-west-1' };

const build = (props: Partial<FargateLoggingProps> = {}) =>
  synth((chart) => new FargateLogging(chart, 'Logging', { ...PROPS, ...props }));
const configMapData = (props: Partial<FargateLoggingProps> = {}): Record<string, string> =>
  only(build(props), 'ConfigMap', 'aws-logging').data;

/**
 * Parses a Fluent Bit classic-mode file the way Fargate describes its checks:
 * section headers at one indentation, key-value pairs indented more. Returns
 * the sections, each with its lower-cased keys.
 */
function parseConf(text: string): Array<{ section: string; pairs: Record<string, string> }> {
  const sections: Array<{ section: string; pairs: Record<string, string> }> = [];
  for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
    const header = /^\[(\w+)\]$/.exec(line);
    if (header?.[1]) {
      sections.push({ section: header[1], pairs: {} });
      continue;
    }
    const pair = /^( +)(\S+) +(.+)$/.exec(line);
    if (!pair?.[2] || !pair[3] || !sections.length) throw new Error(`not a section or an indented pair: ${line}`);
    const current = sections[sections.length - 1];
    if (current) current.pairs[pair[2].toLowerCase()] = pair[3];
  }
  return sections;
}

describe('FargateLogging', () => {
  test('creates the aws-observability namespace, labelled, and the aws-logging ConfigMap', () => {
    const objects = build();
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toStrictEqual([
      'Namespace//aws-observability',
      'ConfigMap/aws-observability/aws-logging',
    ]);
    expect(only(objects, 'Namespace').metadata.labels).toStrictEqual({ 'aws-observability': 'enabled' });
    for (const object of objects) validateManifest(object);
  });

  test('sends container logs to CloudWatch Logs, per cluster, in the region', () => {
    const [output, ...rest] = parseConf(configMapData()['output.conf'] ?? '');
    expect(rest).toStrictEqual([]);
    expect(output).toStrictEqual({
      section: 'OUTPUT',
      pairs: {
        name: 'cloudwatch_logs',
        match: 'kube.*',
        region: 'eu-west-1',
        log_group_name: '/aws/containerinsights/prod-eu/application',
        log_stream_prefix: 'fargate-',
        auto_create_group: 'true',
      },
    });
  });

  test('sets the log group, stream prefix, retention and auto-creation when given', () => {
    const data = configMapData({
      logGroupName: '/eks/prod/containers',
      logStreamPrefix: 'prod-',
      logRetentionDays: 30,
      autoCreateGroup: false,
    });
    expect(parseConf(data['output.conf'] ?? '')[0]?.pairs).toMatchObject({
      log_group_name: '/eks/prod/containers',
      log_stream_prefix: 'prod-',
      log_retention_days: '30',
      auto_create_group: 'false',
    });
  });

  test('by default parses CRI lines and adds Kubernetes metadata, with the parser it refers to', () => {
    const data = configMapData();
    expect(parseConf(data['filters.conf'] ?? '').map((s) => [s.section, s.pairs.name, s.pairs.match])).toStrictEqual([
      ['FILTER', 'parser', '*'],
      ['FILTER', 'kubernetes', 'kube.*'],
    ]);
    expect(parseConf(data['parsers.conf'] ?? '')).toStrictEqual([
      {
        section: 'PARSER',
        pairs: expect.objectContaining({ name: 'crio', format: 'regex', time_key: 'time' }),
      },
    ]);
    expect(data.flb_log_cw).toBe('false');
  });

  test('without Kubernetes metadata, has no filters or parsers at all', () => {
    expect(Object.keys(configMapData({ kubernetesMetadata: false })).sort()).toStrictEqual([
      'flb_log_cw',
      'output.conf',
    ]);
  });

  test('appends the user filters and parsers', () => {
    const data = configMapData({
      filters: [
        { name: 'grep', match: 'kube.*', properties: { Exclude: 'log /healthz' } },
        { name: 'parser', match: 'kube.*', properties: { Key_Name: 'log', Parser: 'json_app' } },
      ],
      parsers: [{ name: 'json_app', format: 'json' }],
    });
    expect(parseConf(data['filters.conf'] ?? '').map((s) => s.pairs.name)).toStrictEqual([
      'parser',
      'kubernetes',
      'grep',
      'parser',
    ]);
    expect(parseConf(data['parsers.conf'] ?? '').map((s) => s.pairs.name)).toStrictEqual(['crio', 'json_app']);
  });

  test('every file meets Fargate rules: only its own section kind, Name and Match/Format, one indentation', () => {
    const data = configMapData({ filters: [{ name: 'modify', match: '*', properties: { Add: 'cluster prod-eu' } }] });
    const expected = { 'filters.conf': 'FILTER', 'output.conf': 'OUTPUT', 'parsers.conf': 'PARSER' } as const;
    for (const [file, section] of Object.entries(expected)) {
      const text = data[file] ?? '';
      for (const parsed of parseConf(text)) {
        expect(parsed.section).toBe(section);
        expect(Object.keys(parsed.pairs)).toContain('name');
        expect(Object.keys(parsed.pairs)).toContain(section === 'PARSER' ? 'format' : 'match');
      }
      const indents = new Set(
        text
          .split('\n')
          .filter((l) => l.startsWith(' '))
          .map((l) => /^ +/.exec(l)?.[0].length),
      );
      expect(indents.size, file).toBe(1);
      expect(
        text
          .split('\n')
          .filter((l) => l.startsWith('['))
          .every((l) => !l.startsWith(' ')),
      ).toBe(true);
      expect(text).not.toContain('${');
    }
    for (const { pairs } of parseConf(data['filters.conf'] ?? '')) {
      expect(FARGATE_FILTER_PLUGINS).toContain(pairs.name);
    }
    for (const { pairs } of parseConf(data['output.conf'] ?? '')) expect(FARGATE_OUTPUT_PLUGINS).toContain(pairs.name);
  });

  test('with fluentBitProcessLogs, ships Fluent Bit logs and allows their log group', () => {
    const chart = Testing.chart();
    const logging = new FargateLogging(chart, 'L', { ...PROPS, fluentBitProcessLogs: true });
    expect(logging.configMap.data.flb_log_cw).toBe('true');
    expect(JSON.parse(logging.podExecutionRolePolicy('111122223333')).Statement[0]?.Resource).toContain(
      'arn:aws:logs:eu-west-1:111122223333:log-group:prod-eu-fluent-bit-logs:*',
    );
  });

  describe('podExecutionRolePolicy', () => {
    const policyOf = (props: Partial<FargateLoggingProps>, partition?: string) =>
      JSON.parse(
        new FargateLogging(Testing.chart(), 'L', { ...PROPS, ...props }).podExecutionRolePolicy(
          '111122223333',
          partition,
        ),
      ) as IamPolicyDocument;

    test('grants only what the log router does, on the log group only', () => {
      expect(policyOf({})).toStrictEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'FargateLogRouter',
            Effect: 'Allow',
            Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
            Resource: [
              'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/containerinsights/prod-eu/application',
              'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/containerinsights/prod-eu/application:*',
            ],
          },
        ],
      });
    });

    test('adds PutRetentionPolicy with a retention, drops CreateLogGroup without auto-creation', () => {
      expect(policyOf({ logRetentionDays: 7, autoCreateGroup: false }).Statement[0]?.Action).toStrictEqual([
        'logs:PutRetentionPolicy',
        'logs:CreateLogStream',
        'logs:DescribeLogStreams',
        'logs:PutLogEvents',
      ]);
    });

    test('uses the partition given', () => {
      expect(policyOf({}, 'aws-cn').Statement[0]?.Resource[0]).toMatch(/^arn:aws-cn:logs:/);
    });

    test.each([
      ['12345', undefined, 'Invalid accountId "12345": expected a 12-digit AWS account id.'],
      ['111122223333', 'amazon', 'Invalid partition "amazon"'],
    ])('rejects account %s / partition %s', (account, partition, message) => {
      const logging = new FargateLogging(Testing.chart(), 'L', PROPS);
      expect(() => logging.podExecutionRolePolicy(account, partition)).toThrow(message);
    });
  });

  test('the ConfigMap stays within Fargate limit, and one that would not is rejected', () => {
    expect(JSON.stringify(configMapData()).length).toBeLessThan(FARGATE_LOGGING_MAX_CHARACTERS);
    const many = Array.from({ length: 80 }, (_, i) => ({
      name: 'modify',
      match: 'kube.*',
      properties: { Add: `label_${i} value-of-some-length-${i}` },
    }));
    expect(() => build({ filters: many })).toThrow(
      /^Invalid filters and parsers: the aws-logging ConfigMap would hold \d+ characters; expected at most 5300, Fargate's limit\./,
    );
  });

  test('cannot share an app with another construct creating aws-observability', () => {
    const app = Testing.app();
    new FargateLogging(new Chart(app, 'a'), 'L', PROPS);
    expect(() => new FargateLogging(new Chart(app, 'b'), 'L', PROPS)).toThrow(
      'Invalid namespace "aws-observability": it is already created by a/L',
    );
    // Other constructs are unaffected.
    expect(() => new SampleGoWebapp(new Chart(app, 'c'), 'W')).not.toThrow();
  });

  test.each<[string, Partial<FargateLoggingProps>, string]>([
    ['a bad cluster name', { clusterName: 'prod eu' }, 'Invalid clusterName "prod eu"'],
    ['a bad region', { region: 'europe' }, 'Invalid region "europe"'],
    [
      'a log group with spaces',
      { logGroupName: 'my logs' },
      'Invalid logGroupName "my logs": expected a log group name',
    ],
    ['a stream prefix with a colon', { logStreamPrefix: 'a:b' }, 'Invalid logStreamPrefix "a:b"'],
    [
      'a retention CloudWatch does not offer',
      { logRetentionDays: 10 },
      'Invalid logRetentionDays 10: expected one of the periods CloudWatch Logs accepts: 1, 3, 5, 7, 14,',
    ],
    [
      'an unsupported filter',
      { filters: [{ name: 'lua', match: '*' }] },
      'Invalid filters[0].name "lua": expected a filter Fargate supports: grep, parser,',
    ],
    [
      'an environment variable',
      { filters: [{ name: 'modify', match: '*', properties: { Add: 'env ${HOME}' } }] },
      'Invalid filters[0].properties.Add "env ${HOME}": expected a literal value: Fargate rejects environment variables',
    ],
    [
      'a Fargate-owned Kubernetes key',
      { filters: [{ name: 'kubernetes', match: 'kube.*', properties: { kube_url: 'https://x' } }] },
      'Invalid filters[0].properties "kube_url": expected no Kube_URL, Kube_CA_File, Kube_Token_Command, Kube_Token_File: Fargate sets them.',
    ],
    [
      'Match among the properties',
      { filters: [{ name: 'grep', match: '*', properties: { Match: 'x' } }] },
      'Invalid filters[0].properties "Match": expected a key other than name, match',
    ],
    [
      'a multi-line value',
      { filters: [{ name: 'grep', match: '*', properties: { Regex: 'a\nb' } }] },
      'Invalid filters[0].properties.Regex "a\\nb": expected a non-empty value on one line.',
    ],
    ['an empty match', { filters: [{ name: 'grep', match: ' ' }] }, 'Invalid filters[0].match " "'],
    [
      'a parser of an unknown format',
      { parsers: [{ name: 'x', format: 'yaml' }] },
      'Invalid parsers[0].format "yaml": expected one of json, regex, ltsv, logfmt.',
    ],
    [
      'two parsers of one name',
      {
        parsers: [
          { name: 'x', format: 'json' },
          { name: 'x', format: 'json' },
        ],
      },
      'Invalid parsers[1].name "x": expected a name no other parser has.',
    ],
    [
      'a parser named like the built-in one',
      { parsers: [{ name: 'crio', format: 'json' }] },
      'Invalid parsers[0].name "crio": expected a name other than "crio"',
    ],
    [
      'a parser filter naming no parser',
      { filters: [{ name: 'parser', match: '*', properties: { Key_Name: 'log', Parser: 'nginx' } }] },
      'Invalid filters "nginx": expected a parser defined in parsers (crio).',
    ],
  ])('rejects %s, before creating anything', (_, props, message) => {
    const chart = Testing.chart();
    expect(() => new FargateLogging(chart, 'Logging', { ...PROPS, ...props })).toThrow(ValidationError);
    expect(() => new FargateLogging(Testing.chart(), 'Logging', { ...PROPS, ...props })).toThrow(message);
    expect(Testing.synth(chart)).toStrictEqual([]);
  });
});
