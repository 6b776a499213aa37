import { checkCommand } from '../tools/synth-command';

/**
 * `npm run check`: synthesizes into a temporary folder and compares it with
 * the committed output folder (`checkCommand`). Exits 0 when they are
 * byte-identical, 1 with a unified diff when they differ, 2 when the app
 * cannot be synthesized. Never writes to the output folder.
 */
void checkCommand(process.env).then((status) => {
  process.exitCode = status;
});
