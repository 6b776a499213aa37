import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { PREREQUISITE_FILES } from '../src/prerequisites';
import { listFiles } from './manifests';

/**
 * Schemas of the prerequisite files, for validating them like the manifests.
 * The eksctl ClusterConfig schema is the subset of eksctl's own
 * (pkg/apis/eksctl.io/v1alpha5/assets/schema.json: ClusterConfig, ClusterMeta,
 * ClusterIAM, ClusterIAMServiceAccount, FargateProfile, FargateProfileSelector)
 * that we set, with its required fields and no others; the IAM documents
 * follow the IAM policy grammar for the elements we use.
 */

type Schema = Readonly<Record<string, unknown>>;
const string: Schema = { type: 'string', minLength: 1 };
const strings: Schema = { type: 'array', items: string, minItems: 1 };
const object = (
  properties: Readonly<Record<string, Schema>>,
  required: readonly string[] = Object.keys(properties),
) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

const eksctl = object({
  apiVersion: { const: 'eksctl.io/v1alpha5' },
  kind: { const: 'ClusterConfig' },
  metadata: object({ name: string, region: string }),
  iam: object({
    withOIDC: { type: 'boolean' },
    serviceAccounts: {
      type: 'array',
      items: object({
        metadata: object({ name: string, namespace: string }),
        roleName: string,
        roleOnly: { type: 'boolean' },
        attachPolicyARNs: strings,
      }),
    },
  }),
  fargateProfiles: {
    type: 'array',
    minItems: 1,
    items: object({
      // Fargate profile names: 1-100 letters, digits, "-" and "_".
      name: { type: 'string', pattern: '^[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}$' },
      selectors: { type: 'array', minItems: 1, maxItems: 5, items: object({ namespace: string }) },
    }),
  },
});

const version = { const: '2012-10-17' };
const policy = object({
  Version: version,
  Statement: {
    type: 'array',
    minItems: 1,
    items: object(
      {
        Sid: { type: 'string', pattern: '^[A-Za-z0-9]+$' },
        Effect: { enum: ['Allow', 'Deny'] },
        Action: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9-]+:[A-Za-z*]+$' }, minItems: 1 },
        Resource: { type: 'array', items: { type: 'string', pattern: '^arn:' }, minItems: 1 },
      },
      ['Effect', 'Action', 'Resource'],
    ),
  },
});

const role = object(
  {
    RoleName: { type: 'string', pattern: '^[\\w+=,.@-]{1,64}$' },
    Path: { type: 'string', pattern: '^/([\\w+=,.@-]+/)*$' },
    ManagedPolicyArns: strings,
    AssumeRolePolicyDocument: object({
      Version: version,
      Statement: {
        type: 'array',
        minItems: 1,
        items: object({
          Effect: { const: 'Allow' },
          Principal: object({ Federated: { type: 'string', pattern: '^arn:[a-z-]+:iam::\\d{12}:oidc-provider/' } }),
          Action: { const: 'sts:AssumeRoleWithWebIdentity' },
          Condition: object({ StringEquals: { type: 'object', additionalProperties: string, minProperties: 2 } }),
        }),
      },
    }),
  },
  ['RoleName', 'Path', 'ManagedPolicyArns'],
);

const ajv = new Ajv({ allErrors: true, strict: true });
const VALIDATORS: Readonly<Record<string, ReturnType<typeof ajv.compile>>> = {
  [PREREQUISITE_FILES.eksctl]: ajv.compile(eksctl),
  [PREREQUISITE_FILES.collectorRole]: ajv.compile(role),
  [PREREQUISITE_FILES.loggingPolicy]: ajv.compile(policy),
};

/** Validates one prerequisite file by its name; throws with the file and the schema errors. */
export function validatePrerequisite(file: string, text: string): void {
  const validate = VALIDATORS[basename(file)];
  if (!validate) throw new Error(`${file}: not a known prerequisite file; add its schema`);
  const data: unknown = file.endsWith('.json') ? JSON.parse(text) : parse(text);
  if (!validate(data)) {
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new Error(`${file} does not match its schema: ${errors}`);
  }
}

/** Validates every file under a prerequisites folder; returns their paths relative to it, sorted. */
export function validatePrerequisites(dir: string): string[] {
  const files = listFiles(dir);
  for (const file of files) validatePrerequisite(file, readFileSync(join(dir, file), 'utf8'));
  return files;
}
