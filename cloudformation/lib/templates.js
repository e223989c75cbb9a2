// What the tests share: where the repository is, the templates parsed with CloudFormation's short-form tags, and
// the validator exceptions file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

function findRepositoryRoot() {
  if (process.env.BOXOFFICE_REPO_ROOT) {
    return resolve(process.env.BOXOFFICE_REPO_ROOT);
  }
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pom.xml'))) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error('No pom.xml above the cloudformation folder; set BOXOFFICE_REPO_ROOT to the repository root.');
    }
    dir = parent;
  }
  return dir;
}

export const repositoryRoot = findRepositoryRoot();
export const cloudformationDir = join(repositoryRoot, 'cloudformation');
export const rootTemplate = 'boxoffice.yaml';

/** Every template in cloudformation/, the root stack first. */
export const templateNames = readdirSync(cloudformationDir)
  .filter((name) => name.endsWith('.yaml'))
  .sort((a, b) => (a === rootTemplate ? -1 : b === rootTemplate ? 1 : a.localeCompare(b)));

const INTRINSICS = ['Ref', 'Condition', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not', 'And', 'Or',
  'FindInMap', 'GetAZs', 'Cidr', 'ImportValue', 'Base64', 'Transform', 'Length', 'ToJsonString'];

const longForm = (name) => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);

// The short forms become the long JSON forms, so tests read one shape; GetAtt's "A.B.C" splits like CloudFormation's.
const cloudFormationTags = INTRINSICS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value) => ({ [longForm(name)]: name === 'GetAtt' ? value.split(/\.(.*)/s, 2) : value }) },
  { tag: `!${name}`, collection: 'seq', resolve: (seq) => ({ [longForm(name)]: seq.toJSON() }) },
  { tag: `!${name}`, collection: 'map', resolve: (map) => ({ [longForm(name)]: map.toJSON() }) },
]);

const parsed = new Map();

/** The template as plain objects, intrinsic functions in their long form ({ Ref }, { 'Fn::Sub' }, ...). */
export function loadTemplate(name) {
  if (!parsed.has(name)) {
    parsed.set(name, parse(readFileSync(join(cloudformationDir, name), 'utf8'), { customTags: cloudFormationTags }));
  }
  return parsed.get(name);
}

/** [logicalId, resource] pairs of the given type. */
export function resourcesOfType(template, type) {
  return Object.entries(template.Resources ?? {}).filter(([, resource]) => resource.Type === type);
}

/** The logical id a value refers to through Ref or GetAtt, or undefined for anything else. */
export function referencedId(value) {
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return value.Ref;
    if (Array.isArray(value['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  }
  return undefined;
}

export const asList = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * The template as `aws cloudformation package` leaves it: every local path it uploads (a nested stack's TemplateURL, a
 * function's Code, a state machine's DefinitionS3Location) rewritten into the S3 shape that property takes then.
 */
export function packagedTemplate(name, region) {
  const template = structuredClone(loadTemplate(name));
  const bucket = 'artifacts';
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::CloudFormation::Stack' && typeof properties.TemplateURL === 'string') {
      properties.TemplateURL = `https://${bucket}.s3.${region}.amazonaws.com/boxoffice/${id}.template`;
    }
    if (resource.Type === 'AWS::Lambda::Function' && typeof properties.Code === 'string') {
      properties.Code = { S3Bucket: bucket, S3Key: `boxoffice/${id}.jar` };
    }
    if (resource.Type === 'AWS::StepFunctions::StateMachine' && typeof properties.DefinitionS3Location === 'string') {
      properties.DefinitionS3Location = { Bucket: bucket, Key: `boxoffice/${id}.asl.json` };
    }
  }
  return template;
}

/**
 * The accepted validator findings from validator-exceptions.txt: one per line,
 * `<template or *> <rule id> <logical id or *> <reason>`; blank lines and # comments are skipped.
 */
export function loadValidatorExceptions() {
  const file = join(cloudformationDir, 'validator-exceptions.txt');
  return readFileSync(file, 'utf8').split('\n').flatMap((line, index) => {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) return [];
    const [template, ruleId, logicalId, ...reasonWords] = text.split(/\s+/);
    return [{ line: index + 1, template, ruleId, logicalId, reason: reasonWords.join(' ') }];
  });
}
