/**
 * TicketQueue owns the durable path of a ticket request from the fulfillment to the ticket
 * worker (docs/tickets.md): an SQS standard queue encrypted with its own customer-managed KMS key,
 * SSL-only, long polling (20 s), the visibility timeout and retention from config, and a
 * dead-letter queue (same key, same retention) that takes a message after `maxReceives` failed
 * receives. Its alarms (dead-letter depth > 0, oldest message age) live with the stage's other
 * alarms in the monitoring stack (lib/constructs/alarms/ticket-alarms.ts) from the metrics here:
 * an alarm in this stack could not notify the monitoring stack's topic without a dependency cycle.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';

/** SQS's longest receive wait: a poll returns as soon as a message arrives, or after 20 s empty. */
export const LONG_POLL = Duration.seconds(20);

export interface TicketQueueProps {
  /** The environment's name (key description). */
  readonly environmentName: string;
  /** Receives of a message before SQS moves it to the dead-letter queue (1..1000). @default 3 */
  readonly maxReceives?: number;
  /** How long a received message stays invisible (0..12 h): at least 6x the worker's timeout. */
  readonly visibilityTimeout: Duration;
  /** How long SQS keeps a message, in the queue and in the dead-letter queue (1 min..14 days). */
  readonly retentionPeriod: Duration;
  /** What happens to the queues and the key when they leave the stack. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

function validate(props: TicketQueueProps): number {
  const maxReceives = props.maxReceives ?? 3;
  if (!Number.isInteger(maxReceives) || maxReceives < 1 || maxReceives > 1000) {
    throw new Error(`ticket queue maxReceives must be an integer in [1, 1000], got ${maxReceives}`);
  }
  const visibility = props.visibilityTimeout.toSeconds();
  if (visibility > 43_200)
    throw new Error(`ticket queue visibility timeout must be at most 12 hours, got ${visibility} s`);
  const retention = props.retentionPeriod.toSeconds();
  if (retention < 60 || retention > 1_209_600) {
    throw new Error(`ticket queue retention must be 1 minute to 14 days, got ${retention} s`);
  }
  return maxReceives;
}

/** The ticket queue (see the file comment). */
export class TicketQueue extends Construct {
  /** The customer-managed key of both queues. */
  readonly key: kms.Key;
  /** Where the fulfillment sends ticket requests; the worker's event source. */
  readonly queue: sqs.Queue;
  /** Where a message goes after `maxReceives` receives without being deleted. */
  readonly deadLetterQueue: sqs.Queue;
  readonly maxReceives: number;
  /** How long a received message stays invisible (what the worker's timeout is checked against). */
  readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: TicketQueueProps) {
    const maxReceives = validate(props); // before super: invalid props leave nothing in the tree
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.maxReceives = maxReceives;
    this.visibilityTimeout = props.visibilityTimeout;
    this.key = new kms.Key(this, 'Key', {
      description: `Ticket queue and its dead-letter queue (${props.environmentName})`,
      enableKeyRotation: true,
      removalPolicy,
    });
    const common = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      // reuse a data key for 5 minutes: one KMS call per 5 minutes per sender, not per message
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod,
      removalPolicy,
    } as const;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', common);
    acknowledge(
      this.deadLetterQueue,
      'This is the ticket queue’s dead-letter queue: its messages are inspected and redriven to the ticket queue by an operator (alarmed when not empty), never consumed, so it has no dead-letter queue of its own.',
      'Serverless-SQSRedrivePolicy',
    );
    this.queue = new sqs.Queue(this, 'Queue', {
      ...common,
      visibilityTimeout: props.visibilityTimeout,
      receiveMessageWaitTime: LONG_POLL,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: maxReceives },
    });
  }

  /**
   * What a producer needs: SendMessage on the queue (nothing else of SQS), and the key's
   * GenerateDataKey + Decrypt that SQS performs for a sender of an encrypted queue.
   */
  grantSend(grantee: iam.IGrantable): void {
    this.queue.grant(grantee, 'sqs:SendMessage');
    this.key.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
  }

  /** Messages waiting in the dead-letter queue (Maximum over 5 minutes): anything > 0 is a lost ticket until redriven. */
  metricDeadLetterDepth(): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });
  }

  /** Age of the oldest message in the queue, seconds (Maximum over 5 minutes): the worker is not keeping up or failing. */
  metricOldestMessageAge(): cloudwatch.Metric {
    return this.queue.metricApproximateAgeOfOldestMessage({
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });
  }
}
