import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import {
  CONVERSATION_TABLE_OPERATIONS,
  DataAlarms,
  DataAlarmsProps,
} from '../../../../lib/constructs/alarms/data-alarms';
import { alarmProps, alarmStack, mathInputs } from './helpers';

const THRESHOLDS: DataAlarmsProps['thresholds'] = {
  dynamoThrottles: 1,
  dynamoSystemErrors: 2,
  redisCpuPercent: 75,
  redisMemoryPercent: 80,
  redisEvictions: 1,
  redisReplicationLagSeconds: 5,
};

function build(overrides: Partial<DataAlarmsProps> = {}): { t: Template; stack: Stack; alarms: DataAlarms } {
  const { stack, factory } = alarmStack();
  const alarms = new DataAlarms(stack, 'DataAlarms', {
    factory,
    table: dynamodb.TableV2.fromTableName(stack, 'Table', 'conversations'),
    redis: { replicationGroupId: 'sessions', nodeCount: 3 },
    thresholds: THRESHOLDS,
    ...overrides,
  });
  return { t: Template.fromStack(stack), stack, alarms };
}

describe('DataAlarms', () => {
  const { t, alarms } = build();

  it('GIVEN the conversation table WHEN synthesized THEN it alarms on SystemErrors of PutItem, the operation the fulfillment calls, with the Operation dimension', () => {
    expect(CONVERSATION_TABLE_OPERATIONS).toEqual(['PutItem']);
    const props = alarmProps(t, 'DynamoDbSystemErrors');
    expect(props.MetricName).toBeUndefined();
    expect(mathInputs(props)).toEqual({
      putItem: {
        name: 'SystemErrors',
        stat: 'Sum',
        dimensions: { TableName: 'conversations', Operation: 'PutItem' },
      },
    });
    expect(props.Metrics.find((m: { Expression?: string }) => m.Expression).Expression).toBe(
      'FILL(putItem, 0)',
    );
    expect(props).toEqual(
      expect.objectContaining({ Threshold: 2, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }),
    );
  });

  it('GIVEN listed table operations WHEN synthesized THEN every one is summed, so a new one is one entry in the list', () => {
    const props = alarmProps(
      build({ tableOperations: [dynamodb.Operation.PUT_ITEM, dynamodb.Operation.GET_ITEM] }).t,
      'DynamoDbSystemErrors',
    );
    expect(Object.values(mathInputs(props)).map((m) => m.dimensions.Operation)).toEqual([
      'PutItem',
      'GetItem',
    ]);
    expect(props.Metrics.find((m: { Expression?: string }) => m.Expression).Expression).toBe(
      'FILL(putItem, 0) + FILL(getItem, 0)',
    );
    expect(() => build({ tableOperations: [] })).toThrow(/at least one operation/);
  });

  it('GIVEN the conversation table WHEN synthesized THEN it alarms on read + write throttle events', () => {
    const inputs = mathInputs(alarmProps(t, 'DynamoDbThrottles'));
    expect(Object.values(inputs).map((m) => m.name)).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
  });

  it('GIVEN a Redis replication group WHEN synthesized THEN it alarms on CPU, memory and evictions of each node and on the lag of each replica', () => {
    for (const n of [1, 2, 3]) {
      expect(alarmProps(t, `RedisCpu${n}`)).toEqual(
        expect.objectContaining({
          MetricName: 'EngineCPUUtilization',
          Dimensions: [{ Name: 'CacheClusterId', Value: `sessions-00${n}` }],
          Threshold: 75,
        }),
      );
      expect(alarmProps(t, `RedisMemory${n}`).Threshold).toBe(80);
      expect(alarmProps(t, `RedisEvictions${n}`).MetricName).toBe('Evictions');
    }
    expect(() => alarmProps(t, 'RedisReplicationLag1')).toThrow(/0 alarms/);
    expect(alarmProps(t, 'RedisReplicationLag3')).toEqual(
      expect.objectContaining({ MetricName: 'ReplicationLag', Statistic: 'Maximum', Threshold: 5 }),
    );
  });

  it('GIVEN the data alarms WHEN their widgets are drawn THEN they graph DynamoDB throttles and system errors, and Redis CPU', () => {
    const shown = JSON.stringify(alarms.widgets.map((w) => w.toJson()));
    for (const label of ['DynamoDB throttle events', 'DynamoDB system errors', 'EngineCPUUtilization']) {
      expect({ label, shown: shown.includes(label) }).toEqual({ label, shown: true });
    }
  });
});
