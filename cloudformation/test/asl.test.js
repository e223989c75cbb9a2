import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import aslValidator from 'asl-validator';
import { repositoryRoot } from '../lib/templates.js';

const stateMachinesDir = join(repositoryRoot, 'state-machines');
const definitionFiles = existsSync(stateMachinesDir)
  ? readdirSync(stateMachinesDir).filter((name) => name.endsWith('.asl.json')).sort()
  : [];

// The definitions name their Lambda functions as ${...} DefinitionSubstitutions; CloudFormation fills in real ARNs,
// so the check sees a well-formed one in each place.
const withSubstitutedArns = (text) =>
  text.replace(/\$\{(\w+)\}/g, (_, name) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`);

describe('the state machine definitions', () => {
  test('state-machines/ holds the definitions the templates name', () => {
    assert.ok(definitionFiles.length > 0, 'no *.asl.json in state-machines/');
  });
  for (const name of definitionFiles) {
    test(`${name} passes asl-validator`, () => {
      const definition = JSON.parse(withSubstitutedArns(readFileSync(join(stateMachinesDir, name), 'utf8')));
      const { isValid, errorsText } = aslValidator(definition);
      assert.ok(isValid, `${name} is not valid Amazon States Language:\n${errorsText('\n')}`);
    });
  }
});
