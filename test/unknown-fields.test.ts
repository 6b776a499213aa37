import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ValidationError } from '../src/core/errors';
import { refuseUnknownFields } from '../src/core/unknown-fields';
import { PROPERTY_SEED } from './support/property';

describe('refuseUnknownFields: one message for a key no object takes', () => {
  test('GIVEN any object and known keys, THEN accepted exactly when every key is known, else the first unknown named', () => {
    const names = fc.constantFrom('replicas', 'replica', 'namespace', 'namspace', 'image', 'Image', 'x', 'constructor');
    fc.assert(
      fc.property(fc.uniqueArray(names, { maxLength: 4 }), fc.uniqueArray(names, { maxLength: 4 }), (keys, known) => {
        const value = Object.fromEntries(keys.map((k) => [k, 1]));
        const unknown = keys.find((k) => !known.includes(k));
        if (unknown === undefined) {
          expect(() => refuseUnknownFields('podHealth', value, known)).not.toThrow();
          return;
        }
        expect(() => refuseUnknownFields('podHealth', value, known)).toThrow(ValidationError);
        expect(() => refuseUnknownFields('podHealth', value, known)).toThrow(
          new RegExp(`^Unknown field podHealth\\.${unknown}: (did you mean "[A-Za-z]+"\\? )?expected one of `),
        );
        expect(() => refuseUnknownFields(undefined, value, known)).toThrow(new RegExp(`^Unknown field ${unknown}: `));
      }),
      { seed: PROPERTY_SEED, numRuns: 500 },
    );
  });
});
