// serverless.yaml against the code it deploys: the handler classes and the environment variables they read, the state
// machine definitions, and the routes the frontend calls.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import {
  asList, cloudformationDir, loadTemplate, referencedId, repositoryRoot, resourcesOfType, rootTemplate,
} from '../lib/templates.js';

const serverless = loadTemplate('serverless.yaml');
const functions = resourcesOfType(serverless, 'AWS::Lambda::Function');
const stateMachines = resourcesOfType(serverless, 'AWS::StepFunctions::StateMachine');
const methods = resourcesOfType(serverless, 'AWS::ApiGateway::Method');

// Set by the local stack only, pointing the SDK clients at its endpoints; AWS_* ones are set by Lambda itself.
const LOCAL_OVERRIDE = /^BOXOFFICE_\w+_ENDPOINT$/;
const SECRET_NAME = /PRIVATE_KEY|PEPPER|PASSWORD|TOKEN/;
const LAMBDAS_SOURCES = join(repositoryRoot, 'lambdas', 'src', 'main', 'java');

function filesUnder(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return filesUnder(path, suffix);
    return entry.endsWith(suffix) ? [path] : [];
  });
}

// ---------------------------------------------------------------- reading the Java sources

const withoutComments = (source) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');

/** Every class of lambdas/ by simple name: its file, its package, its source without comments and its String constants. */
const javaClasses = new Map(filesUnder(LAMBDAS_SOURCES, '.java').map((file) => {
  const source = withoutComments(readFileSync(file, 'utf8'));
  const constants = new Map([...source.matchAll(/static\s+final\s+String\s+([A-Z][A-Z0-9_]*)\s*=\s*"([^"]*)"/g)]
    .map(([, name, value]) => [name, value]));
  return [basename(file, '.java'), { file, packageName: source.match(/^\s*package\s+([\w.]+);/m)?.[1], source, constants }];
}));

/** The body of a method or constructor of the class, braces included, or undefined. */
function memberBody(source, name) {
  const header = new RegExp(`\\b${name}\\s*\\([^;{)]*\\)\\s*(?:throws[^{;]*)?\\{`, 'g');
  for (const match of source.matchAll(header)) {
    const prefix = source.slice(Math.max(0, match.index - 30), match.index);
    if (/(?:new|\.)\s*$/.test(prefix)) continue;
    let depth = 0;
    for (let i = match.index + match[0].length - 1; i < source.length; i += 1) {
      if (source[i] === '{') depth += 1;
      if (source[i] === '}' && --depth === 0) return source.slice(match.index, i + 1);
    }
  }
  return undefined;
}

const analysed = new Map();

/**
 * The BOXOFFICE_* variables a piece of a class reads through HandlerEnvironment (required(...) or, with a default,
 * optional(...)/integer(...)), following what it reaches: a whole class for `new X(` or `extends X`, a single method
 * for `X.method(` or an unqualified call; `X.CONSTANT` only names a variable and reaches nothing.
 */
function environmentReads(className, memberName = '*') {
  const key = `${className}#${memberName}`;
  if (analysed.has(key)) return analysed.get(key);
  const reads = { required: new Set(), optional: new Set() };
  analysed.set(key, reads);
  const javaClass = javaClasses.get(className);
  const text = memberName === '*' ? javaClass.source : memberBody(javaClass.source, memberName);
  assert.ok(text, `${className}.${memberName} not found in lambdas/`);
  const merge = (other) => {
    other.required.forEach((name) => reads.required.add(name));
    other.optional.forEach((name) => reads.optional.add(name));
  };

  const read = /\.(required|optional|integer)\(\s*(?:"(\w+)"|(?:([A-Z]\w*)\.)?([A-Z][A-Z0-9_]*)\b)/g;
  for (const [, kind, literal, owner, constant] of text.matchAll(read)) {
    const name = literal ?? javaClasses.get(owner ?? className)?.constants.get(constant);
    assert.ok(name, `${className}: cannot resolve the variable name ${owner ? `${owner}.` : ''}${constant}`);
    if (name.startsWith('BOXOFFICE_')) reads[kind === 'required' ? 'required' : 'optional'].add(name);
  }
  for (const other of javaClasses.keys()) {
    if (other === className) continue;
    if (new RegExp(`(?:\\bnew\\s+${other}\\s*[(<]|\\bextends\\s+${other}\\b)`).test(text)) merge(environmentReads(other));
    for (const [, method] of text.matchAll(new RegExp(`\\b${other}\\s*\\.\\s*([a-z]\\w*)\\s*\\(`, 'g'))) {
      if (memberBody(javaClasses.get(other).source, method)) merge(environmentReads(other, method));
    }
  }
  if (memberName !== '*') {
    for (const [, method] of text.matchAll(/(?<![.\w])([a-z]\w*)\s*\(/g)) {
      if (method !== memberName && memberBody(javaClass.source, method)) merge(environmentReads(className, method));
    }
  }
  return reads;
}

/** Whether the class implements RequestHandler itself or through a superclass of lambdas/. */
function implementsRequestHandler(className) {
  const source = javaClasses.get(className)?.source ?? '';
  const declaration = source.match(new RegExp(`\\bclass\\s+${className}\\b([^{]*)\\{`))?.[1] ?? '';
  if (/\bimplements\b[^{]*\bRequest(?:Stream)?Handler\b/.test(declaration)) return true;
  const parent = declaration.match(/\bextends\s+(\w+)/)?.[1];
  return parent !== undefined && javaClasses.has(parent) && implementsRequestHandler(parent);
}

const handlerClasses = [...javaClasses.keys()].filter((name) =>
  implementsRequestHandler(name) && !/\babstract\s+class\b/.test(javaClasses.get(name).source));

/** The simple class name of a function's Handler, checked to be `package.Class::handleRequest` of lambdas/. */
function handlerClassOf(id, fn) {
  const handler = fn.Properties.Handler;
  const match = typeof handler === 'string' && handler.match(/^((?:[a-z]\w*\.)+)([A-Z]\w*)::handleRequest$/);
  assert.ok(match, `${id}: Handler ${JSON.stringify(handler)} is not package.Class::handleRequest`);
  const [, packagePrefix, className] = match;
  assert.ok(javaClasses.has(className), `${id}: no class ${className} in lambdas/src/main/java`);
  assert.equal(`${javaClasses.get(className).packageName}.`, packagePrefix, `${id}: package of ${className}`);
  return className;
}

// ---------------------------------------------------------------- the functions

describe('the Lambda functions of serverless.yaml', () => {
  test('each Handler is a class of lambdas/ that implements RequestHandler, one function per such class', () => {
    assert.ok(handlerClasses.length > 0, 'found no RequestHandler in lambdas/src/main/java');
    const named = functions.map(([id, fn]) => {
      const className = handlerClassOf(id, fn);
      assert.ok(implementsRequestHandler(className), `${id}: ${className} does not implement RequestHandler`);
      return className;
    });
    assert.deepEqual([...named].sort(), [...handlerClasses].sort());
  });

  test('each function runs the shaded jar the lambdas build produces, on java21', () => {
    const pom = readFileSync(join(repositoryRoot, 'lambdas', 'pom.xml'), 'utf8');
    const jar = pom.match(/<outputFile>\$\{project\.build\.directory\}\/([^<]+)<\/outputFile>/)?.[1];
    assert.ok(jar, 'lambdas/pom.xml names no shaded outputFile');
    for (const [id, fn] of functions) {
      assert.equal(fn.Properties.Code, `../lambdas/target/${jar}`, `${id} Code`);
      assert.equal(fn.Properties.Runtime, 'java21', `${id} Runtime`);
    }
  });

  test('each function sets only variables its handler reads, and every one it requires', () => {
    for (const [id, fn] of functions) {
      const reads = environmentReads(handlerClassOf(id, fn));
      assert.ok(reads.required.size > 0, `${id}: found no variable its handler requires; is the analysis blind?`);
      const set = Object.keys(fn.Properties.Environment?.Variables ?? {});
      const unread = set.filter((name) => !reads.required.has(name) && !reads.optional.has(name));
      assert.deepEqual(unread, [], `${id} sets variables its handler never reads`);
      assert.deepEqual(set.filter((name) => LOCAL_OVERRIDE.test(name)), [], `${id} sets a local-only endpoint`);
      const missing = [...reads.required].filter((name) => !LOCAL_OVERRIDE.test(name) && !set.includes(name));
      assert.deepEqual(missing, [], `${id} misses variables its handler requires`);
    }
  });

  test('secrets reach a function only as dynamic references to Secrets Manager, never as literals', () => {
    for (const [id, fn] of functions) {
      for (const [name, value] of Object.entries(fn.Properties.Environment?.Variables ?? {})) {
        if (!SECRET_NAME.test(name)) continue;
        const text = value?.['Fn::Sub'];
        assert.match(String(text), /^\{\{resolve:secretsmanager:\$\{KeysSecretArn\}:SecretString:\w+\}\}$/, `${id} ${name}`);
      }
    }
  });

  test('each function has a role of its own and logs to a log group of its own with a retention period', () => {
    const roles = functions.map(([, fn]) => referencedId(fn.Properties.Role));
    assert.equal(new Set(roles).size, functions.length, 'two functions share a role');
    for (const [id, fn] of functions) {
      const group = referencedId(fn.Properties.LoggingConfig?.LogGroup);
      assert.equal(serverless.Resources[group]?.Type, 'AWS::Logs::LogGroup', `${id} LoggingConfig.LogGroup`);
      assert.ok(serverless.Resources[group].Properties.RetentionInDays, `${id}: ${group} keeps logs forever`);
      const role = serverless.Resources[referencedId(fn.Properties.Role)];
      const logStatement = role.Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement)
        .find((statement) => asList(statement.Action).includes('logs:PutLogEvents'));
      assert.equal(referencedId(logStatement?.Resource), group, `${id} writes logs to a group other than its own`);
    }
  });
});

// ---------------------------------------------------------------- the state machines

const SUBSTITUTION = /\$\{(\w+)\}/g;

describe('the state machines of serverless.yaml', () => {
  test('each state machine of state-machines/ is deployed once', () => {
    const files = filesUnder(join(repositoryRoot, 'state-machines'), '.asl.json').map((file) => basename(file)).sort();
    const deployed = stateMachines.map(([, machine]) => basename(machine.Properties.DefinitionS3Location)).sort();
    assert.deepEqual(deployed, files);
  });

  for (const [id, machine] of stateMachines) {
    const location = machine.Properties.DefinitionS3Location;
    const file = join(cloudformationDir, String(location));

    test(`${id}: its definition file exists and its substitutions are exactly the file's \${...} names`, () => {
      assert.equal(typeof location, 'string', `${id} DefinitionS3Location is not a local path`);
      assert.ok(existsSync(file), `${id}: ${location} does not exist beside the template`);
      const used = new Set([...readFileSync(file, 'utf8').matchAll(SUBSTITUTION)].map(([, name]) => name));
      assert.deepEqual(Object.keys(machine.Properties.DefinitionSubstitutions ?? {}).sort(), [...used].sort());
    });

    test(`${id}: every function it invokes is a function of the template that its role may invoke`, () => {
      const definition = JSON.parse(readFileSync(file, 'utf8'));
      const invoked = [];
      const visit = (node) => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (!node || typeof node !== 'object') return undefined;
        if (typeof node.Resource === 'string' && node.Resource.includes(':lambda:invoke')) {
          invoked.push(node.Arguments?.FunctionName ?? node.Parameters?.FunctionName ?? node.Parameters?.['FunctionName.$']);
        }
        return Object.values(node).forEach(visit);
      };
      visit(definition);
      const role = serverless.Resources[referencedId(machine.Properties.RoleArn)];
      const invokable = role.Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement)
        .filter((statement) => asList(statement.Action).includes('lambda:InvokeFunction'))
        .flatMap((statement) => asList(statement.Resource)).map(referencedId);
      for (const reference of invoked) {
        const name = String(reference).match(/^\$\{(\w+)\}$/)?.[1];
        assert.ok(name, `${id} invokes ${reference}, not a substituted ARN`);
        const substitution = machine.Properties.DefinitionSubstitutions[name];
        const functionId = referencedId(substitution);
        assert.equal(serverless.Resources[functionId]?.Type, 'AWS::Lambda::Function', `${id}: ${name} is not a function`);
        assert.deepEqual(substitution, { 'Fn::GetAtt': [functionId, 'Arn'] }, `${id}: ${name} is not the function's ARN`);
        assert.ok(invokable.includes(functionId), `${id}: its role may not invoke ${functionId}`);
      }
    });

    test(`${id}: logs to a log group with a retention period and is traced`, () => {
      const { LoggingConfiguration, TracingConfiguration } = machine.Properties;
      const group = referencedId(LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn);
      assert.equal(serverless.Resources[group]?.Type, 'AWS::Logs::LogGroup');
      assert.ok(serverless.Resources[group].Properties.RetentionInDays);
      assert.equal(TracingConfiguration.Enabled, true);
    });
  }
});

// ---------------------------------------------------------------- the REST API

/** The full path of an API Gateway resource, from its PathPart up to the API's root. */
function resourcePath(resourceId) {
  const parts = [];
  let current = resourceId;
  while (current && serverless.Resources[current]?.Type === 'AWS::ApiGateway::Resource') {
    const { PathPart, ParentId } = serverless.Resources[current].Properties;
    parts.unshift(PathPart);
    current = ParentId?.['Fn::GetAtt']?.[1] === 'RootResourceId' ? undefined : referencedId(ParentId);
  }
  return `/${parts.join('/')}`;
}

const routes = methods.filter(([, method]) => method.Properties.Integration?.Type === 'AWS_PROXY')
  .map(([id, method]) => ({
    id,
    method: method.Properties.HttpMethod,
    path: resourcePath(referencedId(method.Properties.ResourceId)),
    resourceId: referencedId(method.Properties.ResourceId),
    functionId: String(method.Properties.Integration.Uri?.['Fn::Sub']).match(/functions\/\$\{(\w+)\.Arn\}\/invocations$/)?.[1],
  }));

/** What the frontend sends to the serverless API: `METHOD /path` for each serverlessUrl('/path') call. */
function frontendRoutes() {
  return filesUnder(join(repositoryRoot, 'frontend-static'), '.js').flatMap((file) => {
    const source = readFileSync(file, 'utf8');
    return [...source.matchAll(/serverlessUrl\(\s*[`'"](\/[\w-]+)/g)].map((match) => {
      // The method sits in the same function: a fetch/request option or an XMLHttpRequest open().
      const rest = source.slice(match.index);
      const scope = rest.slice(0, rest.search(/\n(?:export |async function |function )|$/));
      const method = scope.match(/method:\s*'(\w+)'|\.open\('(\w+)'/);
      return `${(method?.[1] ?? method?.[2] ?? 'GET').toUpperCase()} ${match[1]}`;
    });
  });
}

describe('the REST API of serverless.yaml', () => {
  test('serves exactly the routes the frontend calls, each on the function whose Javadoc names that route', () => {
    const called = [...new Set(frontendRoutes())].sort();
    assert.ok(called.length > 0, 'found no serverlessUrl(...) call in frontend-static/');
    assert.deepEqual(routes.map((route) => `${route.method} ${route.path}`).sort(), called);
    for (const route of routes) {
      const fn = serverless.Resources[route.functionId];
      assert.equal(fn?.Type, 'AWS::Lambda::Function', `${route.id} integrates no function of the template`);
      const javadoc = readFileSync(javaClasses.get(handlerClassOf(route.functionId, fn)).file, 'utf8');
      assert.ok(javadoc.includes(`${route.method} ${route.path}`), `${route.functionId}'s handler does not document ${route.method} ${route.path}`);
    }
  });

  test('gives each routed function less time than API Gateway\'s 29-second integration timeout', () => {
    for (const route of routes) {
      assert.ok(serverless.Resources[route.functionId].Properties.Timeout < 29, `${route.functionId} Timeout`);
    }
  });

  test('lets API Gateway invoke each routed function from its own method only', () => {
    const permissions = resourcesOfType(serverless, 'AWS::Lambda::Permission');
    for (const route of routes) {
      const permission = permissions.find(([, p]) => referencedId(p.Properties.FunctionName) === route.functionId);
      assert.ok(permission, `${route.functionId} has no Lambda::Permission`);
      const { Principal, SourceArn, Action } = permission[1].Properties;
      assert.equal(Principal, 'apigateway.amazonaws.com');
      assert.equal(Action, 'lambda:InvokeFunction');
      assert.ok(String(SourceArn['Fn::Sub']).endsWith(`:\${RestApi}/*/${route.method}${route.path}`), `${route.functionId} SourceArn`);
    }
  });

  test('answers a CORS pre-flight with AllowedOrigin on every route', () => {
    for (const route of routes) {
      const preflight = methods.find(([, method]) => referencedId(method.Properties.ResourceId) === route.resourceId
        && method.Properties.HttpMethod === 'OPTIONS');
      assert.ok(preflight, `${route.path} has no OPTIONS method`);
      const { Integration } = preflight[1].Properties;
      assert.equal(Integration.Type, 'MOCK');
      const headers = Integration.IntegrationResponses[0].ResponseParameters;
      assert.deepEqual(headers['method.response.header.Access-Control-Allow-Origin'], { 'Fn::Sub': "'${AllowedOrigin}'" });
      assert.match(headers['method.response.header.Access-Control-Allow-Methods'], new RegExp(`\\b${route.method}\\b`));
    }
  });

  test('deploys every method to a throttled stage with access logs, whose URL the root stack outputs', () => {
    const [[, deployment]] = resourcesOfType(serverless, 'AWS::ApiGateway::Deployment');
    assert.deepEqual(methods.map(([id]) => id).filter((id) => !asList(deployment.DependsOn).includes(id)), []);
    const [[stageId, stage]] = resourcesOfType(serverless, 'AWS::ApiGateway::Stage');
    assert.ok(stage.Properties.AccessLogSetting.DestinationArn, 'no access log');
    const defaults = stage.Properties.MethodSettings.find((s) => s.ResourcePath === '/*' && s.HttpMethod === '*');
    assert.ok(defaults?.ThrottlingRateLimit > 0 && defaults.ThrottlingBurstLimit > 0, 'no stage-wide throttling');
    assert.ok(String(serverless.Outputs.ApiEndpoint.Value['Fn::Sub']).endsWith(`/\${${stageId}}`));
    assert.deepEqual(loadTemplate(rootTemplate).Outputs.ApiEndpoint.Value,
      { 'Fn::GetAtt': ['ServerlessStack', 'Outputs.ApiEndpoint'] });
  });
});

// ---------------------------------------------------------------- least privilege

// Actions that support no resource-level permissions: AWS evaluates them only against "*".
const ACTIONS_ONLY_ON_ANY_RESOURCE = new Set([
  'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
  'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
]);

const roleStatements = resourcesOfType(serverless, 'AWS::IAM::Role').flatMap(([id, role]) =>
  asList(role.Properties.Policies).flatMap((policy) => asList(policy.PolicyDocument.Statement)
    .map((statement) => ({ id, statement }))));

describe('the IAM roles of serverless.yaml', () => {
  test('grant on "*" only the actions that have no resource-level permissions', () => {
    const broad = roleStatements.filter(({ statement }) => asList(statement.Resource).includes('*'))
      .flatMap(({ id, statement }) => asList(statement.Action)
        .filter((action) => !ACTIONS_ONLY_ON_ANY_RESOURCE.has(action)).map((action) => `${id}: ${action}`));
    assert.deepEqual(broad, []);
  });

  test('the media bucket lets only CloudFront read, and only the event images', () => {
    const [[, policy]] = resourcesOfType(serverless, 'AWS::S3::BucketPolicy');
    const allowed = asList(policy.Properties.PolicyDocument.Statement).filter((statement) => statement.Effect === 'Allow');
    assert.deepEqual(allowed.map((statement) => [statement.Principal, statement.Action, statement.Resource]), [
      [{ Service: 'cloudfront.amazonaws.com' }, 's3:GetObject', { 'Fn::Sub': '${MediaBucket.Arn}/events/*' }],
    ]);
    const sourceArn = String(allowed[0].Condition?.StringEquals?.['AWS:SourceArn']?.['Fn::Sub']);
    assert.ok(sourceArn.endsWith(':distribution/${MediaDistribution}'), 'any distribution may read the bucket');
  });

  test('the media bucket refuses plain HTTP for every S3 action a role of the stack is granted', () => {
    const [[, policy]] = resourcesOfType(serverless, 'AWS::S3::BucketPolicy');
    const tlsOnly = asList(policy.Properties.PolicyDocument.Statement).find((statement) => statement.Effect === 'Deny'
      && statement.Condition?.Bool?.['aws:SecureTransport'] === false);
    assert.ok(tlsOnly, 'no Deny on aws:SecureTransport false');
    const granted = roleStatements.flatMap(({ statement }) => asList(statement.Action))
      .filter((action) => action.startsWith('s3:'));
    assert.ok(granted.length > 0);
    assert.deepEqual([...new Set(granted)].filter((action) => !asList(tlsOnly.Action).includes(action)), []);
  });
});

describe('revoked sessions', () => {
  // The functions that verify session tokens: those whose template entry hands them the session public key.
  const verifying = functions.filter(([, fn]) => fn.Properties.Environment?.Variables?.BOXOFFICE_SESSION_PUBLIC_KEY);
  const roleOf = (fn) => referencedId(fn.Properties.Role);

  test('every function that verifies session tokens reads the revoked-sessions table, and may only query it', () => {
    assert.ok(verifying.length >= 4, `expected create-event, get-qr-code, log-activity and subscribe, got ${verifying.length}`);
    for (const [id, fn] of verifying) {
      assert.deepEqual(fn.Properties.Environment.Variables.BOXOFFICE_REVOKED_SESSIONS_TABLE, { Ref: 'RevokedSessionsTable' },
        `${id} BOXOFFICE_REVOKED_SESSIONS_TABLE`);
      const onTable = roleStatements.filter(({ id: role, statement }) => role === roleOf(fn)
        && JSON.stringify(statement.Resource).includes('RevokedSessionsTable'));
      assert.deepEqual(onTable.flatMap(({ statement }) => asList(statement.Action)), ['dynamodb:Query'], `${id} actions`);
    }
    const others = roleStatements.filter(({ id, statement }) => JSON.stringify(statement.Resource).includes('RevokedSessionsTable')
      && !verifying.some(([, fn]) => roleOf(fn) === id));
    assert.deepEqual(others.map(({ id }) => id), [], 'roles of functions that verify no session reach the table');
  });

  test('the backend may only put items into the table, whose name and ARN it gets from the serverless stack', () => {
    const compute = loadTemplate('compute.yaml');
    const [[, taskRole]] = resourcesOfType(compute, 'AWS::IAM::Role').filter(([id]) => id === 'TaskRole');
    const statements = asList(taskRole.Properties.Policies).flatMap((policy) => asList(policy.PolicyDocument.Statement))
      .filter((statement) => asList(statement.Action).some((action) => action.startsWith('dynamodb:')));
    assert.deepEqual(statements.map((statement) => [statement.Action, statement.Resource]), [['dynamodb:PutItem',
      { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${RevokedSessionsTableName}' }]]);
    const root = loadTemplate(rootTemplate);
    const passed = Object.values(root.Resources).map((resource) => resource.Properties?.Parameters?.RevokedSessionsTableName)
      .filter(Boolean);
    assert.deepEqual(passed, [{ 'Fn::GetAtt': ['ServerlessStack', 'Outputs.RevokedSessionsTableName'] }]);
    assert.deepEqual(serverless.Outputs.RevokedSessionsTableName.Value, { Ref: 'RevokedSessionsTable' });
  });
});
