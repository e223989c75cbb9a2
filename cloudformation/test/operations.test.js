// Issue #18's operational checks on the templates: what an operator would otherwise find only after deploying them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { asList, loadTemplate, referencedId, repositoryRoot, resourcesOfType, templateNames } from '../lib/templates.js';

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

const root = loadTemplate('boxoffice.yaml');
const compute = loadTemplate('compute.yaml');
const data = loadTemplate('data.yaml');
const serverless = loadTemplate('serverless.yaml');
const nestedStack = (templateName) => Object.values(root.Resources)
  .find((resource) => resource.Type === 'AWS::CloudFormation::Stack' && resource.Properties.TemplateURL === templateName);
const applicationContainers = resourcesOfType(compute, 'AWS::ECS::TaskDefinition').flatMap(([id, task]) =>
  task.Properties.ContainerDefinitions.filter((container) => container.Name === 'backend')
    .map((container) => [id, container]));
const environmentOf = (container, name) => asList(container.Environment).find((variable) => variable.Name === name)?.Value;

describe('the public entry is HTTPS only', () => {
  const listeners = resourcesOfType(compute, 'AWS::ElasticLoadBalancingV2::Listener')
    .filter(([, listener]) => listener.Properties.LoadBalancerArn?.Ref === 'FrontendLoadBalancerArn');

  test('port 80 of the public load balancer only redirects to HTTPS with a 301, whatever the parameters', () => {
    const http = listeners.filter(([, listener]) => listener.Properties.Protocol === 'HTTP');
    assert.equal(http.length, 1, 'one HTTP listener on the public load balancer');
    for (const [id, listener] of http) {
      assert.equal(listener.Properties.Port, 80, id);
      assert.deepEqual(listener.Properties.DefaultActions, [{ Type: 'redirect',
        RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }], `${id} does something else`);
      const rules = resourcesOfType(compute, 'AWS::ElasticLoadBalancingV2::ListenerRule')
        .filter(([, rule]) => strings(rule.Properties.ListenerArn).includes(id) || referencedNames(rule.Properties.ListenerArn).includes(id));
      assert.deepEqual(rules.map(([ruleId]) => ruleId), [], `rules on ${id} could forward plain HTTP`);
    }
  });

  test('the public load balancer always listens on HTTPS, TLS 1.2 or newer, with a required certificate', () => {
    const https = listeners.filter(([, listener]) => listener.Properties.Protocol === 'HTTPS');
    assert.equal(https.length, 1);
    const [[id, listener]] = https;
    assert.equal(listener.Condition, undefined, `${id} depends on a condition`);
    assert.match(listener.Properties.SslPolicy, /TLS13-1-2|TLS-1-2/, `${id} SslPolicy`);
    const certificate = listener.Properties.Certificates[0].CertificateArn.Ref;
    assert.equal(compute.Parameters[certificate].Default, undefined, `${certificate} may be left out in compute.yaml`);
    const passed = nestedStack('compute.yaml').Properties.Parameters[certificate].Ref;
    assert.equal(root.Parameters[passed].Default, undefined, `${passed} may be left out in the root stack`);
    assert.equal(new RegExp(root.Parameters[passed].AllowedPattern).test(''), false, `${passed} accepts an empty value`);
  });

  test('every URL the stacks hand out for the site is https', () => {
    const urls = [root.Outputs.FrontendUrl.Value, nestedStack('compute.yaml').Properties.Parameters.PublicUrl,
      nestedStack('serverless.yaml').Properties.Parameters.SiteUrl,
      nestedStack('serverless.yaml').Properties.Parameters.AllowedOrigin];
    for (const url of urls) {
      const texts = strings(url).filter((text) => text.includes('://'));
      assert.ok(texts.length > 0, JSON.stringify(url));
      assert.deepEqual(texts.filter((text) => !text.startsWith('https://')), [], JSON.stringify(url));
    }
  });

  test('the public load balancer writes access logs to a bucket of the stack', () => {
    const attributes = Object.fromEntries(root.Resources.FrontendLoadBalancer.Properties.LoadBalancerAttributes
      .map(({ Key, Value }) => [Key, Value]));
    assert.equal(attributes['access_logs.s3.enabled'], 'true');
    assert.equal(root.Resources[attributes['access_logs.s3.bucket']?.Ref]?.Type, 'AWS::S3::Bucket');
  });

  test('the backend verifies the database\'s certificate and connects as an application user, not the master user', () => {
    const dockerfile = readFileSync(join(repositoryRoot, 'verticles', 'Dockerfile'), 'utf8');
    for (const [id, container] of applicationContainers) {
      assert.equal(environmentOf(container, 'BOXOFFICE_DB_SSL_MODE'), 'verify-full', id);
      const bundle = compute.Parameters[environmentOf(container, 'BOXOFFICE_DB_SSL_ROOT_CERT')?.Ref]?.Default;
      assert.ok(bundle, `${id} has no CA bundle for verify-full`);
      assert.match(dockerfile, new RegExp(`^ADD .*https://truststore\\.pki\\.rds\\.amazonaws\\.com/\\S+ ${bundle}$`, 'm'),
        `the image has no RDS CA bundle at ${bundle}`);
    }
    const passed = nestedStack('compute.yaml').Properties.Parameters;
    assert.deepEqual(passed.DatabaseUser, { 'Fn::GetAtt': ['DataStack', 'Outputs.DatabaseUser'] });
    assert.notDeepEqual(data.Outputs.DatabaseUser.Value, data.Resources.Database.Properties.MasterUsername,
      'the backend would connect as the master user');
    assert.deepEqual(passed.DatabaseCredentialsArn, { 'Fn::GetAtt': ['DataStack', 'Outputs.DatabaseCredentialsArn'] });
    assert.ok(!strings(data.Outputs.DatabaseCredentialsArn.Value).includes('Database'),
      'the tasks would read the master user\'s secret');
    assert.match(JSON.stringify(data.Outputs.DatabaseCredentialsArn.Value), /DatabaseAppCredentials/);
  });

  test('the backend\'s Content-Security-Policy lets pages load the QR codes get-qr-code pre-signs: the media bucket\'s regional origin', () => {
    assert.deepEqual(nestedStack('compute.yaml').Properties.Parameters.QrCodeOrigin,
      { 'Fn::GetAtt': ['ServerlessStack', 'Outputs.QrCodeOrigin'] });
    assert.deepEqual(serverless.Outputs.QrCodeOrigin.Value, { 'Fn::Sub': 'https://${MediaBucket.RegionalDomainName}' });
    for (const [id, container] of applicationContainers) {
      assert.deepEqual(environmentOf(container, 'BOXOFFICE_QR_CODE_ORIGIN'), { Ref: 'QrCodeOrigin' }, id);
    }
  });

  test('the backend migrates as the schema\'s owner and serves as the application user: two users of their own, neither the master user, each with its own secret, and no task reads the master secret', () => {
    const passed = nestedStack('compute.yaml').Properties.Parameters;
    assert.deepEqual(passed.DatabaseOwnerUser, { 'Fn::GetAtt': ['DataStack', 'Outputs.DatabaseOwnerUser'] });
    assert.deepEqual(passed.DatabaseOwnerCredentialsArn, { 'Fn::GetAtt': ['DataStack', 'Outputs.DatabaseOwnerCredentialsArn'] });
    assert.ok(!JSON.stringify(passed).includes('DatabaseMasterCredentialsArn'), 'the tasks would get the master secret');
    assert.deepEqual(data.Outputs.DatabaseOwnerUser.Value, { Ref: 'DatabaseOwnerUser' });
    assert.deepEqual(data.Outputs.DatabaseOwnerCredentialsArn.Value, { Ref: 'DatabaseOwnerCredentials' });
    assert.match(data.Resources.DatabaseOwnerCredentials.Properties.GenerateSecretString.SecretStringTemplate['Fn::Sub'],
      /\$\{DatabaseOwnerUser\}/);
    const names = [data.Parameters.DatabaseUser.Default, data.Parameters.DatabaseOwnerUser.Default,
      data.Parameters.DatabaseAppUser.Default, 'boxoffice_app'];
    assert.equal(new Set(names).size, 4, `master, owner, application user and boxoffice_app are four roles: ${names}`);
    for (const [id, container] of applicationContainers) {
      assert.deepEqual(environmentOf(container, 'BOXOFFICE_DB_MIGRATION_USER'), { Ref: 'DatabaseOwnerUser' }, id);
      assert.deepEqual(environmentOf(container, 'BOXOFFICE_DB_MIGRATION_SECRET_ID'), { Ref: 'DatabaseOwnerCredentialsArn' }, id);
      assert.deepEqual(environmentOf(container, 'BOXOFFICE_DB_USER'), { Ref: 'DatabaseUser' }, id);
    }
    const script = readFileSync(join(repositoryRoot, 'cloudformation', 'bootstrap-database.sh'), 'utf8');
    for (const output of ['DatabaseMasterCredentialsArn', 'DatabaseOwnerCredentialsArn', 'DatabaseCredentialsArn']) {
      assert.match(script, new RegExp(`output_of "\\$DATA_STACK" ${output}`), `bootstrap-database.sh does not read ${output}`);
    }
    assert.match(script, /bootstrap-database\.sql/);
    const bootstrap = readFileSync(join(repositoryRoot, 'cloudformation', 'bootstrap-database.sql'), 'utf8');
    assert.match(bootstrap, /NOSUPERUSER NOCREATEDB NOCREATEROLE/);
    assert.match(bootstrap, /GRANT boxoffice_app TO %I', app_user/);
    assert.match(bootstrap, /ALTER SCHEMA public OWNER TO %I', owner_user/);
    const grants = readFileSync(join(repositoryRoot, 'verticles', 'src', 'main', 'resources', 'db', 'migration',
      'V16__application_role.sql'), 'utf8');
    assert.match(grants, /GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO boxoffice_app/);
  });
});

describe('internal endpoints stay internal', () => {
  test('each task serves /metrics on a port of its own that no port mapping, target group or rule reaches', () => {
    const routedPorts = new Set([
      ...resourcesOfType(compute, 'AWS::ElasticLoadBalancingV2::TargetGroup').flatMap(([, group]) =>
        [group.Properties.Port, group.Properties.HealthCheckPort].filter(Boolean).map(Number)),
      ...applicationContainers.flatMap(([, container]) => container.PortMappings.map((mapping) => mapping.ContainerPort)),
    ]);
    for (const [id, container] of applicationContainers) {
      const metricsPort = Number(environmentOf(container, 'BOXOFFICE_METRICS_PORT'));
      assert.ok(metricsPort > 0, `${id} serves /metrics on its public port`);
      assert.notEqual(metricsPort, Number(environmentOf(container, 'BOXOFFICE_HTTP_PORT')), id);
      assert.equal(routedPorts.has(metricsPort), false, `${id}: port ${metricsPort} is reachable through a load balancer`);
    }
    const metricsRules = resourcesOfType(compute, 'AWS::ElasticLoadBalancingV2::ListenerRule')
      .filter(([, rule]) => strings(rule.Properties.Conditions).some((text) => /metrics|health/.test(text)));
    assert.deepEqual(metricsRules.map(([id]) => id), []);
  });

  test('a collector beside each task scrapes that port on loopback and writes to CloudWatch', () => {
    for (const [id, task] of resourcesOfType(compute, 'AWS::ECS::TaskDefinition')) {
      const backend = task.Properties.ContainerDefinitions.find((container) => container.Name === 'backend');
      const port = environmentOf(backend, 'BOXOFFICE_METRICS_PORT');
      const collectors = task.Properties.ContainerDefinitions.filter((container) => container.Name !== 'backend');
      assert.equal(collectors.length, 1, `${id} has no metrics collector`);
      const config = strings(collectors[0].Environment).join('\n');
      assert.match(config, new RegExp(`targets: \\["127\\.0\\.0\\.1:${port}"\\]`), `${id} collector scrapes elsewhere`);
      assert.match(config, /awsemf:/, `${id} collector does not write to CloudWatch`);
      assert.equal(collectors[0].Essential, false, `${id}: a stopped collector must not stop the task`);
    }
  });
});

/** Every CloudWatch alarm of a template as { id, metrics: [{ namespace, name, dimensions, stat }] }. */
function alarmsOf(template) {
  return resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([id, alarm]) => {
    const p = alarm.Properties;
    const single = p.MetricName ? [{ namespace: p.Namespace, name: p.MetricName, dimensions: asList(p.Dimensions),
      stat: p.ExtendedStatistic ?? p.Statistic }] : [];
    const math = asList(p.Metrics).filter((metric) => metric.MetricStat).map((metric) => ({
      namespace: metric.MetricStat.Metric.Namespace, name: metric.MetricStat.Metric.MetricName,
      dimensions: asList(metric.MetricStat.Metric.Dimensions), stat: metric.MetricStat.Stat }));
    return { id, alarm, metrics: [...single, ...math] };
  });
}

function assertAlarmed(template, namespace, name, dimensionValue, what) {
  const found = alarmsOf(template).filter(({ metrics }) => metrics.some((metric) => metric.namespace === namespace
    && metric.name === name && (dimensionValue === undefined
      || metric.dimensions.some((dimension) => JSON.stringify(dimension.Value).includes(dimensionValue)))));
  assert.ok(found.length > 0, `no alarm on ${namespace} ${name} of ${what}`);
  return found;
}

describe('an alarm for each component, to the alarm topic', () => {
  test('the public load balancer: 5xx answers, p99 response time, and each target group\'s unhealthy tasks', () => {
    assertAlarmed(compute, 'AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', 'FrontendLoadBalancerFullName', 'the public ALB');
    assertAlarmed(compute, 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'FrontendLoadBalancerFullName', 'the public ALB');
    const latency = assertAlarmed(compute, 'AWS/ApplicationELB', 'TargetResponseTime', 'FrontendLoadBalancerFullName', 'the public ALB');
    assert.ok(latency.some(({ metrics }) => metrics.some((metric) => metric.stat === 'p99')), 'the latency alarm is not on p99');
    for (const [id] of resourcesOfType(compute, 'AWS::ElasticLoadBalancingV2::TargetGroup')) {
      assertAlarmed(compute, 'AWS/ApplicationELB', 'UnHealthyHostCount', id, id);
    }
  });

  test('PostgreSQL: CPU, connections and free storage; each Redis node: CPU, memory and evictions', () => {
    for (const metric of ['CPUUtilization', 'DatabaseConnections', 'FreeStorageSpace']) {
      assertAlarmed(data, 'AWS/RDS', metric, 'Database', 'PostgreSQL');
    }
    const nodes = Number(data.Resources.RedisReplicationGroup.Properties.NumCacheClusters);
    for (let node = 1; node <= nodes; node++) {
      for (const metric of ['EngineCPUUtilization', 'DatabaseMemoryUsagePercentage', 'Evictions']) {
        assertAlarmed(data, 'AWS/ElastiCache', metric, `-00${node}`, `Redis node ${node}`);
      }
    }
  });

  test('every Lambda function: errors and throttles; every state machine: failed and throttled executions', () => {
    for (const [id] of resourcesOfType(serverless, 'AWS::Lambda::Function')) {
      for (const metric of ['Errors', 'Throttles']) assertAlarmed(serverless, 'AWS/Lambda', metric, `"${id}"`, id);
    }
    for (const [id] of resourcesOfType(serverless, 'AWS::StepFunctions::StateMachine')) {
      for (const metric of ['ExecutionsFailed', 'ExecutionThrottled']) assertAlarmed(serverless, 'AWS/States', metric, `"${id}"`, id);
    }
  });

  test('every dead-letter queue: any message waiting in it', () => {
    const deadLetterQueues = new Set(resourcesOfType(serverless, 'AWS::SQS::Queue')
      .map(([, queue]) => queue.Properties.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0]).filter(Boolean));
    assert.ok(deadLetterQueues.size > 0);
    for (const queue of deadLetterQueues) {
      assertAlarmed(serverless, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', `"${queue}"`, queue);
    }
  });

  test('every alarm notifies the root stack\'s alarm topic, which every nested stack with alarms receives', () => {
    assert.equal(root.Resources.AlarmTopic?.Type, 'AWS::SNS::Topic');
    for (const name of ['compute.yaml', 'data.yaml', 'serverless.yaml']) {
      const template = loadTemplate(name);
      const alarms = alarmsOf(template);
      assert.ok(alarms.length > 0, `${name} has no alarm`);
      assert.deepEqual(nestedStack(name).Properties.Parameters.AlarmTopicArn, { Ref: 'AlarmTopic' }, name);
      for (const { id, alarm } of alarms) {
        assert.deepEqual(alarm.Properties.AlarmActions, [{ Ref: 'AlarmTopicArn' }], `${name} ${id}`);
        assert.ok(/docs\/operations\.md/.test(alarm.Properties.AlarmDescription), `${name} ${id} says nowhere what to do`);
      }
    }
  });

  test('a dashboard shows the stack', () => {
    assert.equal(resourcesOfType(root, 'AWS::CloudWatch::Dashboard').length, 1);
  });
});

describe('scaling, AWS WAF and tracing', () => {
  test('each ECS service scales by target tracking on CPU, the public one also on requests per task', () => {
    const targets = resourcesOfType(compute, 'AWS::ApplicationAutoScaling::ScalableTarget');
    const policies = resourcesOfType(compute, 'AWS::ApplicationAutoScaling::ScalingPolicy');
    for (const [serviceId, service] of resourcesOfType(compute, 'AWS::ECS::Service')) {
      const target = targets.find(([, scalable]) => strings(scalable.Properties.ResourceId).some((text) => text.includes(`\${${serviceId}.Name}`)));
      assert.ok(target, `${serviceId} has no scalable target`);
      const metrics = policies.filter(([, policy]) => policy.Properties.ScalingTargetId.Ref === target[0])
        .map(([, policy]) => policy.Properties.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType);
      assert.ok(metrics.includes('ECSServiceAverageCPUUtilization'), `${serviceId} does not scale on CPU`);
      const public_ = service.Properties.LoadBalancers.some(({ TargetGroupArn }) => TargetGroupArn.Ref === 'FrontendTargetGroup');
      if (public_) assert.ok(metrics.includes('ALBRequestCountPerTarget'), `${serviceId} does not scale on requests`);
    }
    assert.match(compute.Parameters.FrontendMinimumTasks.Description, /on-sale/, 'the minimum says how to pre-scale');
  });

  test('AWS WAF with a rate-based rule guards the public load balancer and the REST API stage', () => {
    const guarded = [[root, 'FrontendLoadBalancer'], [serverless, 'ApiStage']];
    for (const [template, resource] of guarded) {
      const association = resourcesOfType(template, 'AWS::WAFv2::WebACLAssociation')
        .find(([, a]) => referencedId(a.Properties.ResourceArn) === resource
          || strings(a.Properties.ResourceArn).some((text) => text.includes(`\${${resource}}`)));
      assert.ok(association, `no web ACL is associated with ${resource}`);
      const acl = template.Resources[association[1].Properties.WebACLArn['Fn::GetAtt'][0]];
      const rateRules = acl.Properties.Rules.filter((rule) => rule.Statement.RateBasedStatement && rule.Action?.Block);
      assert.ok(rateRules.length > 0, `${resource}'s web ACL blocks no rate`);
      assert.ok(rateRules.every((rule) => rule.Action.Block.CustomResponse?.ResponseCode === 429), 'answered 429');
    }
  });

  test('X-Ray tracing is on in every function, state machine and the API stage', () => {
    for (const [id, fn] of resourcesOfType(serverless, 'AWS::Lambda::Function')) {
      assert.equal(fn.Properties.TracingConfig?.Mode, 'Active', `${id} tracing`);
      const role = serverless.Resources[fn.Properties.Role['Fn::GetAtt'][0]];
      assert.ok(strings(role.Properties.ManagedPolicyArns).some((arn) => arn.endsWith('AWSXRayDaemonWriteAccess'))
        || strings(role.Properties.Policies).includes('xray:PutTraceSegments'), `${id}'s role cannot send traces`);
    }
    for (const [id, machine] of resourcesOfType(serverless, 'AWS::StepFunctions::StateMachine')) {
      assert.equal(machine.Properties.TracingConfiguration?.Enabled, true, `${id} tracing`);
    }
    assert.equal(serverless.Resources.ApiStage.Properties.TracingEnabled, true);
  });
});

describe('traces from the backend reach X-Ray through the collector beside it', () => {
  /** A task's collector configuration, parsed: the !Sub of its ADOT_CONFIG variable. */
  const collectorConfig = (task) => {
    const collector = task.Properties.ContainerDefinitions.find((container) => container.Name !== 'backend');
    const value = asList(collector.Environment).find((variable) => variable.Name === 'ADOT_CONFIG').Value;
    return parse(typeof value === 'string' ? value : value['Fn::Sub']);
  };

  test('each collector receives OTLP on loopback and exports a traces pipeline to X-Ray', () => {
    for (const [id, task] of resourcesOfType(compute, 'AWS::ECS::TaskDefinition')) {
      const config = collectorConfig(task);
      assert.equal(config.receivers.otlp?.protocols?.http?.endpoint, '127.0.0.1:4318', `${id}: no OTLP on loopback`);
      assert.equal(config.receivers.otlp.protocols.grpc, undefined, `${id}: OTLP gRPC is received nowhere`);
      assert.ok(config.exporters.awsxray, `${id}: no X-Ray exporter`);
      const traces = config.service.pipelines.traces;
      assert.deepEqual(traces?.receivers, ['otlp'], `${id}: traces pipeline`);
      assert.deepEqual(traces.exporters, ['awsxray'], `${id}: traces pipeline`);
      for (const processor of traces.processors) {
        assert.ok(processor in config.processors, `${id}: the traces pipeline names an undefined ${processor}`);
      }
    }
  });

  test('each backend exports its spans to that collector on loopback, and nowhere else', () => {
    for (const [id, container] of applicationContainers) {
      assert.equal(environmentOf(container, 'OTEL_EXPORTER_OTLP_ENDPOINT'), 'http://127.0.0.1:4318', id);
    }
  });

  test('the task role may write traces to X-Ray and nothing else of X-Ray, for the collector, not through a broad managed policy', () => {
    const role = compute.Resources.TaskRole.Properties;
    assert.deepEqual(strings(role.ManagedPolicyArns ?? []).filter((arn) => /XRay|XRAY|xray/.test(arn)), []);
    const xrayStatements = asList(role.Policies).flatMap((policy) => asList(policy.PolicyDocument.Statement))
      .filter((statement) => strings(statement.Action).some((action) => action.startsWith('xray:') || action === '*'));
    assert.equal(xrayStatements.length, 1, 'one statement grants X-Ray');
    const [statement] = xrayStatements;
    assert.equal(statement.Effect, 'Allow');
    assert.deepEqual([...strings(statement.Action)].sort(), ['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    // X-Ray's write actions have no resource-level permissions: "*" is the only resource they take.
    assert.deepEqual(strings(statement.Resource), ['*']);
    for (const [, task] of resourcesOfType(compute, 'AWS::ECS::TaskDefinition')) {
      const backend = task.Properties.ContainerDefinitions.find((container) => container.Name === 'backend');
      assert.deepEqual(asList(backend.Environment).filter((variable) => /XRAY|X_RAY|AWS_XRAY/.test(variable.Name)),
        [], 'the backend talks to the collector, never to X-Ray itself');
    }
  });
});
