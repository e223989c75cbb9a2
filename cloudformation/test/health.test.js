// The load balancers' health checks and connection handling against what the backend does: the readiness it
// serves, how long it takes to stop, how long it keeps an idle connection.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadTemplate, repositoryRoot, resourcesOfType, rootTemplate } from '../lib/templates.js';

// What the ALB and ECS use when a template leaves a setting out (AWS's documented defaults).
const ALB_DEFAULTS = { HealthCheckTimeoutSeconds: 5, HealthCheckIntervalSeconds: 30, HealthyThresholdCount: 5,
  UnhealthyThresholdCount: 2, idleTimeoutSeconds: 60, deregistrationDelaySeconds: 300 };
const ECS_DEFAULT_STOP_TIMEOUT_SECONDS = 30;

const compute = loadTemplate('compute.yaml');
const root = loadTemplate(rootTemplate);
const targetGroups = resourcesOfType(compute, 'AWS::ElasticLoadBalancingV2::TargetGroup');
const loadBalancers = [...resourcesOfType(root, 'AWS::ElasticLoadBalancingV2::LoadBalancer'),
  ...resourcesOfType(compute, 'AWS::ElasticLoadBalancingV2::LoadBalancer')];
const services = resourcesOfType(compute, 'AWS::ECS::Service');
const taskDefinitions = Object.fromEntries(resourcesOfType(compute, 'AWS::ECS::TaskDefinition'));

const backendSource = (path) => readFileSync(join(repositoryRoot, 'verticles/src/main/java/dev/boxoffice/backend', path),
  'utf8');
function constant(source, name) {
  const match = source.match(new RegExp(`\\b${name}\\s*=\\s*(?:Duration\\.ofSeconds\\()?([0-9_]+)`));
  assert.ok(match, `no constant ${name} in the backend source`);
  return Number(match[1].replaceAll('_', ''));
}
const readinessProbeTimeoutMs = constant(backendSource('health/Readiness.java'), 'CHECK_TIMEOUT_MS');
const keepAliveSeconds = constant(backendSource('web/HttpVerticle.java'), 'IDLE_TIMEOUT_SECONDS');
const stopBudgetSeconds = constant(backendSource('Boxoffice.java'), 'STOP_TIMEOUT')
  + constant(backendSource('Boxoffice.java'), 'CLOSE_AT_LEAST');

const attribute = (resource, key, fallback) => Number(
  (resource.Properties.TargetGroupAttributes ?? resource.Properties.LoadBalancerAttributes ?? [])
    .find((entry) => entry.Key === key)?.Value ?? fallback);
const setting = (group, name) => group.Properties[name] ?? ALB_DEFAULTS[name];

describe('health checks and connections of the load balancers', () => {
  test('a target is healthy on a 200 from readiness, which answers before the check times out', () => {
    assert.ok(targetGroups.length >= 2);
    for (const [id, group] of targetGroups) {
      assert.equal(String(group.Properties.Matcher?.HttpCode ?? '200'), '200', `${id} matcher`);
      const timeout = setting(group, 'HealthCheckTimeoutSeconds');
      assert.ok(timeout < setting(group, 'HealthCheckIntervalSeconds'), `${id}: the ALB requires timeout < interval`);
      assert.ok(timeout * 1000 > 2 * readinessProbeTimeoutMs, `${id}: a slow PostgreSQL makes readiness answer 503 `
        + `after ${readinessProbeTimeoutMs} ms, which must be well within the ${timeout} s timeout`);
    }
  });

  test('one failed check takes no task out, and a lost task is out within a minute', () => {
    for (const [id, group] of targetGroups) {
      const unhealthy = setting(group, 'UnhealthyThresholdCount');
      assert.ok(unhealthy >= 2, `${id}: a single slow answer must not take a task out`);
      const outAfter = unhealthy * setting(group, 'HealthCheckIntervalSeconds');
      assert.ok(outAfter <= 60, `${id}: a task without PostgreSQL keeps getting requests for ${outAfter} s`);
    }
  });

  test('ECS judges a new task only after it could pass the healthy threshold', () => {
    for (const [id, service] of services) {
      for (const registration of service.Properties.LoadBalancers) {
        const group = compute.Resources[registration.TargetGroupArn.Ref];
        const healthyAfter = setting(group, 'HealthyThresholdCount') * setting(group, 'HealthCheckIntervalSeconds');
        assert.ok(service.Properties.HealthCheckGracePeriodSeconds >= healthyAfter,
          `${id}: grace period ${service.Properties.HealthCheckGracePeriodSeconds} s < ${healthyAfter} s to turn healthy`);
      }
    }
  });

  test('a stopping task finishes its requests within ECS\'s stop timeout, after draining', () => {
    for (const [id, service] of services) {
      const task = taskDefinitions[service.Properties.TaskDefinition.Ref];
      for (const registration of service.Properties.LoadBalancers) {
        const container = task.Properties.ContainerDefinitions.find((c) => c.Name === registration.ContainerName);
        const stopTimeout = container.StopTimeout ?? ECS_DEFAULT_STOP_TIMEOUT_SECONDS;
        assert.ok(stopBudgetSeconds < stopTimeout,
          `${id}: the backend may take ${stopBudgetSeconds} s to stop, ECS kills it after ${stopTimeout} s`);
        const group = compute.Resources[registration.TargetGroupArn.Ref];
        const delay = attribute(group, 'deregistration_delay.timeout_seconds', ALB_DEFAULTS.deregistrationDelaySeconds);
        assert.ok(delay >= 10 && delay <= 60,
          `${id}: a deregistration delay of ${delay} s (requests in flight need seconds; a deployment waits for it)`);
      }
    }
  });

  test('the backend keeps an idle connection longer than any load balancer does, so it never closes one first', () => {
    assert.ok(loadBalancers.length >= 2);
    for (const [id, balancer] of loadBalancers) {
      const idle = attribute(balancer, 'idle_timeout.timeout_seconds', ALB_DEFAULTS.idleTimeoutSeconds);
      assert.ok(keepAliveSeconds > idle,
        `${id}: the backend closes idle connections after ${keepAliveSeconds} s, the ALB after ${idle} s (502s)`);
    }
  });
});
