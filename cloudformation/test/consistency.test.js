import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  asList, cloudformationDir, loadTemplate, repositoryRoot, resourcesOfType, rootTemplate,
} from '../lib/templates.js';

// The variables the backend needs in aws mode, the serverless half's included (without the state machines it would
// start no workflow, without the API URL browsers could not reach the Lambda routes); the task definitions must set
// every one of them.
const VARIABLES_REQUIRED_IN_AWS_MODE = [
  'BOXOFFICE_MODE',
  'BOXOFFICE_HTTP_PORT',
  'BOXOFFICE_DB_HOST',
  'BOXOFFICE_DB_PORT',
  'BOXOFFICE_DB_NAME',
  'BOXOFFICE_DB_USER',
  'BOXOFFICE_DB_SECRET_ID',
  'BOXOFFICE_DB_SSL_MODE',
  'BOXOFFICE_REDIS_URL',
  'BOXOFFICE_REDIS_AUTH_SECRET_ID',
  'BOXOFFICE_LOG_FORMAT',
  'BOXOFFICE_SESSION_PUBLIC_KEY',
  'BOXOFFICE_ADMIN_EMAILS',
  'BOXOFFICE_ORGANIZER_EMAILS',
  'BOXOFFICE_DOOR_STAFF_EMAILS',
  'BOXOFFICE_TICKET_PUBLIC_KEY',
  'BOXOFFICE_SERVERLESS_API_URL',
  'BOXOFFICE_TICKET_ISSUANCE_STATE_MACHINE_ARN',
  'BOXOFFICE_ISSUANCE_OUTCOME_QUEUE_URL',
  'BOXOFFICE_EVENT_ANNOUNCEMENT_STATE_MACHINE_ARN',
  'BOXOFFICE_TICKET_CANCELLATION_STATE_MACHINE_ARN',
  'BOXOFFICE_AWS_REGION',
  'BOXOFFICE_REVOKED_SESSIONS_TABLE',
];
// The backend refuses to start in aws mode with these set.
const VARIABLES_REFUSED_IN_AWS_MODE = ['BOXOFFICE_SESSION_PRIVATE_KEY', 'BOXOFFICE_SFN_ENDPOINT', 'BOXOFFICE_SQS_ENDPOINT',
  'BOXOFFICE_SECRETSMANAGER_ENDPOINT', 'BOXOFFICE_STRIPE_API_BASE', 'BOXOFFICE_DYNAMODB_ENDPOINT'];
// Each state machine variable names the serverless stack's state machine of that logical id.
const STATE_MACHINE_OF_VARIABLE = {
  BOXOFFICE_TICKET_ISSUANCE_STATE_MACHINE_ARN: 'TicketIssuanceStateMachine',
  BOXOFFICE_EVENT_ANNOUNCEMENT_STATE_MACHINE_ARN: 'EventAnnouncementStateMachine',
  BOXOFFICE_TICKET_CANCELLATION_STATE_MACHINE_ARN: 'TicketCancellationStateMachine',
};
// The state machines whose executions the task role may describe; a cancellation is started and left to its own
// retries, so nothing needs to describe it.
const FOLLOWED_VARIABLES = ['BOXOFFICE_TICKET_ISSUANCE_STATE_MACHINE_ARN', 'BOXOFFICE_EVENT_ANNOUNCEMENT_STATE_MACHINE_ARN'];
const SECRET_NAME = /PASSWORD|TOKEN|SECRET|KEY/;
/** A variable that names a secret for the backend to fetch at run time (its id or ARN), not the secret itself. */
const SECRET_REFERENCE = /_SECRET_(ID|ARN)$/;

const HEALTH_CHECK_PATH = '/health/ready';
const FARGATE_MEMORY_BY_CPU = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: Array.from({ length: 13 }, (_, i) => 4096 + i * 1024),
  4096: Array.from({ length: 23 }, (_, i) => 8192 + i * 1024),
};

const compute = loadTemplate('compute.yaml');
const root = loadTemplate(rootTemplate);
const serverless = loadTemplate('serverless.yaml');
const nestedStackOf = (templateName) => resourcesOfType(root, 'AWS::CloudFormation::Stack')
  .find(([, stack]) => stack.Properties.TemplateURL === templateName);
const taskDefinitions = resourcesOfType(compute, 'AWS::ECS::TaskDefinition');
// The application container of each task, the one the services register with their target groups; the metrics
// collector beside it is checked with every container's logs only.
const APPLICATION_CONTAINER = 'backend';
const allContainers = taskDefinitions.flatMap(([id, task]) =>
  task.Properties.ContainerDefinitions.map((container) => [`${id}/${container.Name}`, container, task]));
const containers = allContainers.filter(([, container]) => container.Name === APPLICATION_CONTAINER);
const targetGroups = resourcesOfType(compute, 'AWS::ElasticLoadBalancingV2::TargetGroup');
const services = resourcesOfType(compute, 'AWS::ECS::Service');

const dockerfile = readFileSync(join(repositoryRoot, 'verticles', 'Dockerfile'), 'utf8');

function javaSources(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return javaSources(path);
    return entry.endsWith('.java') ? [readFileSync(path, 'utf8')] : [];
  });
}
const backendSources = javaSources(join(repositoryRoot, 'verticles', 'src', 'main', 'java'));
const variablesTheBackendReads = new Set(
  // Its own settings, and OpenTelemetry's standard ones it reads for tracing.
  backendSources.flatMap((source) => [...source.matchAll(/"((?:BOXOFFICE|OTEL)_[A-Z0-9_]+)"/g)].map((match) => match[1])));

describe('the task definitions and the backend image', () => {
  test('the port the Dockerfile exposes is the containers\', the target groups\' and the services\' port', () => {
    const exposed = dockerfile.match(/^EXPOSE\s+(\d+)/m);
    assert.ok(exposed, 'verticles/Dockerfile has no EXPOSE line');
    const port = Number(exposed[1]);
    for (const [id, container] of containers) {
      assert.deepEqual(container.PortMappings.map((mapping) => mapping.ContainerPort), [port], `${id} port mappings`);
      const httpPort = container.Environment.find((variable) => variable.Name === 'BOXOFFICE_HTTP_PORT');
      assert.equal(Number(httpPort?.Value), port, `${id} BOXOFFICE_HTTP_PORT`);
    }
    for (const [id, group] of targetGroups) assert.equal(group.Properties.Port, port, `${id} port`);
    assert.ok(services.length > 0, 'compute.yaml declares no ECS service');
    for (const [id, service] of services) {
      for (const balancer of service.Properties.LoadBalancers) {
        assert.equal(balancer.ContainerPort, port, `${id} container port`);
      }
    }
  });

  test('every target group health-checks the path the backend serves its readiness on', () => {
    assert.ok(targetGroups.length >= 2, 'expected a target group per load balancer');
    for (const [id, group] of targetGroups) {
      assert.equal(group.Properties.HealthCheckPath, HEALTH_CHECK_PATH, `${id} health check path`);
    }
    assert.ok(backendSources.some((source) => source.includes(`"${HEALTH_CHECK_PATH}"`)),
      `no route for ${HEALTH_CHECK_PATH} in verticles/src/main/java`);
  });

  test('every variable a task definition sets is one the backend reads', () => {
    assert.ok(variablesTheBackendReads.size > 0, 'found no BOXOFFICE_ variable in the backend sources');
    for (const [id, container] of containers) {
      const names = [...asList(container.Environment), ...asList(container.Secrets)].map((variable) => variable.Name);
      const unknown = names.filter((name) => !variablesTheBackendReads.has(name));
      assert.deepEqual(unknown, [], `${id} sets variables the backend never reads`);
    }
  });

  test('every variable the backend needs in aws mode is set, the secret ones from Secrets Manager or SSM', () => {
    for (const required of VARIABLES_REQUIRED_IN_AWS_MODE) {
      assert.ok(variablesTheBackendReads.has(required), `the backend no longer reads ${required}: update the list`);
    }
    for (const [id, container] of containers) {
      const environment = asList(container.Environment).map((variable) => variable.Name);
      const secrets = asList(container.Secrets).map((variable) => variable.Name);
      const missing = VARIABLES_REQUIRED_IN_AWS_MODE.filter((name) => !environment.includes(name) && !secrets.includes(name));
      assert.deepEqual(missing, [], `${id} misses variables`);
      const refused = VARIABLES_REFUSED_IN_AWS_MODE.filter((name) => environment.includes(name) || secrets.includes(name));
      assert.deepEqual(refused, [], `${id} sets variables the backend refuses in aws mode`);
      assert.deepEqual(environment.filter((name) => SECRET_NAME.test(name) && !SECRET_REFERENCE.test(name)), [],
        `${id} has a secret in plain text`);
      for (const reference of environment.filter((name) => SECRET_REFERENCE.test(name))) {
        const value = asList(container.Environment).find((variable) => variable.Name === reference).Value;
        const parameter = compute.Parameters[value.Ref];
        assert.match(parameter?.AllowedPattern ?? '', /secretsmanager/, `${id} ${reference} names a Secrets Manager secret`);
      }
      const mode = container.Environment.find((variable) => variable.Name === 'BOXOFFICE_MODE');
      assert.equal(mode.Value, 'aws', `${id} BOXOFFICE_MODE`);
    }
  });

  test('the frontend and backend services run the same image with the same configuration', () => {
    assert.equal(containers.length, 2, 'expected one application container in each of the two task definitions');
    const [[, frontend], [, backend]] = containers;
    for (const key of ['Image', 'Environment', 'Secrets', 'User', 'ReadonlyRootFilesystem', 'MountPoints', 'PortMappings']) {
      assert.deepEqual(frontend[key], backend[key], `${key} differs between the two task definitions`);
    }
  });

  test('each task is a valid Fargate size and runs as the image\'s non-root user on a read-only root with a writable /tmp', () => {
    const uid = dockerfile.match(/^USER\s+(\d+)/m)?.[1];
    assert.ok(uid && uid !== '0', 'verticles/Dockerfile sets no numeric non-root USER');
    for (const [id, container, task] of containers) {
      const { Cpu, Memory } = task.Properties;
      assert.ok(FARGATE_MEMORY_BY_CPU[Cpu]?.includes(Number(Memory)), `${id}: ${Cpu} CPU with ${Memory} MiB is not a Fargate size`);
      assert.deepEqual(task.Properties.RequiresCompatibilities, ['FARGATE']);
      assert.equal(container.User, uid, `${id} user`);
      assert.equal(container.ReadonlyRootFilesystem, true, `${id} read-only root`);
      const tmp = container.MountPoints.find((mount) => mount.ContainerPath === '/tmp');
      assert.ok(tmp && tmp.ReadOnly === false, `${id} has no writable /tmp mount`);
      assert.ok(task.Properties.Volumes.some((volume) => volume.Name === tmp.SourceVolume), `${id} /tmp volume missing`);
    }
  });

  test('each container logs through awslogs to a log group with a retention period', () => {
    for (const [id, container] of allContainers) {
      const { LogDriver, Options } = container.LogConfiguration;
      assert.equal(LogDriver, 'awslogs', `${id} log driver`);
      const group = compute.Resources[Options['awslogs-group'].Ref];
      assert.equal(group?.Type, 'AWS::Logs::LogGroup', `${id} logs to no log group of this template`);
      assert.ok(group.Properties.RetentionInDays, `${id} log group keeps logs forever`);
    }
  });
});

/** The statements of a role's inline policies that grant the action. */
function statementsGranting(role, action) {
  return role.Properties.Policies.flatMap((policy) => asList(policy.PolicyDocument.Statement))
    .filter((statement) => statement.Effect === 'Allow' && asList(statement.Action).includes(action));
}

describe('the backend tasks and the serverless stack', () => {
  const [computeStackId, computeStack] = nestedStackOf('compute.yaml');
  const [serverlessStackId] = nestedStackOf('serverless.yaml');
  const environmentOf = (container, name) => asList(container.Environment).find((variable) => variable.Name === name)?.Value;

  test('the state machine variables are the ARNs of the serverless stack\'s state machines, passed through the root stack', () => {
    for (const [id, container] of containers) {
      for (const [variable, stateMachine] of Object.entries(STATE_MACHINE_OF_VARIABLE)) {
        const parameter = environmentOf(container, variable)?.Ref;
        assert.ok(parameter in compute.Parameters, `${id} ${variable} is not a parameter of compute.yaml`);
        const passed = computeStack.Properties.Parameters[parameter]?.['Fn::GetAtt'];
        assert.equal(passed?.[0], serverlessStackId, `${computeStackId} does not take ${parameter} from ${serverlessStackId}`);
        const output = serverless.Outputs[passed[1].slice('Outputs.'.length)];
        assert.deepEqual(output?.Value, { Ref: stateMachine }, `${passed[1]} is not the ARN (Ref) of ${stateMachine}`);
        assert.equal(serverless.Resources[stateMachine].Type, 'AWS::StepFunctions::StateMachine');
      }
    }
  });

  test('the serverless API URL is the serverless stack\'s ApiEndpoint and the region the stack\'s own', () => {
    for (const [id, container] of containers) {
      const parameter = environmentOf(container, 'BOXOFFICE_SERVERLESS_API_URL')?.Ref;
      assert.deepEqual(computeStack.Properties.Parameters[parameter], { 'Fn::GetAtt': [serverlessStackId, 'Outputs.ApiEndpoint'] }, id);
      assert.deepEqual(environmentOf(container, 'BOXOFFICE_AWS_REGION'), { Ref: 'AWS::Region' }, id);
    }
  });

  test('the administrator, organizer and door staff lists are the root stack\'s parameters (the last two also the Lambda functions\')', () => {
    for (const [id, container] of containers) {
      for (const [variable, rootParameter] of [['BOXOFFICE_ADMIN_EMAILS', 'AdminEmails'], ['BOXOFFICE_ORGANIZER_EMAILS', 'OrganizerEmails'], ['BOXOFFICE_DOOR_STAFF_EMAILS', 'DoorStaffEmails']]) {
        const parameter = environmentOf(container, variable)?.Ref;
        assert.deepEqual(computeStack.Properties.Parameters[parameter], { Ref: rootParameter }, `${id} ${variable}`);
      }
    }
  });

  test('the execution role may read exactly the secrets and parameters the containers inject', () => {
    const roleId = taskDefinitions[0][1].Properties.ExecutionRoleArn['Fn::GetAtt'][0];
    for (const [id, task] of taskDefinitions) {
      assert.deepEqual(task.Properties.ExecutionRoleArn, { 'Fn::GetAtt': [roleId, 'Arn'] }, `${id} execution role`);
    }
    const role = compute.Resources[roleId];
    const readable = (action) => statementsGranting(role, action).flatMap((statement) => asList(statement.Resource)).map((resource) => JSON.stringify(resource));
    const injected = new Set(containers.flatMap(([, container]) => asList(container.Secrets).map((secret) => {
      // A JSON key of a secret (arn:json-key:version-stage:version-id) is read with the secret's own ARN.
      const jsonKey = secret.ValueFrom['Fn::Sub']?.match(/^\$\{(\w+)\}:[^:]*::$/);
      return JSON.stringify(jsonKey ? { Ref: jsonKey[1] } : secret.ValueFrom);
    })));
    const granted = new Set([...readable('secretsmanager:GetSecretValue'), ...readable('ssm:GetParameters')]);
    assert.deepEqual([...injected].filter((value) => !granted.has(value)), [], 'injected but not readable');
    assert.deepEqual([...granted].filter((value) => !injected.has(value)), [], 'readable but never injected');
    assert.ok(containers.every(([, container]) => asList(container.Secrets).some((secret) =>
      secret.Name === 'BOXOFFICE_TICKET_PUBLIC_KEY' && JSON.stringify(secret.ValueFrom).includes('${TicketPublicKeyParameterName}'))),
    'BOXOFFICE_TICKET_PUBLIC_KEY does not come from the TicketPublicKeyParameterName parameter');
  });

  test('the task role may only start the three state machines, describe the executions of two, publish to the notification topic, copy sign-outs to the revoked-sessions table, read the Stripe keys and its connection secrets, and write its metrics and traces', () => {
    const roleIds = new Set(taskDefinitions.map(([, task]) => task.Properties.TaskRoleArn?.['Fn::GetAtt']?.[0]));
    assert.equal(roleIds.size, 1, 'both task definitions run with the same task role');
    const [roleId] = roleIds;
    const role = compute.Resources[roleId];
    assert.equal(role?.Type, 'AWS::IAM::Role', `${roleId} is not a role of compute.yaml`);
    assert.deepEqual(asList(role.Properties.AssumeRolePolicyDocument.Statement).map((statement) => statement.Principal.Service),
      ['ecs-tasks.amazonaws.com']);
    const statements = role.Properties.Policies.flatMap((policy) => asList(policy.PolicyDocument.Statement));
    assert.deepEqual(statements.flatMap((statement) => asList(statement.Action)).sort(),
      ['dynamodb:PutItem', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents',
        'secretsmanager:GetSecretValue', 'secretsmanager:GetSecretValue', 'sns:Publish', 'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage', 'sqs:ReceiveMessage', 'states:DescribeExecution', 'states:StartExecution',
        'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    const [receive] = statementsGranting(role, 'sqs:ReceiveMessage');
    assert.deepEqual(asList(receive.Resource), [{ Ref: 'IssuanceOutcomeQueueArn' }], 'the issuance outcome queue only');
    assert.equal(environmentOf(containers[0][1], 'BOXOFFICE_ISSUANCE_OUTCOME_QUEUE_URL').Ref, 'IssuanceOutcomeQueueUrl');
    const [metrics] = statementsGranting(role, 'logs:PutLogEvents');
    assert.deepEqual(asList(metrics.Resource), [{ 'Fn::GetAtt': ['MetricsLogGroup', 'Arn'] }], 'the metrics log group only');
    const [publish] = statementsGranting(role, 'sns:Publish');
    assert.deepEqual(asList(publish.Resource), [{ Ref: 'NotificationTopicArn' }], 'the notification topic only');
    assert.equal(environmentOf(containers[0][1], 'BOXOFFICE_NOTIFICATION_TOPIC_ARN').Ref, 'NotificationTopicArn');
    assert.deepEqual(root.Resources.ComputeStack.Properties.Parameters.NotificationTopicArn,
      { 'Fn::GetAtt': ['ServerlessStack', 'Outputs.NotificationTopicArn'] }, 'the serverless stack\'s topic');
    const secretStatements = statementsGranting(role, 'secretsmanager:GetSecretValue');
    const stripeKeys = secretStatements.find((statement) => statement.Sid === 'ReadStripeKeys');
    const connection = secretStatements.find((statement) => statement.Sid === 'ReadConnectionSecrets');
    assert.deepEqual(asList(connection.Resource), [{ Ref: 'DatabaseCredentialsArn' }, { Ref: 'DatabaseOwnerCredentialsArn' },
      { Ref: 'RedisCredentialsArn' }]);
    assert.equal(environmentOf(containers[0][1], 'BOXOFFICE_DB_SECRET_ID').Ref, 'DatabaseCredentialsArn');
    assert.equal(environmentOf(containers[0][1], 'BOXOFFICE_DB_MIGRATION_SECRET_ID').Ref, 'DatabaseOwnerCredentialsArn');
    assert.equal(environmentOf(containers[0][1], 'BOXOFFICE_REDIS_AUTH_SECRET_ID').Ref, 'RedisCredentialsArn');
    assert.equal(environmentOf(containers[0][1], 'BOXOFFICE_STRIPE_SECRET_ID').Ref, 'StripeSecretArn');
    assert.deepEqual(stripeKeys.Resource['Fn::If'][1], { Ref: 'StripeSecretArn' }, 'only the Stripe secret, by its ARN');
    assert.match(stripeKeys.Resource['Fn::If'][2]['Fn::Sub'], /:secret:\$\{StripeSecretArn\}-\?{6}$/, 'or by its name');
    const parameters = Object.keys(STATE_MACHINE_OF_VARIABLE).map((variable) => environmentOf(containers[0][1], variable).Ref);
    const [start] = statementsGranting(role, 'states:StartExecution');
    assert.deepEqual(asList(start.Resource), parameters.map((parameter) => ({ Ref: parameter })));
    const followed = FOLLOWED_VARIABLES.map((variable) => environmentOf(containers[0][1], variable).Ref);
    const [describe] = statementsGranting(role, 'states:DescribeExecution');
    assert.deepEqual(asList(describe.Resource), followed.map((parameter) => ({
      'Fn::Sub': [
        'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${MachineName}:*',
        { MachineName: { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: parameter }] }] } },
      ],
    })));
  });

  test('the machine name that scopes DescribeExecution is the seventh field of a state machine ARN', () => {
    const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:boxoffice-ServerlessStack-1A2B-ticket-issuance';
    assert.equal(arn.split(':')[6], 'boxoffice-ServerlessStack-1A2B-ticket-issuance');
    for (const parameter of ['TicketIssuanceStateMachineArn', 'EventAnnouncementStateMachineArn', 'TicketCancellationStateMachineArn']) {
      assert.ok(new RegExp(compute.Parameters[parameter].AllowedPattern).test(arn), `${parameter} refuses ${arn}`);
      assert.ok(!new RegExp(compute.Parameters[parameter].AllowedPattern).test(`${arn}:v1`), `${parameter} accepts a version ARN`);
    }
  });
});

/** [stack id, output name] of every GetAtt and Sub reference to a nested stack output in the template. */
function outputReferences(node) {
  if (Array.isArray(node)) return node.flatMap(outputReferences);
  if (typeof node === 'string') {
    return [...node.matchAll(/\$\{(\w+)\.Outputs\.(\w+)\}/g)].map(([, stackId, output]) => [stackId, output]);
  }
  if (!node || typeof node !== 'object') return [];
  const getAtt = node['Fn::GetAtt'];
  if (Array.isArray(getAtt) && String(getAtt[1]).startsWith('Outputs.')) {
    return [[getAtt[0], getAtt[1].slice('Outputs.'.length)]];
  }
  return Object.values(node).flatMap(outputReferences);
}

/** Logical ids of the template's resources that a node refers to by Ref, GetAtt or a Sub variable. */
function resourceReferences(node, resourceIds) {
  if (Array.isArray(node)) return node.flatMap((element) => resourceReferences(element, resourceIds));
  if (!node || typeof node !== 'object') return [];
  const own = [];
  if (typeof node.Ref === 'string') own.push(node.Ref);
  if (Array.isArray(node['Fn::GetAtt'])) own.push(node['Fn::GetAtt'][0]);
  const sub = node['Fn::Sub'];
  const subText = Array.isArray(sub) ? sub[0] : sub;
  if (typeof subText === 'string') own.push(...[...subText.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)].map((match) => match[1]));
  return [...own, ...Object.values(node).flatMap((value) => resourceReferences(value, resourceIds))]
    .filter((id) => resourceIds.has(id));
}

describe('the nested stacks', () => {
  const nestedStacks = resourcesOfType(root, 'AWS::CloudFormation::Stack');

  test('every nested stack\'s TemplateURL is a template file beside the root stack', () => {
    assert.ok(nestedStacks.length >= 4, 'expected network, data, compute and serverless stacks');
    for (const [id, stack] of nestedStacks) {
      const url = stack.Properties.TemplateURL;
      assert.equal(typeof url, 'string', `${id} TemplateURL`);
      assert.ok(existsSync(join(cloudformationDir, url)), `${id}: ${url} does not exist`);
    }
  });

  test('every nested stack gets parameters its template declares, including all those without a default', () => {
    for (const [id, stack] of nestedStacks) {
      const declared = loadTemplate(stack.Properties.TemplateURL).Parameters ?? {};
      const passed = Object.keys(stack.Properties.Parameters ?? {});
      assert.deepEqual(passed.filter((name) => !(name in declared)), [], `${id} passes undeclared parameters`);
      const required = Object.entries(declared).filter(([, parameter]) => parameter.Default === undefined).map(([name]) => name);
      assert.deepEqual(required.filter((name) => !passed.includes(name)), [], `${id} misses required parameters`);
    }
  });

  test('a root parameter handed straight to a nested stack has the same type, default and constraints there', () => {
    const keys = ['Type', 'Default', 'AllowedPattern', 'AllowedValues', 'MinValue', 'MaxValue'];
    const drift = nestedStacks.flatMap(([id, stack]) => {
      const declared = loadTemplate(stack.Properties.TemplateURL).Parameters ?? {};
      return Object.entries(stack.Properties.Parameters ?? {})
        .filter(([, value]) => typeof value?.Ref === 'string' && value.Ref in root.Parameters)
        .flatMap(([name, value]) => keys
          .filter((key) => JSON.stringify(root.Parameters[value.Ref][key]) !== JSON.stringify(declared[name]?.[key]))
          .map((key) => `${id}.${name} ${key}`));
    });
    assert.deepEqual(drift, []);
  });

  test('the root stack\'s resources depend on each other without a cycle, the serverless stack before compute', () => {
    const ids = new Set(Object.keys(root.Resources));
    const dependencies = Object.fromEntries(Object.entries(root.Resources).map(([id, resource]) =>
      [id, new Set([...resourceReferences(resource.Properties, ids), ...asList(resource.DependsOn)])]));
    const state = {};
    const visit = (id, path) => {
      assert.notEqual(state[id], 'visiting', `dependency cycle: ${[...path, id].join(' -> ')}`);
      if (state[id] === 'done') return;
      state[id] = 'visiting';
      for (const dependency of dependencies[id]) visit(dependency, [...path, id]);
      state[id] = 'done';
    };
    for (const id of ids) visit(id, []);
    const [computeStackId] = nestedStackOf('compute.yaml');
    const [serverlessStackId] = nestedStackOf('serverless.yaml');
    assert.ok(dependencies[computeStackId].has(serverlessStackId), `${computeStackId} does not wait for ${serverlessStackId}`);
  });

  test('every nested stack output the root stack reads is declared by that stack\'s template', () => {
    const templateOf = Object.fromEntries(nestedStacks.map(([id, stack]) => [id, stack.Properties.TemplateURL]));
    const references = outputReferences(root);
    assert.ok(references.length > 0);
    for (const [stackId, output] of references) {
      assert.ok(templateOf[stackId], `${stackId} is not a nested stack`);
      assert.ok(output in (loadTemplate(templateOf[stackId]).Outputs ?? {}), `${templateOf[stackId]} has no output ${output}`);
    }
  });

  test('deploy.sh passes only parameters the root stack declares and reads only outputs it declares', () => {
    const script = readFileSync(join(cloudformationDir, 'deploy.sh'), 'utf8')
      .split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n');
    const parameters = [...script.matchAll(/\b([A-Z][a-z][A-Za-z]*)=(?!=)/g)].map((match) => match[1]);
    const outputs = [...script.matchAll(/stack_output (\w+)/g)].map((match) => match[1]);
    assert.ok(parameters.includes('ImageTag') && outputs.includes('RepositoryUri'));
    assert.deepEqual(parameters.filter((name) => !(name in root.Parameters)), [], 'undeclared parameters');
    assert.deepEqual(outputs.filter((name) => !(name in root.Outputs)), [], 'undeclared outputs');
  });
});
