import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { SupportDeskSettings } from '../../contracts/tickets';
import { TicketBus } from '../constructs/ticket-bus';
import { TicketQueue } from '../constructs/ticket-queue';
import { TicketWorker } from '../constructs/ticket-worker';
import { TicketsApiFunction, type TicketsKnowledgeBinding } from '../constructs/tickets-api-function';
import { TicketsTable } from '../constructs/tickets-table';
import { PlatformStack, PlatformStackProps } from './platform-stack';

export interface TicketsStackProps extends PlatformStackProps {
  /** The conversation table the worker reads a ticket's transcript from. */
  readonly conversationTable: dynamodb.ITableV2;
  /** The knowledge bases the ticket API suggests documents from (unset: suggestions unavailable). */
  readonly knowledge?: TicketsKnowledgeBinding;
}

/** What the bot stack wires from the tickets stack: the fulfillment's queue, the API's routes. */
export interface TicketsResources {
  readonly queue: TicketQueue;
  /** The desk as the bot describes it (SUPPORT_DESK). */
  readonly supportDesk: SupportDeskSettings;
  /** The ticket API's function, behind the channel API's ticket routes. */
  readonly apiFunction: TicketsApiFunction;
  /** Who may assume the SupportDeskRole: an account id or a role ARN. */
  readonly deskPrincipal: string;
}

/**
 * Tickets (docs/tickets.md), composed of their constructs: the queue the fulfillment enqueues
 * ticket requests on (KMS, DLQ after `tickets.maxReceives`), the tickets table (KMS, PITR, GSIs
 * by status, customer and external id), the ticket bus (`TicketCreated`, archive, the optional
 * webhook example), the worker on the queue, and the ticket API's function (bound to the
 * knowledge bases for its suggestions when given; its routes and the
 * desk's role are on the channel API, in the bot stack). Stateful resources keep CDK's ids
 * (test/fixtures/stateful-logical-ids.json guards them).
 */
export class TicketsStack extends PlatformStack {
  readonly queue: TicketQueue;
  readonly table: TicketsTable;
  readonly bus: TicketBus;
  readonly worker: TicketWorker;
  readonly apiFunction: TicketsApiFunction;

  constructor(scope: Construct, id: string, props: TicketsStackProps) {
    super(scope, id, props);
    const { name, tickets: t, dynamodb: db } = this.config;
    const removalPolicy = this.statefulRemovalPolicy;
    this.queue = new TicketQueue(this, 'TicketQueue', {
      environmentName: name,
      maxReceives: t.maxReceives,
      visibilityTimeout: Duration.seconds(t.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(t.retentionDays),
      removalPolicy,
    });
    this.table = new TicketsTable(this, 'TicketsTable', {
      environmentName: name,
      pointInTimeRecovery: db.pointInTimeRecovery,
      deletionProtection: db.deletionProtection,
      removalPolicy,
    });
    const { webhook } = t;
    this.bus = new TicketBus(this, 'TicketBus', {
      environmentName: name,
      removalPolicy,
      webhook:
        webhook.enabled && webhook.endpoint && webhook.secretArn
          ? {
              endpoint: webhook.endpoint,
              secretArn: webhook.secretArn,
              rateLimitPerSecond: webhook.rateLimitPerSecond,
            }
          : undefined,
    });
    this.worker = new TicketWorker(this, 'TicketWorker', {
      environmentName: name,
      queue: this.queue,
      table: this.table,
      bus: this.bus,
      conversationTable: props.conversationTable,
      timeout: Duration.seconds(t.workerTimeoutSeconds),
      batchSize: t.batchSize,
      maxBatchingWindow: Duration.seconds(t.maxBatchingWindowSeconds),
      maxConcurrency: t.workerMaxConcurrency,
      logRetention: this.logRetention,
    });
    this.apiFunction = new TicketsApiFunction(this, 'TicketsApi', {
      environmentName: name,
      table: this.table,
      logRetention: this.logRetention,
    });
    if (props.knowledge) this.apiFunction.bindKnowledge(props.knowledge);
  }

  /** What the bot stack wires (see TicketsResources). */
  get resources(): TicketsResources {
    const { supportDesk, deskPrincipal } = this.config.tickets;
    return {
      queue: this.queue,
      supportDesk,
      apiFunction: this.apiFunction,
      deskPrincipal: deskPrincipal ?? this.config.account,
    };
  }
}
