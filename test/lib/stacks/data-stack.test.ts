import { CrossStackReferences } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEV, PROD } from '../../../lib/config/environments';
import { EnvironmentConfig } from '../../../lib/config/types';
import { listAcknowledgements } from '../../support/nag-doc';
import { DataStack } from '../../../lib/stacks/data-stack';
import { NetworkStack } from '../../../lib/stacks/network-stack';
import { CROSS_STACK_REFERENCES } from '../../../lib/stages/conversational-platform-stage';
import { testApp } from '../../helpers/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function only(template: Template, type: string): Json {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0] as Json;
}

/**
 * A value the data stack imports from the network stack: an export of it (strong cross-stack
 * reference, as the stage makes them: CROSS_STACK_REFERENCES).
 */
const fromNetwork = (network: NetworkStack, outputName: RegExp) =>
  Match.objectLike({
    'Fn::ImportValue': Match.stringLikeRegexp(`^${network.stackName}:ExportsOutput.*${outputName.source}`),
  });

describe('DataStack', () => {
  let devNetwork: NetworkStack;
  let prodNetwork: NetworkStack;
  let dev: DataStack;
  let prod: DataStack;
  let devT: Template;
  let prodT: Template;

  beforeAll(() => {
    // GIVEN the dev and prod data stacks on their network stacks
    const app = testApp({}, { schemaValidation: false });
    CrossStackReferences.of(app).consume(CROSS_STACK_REFERENCES); // as the stage does
    const build = (name: string, config: EnvironmentConfig) => {
      const network = new NetworkStack(app, `${name}Network`, { config });
      const data = new DataStack(app, `${name}Data`, {
        config,
        vpc: network.vpc,
        lambdaSecurityGroup: network.lambdaSecurityGroup,
      });
      return { network, data };
    };
    ({ network: devNetwork, data: dev } = build('Dev', DEV));
    ({ network: prodNetwork, data: prod } = build('Prod', PROD));
    // WHEN synthesized
    devT = Template.fromStack(dev);
    prodT = Template.fromStack(prod);
  });

  describe('conversation table', () => {
    it('GIVEN the dev stack WHEN synthesized THEN it keys items by conversationId and turn, on demand', () => {
      devT.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        KeySchema: [
          { AttributeName: 'conversationId', KeyType: 'HASH' },
          { AttributeName: 'turn', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'conversationId', AttributeType: 'S' },
          { AttributeName: 'turn', AttributeType: 'N' },
        ]),
        BillingMode: 'PAY_PER_REQUEST',
      });
    });

    it('GIVEN the dev stack WHEN synthesized THEN it expires turns through the expiresAt TTL attribute', () => {
      devT.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    });

    it('GIVEN the dev stack WHEN synthesized THEN it has point-in-time recovery and a customer-managed, rotated KMS key', () => {
      const table = only(devT, 'AWS::DynamoDB::GlobalTable').Properties;
      expect(table.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      const [replica] = table.Replicas;
      expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      const keyId = replica.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0];
      expect(devT.toJSON().Resources[keyId]).toEqual(
        expect.objectContaining({
          Type: 'AWS::KMS::Key',
          Properties: expect.objectContaining({ EnableKeyRotation: true }),
        }),
      );
    });

    it('GIVEN prod and dev WHEN synthesized THEN it is deletion-protected and retained in prod, destroyed with the stack in dev', () => {
      const devTable = only(devT, 'AWS::DynamoDB::GlobalTable');
      const prodTable = only(prodT, 'AWS::DynamoDB::GlobalTable');
      expect(devTable.DeletionPolicy).toBe('Delete');
      expect(devTable.Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
      expect(prodTable.DeletionPolicy).toBe('Retain');
      expect(prodTable.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    });
  });

  describe('Redis', () => {
    it('GIVEN the dev stack WHEN synthesized THEN it encrypts in transit (required) and at rest with its own KMS key', () => {
      devT.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        Engine: 'redis',
        TransitEncryptionEnabled: true,
        TransitEncryptionMode: 'required',
        AtRestEncryptionEnabled: true,
        KmsKeyId: { Ref: Match.stringLikeRegexp('^RedisKey') },
      });
    });

    it('GIVEN the dev stack WHEN synthesized THEN it takes its AUTH token from a generated Secrets Manager secret, never plain text', () => {
      const group = only(devT, 'AWS::ElastiCache::ReplicationGroup').Properties;
      const secretId = Object.keys(devT.findResources('AWS::SecretsManager::Secret'))[0];
      expect(group.AuthToken).toEqual({
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
      });
      devT.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      });
      expect(dev.redis.authSecret).toBeDefined();
    });

    it('GIVEN a configured non-default port WHEN synthesized THEN it listens on that port', () => {
      expect(DEV.redis.port).not.toBe(6379);
      devT.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { Port: DEV.redis.port });
      expect(dev.redis.port).toBe(DEV.redis.port);
    });

    it('GIVEN the network stack WHEN synthesized THEN it lives in a subnet group of its private subnets', () => {
      devT.hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
        SubnetIds: [
          fromNetwork(devNetwork, /PrivateSubnet1Subnet/),
          fromNetwork(devNetwork, /PrivateSubnet2Subnet/),
        ],
      });
      prodT.hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
        SubnetIds: [1, 2, 3].map((n) => fromNetwork(prodNetwork, new RegExp(`PrivateSubnet${n}Subnet`))),
      });
      devT.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        CacheSubnetGroupName: { Ref: 'RedisSubnetGroup' },
      });
    });

    it('GIVEN the Lambda security group WHEN synthesized THEN it admits only that group, only on the Redis port', () => {
      const ingress = Object.values(devT.findResources('AWS::EC2::SecurityGroupIngress')) as Json[];
      expect(ingress).toHaveLength(1);
      expect(ingress[0].Properties).toEqual({
        Description: expect.any(String),
        IpProtocol: 'tcp',
        FromPort: DEV.redis.port,
        ToPort: DEV.redis.port,
        GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^RedisSecurityGroup/), 'GroupId'] },
        SourceSecurityGroupId: {
          'Fn::ImportValue': expect.stringMatching(
            new RegExp(`^${devNetwork.stackName}:ExportsOutput.*LambdaSecurityGroup`),
          ),
        },
      });
      const sg = only(devT, 'AWS::EC2::SecurityGroup').Properties;
      expect(sg.SecurityGroupIngress).toBeUndefined();
      devT.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^RedisSecurityGroup'), 'GroupId'] }],
      });
    });

    it('GIVEN the Lambda security group WHEN synthesized THEN it is opened towards Redis on the Redis port', () => {
      devT.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        IpProtocol: 'tcp',
        FromPort: DEV.redis.port,
        ToPort: DEV.redis.port,
        DestinationSecurityGroupId: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^RedisSecurityGroup'), 'GroupId'],
        },
        GroupId: fromNetwork(devNetwork, /LambdaSecurityGroup/),
      });
    });

    it('GIVEN the configured snapshot days WHEN synthesized THEN it keeps snapshots for those days', () => {
      devT.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        SnapshotRetentionLimit: DEV.redis.snapshotRetentionDays,
      });
      prodT.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        SnapshotRetentionLimit: PROD.redis.snapshotRetentionDays,
      });
      expect(PROD.redis.snapshotRetentionDays).toBeGreaterThan(0);
    });

    it('GIVEN prod WHEN synthesized THEN it is Multi-AZ with automatic failover and replicas, retained', () => {
      const group = only(prodT, 'AWS::ElastiCache::ReplicationGroup');
      expect(group.Properties).toEqual(
        expect.objectContaining({
          MultiAZEnabled: true,
          AutomaticFailoverEnabled: true,
          ReplicasPerNodeGroup: PROD.redis.replicasPerNodeGroup,
          CacheNodeType: PROD.redis.nodeType,
        }),
      );
      expect(PROD.redis.replicasPerNodeGroup).toBeGreaterThanOrEqual(1);
      expect(group.DeletionPolicy).toBe('Retain');
      expect(prod.redis.nodeCount).toBe(PROD.redis.replicasPerNodeGroup + 1);
    });

    it('GIVEN dev WHEN synthesized THEN it is a single node without failover, destroyed with the stack', () => {
      const group = only(devT, 'AWS::ElastiCache::ReplicationGroup');
      expect(group.Properties).toEqual(
        expect.objectContaining({
          MultiAZEnabled: false,
          AutomaticFailoverEnabled: false,
          ReplicasPerNodeGroup: 0,
          CacheNodeType: DEV.redis.nodeType,
        }),
      );
      expect(group.DeletionPolicy).toBe('Delete');
    });

    it('GIVEN dev and prod WHEN synthesized THEN the missing Multi-AZ (AwsSolutions-AEC4) is acknowledged on the dev Redis only', () => {
      const aec4 = (stack: DataStack) =>
        listAcknowledgements(stack)
          .filter((a) => a.id.endsWith('AwsSolutions-AEC4'))
          .map((a) => a.path);
      expect(aec4(dev)).toEqual(['DevData/Redis']);
      expect(aec4(prod)).toEqual([]);
    });

    it('GIVEN the prod stack WHEN synthesized THEN it exposes the endpoint address, port, secret and node ids for the bot and monitoring stacks', () => {
      expect(prod.redis.replicationGroupId).toBe('conv-prod-sessions');
      expect(prod.resolve(prod.redis.host)).toEqual({ 'Fn::GetAtt': ['Redis', 'PrimaryEndPoint.Address'] });
    });
  });
});
