import { nearestName } from './edit-distance';
import { ValidationError } from './errors';

/** Keys an object does not take: one message at every depth, from props or a file, with the key it is near. */

/**
 * `did you mean "replicas"? ` for a name one or two edits away from a known
 * one (`replica`, `namspace`), or differing only in case; else nothing.
 */
function didYouMean(key: string, known: readonly string[]): string {
  const nearest = nearestName(key, known);
  return nearest === undefined ? '' : `did you mean ${JSON.stringify(nearest)}? `;
}

/**
 * The one message of a key an object does not take, at any depth, from props
 * or a file: `Unknown field <path>: did you mean "x"? expected one of a, b.`
 *
 * @param path the key as the reader wrote it: `replica`, `podHealth.alarm`, `clusters[1].replica`
 */
export function unknownFieldMessage(path: string, key: string, known: readonly string[]): string {
  return `Unknown field ${path}: ${didYouMean(key, known)}expected one of ${known.join(', ')}.`;
}

/**
 * The keys of a props interface, from a table of them that the compiler
 * holds to the interface (a key missing, or one too many, is a type error):
 * `keysOf<PodHealth>({ profile: true, ... })`. What `refuseUnknownFields` is
 * given, so that no list of props drifts from its interface.
 */
export function keysOf<T>(table: Readonly<Record<keyof T, true>>): readonly string[] {
  return Object.keys(table);
}

/**
 * Refuses the first key of `value` that is not in `known`: JavaScript callers
 * (and TypeScript ones with a spread) may pass a misspelt prop, which would
 * otherwise be ignored.
 *
 * @param input the object's own prop (`podHealth`), or undefined for a construct's props
 */
export function refuseUnknownFields(input: string | undefined, value: object, known: readonly string[]): void {
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    throw new ValidationError(
      unknownFieldMessage(input === undefined ? unknown : `${input}.${unknown}`, unknown, known),
    );
  }
}
