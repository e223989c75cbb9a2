// The frontend's message catalogues (frontend-static/i18n/), checked without a stack: every language listed has a
// catalogue with exactly the English keys, and every key the code asks for exists.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repositoryRoot } from '../support/stack.js';

const STATIC = join(repositoryRoot(), 'frontend-static');
const catalogue = (language) => JSON.parse(readFileSync(join(STATIC, 'i18n', `${language}.json`), 'utf8'));

function scripts(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? scripts(path) : name.endsWith('.js') ? [path] : [];
  });
}

test('every language of languages.json has a catalogue, and every catalogue file is listed', () => {
  const listed = Object.keys(JSON.parse(readFileSync(join(STATIC, 'i18n', 'languages.json'), 'utf8'))).sort();
  const files = readdirSync(join(STATIC, 'i18n')).filter((name) => name !== 'languages.json')
    .map((name) => name.replace(/\.json$/, '')).sort();
  assert.deepEqual(files, listed);
  assert.ok(listed.includes('en') && listed.length >= 2);
});

test('every catalogue has exactly the keys of the English one, none empty, with the same placeholders', () => {
  const english = catalogue('en');
  const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
  for (const language of Object.keys(JSON.parse(readFileSync(join(STATIC, 'i18n', 'languages.json'), 'utf8')))) {
    const messages = catalogue(language);
    const missing = Object.keys(english).filter((key) => !(key in messages));
    assert.deepEqual(missing, [], `keys missing from ${language}.json`);
    assert.deepEqual(Object.keys(messages).filter((key) => !(key in english)), [], `keys only ${language}.json has`);
    for (const [key, text] of Object.entries(messages)) {
      assert.ok(text.trim() !== '', `${language}.json: ${key} is empty`);
      assert.deepEqual(placeholders(text), placeholders(english[key]), `${language}.json: ${key} placeholders`);
    }
  }
});

test('every key the code asks for with t() is in the English catalogue', () => {
  const english = catalogue('en');
  const used = new Set();
  for (const file of scripts(join(STATIC, 'js'))) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/\bt\('([\w.]+)'/g)) used.add(match[1]);
    for (const match of source.matchAll(/\btn\('([\w.]+)'/g)) used.add(`${match[1]}.other`);
    // t(`family.${value}`): at least one key of the family exists
    for (const match of source.matchAll(/\bt\(`([\w.]+)\$\{/g)) {
      assert.ok(Object.keys(english).some((key) => key.startsWith(match[1])), `no key starts with ${match[1]}`);
    }
  }
  assert.deepEqual([...used].filter((key) => !(key in english)), [], 'keys the code uses that en.json lacks');
  assert.ok(used.size > 20);
});
