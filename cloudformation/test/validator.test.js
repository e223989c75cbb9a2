import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { RegoEngine, TemplateFile } from '@aws/cloudformation-validate';
import {
  cloudformationDir, loadTemplate, loadValidatorExceptions, packagedTemplate, templateNames,
} from '../lib/templates.js';

// Region-scoped values (instance types, node types) are checked against this region rather than all of them.
const REGION = process.env.BOXOFFICE_VALIDATE_REGION ?? 'us-east-1';
const BLOCKING_SEVERITIES = new Set(['WARN', 'ERROR', 'FATAL']);

const engine = new RegoEngine();
after(() => engine.free());

const exceptions = loadValidatorExceptions();
const usedExceptions = new Set();

const describeFinding = (d) =>
  `[${d.severity}] ${d.ruleId} ${d.entity?.logicalId ?? '-'}${d.propertyPath ? ` ${d.propertyPath}` : ''}` +
  `${d.startLine ? ` (line ${d.startLine})` : ''}: ${d.message}`;

function acceptingException(templateName, finding) {
  return exceptions.find((exception) =>
    (exception.template === '*' || exception.template === templateName)
    && exception.ruleId === finding.ruleId
    && (exception.logicalId === '*' || exception.logicalId === finding.entity?.logicalId));
}

describe("AWS's CloudFormation validator", () => {
  for (const name of templateNames) {
    test(`${name} has no finding at WARN or above that validator-exceptions.txt does not accept`, (t) => {
      const report = engine.validateStandard(new TemplateFile(join(cloudformationDir, name)), {
        pseudoParameterOverrides: { region: REGION },
      });
      assert.equal(report.status, 'OK', `the validator could not analyse ${name} completely: ${report.status}`);

      const blocking = [];
      const info = new Map();
      for (const finding of report.diagnostics) {
        const exception = acceptingException(name, finding);
        if (exception) {
          usedExceptions.add(exception.line);
        } else if (BLOCKING_SEVERITIES.has(finding.severity)) {
          blocking.push(describeFinding(finding));
        } else {
          info.set(finding.ruleId, (info.get(finding.ruleId) ?? 0) + 1);
        }
      }
      for (const [ruleId, count] of info) {
        t.diagnostic(`${name}: ${count} × INFO ${ruleId}`);
      }
      assert.deepEqual(blocking, [], `${name} has findings at WARN or above:\n${blocking.join('\n')}`);
    });
  }

  // Local paths are the only thing an exception may accept: as packaged, the same templates must need none.
  for (const name of templateNames) {
    const packaged = packagedTemplate(name, REGION);
    if (JSON.stringify(packaged) === JSON.stringify(loadTemplate(name))) continue;
    test(`${name} as \`aws cloudformation package\` leaves it, its local paths rewritten to S3, needs no exception`, (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'boxoffice-packaged-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, name.replace(/\.yaml$/, '.json'));
      writeFileSync(file, JSON.stringify(packaged));
      const report = engine.validateStandard(new TemplateFile(file), { pseudoParameterOverrides: { region: REGION } });
      assert.equal(report.status, 'OK', `the validator could not analyse the packaged ${name} completely: ${report.status}`);
      const blocking = report.diagnostics.filter((finding) => BLOCKING_SEVERITIES.has(finding.severity)).map(describeFinding);
      assert.deepEqual(blocking, []);
    });
  }

  test('every exception gives a reason and still accepts a finding', () => {
    const problems = exceptions.flatMap((exception) => [
      ...(exception.reason.split(' ').length < 4 ? [`line ${exception.line} gives no reason`] : []),
      ...(usedExceptions.has(exception.line) ? [] : [`line ${exception.line} (${exception.template} ${exception.ruleId} ${exception.logicalId}) matches no finding any more: remove it`]),
    ]);
    assert.deepEqual(problems, []);
  });
});
