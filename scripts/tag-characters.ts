import { writeFileSync } from 'node:fs';
import { TAG_CHARACTERS_FILE, tagCharactersSource } from '../tools/tag-characters';

/** `npm run tag-characters`: rewrites src/core/tag-characters.ts from the Unicode 15.0.0 data. */
void tagCharactersSource().then((text) => {
  writeFileSync(TAG_CHARACTERS_FILE, text);
  console.log('src/core/tag-characters.ts written.');
});
