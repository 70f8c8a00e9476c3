/**
 * The ticket worker handler (src/tickets/worker) against dynalite (the real DynamoDB ticket store
 * and conversation history adapters) with EventBridge mocked: one ticket per request whatever
 * the number of deliveries, TicketCreated at most once per ticket (re-published when a crash left
 * the flag unset), partial batch failures, and the ticket's content (priority, transcript).
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { Metric } from '../../../contracts/metrics';
import {
  TICKET_CREATED,
  TICKET_EVENT_SOURCE,
  type Ticket,
  type TicketRequest,
  ticketIdempotencyKey,
  ticketReferenceOf,
} from '../../../contracts/tickets';
import { startLocalDynamo, type LocalDynamo } from '../../../local/stores/dynamo';
import { createTicketsTable } from '../../../local/tickets/table';
import { DynamoContextStore } from '../../../src/adapters/dynamo-context-store';
import { DynamoConversationHistory } from '../../../src/adapters/dynamo-conversation-history';
import { DynamoTicketStore } from '../../../src/adapters/dynamo-ticket-store';
import { EventBridgeTicketEvents } from '../../../src/adapters/eventbridge-ticket-events';
import type { TurnRecord } from '../../../src/ports';
import { createTicketWorkerHandler } from '../../../src/tickets/worker/handler';
import { capturedMetrics, silentLogger } from '../fixtures';

const ebMock = mockClient(EventBridgeClient);
let dynamo: LocalDynamo;
let store: DynamoTicketStore;
let context: DynamoContextStore;
let run = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo(`worker-conv-${process.pid}`);
  store = new DynamoTicketStore(dynamo.doc, {
    tableName: await createTicketsTable(dynamo.client, 'worker-tickets'),
  });
  context = new DynamoContextStore(dynamo.doc, { tableName: dynamo.tableName, ttlDays: 1 });
});

afterAll(async () => {
  await dynamo?.stop();
});

beforeEach(() => {
  ebMock.reset();
  ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'ev-1' }] });
  run += 1;
});

function worker() {
  const { metrics, counts } = capturedMetrics();
  const handler = createTicketWorkerHandler(
    {
      store,
      events: new EventBridgeTicketEvents(new EventBridgeClient({ region: 'us-east-1' }), { busName: 'bus' }),
      history: new DynamoConversationHistory(dynamo.doc, { tableName: dynamo.tableName }),
      transcriptTurns: 5,
    },
    { logger: silentLogger(), metrics },
  );
  return { handler, counts };
}

function requestOf(overrides: Partial<TicketRequest> = {}): TicketRequest {
  const conversationId = overrides.conversationId ?? `conv-${run}-${Math.random().toString(36).slice(2, 8)}`;
  const turn = overrides.turn ?? 3;
  const idempotencyKey = ticketIdempotencyKey(conversationId, turn);
  const reference = ticketReferenceOf(idempotencyKey);
  return {
    schemaVersion: 1,
    idempotencyKey,
    ticketId: reference,
    reference,
    kind: 'issue',
    conversationId,
    turn,
    customerId: 'cust-1',
    category: 'billing',
    locale: 'en_US',
    language: 'en',
    channel: 'web',
    sentimentTrend: ['NEUTRAL'],
    current: { turn, intent: 'ReportIssue', sentiment: 'NEUTRAL', timestamp: '2026-11-30T10:00:03.000Z' },
    requestedAt: '2026-11-30T10:00:03.000Z',
    ...overrides,
  };
}

let messageSeq = 0;
const sqsEvent = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body) => {
    messageSeq += 1;
    return {
      messageId: `m-${messageSeq}`,
      receiptHandle: `rh-${messageSeq}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'x',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:111111111111:tickets',
      awsRegion: 'us-east-1',
    };
  }),
});

const turnRecord = (conversationId: string, turn: number, extra: Partial<TurnRecord> = {}): TurnRecord => ({
  conversationId,
  turn,
  intent: 'Greeting',
  slots: {},
  sentiment: 'NEUTRAL',
  language: 'en',
  locale: 'en_US',
  channel: 'web',
  latencyMs: 5,
  timestamp: `2026-11-30T10:00:0${turn}.000Z`,
  ...extra,
});

describe('ticket worker: one ticket per request', () => {
  test('GIVEN a ticket request WHEN processed THEN the ticket is stored open with its transcript and priority, and TicketCreated is published once without text', async () => {
    const { handler, counts } = worker();
    const request = requestOf({ sentimentTrend: ['NEUTRAL', 'NEGATIVE'] });
    await context.putTurn(turnRecord(request.conversationId, 1));
    await context.putTurn(
      turnRecord(request.conversationId, 2, { intent: 'CheckOrderStatus', text: 'mail me at a@b.example' }),
    );

    const res = await handler(sqsEvent(JSON.stringify(request)));

    expect(res.batchItemFailures).toEqual([]);
    const ticket = (await store.get(request.ticketId))!;
    expect(ticket).toMatchObject({
      ticketId: request.reference,
      source: 'conversation',
      kind: 'issue',
      status: 'open',
      category: 'billing',
      priority: 'high', // billing (normal) + latest turn negative
      customerId: 'cust-1',
      intents: ['Greeting', 'CheckOrderStatus', 'ReportIssue'],
      version: 1,
    });
    expect(ticket.transcript.map((t) => t.turn)).toEqual([1, 2, 3]);
    expect(ticket.transcript[1]!.text).not.toContain('a@b.example');
    expect(ticket.publishedAt).toEqual(expect.any(String));
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const entry = ebMock.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    expect(entry).toMatchObject({
      Source: TICKET_EVENT_SOURCE,
      DetailType: TICKET_CREATED,
      EventBusName: 'bus',
    });
    expect(JSON.parse(entry.Detail!)).toMatchObject({ ticketId: request.ticketId, priority: 'high' });
    expect(entry.Detail).not.toContain('transcript');
    expect(counts()[Metric.TicketsCreated]).toBe(1);
  });

  test('GIVEN the same request delivered twice (in one batch and again later) WHEN processed THEN one ticket, one TicketCreated, the duplicates acknowledged and counted', async () => {
    const { handler, counts } = worker();
    const body = JSON.stringify(requestOf());
    const { ticketId } = JSON.parse(body) as TicketRequest;

    const first = await handler(sqsEvent(body, body));
    const before = (await store.get(ticketId))!;
    const again = await handler(sqsEvent(body));

    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    expect(await store.get(ticketId)).toEqual(before);
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(counts()[Metric.TicketsCreated]).toBe(1);
    expect(counts()[Metric.TicketDuplicates]).toBe(2);
  });

  test('GIVEN the bus rejects the event after the ticket was written (a crash between put and publish) WHEN redelivered THEN it is published then, once', async () => {
    const { handler, counts } = worker();
    const request = requestOf();
    ebMock
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'ev-2' }] });

    const first = await handler(sqsEvent(JSON.stringify(request)));
    const written = (await store.get(request.ticketId))!;
    const second = await handler(sqsEvent(JSON.stringify(request)));
    const third = await handler(sqsEvent(JSON.stringify(request)));

    expect(first.batchItemFailures).toHaveLength(1);
    expect(written.publishedAt).toBeUndefined();
    expect(second.batchItemFailures).toEqual([]);
    expect(third.batchItemFailures).toEqual([]);
    expect((await store.get(request.ticketId))!.publishedAt).toEqual(expect.any(String));
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 2); // the rejected one, then one
    expect(counts()[Metric.TicketWorkerFailures]).toBe(1);
  });

  test('GIVEN a batch with one invalid body among valid ones WHEN processed THEN only that record is reported failed; the others are written', async () => {
    const { handler, counts } = worker();
    const a = requestOf();
    const b = requestOf();
    const event = sqsEvent(JSON.stringify(a), '{"schemaVersion":1,"ticketId":"nope"}', JSON.stringify(b));

    const res = await handler(event);

    expect(res.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]!.messageId }]);
    expect(await store.get(a.ticketId)).toBeDefined();
    expect(await store.get(b.ticketId)).toBeDefined();
    expect(counts()[Metric.TicketWorkerFailures]).toBe(1);
  });

  test('GIVEN every record of a batch fails WHEN processed THEN all are reported (not thrown), so SQS redelivers each', async () => {
    const { handler } = worker();
    const event = sqsEvent('not json', '{}');

    const res = await handler(event);

    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(event.Records.map((r) => r.messageId));
  });

  test('GIVEN a request whose ticket id is not the hash of its key WHEN processed THEN it fails (never written)', async () => {
    const { handler } = worker();
    const request = { ...requestOf(), ticketId: 'T-0000000000', reference: 'T-0000000000' };

    const res = await handler(sqsEvent(JSON.stringify(request)));

    expect(res.batchItemFailures).toHaveLength(1);
    expect(await store.get('T-0000000000')).toBeUndefined();
  });

  test('GIVEN a stored ticket with the same id but another idempotency key WHEN a request collides with it THEN the record fails and the stored ticket is untouched', async () => {
    const { handler } = worker();
    const request = requestOf();
    const squatter: Ticket = {
      ticketId: request.ticketId,
      reference: request.reference,
      source: 'external',
      idempotencyKey: 'external#X-1',
      customerId: 'someone-else',
      category: 'other',
      priority: 'low',
      transcript: [],
      intents: [],
      sentimentTrend: [],
      status: 'open',
      channel: 'email',
      createdAt: '2026-11-30T09:00:00.000Z',
      updatedAt: '2026-11-30T09:00:00.000Z',
      version: 1,
    };
    await store.putIfAbsent(squatter);

    const res = await handler(sqsEvent(JSON.stringify(request)));

    expect(res.batchItemFailures).toHaveLength(1);
    expect(await store.get(request.ticketId)).toEqual(squatter);
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });
});
