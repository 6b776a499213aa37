import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { OUTPUT_MARKER } from '../packages/cdk8s-fargate-container-insights-cli/src/core/output';
import { FLEET_DASHBOARD_FILE } from '../packages/cdk8s-fargate-container-insights-cli/src/fleet/fleet';
import { PREREQUISITE_FILES } from '../src/prerequisites/prerequisites';
import { cloudFormationProblems } from './cloudformation-spec';
import { dashboardBodyProblems } from './dashboard-schema';
import { listFiles } from './folders';
import { object, type Schema, schemaCheck } from './json-schema';

/**
 * Schemas of the prerequisite files, for validating them like the manifests.
 * The eksctl ClusterConfig schema is the subset of eksctl's own
 * (pkg/apis/eksctl.io/v1alpha5/assets/schema.json: ClusterConfig, ClusterMeta,
 * ClusterIAM, ClusterIAMServiceAccount with its InlineDocument, FargateProfile, FargateProfileSelector)
 * that we set, with its required fields and no others; the IAM documents
 * follow the IAM policy grammar for the elements we use; the CloudFormation
 * template is checked against the CloudFormation resource types (cloudformation-spec.ts).
 */

/** A closed object whose every property is required: most of what we write. */
const closed = (properties: Readonly<Record<string, Schema>>): Schema => object(properties, 'all');
const string: Schema = { type: 'string', minLength: 1 };
const strings: Schema = { type: 'array', items: string, minItems: 1 };

const version = { const: '2012-10-17' };
const policy = closed({
  Version: version,
  Statement: {
    type: 'array',
    minItems: 1,
    items: object(
      {
        Sid: { type: 'string', pattern: '^[A-Za-z0-9]+$' },
        Effect: { enum: ['Allow', 'Deny'] },
        Action: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9-]+:[A-Za-z*]+$' }, minItems: 1 },
        Resource: { type: 'array', items: { type: 'string', pattern: '^(arn:|\\*$)' }, minItems: 1 },
      },
      ['Effect', 'Action', 'Resource'],
    ),
  },
});

const eksctl = object(
  {
    apiVersion: { const: 'eksctl.io/v1alpha5' },
    kind: { const: 'ClusterConfig' },
    metadata: closed({ name: string, region: string }),
    iam: closed({
      withOIDC: { type: 'boolean' },
      serviceAccounts: {
        type: 'array',
        items: {
          ...object(
            {
              metadata: closed({ name: string, namespace: string }),
              roleName: string,
              roleOnly: { type: 'boolean' },
              attachPolicyARNs: strings,
              // eksctl's InlineDocument: an IAM policy document.
              attachPolicy: policy,
            },
            ['metadata', 'roleName', 'roleOnly'],
          ),
          // A role with no policy at all is of no use to the collector.
          anyOf: [
            { properties: { attachPolicyARNs: strings }, required: ['attachPolicyARNs'] },
            { properties: { attachPolicy: policy }, required: ['attachPolicy'] },
          ],
        },
      },
    }),
    fargateProfiles: {
      type: 'array',
      minItems: 1,
      items: closed({
        // Fargate profile names: 1-100 letters, digits, "-" and "_".
        name: { type: 'string', pattern: '^[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}$' },
        selectors: { type: 'array', minItems: 1, maxItems: 5, items: closed({ namespace: string }) },
      }),
    },
    // eksctl's Addon: the EKS add-ons to install (the ADOT add-on, in operator mode).
    addons: { type: 'array', minItems: 1, items: closed({ name: { type: 'string', pattern: '^[a-z0-9-]+$' } }) },
  },
  ['apiVersion', 'kind', 'metadata', 'iam', 'fargateProfiles'],
);

const CHECKS: Readonly<Record<string, (data: unknown) => string | undefined>> = {
  [PREREQUISITE_FILES.eksctl]: schemaCheck(eksctl),
  [PREREQUISITE_FILES.template]: (data) => {
    const problems = cloudFormationProblems(data);
    return problems.length === 0 ? undefined : problems.join('; ');
  },
  [PREREQUISITE_FILES.loggingPolicy]: schemaCheck(policy),
  // A fleet's overview dashboard (_fleet/).
  [basename(FLEET_DASHBOARD_FILE)]: dashboardBodyProblems,
};

/** Validates one prerequisite file by its name; throws with the file and the schema errors. */
export function validatePrerequisite(file: string, text: string): void {
  const check = CHECKS[basename(file)];
  if (!check) throw new Error(`${file}: not a known prerequisite file; add its schema`);
  const errors = check(file.endsWith('.json') ? JSON.parse(text) : parse(text));
  if (errors !== undefined) throw new Error(`${file} does not match its schema: ${errors}`);
}

/** Validates every file under a prerequisites folder; returns their paths relative to it, sorted. */
export function validatePrerequisites(dir: string): string[] {
  // The marker of a folder this tool wrote is no prerequisite.
  const files = listFiles(dir).filter((file) => basename(file) !== OUTPUT_MARKER);
  for (const file of files) validatePrerequisite(file, readFileSync(join(dir, file), 'utf8'));
  return files;
}
