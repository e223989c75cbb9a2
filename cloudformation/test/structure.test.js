import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asList, loadTemplate, referencedId, resourcesOfType, rootTemplate, templateNames } from '../lib/templates.js';

const network = loadTemplate('network.yaml');
const data = loadTemplate('data.yaml');
const compute = loadTemplate('compute.yaml');
const root = loadTemplate(rootTemplate);

/** Every security group rule of a template, inline or standalone, as { id, direction, group, rule }. */
function securityGroupRules(template) {
  const inline = resourcesOfType(template, 'AWS::EC2::SecurityGroup').flatMap(([id, group]) => [
    ...asList(group.Properties.SecurityGroupIngress).map((rule, i) => ({ id: `${id}.ingress[${i}]`, direction: 'ingress', group: id, rule })),
    ...asList(group.Properties.SecurityGroupEgress).map((rule, i) => ({ id: `${id}.egress[${i}]`, direction: 'egress', group: id, rule })),
  ]);
  const standalone = [
    ...resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress').map(([id, resource]) => ({ id, direction: 'ingress', group: referencedId(resource.Properties.GroupId), rule: resource.Properties })),
    ...resourcesOfType(template, 'AWS::EC2::SecurityGroupEgress').map(([id, resource]) => ({ id, direction: 'egress', group: referencedId(resource.Properties.GroupId), rule: resource.Properties })),
  ];
  return [...inline, ...standalone];
}

const ingressOf = (template, group) =>
  securityGroupRules(template).filter((entry) => entry.direction === 'ingress' && entry.group === group);

/** Every IAM policy statement in a resource's properties, wherever it sits. */
function policyStatements(node) {
  if (Array.isArray(node)) return node.flatMap(policyStatements);
  if (!node || typeof node !== 'object') return [];
  const own = node.Statement ? asList(node.Statement) : [];
  return [...own, ...Object.values(node).flatMap(policyStatements)];
}

describe('every template', () => {
  for (const name of templateNames) {
    const template = loadTemplate(name);

    test(`${name} describes itself, its typed parameters and its outputs`, () => {
      assert.ok(template.Description, 'template Description');
      for (const [parameter, definition] of Object.entries(template.Parameters ?? {})) {
        assert.ok(definition.Type, `parameter ${parameter} has no Type`);
        assert.ok(definition.Description, `parameter ${parameter} has no Description`);
      }
      for (const [output, definition] of Object.entries(template.Outputs ?? {})) {
        assert.ok(definition.Description, `output ${output} has no Description`);
      }
    });

    test(`${name} describes every security group rule`, () => {
      const undescribed = securityGroupRules(template).filter((entry) => !entry.rule.Description).map((entry) => entry.id);
      assert.deepEqual(undescribed, []);
    });

    test(`${name} gives every security group explicit egress rules instead of the default allow-all one`, () => {
      const allowAll = resourcesOfType(template, 'AWS::EC2::SecurityGroup')
        .filter(([, group]) => asList(group.Properties.SecurityGroupEgress).length === 0).map(([id]) => id);
      assert.deepEqual(allowAll, []);
    });

    test(`${name} grants no IAM action by wildcard`, () => {
      const wildcards = Object.entries(template.Resources ?? {}).flatMap(([id, resource]) =>
        policyStatements(resource.Properties).filter((statement) => statement.Effect !== 'Deny').flatMap((statement) =>
          [...asList(statement.Action), ...asList(statement.NotAction)]
            .filter((action) => typeof action !== 'string' || action.includes('*'))
            .map((action) => `${id}: ${JSON.stringify(action)}`)));
      assert.deepEqual(wildcards, []);
    });
  }
});

describe('the network', () => {
  test('spreads two public and two private subnets over the first two Availability Zones of the region', () => {
    const subnets = resourcesOfType(network, 'AWS::EC2::Subnet');
    assert.equal(subnets.length, 4);
    const zones = subnets.map(([, subnet]) => JSON.stringify(subnet.Properties.AvailabilityZone));
    assert.deepEqual([...new Set(zones)].sort(), [
      JSON.stringify({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }),
      JSON.stringify({ 'Fn::Select': [1, { 'Fn::GetAZs': '' }] }),
    ]);
  });

  test('routes only the public subnets to the internet gateway', () => {
    const tablesToGateway = resourcesOfType(network, 'AWS::EC2::Route')
      .filter(([, route]) => route.Properties.GatewayId)
      .map(([, route]) => referencedId(route.Properties.RouteTableId));
    const associations = resourcesOfType(network, 'AWS::EC2::SubnetRouteTableAssociation')
      .map(([, association]) => [referencedId(association.Properties.SubnetId), referencedId(association.Properties.RouteTableId)]);
    assert.equal(associations.length, 4);
    for (const [subnet, table] of associations) {
      assert.equal(tablesToGateway.includes(table), subnet.startsWith('Public'), `${subnet} via ${table}`);
    }
  });

  test('lets users reach only the public load balancer, on HTTP and HTTPS', () => {
    const open = securityGroupRules(network).filter((entry) => entry.direction === 'ingress' && entry.rule.CidrIp === '0.0.0.0/0');
    assert.deepEqual(open.map((entry) => [entry.group, entry.rule.FromPort, entry.rule.ToPort]), [
      ['FrontendAlbSecurityGroup', 80, 80],
      ['FrontendAlbSecurityGroup', 443, 443],
    ]);
  });

  test('lets each task tier be reached only by its own load balancer, on the container port', () => {
    for (const [tasks, balancer] of [['FrontendTaskSecurityGroup', 'FrontendAlbSecurityGroup'], ['BackendTaskSecurityGroup', 'BackendAlbSecurityGroup']]) {
      const rules = ingressOf(network, tasks);
      assert.deepEqual(rules.map((entry) => [referencedId(entry.rule.SourceSecurityGroupId), entry.rule.FromPort, entry.rule.ToPort]),
        [[balancer, 8080, 8080]], tasks);
    }
  });

  test('lets the internal load balancer be reached only by the Lambda functions and the bastion', () => {
    const sources = ingressOf(network, 'BackendAlbSecurityGroup').map((entry) => referencedId(entry.rule.SourceSecurityGroupId));
    assert.deepEqual([...new Set(sources)].sort(), ['BastionSecurityGroup', 'LambdaSecurityGroup']);
  });

  test('allows SSH to the bastion only from AdminCidr', () => {
    const rules = ingressOf(network, 'BastionSecurityGroup');
    assert.deepEqual(rules.map((entry) => [entry.rule.CidrIp, entry.rule.FromPort, entry.rule.ToPort]), [[{ Ref: 'AdminCidr' }, 22, 22]]);
  });
});

describe('the data tier', () => {
  test('admits PostgreSQL and Redis only from the task and bastion security groups', () => {
    const rules = ingressOf(data, 'DatabaseSecurityGroup');
    const allowed = new Set(['FrontendTaskSecurityGroupId', 'BackendTaskSecurityGroupId', 'BastionSecurityGroupId']);
    for (const { id, rule } of rules) {
      assert.ok(allowed.has(referencedId(rule.SourceSecurityGroupId)), `${id} admits ${JSON.stringify(rule.SourceSecurityGroupId ?? rule.CidrIp)}`);
      assert.ok([5432, 6379].includes(rule.FromPort) && rule.FromPort === rule.ToPort, `${id} opens ${rule.FromPort}-${rule.ToPort}`);
    }
    assert.equal(rules.length, 6, 'each of the three groups reaches both PostgreSQL and Redis');
  });

  test('keeps PostgreSQL private, encrypted, backed up, protected and its password in Secrets Manager', () => {
    const [[, database]] = resourcesOfType(data, 'AWS::RDS::DBInstance');
    const properties = database.Properties;
    assert.equal(properties.Engine, 'postgres');
    assert.equal(properties.ManageMasterUserPassword, true);
    assert.equal(properties.MasterUserPassword, undefined);
    assert.equal(properties.StorageEncrypted, true);
    assert.equal(properties.PubliclyAccessible, false);
    assert.equal(properties.DeletionProtection, true);
    assert.deepEqual(properties.MultiAZ, { Ref: 'DatabaseMultiAz' });
    assert.ok(properties.BackupRetentionPeriod, 'no backup retention');
    assert.equal(database.DeletionPolicy, 'Snapshot');
  });

  test('encrypts Redis at rest and in transit with an auth token generated into Secrets Manager', () => {
    const [[, redis]] = resourcesOfType(data, 'AWS::ElastiCache::ReplicationGroup');
    assert.equal(redis.Properties.AtRestEncryptionEnabled, true);
    assert.equal(redis.Properties.TransitEncryptionEnabled, true);
    const token = redis.Properties.AuthToken['Fn::Sub'];
    const secretId = token.match(/^\{\{resolve:secretsmanager:\$\{(\w+)\}\}\}$/)?.[1];
    assert.equal(data.Resources[secretId]?.Type, 'AWS::SecretsManager::Secret', `AuthToken ${token} is not a generated secret`);
    assert.ok(data.Resources[secretId].Properties.GenerateSecretString, 'the Redis secret is not generated');
  });
});

describe('the compute tier', () => {
  test('keeps images in a repository that scans on push and never retags', () => {
    const repositories = resourcesOfType(compute, 'AWS::ECR::Repository');
    assert.ok(repositories.length > 0);
    for (const [id, repository] of repositories) {
      assert.equal(repository.Properties.ImageTagMutability, 'IMMUTABLE', id);
      assert.equal(repository.Properties.ImageScanningConfiguration.ScanOnPush, true, id);
    }
  });

  test('runs a Fargate cluster with Container Insights', () => {
    const [[, cluster]] = resourcesOfType(compute, 'AWS::ECS::Cluster');
    assert.deepEqual(cluster.Properties.ClusterSettings, [{ Name: 'containerInsights', Value: 'enabled' }]);
    for (const [id, service] of resourcesOfType(compute, 'AWS::ECS::Service')) {
      assert.equal(service.Properties.LaunchType, 'FARGATE', id);
    }
  });

  test('exposes a public load balancer on HTTPS with its required certificate, and an internal one adding HTTPS when its certificate is given', () => {
    const schemes = [root, compute].flatMap((template) => resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer'))
      .map(([id, balancer]) => [id, balancer.Properties.Scheme]);
    assert.deepEqual(schemes, [['FrontendLoadBalancer', 'internet-facing'], ['BackendLoadBalancer', 'internal']]);
    const [, computeStack] = resourcesOfType(root, 'AWS::CloudFormation::Stack').find(([, stack]) => stack.Properties.TemplateURL === 'compute.yaml');
    assert.deepEqual(computeStack.Properties.Parameters.FrontendLoadBalancerArn, { Ref: 'FrontendLoadBalancer' });
    const listeners = resourcesOfType(compute, 'AWS::ElasticLoadBalancingV2::Listener');
    assert.deepEqual([...new Set(listeners.map(([, listener]) => referencedId(listener.Properties.LoadBalancerArn)))].sort(),
      ['BackendLoadBalancer', 'FrontendLoadBalancerArn'], 'each load balancer gets its listeners in compute.yaml');
    const https = listeners.filter(([, listener]) => listener.Properties.Protocol === 'HTTPS');
    assert.equal(https.length, 2);
    for (const [id, listener] of https) {
      const certificate = listener.Properties.Certificates[0].CertificateArn.Ref;
      if (referencedId(listener.Properties.LoadBalancerArn) === 'FrontendLoadBalancerArn') {
        assert.equal(listener.Condition, undefined, `${id}: the public entry is always HTTPS`);
        assert.equal(compute.Parameters[certificate].Default, undefined, `${id}: ${certificate} is required`);
      } else {
        const condition = compute.Conditions[listener.Condition];
        assert.deepEqual(condition, { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: certificate }, ''] }] }, `${id} is not conditional on ${certificate}`);
      }
    }
  });

  test('creates each service only after every listener that may forward to its target group', () => {
    const refsIn = (node) => (Array.isArray(node) ? node.flatMap(refsIn)
      : node && typeof node === 'object' ? [...(typeof node.Ref === 'string' ? [node.Ref] : []), ...Object.values(node).flatMap(refsIn)]
        : []);
    const listeners = resourcesOfType(compute, 'AWS::ElasticLoadBalancingV2::Listener');
    for (const [id, service] of resourcesOfType(compute, 'AWS::ECS::Service')) {
      const dependencies = asList(service.DependsOn).flatMap((dependency) => [dependency, ...refsIn(compute.Resources[dependency].Metadata)]);
      for (const { TargetGroupArn } of service.Properties.LoadBalancers) {
        const forwarding = listeners.filter(([, listener]) => refsIn(listener.Properties.DefaultActions).includes(TargetGroupArn.Ref)).map(([listenerId]) => listenerId);
        assert.ok(forwarding.length > 0, `no listener forwards to ${TargetGroupArn.Ref}`);
        assert.deepEqual(forwarding.filter((listener) => !dependencies.includes(listener)), [], `${id} may start before`);
      }
    }
  });

  test('starts the bastion with IMDSv2 only and the AMI from the SSM public parameter', () => {
    const [[, bastion]] = resourcesOfType(compute, 'AWS::EC2::Instance');
    assert.equal(compute.Parameters[bastion.Properties.ImageId.Ref].Type, 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>');
    const launchTemplate = compute.Resources[bastion.Properties.LaunchTemplate.LaunchTemplateId.Ref];
    assert.equal(launchTemplate.Properties.LaunchTemplateData.MetadataOptions.HttpTokens, 'required');
  });
});
