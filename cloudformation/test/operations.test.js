// Issue #18's operational checks on the templates: what an operator would otherwise find only after deploying them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asList, loadTemplate, resourcesOfType, templateNames } from '../lib/templates.js';

/** Every string inside a node, with the intrinsic functions' arguments flattened. */
function strings(node) {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === 'object') return Object.values(node).flatMap(strings);
  return [];
}

/** Every Ref and ${Name} a node makes to a parameter. */
function referencedNames(node) {
  const names = [];
  const visit = (value) => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(/\$\{([A-Za-z0-9]+)\}/g)) names.push(match[1]);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      if (typeof value.Ref === 'string') names.push(value.Ref);
      Object.values(value).forEach(visit);
    }
  };
  visit(node);
  return names;
}

const SECRET_REFERENCE = /\{\{resolve:(secretsmanager|ssm-secure):/;

describe('secrets are read at run time, never through an environment variable or an output', () => {
  for (const name of templateNames) {
    const template = loadTemplate(name);

    test(`${name}: no Lambda function has a secret resolved into its environment`, () => {
      const exposed = resourcesOfType(template, 'AWS::Lambda::Function').flatMap(([id, fn]) =>
        Object.entries(fn.Properties.Environment?.Variables ?? {})
          .filter(([, value]) => strings(value).some((text) => SECRET_REFERENCE.test(text)))
          .map(([variable]) => `${id}.${variable}`));
      assert.deepEqual(exposed, []);
    });

    test(`${name}: no container gets a Secrets Manager secret as an environment variable`, () => {
      const exposed = resourcesOfType(template, 'AWS::ECS::TaskDefinition').flatMap(([id, task]) =>
        asList(task.Properties.ContainerDefinitions).flatMap((container) => [
          ...asList(container.Secrets)
            .filter((secret) => strings(secret.ValueFrom).some((text) => text.includes('secretsmanager'))
              || referencedNames(secret.ValueFrom).some((ref) => /Credentials|Secret/.test(ref)))
            .map((secret) => `${id}.${container.Name}.Secrets.${secret.Name}`),
          ...asList(container.Environment)
            .filter((variable) => strings(variable.Value).some((text) => SECRET_REFERENCE.test(text)))
            .map((variable) => `${id}.${container.Name}.Environment.${variable.Name}`),
        ]));
      assert.deepEqual(exposed, []);
    });

    test(`${name}: no output shows a NoEcho parameter or a resolved secret`, () => {
      const noEcho = new Set(Object.entries(template.Parameters ?? {})
        .filter(([, parameter]) => parameter.NoEcho).map(([parameter]) => parameter));
      const leaking = Object.entries(template.Outputs ?? {})
        .filter(([, output]) => referencedNames(output.Value).some((ref) => noEcho.has(ref))
          || strings(output.Value).some((text) => SECRET_REFERENCE.test(text)))
        .map(([output]) => output);
      assert.deepEqual(leaking, []);
    });
  }
});
