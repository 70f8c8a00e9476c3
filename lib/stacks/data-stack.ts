import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ConversationTableSchema } from '../../contracts/runtime-env';
import { RedisConfig } from '../config/types';
import { acknowledge } from '../nag';
import { PlatformStack, PlatformStackProps } from './platform-stack';

export interface DataStackProps extends PlatformStackProps {
  readonly vpc: ec2.IVpc;
  /** The only security group admitted to Redis. */
  readonly lambdaSecurityGroup: ec2.ISecurityGroup;
}

/** How the fulfillment Lambda reaches the session store. */
export interface RedisEndpoint {
  /** Primary endpoint address (a token until deploy). */
  readonly host: string;
  readonly port: number;
  /** Secrets Manager secret holding the AUTH token (a plain string). */
  readonly authSecret: secretsmanager.ISecret;
  /** Replication group id, for the monitoring stack's per-node metrics. */
  readonly replicationGroupId: string;
  /** Number of cache nodes (primary + replicas). */
  readonly nodeCount: number;
}

/**
 * The session store's replication group id: a fixed name, kept deliberately (docs/deployment.md
 * section 11). Dropping it would make the next deploy REPLACE the running group (a new,
 * empty one with a generated id; staging and prod retain the old one, still running and billed,
 * to be deleted by hand) and, as its endpoint is an export the bot stack imports (strong
 * cross-stack references), CloudFormation would refuse that deploy anyway. The monitoring
 * stack's per-node alarms derive the node ids (`<id>-00N`) from it, and the AUTH rotation runbook
 * names it. Cost: a change of a property CloudFormation can only apply by replacement (Port,
 * ReplicasPerNodeGroup, KmsKeyId, CacheSubnetGroupName, ...) fails with "already exists" instead
 * of replacing; such a change needs the planned migration of docs/deployment.md.
 */
export function sessionStoreId(environmentName: string): string {
  return `conv-${environmentName}-sessions`;
}

/**
 * State: the DynamoDB conversation-context table (one item per turn, TTL, PITR, KMS) and the
 * ElastiCache Redis replication group that holds session state (TLS, AUTH, at-rest KMS, private
 * subnets, reachable only from the Lambda security group).
 */
export class DataStack extends PlatformStack {
  readonly conversationTable: dynamodb.ITableV2;
  readonly tableKey: kms.IKey;
  readonly redis: RedisEndpoint;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.tableKey = new kms.Key(this, 'TableKey', {
      description: `Conversation context table (${config.name})`,
      enableKeyRotation: true,
      removalPolicy: this.statefulRemovalPolicy,
    });

    this.conversationTable = new dynamodb.TableV2(this, 'ConversationTable', {
      partitionKey: { name: ConversationTableSchema.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: ConversationTableSchema.sortKey, type: dynamodb.AttributeType.NUMBER },
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: ConversationTableSchema.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: config.dynamodb.pointInTimeRecovery },
      deletionProtection: config.dynamodb.deletionProtection,
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.tableKey),
      removalPolicy: this.statefulRemovalPolicy,
    });

    this.redis = this.createRedis(props);
  }

  private createRedis(props: DataStackProps): RedisEndpoint {
    const { config, vpc, lambdaSecurityGroup } = props;
    const { redis } = config;
    const securityGroup = this.createRedisSecurityGroup(vpc, lambdaSecurityGroup, redis.port);
    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'RedisSubnetGroup', {
      description: 'Private subnets of the session store',
      subnetIds:
        vpc.isolatedSubnets.length > 0
          ? vpc.isolatedSubnets.map((s) => s.subnetId)
          : vpc.privateSubnets.map((s) => s.subnetId),
    });
    const authSecret = this.createRedisAuthSecret(config.name);
    const atRestKey = new kms.Key(this, 'RedisKey', {
      description: `Session store at-rest encryption (${config.name})`,
      enableKeyRotation: true,
      removalPolicy: this.statefulRemovalPolicy,
    });
    const slowLog = new logs.LogGroup(this, 'RedisSlowLog', {
      retention: this.logRetention,
      removalPolicy: this.statefulRemovalPolicy,
    });

    const replicationGroupId = sessionStoreId(config.name);
    const group = this.createReplicationGroup(replicationGroupId, redis, {
      securityGroup,
      subnetGroup,
      authSecret,
      atRestKey,
      slowLog,
    });
    group.applyRemovalPolicy(this.statefulRemovalPolicy);
    if (!redis.multiAz) {
      acknowledge(
        group,
        `Single-node session store in ${config.name} by config (redis.multiAz=false): sessions are a cache that falls back to DynamoDB; staging and prod run Multi-AZ with failover.`,
        'AwsSolutions-AEC4',
      );
    }

    return {
      host: group.attrPrimaryEndPointAddress,
      port: redis.port,
      authSecret,
      replicationGroupId,
      nodeCount: redis.replicasPerNodeGroup + 1,
    };
  }

  /** The Redis replication group: TLS required, AUTH, at-rest KMS, slow log, sized from config. */
  private createReplicationGroup(
    replicationGroupId: string,
    redis: RedisConfig,
    deps: {
      securityGroup: ec2.ISecurityGroup;
      subnetGroup: elasticache.CfnSubnetGroup;
      authSecret: secretsmanager.ISecret;
      atRestKey: kms.IKey;
      slowLog: logs.ILogGroup;
    },
  ): elasticache.CfnReplicationGroup {
    return new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupId,
      replicationGroupDescription: `Conversation session state (${this.config.name})`,
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: redis.nodeType,
      numNodeGroups: 1,
      replicasPerNodeGroup: redis.replicasPerNodeGroup,
      automaticFailoverEnabled: redis.multiAz,
      multiAzEnabled: redis.multiAz,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      kmsKeyId: deps.atRestKey.keyId,
      authToken: deps.authSecret.secretValue.unsafeUnwrap(), // a {{resolve:secretsmanager}} reference, never plain text
      port: redis.port,
      cacheSubnetGroupName: deps.subnetGroup.ref,
      securityGroupIds: [deps.securityGroup.securityGroupId],
      snapshotRetentionLimit: redis.snapshotRetentionDays,
      snapshotWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      autoMinorVersionUpgrade: true,
      logDeliveryConfigurations: [
        {
          destinationType: 'cloudwatch-logs',
          destinationDetails: { cloudWatchLogsDetails: { logGroup: deps.slowLog.logGroupName } },
          logFormat: 'json',
          logType: 'slow-log',
        },
      ],
    });
  }

  /** Redis's security group: the Redis port from the Lambda security group only, both ways. */
  private createRedisSecurityGroup(
    vpc: ec2.IVpc,
    lambdaSecurityGroup: ec2.ISecurityGroup,
    port: number,
  ): ec2.SecurityGroup {
    const securityGroup = new ec2.SecurityGroup(this, 'RedisSecurityGroup', {
      vpc,
      description: 'Session store: Redis port from the conversation Lambdas only',
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(
      lambdaSecurityGroup,
      ec2.Port.tcp(port),
      'Redis from the Lambda security group',
    );
    // The Lambda SG's matching egress rule lives here (not in the network stack) so the
    // network stack never depends on the data stack.
    new ec2.CfnSecurityGroupEgress(this, 'LambdaToRedisEgress', {
      groupId: lambdaSecurityGroup.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      destinationSecurityGroupId: securityGroup.securityGroupId,
      description: 'Lambda to Redis',
    });
    return securityGroup;
  }

  /** The Redis AUTH token, generated by Secrets Manager. */
  private createRedisAuthSecret(environmentName: string): secretsmanager.Secret {
    // ElastiCache AUTH tokens: 16-128 printable characters, none of @ " / (so no punctuation).
    const authSecret = new secretsmanager.Secret(this, 'RedisAuthToken', {
      description: `Redis AUTH token (${environmentName})`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: this.statefulRemovalPolicy,
    });
    acknowledge(
      authSecret,
      'Rotating a Redis AUTH token needs a coordinated ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE then SET) that Secrets Manager rotation cannot perform; rotate with the runbook in the README.',
      'AwsSolutions-SMG4',
    );
    return authSecret;
  }
}
