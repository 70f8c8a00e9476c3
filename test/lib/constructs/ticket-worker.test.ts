import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { TicketBus } from '../../../lib/constructs/ticket-bus';
import { TicketQueue } from '../../../lib/constructs/ticket-queue';
import { checkWorkerTimeout, TicketWorker } from '../../../lib/constructs/ticket-worker';
import { TicketsTable } from '../../../lib/constructs/tickets-table';
import { constructStack } from '../../support/construct-stack';

type Statement = { Action: string | string[]; Resource: unknown };

describe('TicketWorker', () => {
  function build(timeout = Duration.seconds(10)) {
    const stack = constructStack();
    const queue = new TicketQueue(stack, 'Queue', {
      environmentName: 'dev',
      visibilityTimeout: Duration.seconds(60),
      retentionPeriod: Duration.days(14),
    });
    const table = new TicketsTable(stack, 'Tickets', {
      environmentName: 'dev',
      pointInTimeRecovery: true,
      deletionProtection: false,
    });
    const bus = new TicketBus(stack, 'Bus', { environmentName: 'dev' });
    const conversationTable = new dynamodb.TableV2(stack, 'Conversations', {
      partitionKey: { name: 'conversationId', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(new kms.Key(stack, 'ConversationKey')),
    });
    const worker = new TicketWorker(stack, 'Worker', {
      environmentName: 'dev',
      queue,
      table,
      bus,
      conversationTable,
      timeout,
      batchSize: 10,
      maxBatchingWindow: Duration.seconds(1),
      maxConcurrency: 5,
      logRetention: logs.RetentionDays.ONE_WEEK,
    });
    return { stack, queue, table, bus, worker, conversationTable };
  }

  it('GIVEN the queue WHEN synthesized THEN the worker’s event source reports batch item failures, with the configured batch, window and concurrency', () => {
    const { stack, queue } = build();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [stack.getLogicalId(queue.queue.node.defaultChild as never), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('GIVEN the worker WHEN its role is read THEN it may consume the queue, write tickets, put events on the bus and query the conversation table: nothing else', () => {
    const { stack, worker } = build();
    const t = Template.fromStack(stack);
    const roleId = stack.getLogicalId(worker.fn.role!.node.defaultChild as never);
    const statements = Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) =>
        JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleId),
      )
      .flatMap(
        (p) =>
          (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
            .Statement,
      );
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
    expect([...new Set(actions)]).toEqual(
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:Query',
        'events:PutEvents',
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:Encrypt',
        'kms:GenerateDataKey',
        'sqs:ReceiveMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:GetQueueUrl',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
      ].sort(),
    );
    // no wildcard on a data resource
    for (const s of statements) {
      if (String(s.Action).startsWith('xray:')) continue;
      expect(JSON.stringify(s.Resource)).not.toBe('"*"');
    }
  });

  it('GIVEN a worker timeout over 1/6 of the visibility timeout WHEN built THEN it is refused (AWS’s 6x guidance)', () => {
    expect(() => build(Duration.seconds(11))).toThrow('must be at most 1/6 of the queue');
    expect(() => checkWorkerTimeout(Duration.seconds(10), Duration.seconds(60))).not.toThrow();
  });
});
