import { expect } from 'vitest';
import { parseFleet } from '../../packages/cdk8s-fargate-container-insights-cli/src/fleet/fleet-file';
import { ValidationError } from '../../src/core/errors';

/** A clusters file: the given lines, joined. */
export const file = (...lines: string[]) => `${lines.join('\n')}\n`;

/** The ValidationError message of parsing `text`, or a failure if it parses. */
export function errorOf(text: string): string {
  try {
    parseFleet(text, 'clusters.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('expected a ValidationError');
}
