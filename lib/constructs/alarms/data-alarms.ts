import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { AlarmFactory, AlarmGroup } from './alarm-factory';
import { FIVE_MINUTES, sumOf } from './metrics';

/**
 * The DynamoDB operations the handlers call on the conversation table: CloudWatch publishes
 * `SystemErrors` per operation only (no table-wide series), so the alarm sums these. The
 * fulfillment writes each turn with PutItem (src/adapters/dynamo-context-store.ts); add an
 * operation here when a handler starts calling it.
 */
export const CONVERSATION_TABLE_OPERATIONS: readonly dynamodb.Operation[] = [dynamodb.Operation.PUT_ITEM];

/** The session store's nodes, as ElastiCache names them: `<group>-001`, `<group>-002`, ... */
export interface RedisNodes {
  readonly replicationGroupId: string;
  /** Primary plus replicas. */
  readonly nodeCount: number;
}

export interface DataAlarmsProps {
  readonly factory: AlarmFactory;
  readonly table: dynamodb.ITableV2;
  /** @default CONVERSATION_TABLE_OPERATIONS */
  readonly tableOperations?: readonly dynamodb.Operation[];
  readonly redis: RedisNodes;
  readonly thresholds: {
    /** Read + write throttle events in 5 minutes. */
    readonly dynamoThrottles: number;
    /** SystemErrors of the table's operations in 5 minutes. */
    readonly dynamoSystemErrors: number;
    readonly redisCpuPercent: number;
    readonly redisMemoryPercent: number;
    readonly redisEvictions: number;
    readonly redisReplicationLagSeconds: number;
  };
}

/** The state of a conversation: the DynamoDB table (throttles, system errors) and every Redis node. */
export class DataAlarms extends AlarmGroup {
  readonly widgets: readonly cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: DataAlarmsProps) {
    super(scope, id, props.factory);
    const { table, thresholds: t } = props;
    const throttles = sumOf('DynamoDB throttle events', {
      r: table.metric('ReadThrottleEvents', { statistic: 'Sum', period: FIVE_MINUTES }),
      w: table.metric('WriteThrottleEvents', { statistic: 'Sum', period: FIVE_MINUTES }),
    });
    this.alarm('DynamoDbThrottles', throttles, {
      threshold: t.dynamoThrottles,
      description: 'Conversation table throttled',
    });
    const operations = props.tableOperations ?? CONVERSATION_TABLE_OPERATIONS;
    const systemErrors = sumOf('DynamoDB system errors', systemErrorsByOperation(table, operations));
    this.alarm('DynamoDbSystemErrors', systemErrors, {
      threshold: t.dynamoSystemErrors,
      description: `Conversation table: ${t.dynamoSystemErrors}+ DynamoDB system errors in 5 minutes (${operations.join(', ')})`,
    });
    this.widgets = [
      new cloudwatch.GraphWidget({ title: 'DynamoDB', left: [throttles], right: [systemErrors] }),
      this.watchRedis(props.redis, t),
    ];
  }

  /** CPU, memory and evictions of every node, replication lag of each replica; the CPU graph. */
  private watchRedis(redis: RedisNodes, t: DataAlarmsProps['thresholds']): cloudwatch.IWidget {
    const nodes = Array.from({ length: redis.nodeCount }, (_, i) => `${redis.replicationGroupId}-00${i + 1}`);
    const metric = (metricName: string, node: string, statistic = 'Average') =>
      new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName,
        dimensionsMap: { CacheClusterId: node },
        statistic,
        period: FIVE_MINUTES,
      });
    nodes.forEach((node, i) => {
      const n = i + 1;
      this.alarm(`RedisCpu${n}`, metric('EngineCPUUtilization', node), {
        threshold: t.redisCpuPercent,
        evaluationPeriods: 3,
        description: `Redis node ${node} engine CPU above ${t.redisCpuPercent}%`,
      });
      this.alarm(`RedisMemory${n}`, metric('DatabaseMemoryUsagePercentage', node), {
        threshold: t.redisMemoryPercent,
        evaluationPeriods: 3,
        description: `Redis node ${node} memory above ${t.redisMemoryPercent}%`,
      });
      this.alarm(`RedisEvictions${n}`, metric('Evictions', node, 'Sum'), {
        threshold: t.redisEvictions,
        description: `Redis node ${node} is evicting sessions`,
      });
      if (i > 0) {
        this.alarm(`RedisReplicationLag${n}`, metric('ReplicationLag', node, 'Maximum'), {
          threshold: t.redisReplicationLagSeconds,
          evaluationPeriods: 3,
          description: `Redis replica ${node} lag above ${t.redisReplicationLagSeconds} s`,
        });
      }
    });
    return new cloudwatch.GraphWidget({
      title: 'Redis CPU %',
      left: nodes.map((node) => metric('EngineCPUUtilization', node)),
    });
  }
}

/** `SystemErrors` of each operation on `table`, keyed by a math-expression id (`putItem`, ...). */
function systemErrorsByOperation(
  table: dynamodb.ITableV2,
  operations: readonly dynamodb.Operation[],
): Record<string, cloudwatch.IMetric> {
  if (operations.length === 0) throw new Error('the conversation table alarm needs at least one operation');
  return Object.fromEntries(
    operations.map((operation) => [
      operation.charAt(0).toLowerCase() + operation.slice(1),
      new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName: 'SystemErrors',
        dimensionsMap: { TableName: table.tableName, Operation: operation },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
    ]),
  );
}
