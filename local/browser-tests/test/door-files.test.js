// The door page's files that no browser journey can vouch for on its own: the vendored decoder and verifier are
// exactly what the vendoring script makes from the pinned npm packages, and the service worker's cache holds every
// module the door page loads (a missing one would only show the day a door opens without network).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { repositoryRoot } from '../support/stack.js';
import { vendoredFiles } from '../scripts/vendor-frontend.mjs';

const root = repositoryRoot();
const STATIC = join(root, 'frontend-static');

test('frontend-static/vendor holds exactly what scripts/vendor-frontend.mjs makes from node_modules', () => {
  for (const [path, expected] of vendoredFiles()) {
    const file = join(root, path);
    assert.ok(existsSync(file), `${path} is missing: run node scripts/vendor-frontend.mjs`);
    assert.ok(readFileSync(file, 'utf8') === expected, `${path} differs from its package: run node scripts/vendor-frontend.mjs`);
  }
});

/** Every module a module loads: static imports, dynamic imports and workers, as paths under frontend-static. */
function modulesLoadedBy(path, seen = new Set()) {
  if (seen.has(path)) return seen;
  seen.add(path);
  const source = readFileSync(join(STATIC, path), 'utf8');
  const specifiers = [
    ...source.matchAll(/^\s*import\s[^'"]*?from\s+'([^']+)'/gm),
    ...source.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...source.matchAll(/\bimport\('([^']+)'\)/g),
    ...source.matchAll(/new URL\('([^']+)',\s*import\.meta\.url\)/g),
  ].map((match) => match[1]).filter((specifier) => specifier.startsWith('.'));
  for (const specifier of specifiers) {
    const target = normalize(join(dirname(path), specifier));
    // app.js imports every page lazily; the door needs only its own.
    if (path === 'js/app.js' && target.startsWith('js/pages/')) continue;
    modulesLoadedBy(target, seen);
  }
  return seen;
}

test("the door's service worker caches every module the check-in page loads, and only files that exist", () => {
  const worker = readFileSync(join(STATIC, 'door-sw.js'), 'utf8');
  const shell = [...worker.match(/const SHELL = \[([^\]]*)\]/)[1].matchAll(/'([^']+)'/g)].map((match) => match[1]);
  for (const path of shell) assert.ok(existsSync(join(STATIC, path)), `door-sw.js caches ${path}, which does not exist`);
  const needed = [...modulesLoadedBy('js/app.js'), ...modulesLoadedBy('js/pages/check-in.js')].map((path) => `/${path}`);
  const missing = [...new Set(needed)].filter((path) => !shell.includes(path));
  assert.deepEqual(missing, [], 'modules the door page loads that the service worker does not cache');
  for (const page of ['/index.html', '/styles.css', '/door-manifest.json']) assert.ok(shell.includes(page), `${page} is cached`);
});

test('the door manifest starts the app at /check-in and names icons that exist', () => {
  const manifest = JSON.parse(readFileSync(join(STATIC, 'door-manifest.json'), 'utf8'));
  assert.equal(manifest.start_url, '/check-in');
  assert.equal(manifest.display, 'standalone');
  for (const icon of manifest.icons) assert.ok(existsSync(join(STATIC, icon.src)), `icon ${icon.src} exists`);
  assert.ok(manifest.icons.some((icon) => icon.sizes === '512x512' && icon.type === 'image/png'), 'a 512 px PNG icon');
});
