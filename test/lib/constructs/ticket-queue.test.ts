import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TicketQueue } from '../../../lib/constructs/ticket-queue';
import { constructStack } from '../../support/construct-stack';

describe('TicketQueue', () => {
  function build(maxReceives?: number) {
    const stack = constructStack();
    const queue = new TicketQueue(stack, 'Tickets', {
      environmentName: 'dev',
      maxReceives,
      visibilityTimeout: Duration.seconds(60),
      retentionPeriod: Duration.days(14),
    });
    return {
      stack,
      queue,
      get t() {
        return Template.fromStack(stack);
      },
    };
  }
  const id = (stack: Stack, c: { node: { defaultChild?: unknown } }): string =>
    stack.getLogicalId(c.node.defaultChild as never);

  it('GIVEN the issue’s settings WHEN synthesized THEN the queue has 60 s visibility, 14 days, 20 s long polling, its own KMS key and a DLQ after 3 receives', () => {
    const { stack, queue, t } = build();
    t.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 60,
      MessageRetentionPeriod: 1_209_600,
      ReceiveMessageWaitTimeSeconds: 20,
      KmsMasterKeyId: { 'Fn::GetAtt': [id(stack, queue.key), 'Arn'] },
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [id(stack, queue.deadLetterQueue), 'Arn'] },
        maxReceiveCount: 3,
      },
    });
    // the DLQ: same key, same retention, no redrive of its own
    t.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 1_209_600,
      KmsMasterKeyId: { 'Fn::GetAtt': [id(stack, queue.key), 'Arn'] },
      RedrivePolicy: Match.absent(),
    });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('GIVEN a configured number of receives WHEN synthesized THEN the redrive uses it', () => {
    build(5).t.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
  });

  it('GIVEN both queues WHEN synthesized THEN each refuses requests without TLS', () => {
    const { t } = build();
    const policies = t.findResources('AWS::SQS::QueuePolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    for (const p of Object.values(policies) as Array<{
      Properties: { PolicyDocument: { Statement: unknown[] } };
    }>) {
      expect(p.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('GIVEN a sender WHEN granted THEN it may SendMessage on the queue and use the key for it, nothing else', () => {
    const { stack, queue } = build();
    const role = new iam.Role(stack, 'Sender', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    queue.grantSend(role);
    const t = Template.fromStack(stack);
    const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown }> } } }).Properties
          .PolicyDocument.Statement,
    );
    expect(statements.map((s) => s.Action)).toEqual([
      'sqs:SendMessage',
      ['kms:Decrypt', 'kms:GenerateDataKey'],
    ]);
  });

  it('GIVEN the queue WHEN its alarm metrics are read THEN they are the DLQ depth and the oldest message age (Maximum, 5 minutes)', () => {
    const { queue } = build();
    expect(queue.metricDeadLetterDepth().metricName).toBe('ApproximateNumberOfMessagesVisible');
    expect(queue.metricOldestMessageAge().metricName).toBe('ApproximateAgeOfOldestMessage');
    expect(queue.metricOldestMessageAge().statistic).toBe('Maximum');
  });

  it.each([
    [0, 'maxReceives must be an integer in [1, 1000], got 0'],
    [1001, 'maxReceives must be an integer in [1, 1000], got 1001'],
  ])('GIVEN %s receives WHEN built THEN it is refused', (maxReceives, message) => {
    expect(() => build(maxReceives)).toThrow(message);
  });
});
