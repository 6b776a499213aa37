#!/usr/bin/env node
import { run } from './cli/run';

/**
 * The command-line entry point, `cdk8s-fargate-container-insights`: the
 * commands are in cli/run.ts, their grammar and help in cli/arguments.ts.
 */

export { run };

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
