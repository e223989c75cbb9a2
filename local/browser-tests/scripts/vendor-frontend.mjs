// Vendors the frontend's third-party code from node_modules (installed by `npm ci` here, versions pinned in
// package.json): jsQR, the QR decoder the door page uses where the browser has no BarcodeDetector, noble-ed25519,
// the verifier it uses where WebCrypto has no Ed25519, and Swagger UI, which renders the OpenAPI document at
// /api/docs. The frontend has no build step and its CSP allows scripts and styles from its own origin only, so they
// are checked in under frontend-static/vendor/ (the first two as ES modules).
//
//   node scripts/vendor-frontend.mjs      writes them (run after changing either version)
//
// test/door-files.test.js fails when the checked-in files differ from what this script writes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repositoryRoot } from '../support/stack.js';

const require = createRequire(import.meta.url);
export const VENDOR_DIR = 'frontend-static/vendor';

function packageFile(name, file) {
  return readFileSync(join(dirname(require.resolve(`${name}/package.json`)), file), 'utf8');
}

function versionOf(name) {
  return JSON.parse(packageFile(name, 'package.json')).version;
}

function banner(name, url, license) {
  return `/*! ${name} ${versionOf(name)} (${url}), ${license}; its licence is in ${name.replace(/^@.*\//, '')}.LICENSE.txt.\n`
    + ' * Vendored from npm by local/browser-tests/scripts/vendor-frontend.mjs: do not edit, run the script. */\n';
}

/** The vendored files, by path from the repository root, as the script writes them. */
export function vendoredFiles() {
  // jsQR ships one UMD bundle; given a CommonJS `module`, it puts the decoder function in module.exports.
  const jsqr = banner('jsqr', 'https://github.com/cozmo/jsQR', 'Apache-2.0')
    + 'const module = { exports: {} };\n'
    + '(function (module, exports, define) {\n'
    + packageFile('jsqr', 'dist/jsQR.js')
    + '\n}).call(globalThis, module, module.exports, undefined);\n'
    + 'export default module.exports;\n';
  // noble-ed25519 is an ES module without imports already.
  const noble = banner('@noble/ed25519', 'https://github.com/paulmillr/noble-ed25519', 'MIT')
    + packageFile('@noble/ed25519', 'index.js');
  // Swagger UI's bundle is a classic script that defines the global SwaggerUIBundle; its source map is not vendored.
  const withoutSourceMap = (source) => source.replace(/\n(\/\/# sourceMappingURL=\S+|\/\*# sourceMappingURL=\S+?\s*\*\/)\s*$/, '\n');
  const swaggerUi = banner('swagger-ui-dist', 'https://github.com/swagger-api/swagger-ui', 'Apache-2.0')
    + withoutSourceMap(packageFile('swagger-ui-dist', 'swagger-ui-bundle.js'));
  const swaggerUiCss = banner('swagger-ui-dist', 'https://github.com/swagger-api/swagger-ui', 'Apache-2.0')
    + withoutSourceMap(packageFile('swagger-ui-dist', 'swagger-ui.css'));
  const swaggerUiLicence = packageFile('swagger-ui-dist', 'LICENSE') + '\n' + packageFile('swagger-ui-dist', 'NOTICE')
    + '\n\nThe bundle includes these packages:\n\n' + packageFile('swagger-ui-dist', 'swagger-ui-bundle.js.LICENSE.txt');
  return new Map([
    [`${VENDOR_DIR}/jsqr.js`, jsqr],
    [`${VENDOR_DIR}/jsqr.LICENSE.txt`, packageFile('jsqr', 'LICENSE')],
    [`${VENDOR_DIR}/noble-ed25519.js`, noble],
    [`${VENDOR_DIR}/ed25519.LICENSE.txt`, packageFile('@noble/ed25519', 'LICENSE')],
    [`${VENDOR_DIR}/swagger-ui-bundle.js`, swaggerUi],
    [`${VENDOR_DIR}/swagger-ui.css`, swaggerUiCss],
    [`${VENDOR_DIR}/swagger-ui-dist.LICENSE.txt`, swaggerUiLicence],
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = repositoryRoot();
  for (const [path, content] of vendoredFiles()) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    console.log(`wrote ${path} (${content.length} characters)`);
  }
}
