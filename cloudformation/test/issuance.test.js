// Ticket issuance in serverless.yaml (issue 15): the state machine issues batches through create-ticket within that
// function's reserved concurrency, and each chunk's outcome reaches the backend through a queue only the outcome
// topic may send to.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { asList, loadTemplate, referencedId, repositoryRoot, resourcesOfType } from '../lib/templates.js';

const serverless = loadTemplate('serverless.yaml');
const resources = serverless.Resources;
const definition = JSON.parse(readFileSync(join(repositoryRoot, 'state-machines', 'ticket-issuance.asl.json'), 'utf8'));
const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');

function statementsOf(roleId) {
  return resources[roleId].Properties.Policies.flatMap((policy) => asList(policy.PolicyDocument.Statement));
}

test('create-ticket\'s reserved concurrency is the batches in flight times the chunks a batch issues at once', () => {
  const batchesInFlight = Number(readme.match(/\| `BOXOFFICE_ISSUANCE_BATCHES_IN_FLIGHT` \| `(\d+)` \|/)[1]);
  const chunksAtOnce = definition.States.IssueChunks.MaxConcurrency;
  assert.equal(resources.CreateTicketFunction.Properties.ReservedConcurrentExecutions, batchesInFlight * chunksAtOnce);
});

test('the outcome queue takes the outcome topic raw, from that topic only, and keeps what fails in its dead letters', () => {
  const [[, { Properties: subscription }]] = resourcesOfType(serverless, 'AWS::SNS::Subscription')
    .filter(([, { Properties: p }]) => referencedId(p.Endpoint) === 'IssuanceOutcomeQueue');
  assert.equal(referencedId(subscription.TopicArn), 'IssuanceOutcomeTopic');
  assert.equal(subscription.RawMessageDelivery, true);
  const policy = resources.IssuanceOutcomeQueuePolicy.Properties;
  assert.deepEqual(asList(policy.Queues).map(referencedId), ['IssuanceOutcomeQueue']);
  for (const statement of asList(policy.PolicyDocument.Statement)) {
    assert.equal(statement.Principal.Service, 'sns.amazonaws.com');
    assert.equal(referencedId(statement.Condition.ArnEquals['aws:SourceArn']), 'IssuanceOutcomeTopic');
  }
  assert.equal(referencedId(resources.IssuanceOutcomeQueue.Properties.RedrivePolicy.deadLetterTargetArn),
    'IssuanceOutcomeDeadLetterQueue');
});

test('the state machine may invoke create-ticket and publish outcomes, nothing more; create-ticket may publish mail', () => {
  const machine = statementsOf('TicketIssuanceStateMachineRole').filter((s) => !asList(s.Action)[0].startsWith('logs:'));
  assert.deepEqual(machine.flatMap((s) => asList(s.Action)).sort(), ['lambda:InvokeFunction', 'sns:Publish']);
  const publish = machine.find((s) => s.Action === 'sns:Publish');
  assert.equal(referencedId(publish.Resource), 'IssuanceOutcomeTopic');
  const mail = statementsOf('CreateTicketRole').find((s) => s.Action === 'sns:Publish');
  assert.equal(referencedId(mail.Resource), 'NotificationTopic');
});

test('a throttled create-ticket is retried with jittered back-off, input it can never issue is not retried', () => {
  const task = definition.States.IssueChunks.ItemProcessor.States.CreateTickets;
  assert.equal(task.Retry[0].ErrorEquals[0], 'dev.boxoffice.lambdas.InvalidInputException');
  assert.equal(task.Retry[0].MaxAttempts, 0);
  for (const retry of task.Retry.slice(1)) {
    assert.equal(retry.JitterStrategy, 'FULL');
    assert.ok(retry.BackoffRate > 1);
  }
  assert.deepEqual(task.Catch[0].ErrorEquals, ['States.ALL']);
  assert.equal(task.Catch[0].Next, 'ReportOutcome');
});

test('an outcome no backend reads for 5 minutes raises an alarm, as does one in the dead letters', () => {
  const alarmsOn = (queue) => resourcesOfType(serverless, 'AWS::CloudWatch::Alarm')
    .filter(([, { Properties: p }]) => asList(p.Dimensions).some((d) => referencedId(d.Value) === queue))
    .map(([, { Properties: p }]) => p.MetricName);
  assert.deepEqual(alarmsOn('IssuanceOutcomeQueue'), ['ApproximateAgeOfOldestMessage']);
  assert.deepEqual(alarmsOn('IssuanceOutcomeDeadLetterQueue'), ['ApproximateNumberOfMessagesVisible']);
});
