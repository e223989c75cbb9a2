// The email path of serverless.yaml (issue 14): SNS is a bus that SQS queues subscribe to, never a mailer; the
// mailer's queues, dead letters, event source mappings, concurrency and pacing fit together; its role is least
// privilege; SES bounces and complaints reach the suppression handler.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asList, loadTemplate, referencedId, resourcesOfType } from '../lib/templates.js';

const serverless = loadTemplate('serverless.yaml');
const resources = serverless.Resources;
const subscriptions = resourcesOfType(serverless, 'AWS::SNS::Subscription');
const mailer = resources.MailerFunction.Properties;
const MAIL_QUEUES = ['TransactionalMailQueue', 'BulkMailQueue'];

/** The statements of a role's inline policies. */
function statementsOf(roleId) {
  return resources[roleId].Properties.Policies.flatMap((policy) => asList(policy.PolicyDocument.Statement));
}

test('nobody is an SNS subscriber: every subscription is a queue or a function, with no filter on a person', () => {
  for (const [id, { Properties: subscription }] of subscriptions) {
    assert.ok(['sqs', 'lambda'].includes(subscription.Protocol), `${id} delivers by ${subscription.Protocol}`);
    const policy = JSON.stringify(subscription.FilterPolicy ?? {});
    assert.doesNotMatch(policy, /recipient|email|@/i, `${id} filters on a person: ${policy}`);
  }
});

test('both mail queues take the notification topic raw, split by type: announcements alone in the bulk queue', () => {
  const byQueue = new Map(subscriptions.filter(([, { Properties: p }]) => p.Protocol === 'sqs')
    .map(([, { Properties: p }]) => [referencedId(p.Endpoint), p]));
  for (const queue of MAIL_QUEUES) {
    const subscription = byQueue.get(queue);
    assert.ok(subscription, `${queue} subscribes to a topic`);
    assert.equal(referencedId(subscription.TopicArn), 'NotificationTopic');
    assert.equal(subscription.RawMessageDelivery, true, `${queue} gets the notification itself, not SNS's envelope`);
    assert.equal(subscription.FilterPolicyScope, 'MessageAttributes');
  }
  assert.deepEqual(byQueue.get('BulkMailQueue').FilterPolicy, { type: ['event-announcement'] });
  assert.deepEqual(byQueue.get('TransactionalMailQueue').FilterPolicy, { type: [{ 'anything-but': ['event-announcement'] }] });
  const policy = resources.MailQueuesPolicy.Properties;
  assert.deepEqual(new Set(asList(policy.Queues).map(referencedId)), new Set(MAIL_QUEUES));
  for (const statement of asList(policy.PolicyDocument.Statement)) {
    assert.equal(statement.Principal.Service, 'sns.amazonaws.com');
    assert.equal(referencedId(statement.Condition.ArnEquals['aws:SourceArn']), 'NotificationTopic',
      'only the notification topic may send to the mail queues');
  }
});

test('a message failing five times moves to the dead-letter queue, and a visible message outlives the mailer', () => {
  for (const queue of MAIL_QUEUES) {
    const properties = resources[queue].Properties;
    assert.equal(referencedId(properties.RedrivePolicy.deadLetterTargetArn), 'MailDeadLetterQueue');
    assert.equal(properties.RedrivePolicy.maxReceiveCount, 5);
    assert.ok(properties.VisibilityTimeout >= 6 * mailer.Timeout,
      `${queue}'s visibility timeout ${properties.VisibilityTimeout} s is six times the mailer's ${mailer.Timeout} s`);
    assert.ok(resources.MailDeadLetterQueue.Properties.MessageRetentionPeriod > properties.MessageRetentionPeriod,
      'a dead letter is kept longer than it lived in its queue');
  }
});

test('the mailer runs as many instances as its pacing assumes: reserved concurrency = both mappings\' maximum', () => {
  const mappings = resourcesOfType(serverless, 'AWS::Lambda::EventSourceMapping')
    .filter(([, { Properties: p }]) => referencedId(p.FunctionName) === 'MailerFunction');
  assert.deepEqual(new Set(mappings.map(([, { Properties: p }]) => referencedId(p.EventSourceArn))), new Set(MAIL_QUEUES));
  for (const [id, { Properties: mapping }] of mappings) {
    assert.deepEqual(mapping.FunctionResponseTypes, ['ReportBatchItemFailures'], `${id} retries only the failed messages`);
    assert.ok(mapping.BatchSize >= 1 && mapping.BatchSize <= 10, `${id} batch size ${mapping.BatchSize}`);
    assert.equal(referencedId(mapping.ScalingConfig.MaximumConcurrency), 'MailerConcurrencyPerQueue');
  }
  const perQueue = serverless.Parameters.MailerConcurrencyPerQueue.AllowedValues;
  for (const value of perQueue) {
    assert.equal(serverless.Mappings.MailerConcurrency[String(value)].Total, mappings.length * value,
      `with ${value} per queue the mailer reserves ${mappings.length * value}`);
  }
  assert.ok(Math.min(...perQueue) >= 2, 'Lambda takes a MaximumConcurrency of at least 2');
  const total = ['MailerConcurrency', { Ref: 'MailerConcurrencyPerQueue' }, 'Total'];
  assert.deepEqual(mailer.ReservedConcurrentExecutions['Fn::FindInMap'], total);
  assert.deepEqual(mailer.Environment.Variables.BOXOFFICE_MAILER_CONCURRENCY['Fn::FindInMap'], total,
    'each mailer divides the SES rate by the number of mailers that may run');
  assert.equal(referencedId(mailer.Environment.Variables.BOXOFFICE_SES_MAX_SEND_RATE), 'SesMaxSendRate');
});

test('the mailer\'s role: its two queues, its two tables, the QR codes, and SES for its identity and configuration set only', () => {
  const statements = statementsOf(referencedId(mailer.Role));
  const actions = new Map();
  for (const statement of statements) {
    assert.equal(statement.Effect, 'Allow');
    for (const action of asList(statement.Action)) {
      assert.doesNotMatch(action, /\*/, `no wildcard action: ${action}`);
      actions.set(action, [...(actions.get(action) ?? []), ...asList(statement.Resource)]);
    }
  }
  assert.deepEqual(new Set(actions.get('sqs:ReceiveMessage').map(referencedId)), new Set(MAIL_QUEUES));
  assert.ok(!actions.has('sqs:SendMessage'), 'the mailer never writes to a queue');
  assert.deepEqual(actions.get('dynamodb:PutItem').map(referencedId), ['MailLogTable']);
  assert.deepEqual(actions.get('dynamodb:GetItem').map(referencedId).sort(), ['MailLogTable', 'SuppressionTable']);
  assert.ok(!actions.has('dynamodb:Scan') && !actions.has('dynamodb:DeleteItem'));
  assert.deepEqual(actions.get('s3:GetObject'), [{ 'Fn::Sub': '${MediaBucket.Arn}/tickets/*' }]);
  const sesResources = actions.get('ses:SendRawEmail').map((resource) => resource['Fn::Sub']);
  assert.equal(sesResources.length, 2);
  assert.ok(sesResources.some((arn) => arn.endsWith(':identity/${MailDomain}')));
  assert.ok(sesResources.some((arn) => arn.endsWith(':configuration-set/${MailConfigurationSet}')));
});

test('SES bounces and complaints go through the configuration set to the handler that suppresses the address', () => {
  assert.equal(referencedId(mailer.Environment.Variables.BOXOFFICE_SES_CONFIGURATION_SET), 'MailConfigurationSet');
  const destination = resources.MailEventDestination.Properties;
  assert.equal(referencedId(destination.ConfigurationSetName), 'MailConfigurationSet');
  const events = destination.EventDestination;
  assert.equal(events.Enabled, true);
  assert.deepEqual(new Set(events.MatchingEventTypes.map((type) => type.toUpperCase())), new Set(['BOUNCE', 'COMPLAINT']));
  assert.equal(referencedId(events.SnsDestination.TopicARN), 'MailEventsTopic');
  const handler = subscriptions.find(([, { Properties: p }]) => referencedId(p.TopicArn) === 'MailEventsTopic');
  assert.ok(handler, 'something subscribes to the mail events');
  assert.equal(referencedId(handler[1].Properties.Endpoint), 'MailEventsFunction');
  const writes = statementsOf(referencedId(resources.MailEventsFunction.Properties.Role))
    .filter((statement) => asList(statement.Action).some((action) => action.startsWith('dynamodb:')));
  assert.deepEqual(writes.flatMap((statement) => asList(statement.Resource)).map(referencedId), ['SuppressionTable']);
});
