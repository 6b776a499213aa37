import { synthCommand } from '../tools/synth-command';

/**
 * `npm run synth`: synthesizes the app into a staging folder, validates every
 * object against its schema, and only then replaces the output folder
 * (`synthCommand`). On any error the output folder is left byte-identical
 * and the command exits non-zero.
 */
void synthCommand(process.env).then((status) => {
  process.exitCode = status;
});
