/**
 * TicketBus owns the stage's ticket events (docs/tickets.md, "Subscribing"): a custom EventBridge
 * bus (`conversational-platform-<env>-tickets`, encrypted with its own customer-managed key) on
 * which the worker publishes `TicketCreated` (source `conversational-platform.tickets`), an
 * archive of those events (replay after a subscriber's outage), and ONE documented integration
 * example, created only when config enables it: an EventBridge connection (API key from a Secrets
 * Manager secret named in config) + API destination to a ticketing system's webhook, and a rule
 * sending every `TicketCreated` there (retried by EventBridge for up to 24 hours, then kept in a
 * dead-letter queue).
 */
import { Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TICKET_CREATED, TICKET_EVENT_SOURCE } from '../../contracts/tickets';
import { acknowledge } from '../nag';

/** The example webhook integration (config `tickets.webhook`). */
export interface TicketWebhook {
  /** The ticketing system's https:// endpoint that receives each `TicketCreated` (POST). */
  readonly endpoint: string;
  /**
   * Secrets Manager ARN of the API key: a JSON secret whose `apiKey` field the connection sends as
   * the `x-api-key` header. EventBridge copies it into the connection's own secret at deploy.
   */
  readonly secretArn: string;
  /** Invocations per second EventBridge may make (1..300). @default 10 */
  readonly rateLimitPerSecond?: number;
}

export interface TicketBusProps {
  readonly environmentName: string;
  /** Days the archive keeps the ticket events (0 = forever). @default 30 */
  readonly archiveRetentionDays?: number;
  /** The example integration; undefined = none (the default). */
  readonly webhook?: TicketWebhook;
  /** What happens to the key when it leaves the stack. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The pattern of the events the worker publishes: `TicketCreated` from the ticket source. */
export const TICKET_CREATED_PATTERN: events.EventPattern = {
  source: [TICKET_EVENT_SOURCE],
  detailType: [TICKET_CREATED],
};

/** The ticket bus (see the file comment). */
export class TicketBus extends Construct {
  /** The bus's key (and the webhook dead-letter queue's). */
  readonly key: kms.Key;
  readonly archiveKey: kms.Key;
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  /** The example integration's rule, when config enables it. */
  readonly webhookRule?: events.Rule;
  /** Where the example integration's undeliverable events go, when config enables it. */
  webhookDeadLetterQueue?: sqs.Queue;

  constructor(scope: Construct, id: string, props: TicketBusProps) {
    const retention = props.archiveRetentionDays ?? 30;
    if (!Number.isInteger(retention) || retention < 0) {
      throw new Error(`ticket bus archive retention must be a whole number of days, got ${retention}`);
    }
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Ticket events bus and archive (${props.environmentName})`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: `conversational-platform-${props.environmentName}-tickets`,
      description: `TicketCreated events of the conversational platform (${props.environmentName})`,
      kmsKey: this.key,
    });
    // The archive's own key: its key policy names the bus's ARN, which the bus's key cannot (the
    // bus needs its key first: a dependency cycle).
    this.archiveKey = new kms.Key(this, 'ArchiveKey', {
      description: `Ticket events archive (${props.environmentName})`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.archive = new events.Archive(this, 'Archive', {
      sourceEventBus: this.bus,
      eventPattern: { source: [TICKET_EVENT_SOURCE] },
      retention: Duration.days(retention),
      description: 'Ticket events, for replay to a subscriber that missed them',
      kmsKey: this.archiveKey,
    });
    if (props.webhook) this.webhookRule = this.addWebhook(props.webhook);
  }

  /** PutEvents on this bus only (what the worker needs). */
  grantPutEvents(grantee: iam.IGrantable): void {
    this.bus.grantPutEventsTo(grantee);
  }

  /** The connection, the API destination and the rule of the example integration. */
  private addWebhook(webhook: TicketWebhook): events.Rule {
    if (!/^https:\/\//.test(webhook.endpoint)) {
      throw new Error(`ticket webhook endpoint must be an https:// URL, got '${webhook.endpoint}'`);
    }
    const rate = webhook.rateLimitPerSecond ?? 10;
    if (!Number.isInteger(rate) || rate < 1 || rate > 300) {
      throw new Error(`ticket webhook rate limit must be an integer in [1, 300], got ${rate}`);
    }
    const connection = new events.Connection(this, 'WebhookConnection', {
      description: 'API key of the ticketing system webhook (from the secret named in config)',
      authorization: events.Authorization.apiKey(
        'x-api-key',
        SecretValue.secretsManager(webhook.secretArn, { jsonField: 'apiKey' }),
      ),
    });
    const destination = new events.ApiDestination(this, 'WebhookDestination', {
      connection,
      endpoint: webhook.endpoint,
      httpMethod: events.HttpMethod.POST,
      rateLimitPerSecond: rate,
      description: 'A ticketing system webhook receiving TicketCreated',
    });
    // Events EventBridge could not deliver within 24 hours (or that the webhook refused with a
    // 4xx): kept 14 days, encrypted with the bus's key, which EventBridge may use through SQS only.
    const deadLetterQueue = new sqs.Queue(this, 'WebhookDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const { account, region } = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeWebhookDeadLetters',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account, 'kms:ViaService': `sqs.${region}.amazonaws.com` },
        },
      }),
    );
    acknowledge(
      deadLetterQueue,
      'Dead-letter queue of the webhook rule target: its events are inspected and re-sent by an operator, never consumed, so it has no dead-letter queue of its own.',
      'Serverless-SQSRedrivePolicy',
      'AwsSolutions-SQS3',
    );
    this.webhookDeadLetterQueue = deadLetterQueue;
    return new events.Rule(this, 'TicketCreatedToWebhook', {
      eventBus: this.bus,
      eventPattern: TICKET_CREATED_PATTERN,
      description: 'Every TicketCreated to the ticketing system webhook (example integration)',
      targets: [
        new targets.ApiDestination(destination, {
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
          deadLetterQueue,
        }),
      ],
    });
  }
}
