import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  asList, cloudformationDir, loadTemplate, repositoryRoot, resourcesOfType, rootTemplate,
} from '../lib/templates.js';

// The variables the backend needs in aws mode; the task definitions must set every one of them.
const VARIABLES_REQUIRED_IN_AWS_MODE = [
  'BOXOFFICE_MODE',
  'BOXOFFICE_HTTP_PORT',
  'BOXOFFICE_DB_HOST',
  'BOXOFFICE_DB_PORT',
  'BOXOFFICE_DB_NAME',
  'BOXOFFICE_DB_USER',
  'BOXOFFICE_DB_PASSWORD',
  'BOXOFFICE_DB_SSL_MODE',
  'BOXOFFICE_REDIS_URL',
  'BOXOFFICE_REDIS_AUTH_TOKEN',
  'BOXOFFICE_LOG_FORMAT',
  'BOXOFFICE_SESSION_PUBLIC_KEY',
];
// The backend refuses to start in aws mode with these set.
const VARIABLES_REFUSED_IN_AWS_MODE = ['BOXOFFICE_SESSION_PRIVATE_KEY'];
const SECRET_NAME = /PASSWORD|TOKEN|SECRET|KEY/;

const HEALTH_CHECK_PATH = '/health/ready';
const FARGATE_MEMORY_BY_CPU = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: Array.from({ length: 13 }, (_, i) => 4096 + i * 1024),
  4096: Array.from({ length: 23 }, (_, i) => 8192 + i * 1024),
};

const compute = loadTemplate('compute.yaml');
const taskDefinitions = resourcesOfType(compute, 'AWS::ECS::TaskDefinition');
const containers = taskDefinitions.flatMap(([id, task]) =>
  task.Properties.ContainerDefinitions.map((container) => [`${id}/${container.Name}`, container, task]));
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
  backendSources.flatMap((source) => [...source.matchAll(/"(BOXOFFICE_[A-Z0-9_]+)"/g)].map((match) => match[1])));

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
      assert.deepEqual(environment.filter((name) => SECRET_NAME.test(name)), [], `${id} has a secret in plain text`);
      const mode = container.Environment.find((variable) => variable.Name === 'BOXOFFICE_MODE');
      assert.equal(mode.Value, 'aws', `${id} BOXOFFICE_MODE`);
    }
  });

  test('the frontend and backend services run the same image with the same configuration', () => {
    assert.equal(containers.length, 2, 'expected one container in each of the two task definitions');
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
    for (const [id, container] of containers) {
      const { LogDriver, Options } = container.LogConfiguration;
      assert.equal(LogDriver, 'awslogs', `${id} log driver`);
      const group = compute.Resources[Options['awslogs-group'].Ref];
      assert.equal(group?.Type, 'AWS::Logs::LogGroup', `${id} logs to no log group of this template`);
      assert.ok(group.Properties.RetentionInDays, `${id} log group keeps logs forever`);
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

describe('the nested stacks', () => {
  const root = loadTemplate(rootTemplate);
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
