/**
 * Tickets on the local platform (docs/tickets.md, "Locally"): the ticket queue (an in-process
 * stand-in with SQS's delivery semantics and a dead-letter NDJSON file), the SAME worker handler
 * Lambda runs (createTicketWorkerHandler) fed by a polling loop, the tickets table in the
 * embedded dynalite (the real DynamoTicketStore), and the ticket bus as an NDJSON file. The
 * desk's ticket API routes read the same store.
 *
 * Fault switches (local/faults.ts): `tickets` fails every enqueue (the bot answers that nothing
 * was registered); `ticket-worker` fails the worker's ticket writes (deliveries fail, are
 * redelivered after the visibility timeout, and land in the dead-letter file after maxReceives).
 */
import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import { METRIC_NAMESPACE, TICKET_WORKER_SERVICE } from '../../contracts/metrics';
import type { EnvironmentConfig } from '../../lib/config/types';
import { DynamoConversationHistory } from '../../src/adapters/dynamo-conversation-history';
import { DynamoTicketStore } from '../../src/adapters/dynamo-ticket-store';
import type { TicketQueue, TicketStore } from '../../src/ports';
import { createTicketWorkerHandler } from '../../src/tickets/worker/handler';
import { FileMetrics } from '../adapters/file-metrics';
import type { LocalFaults } from '../faults';
import type { LocalDynamo } from '../stores/dynamo';
import { NdjsonTicketEvents } from './ndjson-ticket-events';
import { TicketQueuePoller } from './poller';
import { LocalTicketQueue, TICKETS_DIR } from './queue';
import { createTicketsTable } from './table';

export { LocalTicketQueue } from './queue';
export { NdjsonTicketEvents } from './ndjson-ticket-events';
export { TicketQueuePoller } from './poller';

export interface LocalTicketsOptions {
  /** Visibility timeout, ms. @default config tickets.visibilityTimeoutSeconds */
  readonly visibilityTimeoutMs?: number;
  /** Long-poll wait of the worker's loop, ms. @default 1000 */
  readonly waitMs?: number;
}

export interface LocalTickets {
  /** What the fulfillment enqueues on (behind the `tickets` fault switch). */
  readonly port: TicketQueue;
  readonly queue: LocalTicketQueue;
  /** The tickets table (dynalite), as the worker and the desk API use it. */
  readonly store: TicketStore;
  readonly tableName: string;
  readonly events: NdjsonTicketEvents;
  readonly poller: TicketQueuePoller;
  readonly metrics: FileMetrics;
  /** Substitution lines printed at start-up. */
  lines(): string[];
  stop(): Promise<void>;
}

export async function startLocalTickets(parts: {
  readonly dynamo: LocalDynamo;
  readonly env: EnvironmentConfig;
  readonly dataDir: string;
  readonly faults: LocalFaults;
  readonly logger: Logger;
  readonly options?: LocalTicketsOptions;
}): Promise<LocalTickets> {
  const { dynamo, env, dataDir, faults, logger } = parts;
  const config = env.tickets;
  const tableName = await createTicketsTable(dynamo.client);
  const store = new DynamoTicketStore(dynamo.doc, { tableName });
  const queue = new LocalTicketQueue({
    dataDir,
    maxReceives: config.maxReceives,
    visibilityTimeoutMs: parts.options?.visibilityTimeoutMs ?? config.visibilityTimeoutSeconds * 1000,
  });
  const events = new NdjsonTicketEvents(dataDir);
  const metrics = new FileMetrics({
    namespace: METRIC_NAMESPACE,
    serviceName: TICKET_WORKER_SERVICE,
    dataDir,
  });
  const worker = createTicketWorkerHandler(
    {
      store: {
        ...bind(store),
        putIfAbsent: async (ticket) => {
          faults.check('ticket-worker');
          return store.putIfAbsent(ticket);
        },
      },
      events,
      history: new DynamoConversationHistory(dynamo.doc, { tableName: dynamo.tableName }),
    },
    { logger: logger.createChild({ serviceName: TICKET_WORKER_SERVICE }), metrics },
  );
  const poller = new TicketQueuePoller(queue, worker, {
    batchSize: Math.min(10, config.batchSize),
    waitMs: parts.options?.waitMs ?? 1000,
    onError: (err) => logger.warn('local ticket worker loop error', { errorName: (err as Error).name }),
  });
  poller.start();
  const dir = join(dataDir, TICKETS_DIR);
  return {
    port: {
      enqueue: async (request) => {
        faults.check('tickets');
        await queue.enqueue(request);
      },
    },
    queue,
    store,
    tableName,
    events,
    poller,
    metrics,
    lines: () => [
      `SQS ticket queue     -> in-process queue (at-least-once, visibility ${queue.visibilityTimeoutMs} ms, dead-letter after ${queue.maxReceives} receives -> ${queue.deadLetterFile})`,
      `Ticket worker        -> createTicketWorkerHandler in-process (src/tickets/worker), polling the local queue, batches of ${Math.min(10, config.batchSize)}`,
      `Tickets table        -> dynalite table ${tableName} (ticketId; GSIs byStatus, byCustomer, byExternalId)`,
      `EventBridge tickets  -> NDJSON file ${join(dir, 'events.ndjson')}`,
    ],
    async stop() {
      await poller.stop();
      queue.stop();
      metrics.writePending();
    },
  };
}

/** The store's methods bound to it (so one can be wrapped without losing `this`). */
function bind(store: DynamoTicketStore): TicketStore {
  return {
    putIfAbsent: (t) => store.putIfAbsent(t),
    get: (id) => store.get(id),
    update: (id, change) => store.update(id, change),
    markPublished: (id, at) => store.markPublished(id, at),
    findByExternalId: (id) => store.findByExternalId(id),
    listByStatus: (status, options) => store.listByStatus(status, options),
    listByCustomer: (customerId, options) => store.listByCustomer(customerId, options),
  };
}
