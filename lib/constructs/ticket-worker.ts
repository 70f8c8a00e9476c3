/**
 * TicketWorker owns the consumer of the ticket queue (docs/tickets.md): a PlatformFunction built
 * from the `ticket-worker` handler (src/handlers/ticket-worker.ts), fed by an SQS event source
 * that reports partial batch failures (`ReportBatchItemFailures`: only the failed messages return
 * to the queue, and after `maxReceives` receives land in the dead-letter queue), with batch size,
 * batching window and maximum concurrency from config.
 *
 * Least privilege: the event source's own grant (receive/delete/change visibility on this queue,
 * Decrypt with its key); GetItem/PutItem/UpdateItem on the tickets table (with its key); PutEvents
 * on the ticket bus; and, for the ticket's transcript, Query on the conversation table (with its
 * key). Nothing else. Outside the VPC: it reaches no VPC resource (no Redis), so it needs no
 * ENIs or interface endpoints (EventBridge, SQS), like the channel function.
 */
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { absolute, HANDLERS } from '../../bundling/index';
import { TICKET_WORKER_SERVICE } from '../../contracts/metrics';
import { TicketWorkerEnv } from '../../contracts/runtime-env';
import { acknowledge } from '../nag';
import { PlatformFunction } from './platform-function';
import { TicketBus } from './ticket-bus';
import { TicketQueue } from './ticket-queue';
import { TicketsTable } from './tickets-table';

/** What the worker may do on the tickets table: write a ticket once, mark it published, read it back. */
export const WORKER_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

export interface TicketWorkerProps {
  readonly environmentName: string;
  readonly queue: TicketQueue;
  readonly table: TicketsTable;
  readonly bus: TicketBus;
  /** The conversation table the transcript is read from (Query only). */
  readonly conversationTable: dynamodb.ITableV2;
  /** Function timeout: at most 1/6 of the queue's visibility timeout (AWS's guidance). */
  readonly timeout: Duration;
  /** Messages per invocation. */
  readonly batchSize: number;
  /** Seconds Lambda gathers messages before invoking (0 = none). */
  readonly maxBatchingWindow: Duration;
  /** Concurrent invocations the event source may drive (2..1000). */
  readonly maxConcurrency: number;
  /** How many recent turns the ticket's transcript keeps. @default 20 */
  readonly transcriptTurns?: number;
  readonly logRetention: logs.RetentionDays;
  /** @default 512 */
  readonly memorySize?: number;
}

/** The worker's timeout against the queue's visibility timeout: throws when it breaks the 6x rule. */
export function checkWorkerTimeout(timeout: Duration, visibilityTimeout: Duration): void {
  if (timeout.toSeconds() * 6 > visibilityTimeout.toSeconds()) {
    throw new Error(
      `ticket worker timeout (${timeout.toSeconds()} s) must be at most 1/6 of the queue's visibility timeout (${visibilityTimeout.toSeconds()} s)`,
    );
  }
}

/** The ticket worker (see the file comment). */
export class TicketWorker extends Construct {
  readonly fn: PlatformFunction;
  readonly eventSource: SqsEventSource;

  constructor(scope: Construct, id: string, props: TicketWorkerProps) {
    checkWorkerTimeout(props.timeout, props.queue.visibilityTimeout);
    super(scope, id);
    this.fn = new PlatformFunction(this, 'Function', {
      entry: absolute(HANDLERS['ticket-worker'].entry),
      chunks: HANDLERS['ticket-worker'].chunks,
      serviceName: TICKET_WORKER_SERVICE,
      description: 'Ticket worker: ticket requests from the queue -> tickets table + TicketCreated',
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      logRetention: props.logRetention,
      noDeadLetterReason:
        'Invoked by its SQS event source mapping, never asynchronously: a message that fails maxReceives times goes to the ticket queue’s dead-letter queue (alarmed), so a function DLQ or async destination would never receive anything.',
      environment: {
        [TicketWorkerEnv.ENVIRONMENT]: props.environmentName,
        [TicketWorkerEnv.TICKETS_TABLE_NAME]: props.table.tableName,
        [TicketWorkerEnv.TICKET_BUS_NAME]: props.bus.bus.eventBusName,
        [TicketWorkerEnv.CONVERSATION_TABLE_NAME]: props.conversationTable.tableName,
        [TicketWorkerEnv.TRANSCRIPT_TURNS]: String(props.transcriptTurns ?? 20),
      },
    });
    props.table.grantItems(this.fn, WORKER_TABLE_ACTIONS);
    props.bus.grantPutEvents(this.fn);
    props.conversationTable.grant(this.fn, 'dynamodb:Query');
    props.conversationTable.encryptionKey?.grant(this.fn, 'kms:Decrypt', 'kms:DescribeKey');
    this.eventSource = new SqsEventSource(props.queue.queue, {
      batchSize: props.batchSize,
      maxBatchingWindow: props.maxBatchingWindow.toSeconds() > 0 ? props.maxBatchingWindow : undefined,
      maxConcurrency: props.maxConcurrency,
      reportBatchItemFailures: true,
    });
    this.fn.addEventSource(this.eventSource);
    const mapping = this.fn.node.children.find((c) => c instanceof lambda.EventSourceMapping);
    acknowledge(
      mapping!,
      'An SQS event source mapping has no on-failure destination: a message that fails tickets.maxReceives receives is moved by SQS to the ticket queue’s dead-letter queue (redrive policy), which is alarmed.',
      'Serverless-LambdaEventSourceMappingDestination',
    );
  }

  get function(): lambda.IFunction {
    return this.fn;
  }
}
