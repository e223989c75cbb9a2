// Renders /api/openapi.yaml with the vendored Swagger UI (a classic script loaded before this module, as `defer`
// scripts run in document order before module scripts).

/** "Try it out" sends requests to the backend that served this page, whatever server the document names. */
function thisHostAsServer() {
  const servers = [{ url: `${window.location.origin}/api`, description: 'This host' }];
  return {
    statePlugins: {
      spec: { wrapActions: { updateJsonSpec: (original) => (spec) => original({ ...spec, servers }) } },
    },
  };
}

/** Swagger UI leaves its server picker without an accessible name; this gives it one whenever it is drawn. */
function labelServerPicker(root) {
  const label = () => root.querySelector('select#servers:not([aria-label])')?.setAttribute('aria-label', 'Server');
  new MutationObserver(label).observe(root, { childList: true, subtree: true });
}

const root = document.getElementById('api-docs');
labelServerPicker(root);
globalThis.SwaggerUIBundle({
  url: '/api/openapi.yaml',
  domNode: root,
  plugins: [thisHostAsServer],
  deepLinking: false,
  // Swagger UI would otherwise send the document to a third-party validator for its badge.
  validatorUrl: null,
});
