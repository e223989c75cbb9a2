// The address sign-in sends the browser to afterwards, as an attacker writes it into a link: whatever the spelling,
// it stays on this site. No stack needed: the rule is a pure function of the frontend.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AFTER_SIGN_IN, sameOriginPath } from '../../../frontend-static/js/redirects.js';

const ORIGIN = 'https://tickets.example.test';

/** What ?next=<raw> gives a page: URLSearchParams decodes the query once, as the sign-in page reads it. */
function nextOf(raw) {
  return new URLSearchParams(`next=${raw}`).get('next');
}

test('links that lead to another site after sign-in land on My tickets instead', () => {
  const attacks = ['/%5Cexample.org', '/%5C%5Cexample.org', '%2F%2Fexample.org', '//example.org', '/%09/example.org',
    '/%0A/example.org', '/.//example.org', '/..//example.org', '/%2E%2F%2Fexample.org', 'https://example.org/',
    'https:example.org', 'javascript:alert(1)', '%20//example.org', '/\\/example.org', ''];
  for (const raw of attacks) {
    const path = sameOriginPath(nextOf(raw), ORIGIN);
    assert.equal(path, AFTER_SIGN_IN, `next=${raw} gave ${path}`);
    assert.equal(new URL(path, ORIGIN).origin, ORIGIN);
  }
  assert.equal(sameOriginPath(null, ORIGIN), AFTER_SIGN_IN, 'no next at all');
});

test('a path of this site is kept, normalised as the browser will read it', () => {
  assert.equal(sameOriginPath(nextOf('%2Fevents%2F42%3Fq%3Djazz'), ORIGIN), '/events/42?q=jazz');
  assert.equal(sameOriginPath(nextOf('/my/../events/7'), ORIGIN), '/events/7');
  assert.equal(sameOriginPath(nextOf('/events/7#tickets'), ORIGIN), '/events/7#tickets');
  assert.equal(sameOriginPath(nextOf('/%252F%252Fexample.org'), ORIGIN), '/%2F%2Fexample.org', 'an encoded slash stays a path segment');
});
