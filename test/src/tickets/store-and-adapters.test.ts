/**
 * The ticket adapters: the DynamoDB ticket store against dynalite (optimistic updates, lists by
 * index with cursors, external ids), the SQS queue and the EventBridge bus with the SDK mocked,
 * the support desk settings, and the worker's pure steps (priority table, transcript).
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { type Ticket, type TicketRequest, ticketReferenceOf } from '../../../contracts/tickets';
import { startLocalDynamo, type LocalDynamo } from '../../../local/stores/dynamo';
import { createTicketsTable } from '../../../local/tickets/table';
import { DynamoTicketStore, InvalidCursorError } from '../../../src/adapters/dynamo-ticket-store';
import { EventBridgeTicketEvents } from '../../../src/adapters/eventbridge-ticket-events';
import { SqsTicketQueue } from '../../../src/adapters/sqs-ticket-queue';
import { ConfigError } from '../../../src/env';
import { parseSupportDesk, supportDeskEnv } from '../../../src/tickets/support-desk';
import { transcriptOf } from '../../../src/tickets/worker/build';
import { BASE_PRIORITY, priorityOf } from '../../../src/tickets/worker/priority';

const ticket = (n: number, overrides: Partial<Ticket> = {}): Ticket => ({
  ticketId: ticketReferenceOf(`store-test#${n}`),
  reference: ticketReferenceOf(`store-test#${n}`),
  source: 'conversation',
  idempotencyKey: `store-test#${n}`,
  customerId: 'cust-a',
  category: 'billing',
  priority: 'normal',
  transcript: [],
  intents: [],
  sentimentTrend: [],
  status: 'open',
  channel: 'web',
  createdAt: `2026-11-30T10:00:${String(n).padStart(2, '0')}.000Z`,
  updatedAt: `2026-11-30T10:00:${String(n).padStart(2, '0')}.000Z`,
  version: 1,
  ...overrides,
});

describe('DynamoTicketStore (dynalite)', () => {
  let dynamo: LocalDynamo;
  let store: DynamoTicketStore;

  beforeAll(async () => {
    dynamo = await startLocalDynamo(`store-conv-${process.pid}`);
    store = new DynamoTicketStore(dynamo.doc, {
      tableName: await createTicketsTable(dynamo.client, 'store-tickets'),
    });
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  test('GIVEN a ticket WHEN put twice THEN created, then exists, and the first write stays', async () => {
    const t = ticket(1);
    expect(await store.putIfAbsent(t)).toBe('created');
    expect(await store.putIfAbsent({ ...t, priority: 'urgent' })).toBe('exists');
    expect(await store.get(t.ticketId)).toEqual(t);
  });

  test('GIVEN a stored ticket WHEN updated with the right version THEN updated and the version bumped; a stale version THEN conflict with the current one; an unknown id THEN not-found', async () => {
    const t = ticket(2);
    await store.putIfAbsent(t);

    const updated = await store.update(t.ticketId, {
      status: 'in_progress',
      assignee: 'agent-7',
      expectedVersion: 1,
      updatedAt: '2026-11-30T11:00:00.000Z',
    });
    const stale = await store.update(t.ticketId, { status: 'resolved', expectedVersion: 1, updatedAt: 'x' });
    const cleared = await store.update(t.ticketId, { assignee: '', expectedVersion: 2, updatedAt: 'y' });
    const missing = await store.update('T-ZZZZZZZZZZ', {
      status: 'closed',
      expectedVersion: 1,
      updatedAt: 'z',
    });

    expect(updated).toEqual({
      outcome: 'updated',
      ticket: {
        ...t,
        status: 'in_progress',
        assignee: 'agent-7',
        version: 2,
        updatedAt: '2026-11-30T11:00:00.000Z',
      },
    });
    expect(stale).toEqual({ outcome: 'conflict', current: expect.objectContaining({ version: 2 }) });
    expect(cleared.outcome).toBe('updated');
    expect((await store.get(t.ticketId))!).not.toHaveProperty('assignee');
    expect(missing).toEqual({ outcome: 'not-found' });
  });

  test('GIVEN a ticket WHEN marked published twice THEN the first time stays', async () => {
    const t = ticket(3);
    await store.putIfAbsent(t);

    await store.markPublished(t.ticketId, '2026-11-30T12:00:00.000Z');
    await store.markPublished(t.ticketId, '2026-11-30T13:00:00.000Z');

    expect((await store.get(t.ticketId))!.publishedAt).toBe('2026-11-30T12:00:00.000Z');
  });

  test('GIVEN tickets of a customer and status WHEN listed by page THEN newest first, every one once, with a cursor between pages', async () => {
    const customerId = 'cust-list';
    for (const n of [10, 11, 12]) await store.putIfAbsent(ticket(n, { customerId, status: 'resolved' }));

    const page1 = await store.listByCustomer(customerId, { limit: 2 });
    const page2 = await store.listByCustomer(customerId, { limit: 2, cursor: page1.cursor! });
    const resolved = await store.listByStatus('resolved');

    expect(page1.items.map((t) => t.createdAt)).toEqual([
      '2026-11-30T10:00:12.000Z',
      '2026-11-30T10:00:11.000Z',
    ]);
    expect(page1.cursor).toEqual(expect.any(String));
    expect(page2.items.map((t) => t.createdAt)).toEqual(['2026-11-30T10:00:10.000Z']);
    expect(resolved.items).toHaveLength(3);
    await expect(store.listByStatus('open', { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  test('GIVEN an external ticket WHEN found by its external id THEN it is returned; an unknown id THEN undefined', async () => {
    const t = ticket(20, { source: 'external', externalId: 'ZD-9001', idempotencyKey: 'external#ZD-9001' });
    await store.putIfAbsent(t);

    expect(await store.findByExternalId('ZD-9001')).toEqual(t);
    expect(await store.findByExternalId('ZD-0000')).toBeUndefined();
  });
});

describe('SqsTicketQueue', () => {
  const sqsMock = mockClient(SQSClient);
  beforeEach(() => sqsMock.reset());

  const request = {
    kind: 'issue',
    category: 'billing',
    schemaVersion: 1,
    ticketId: 'T-1',
  } as unknown as TicketRequest;

  test('GIVEN a request WHEN enqueued THEN one SendMessage with the JSON body and only kind/category/version as attributes; the SDK is loaded on first use only', async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const load = jest.fn(async () => ({ SQSClient, SendMessageCommand }));
    const queue = new SqsTicketQueue((mod) => new mod.SQSClient({ region: 'us-east-1' }), {
      queueUrl: 'https://sqs.us-east-1.amazonaws.com/111111111111/tickets',
      load,
    });
    expect(load).not.toHaveBeenCalled();

    await queue.enqueue(request);
    await queue.enqueue(request);

    expect(load).toHaveBeenCalledTimes(1);
    expect(sqsMock).toHaveReceivedCommandTimes(SendMessageCommand, 2);
    expect(sqsMock).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: 'https://sqs.us-east-1.amazonaws.com/111111111111/tickets',
      MessageBody: JSON.stringify(request),
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'issue' },
        category: { DataType: 'String', StringValue: 'billing' },
        schemaVersion: { DataType: 'Number', StringValue: '1' },
      },
    });
  });

  test('GIVEN SQS fails WHEN enqueued THEN it throws (the turn answers honestly)', async () => {
    sqsMock.on(SendMessageCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    const queue = new SqsTicketQueue((mod) => new mod.SQSClient({ region: 'us-east-1' }), {
      queueUrl: 'https://sqs.example/q',
      load: async () => ({ SQSClient, SendMessageCommand }),
    });

    await expect(queue.enqueue(request)).rejects.toThrow('down');
  });
});

describe('EventBridgeTicketEvents', () => {
  const ebMock = mockClient(EventBridgeClient);
  beforeEach(() => ebMock.reset());
  const detail = { ticketId: 'T-1', createdAt: '2026-11-30T10:00:00.000Z' } as never;

  test('GIVEN the bus reports a failed entry WHEN published THEN it throws with the error code', async () => {
    ebMock
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] });
    const events = new EventBridgeTicketEvents(new EventBridgeClient({ region: 'us-east-1' }), {
      busName: 'b',
    });

    await expect(events.publish(detail)).rejects.toThrow('ThrottlingException');
  });
});

describe('support desk settings (env SUPPORT_DESK)', () => {
  const good = { hours: { en_US: 'Mon-Fri 9-17', es_US: 'lun-vie 9-17' }, firstResponseHours: 24 };

  test('GIVEN valid JSON WHEN parsed THEN the settings; unset THEN undefined', () => {
    expect(parseSupportDesk(JSON.stringify(good))).toEqual(good);
    expect(supportDeskEnv('SUPPORT_DESK', {})).toBeUndefined();
  });

  test.each([
    ['not JSON', '{', 'SUPPORT_DESK must be JSON'],
    ['a locale missing', JSON.stringify({ ...good, hours: { en_US: 'x' } }), 'SUPPORT_DESK.hours.es_US'],
    [
      'hours that are not whole',
      JSON.stringify({ ...good, firstResponseHours: 1.5 }),
      'SUPPORT_DESK.firstResponseHours',
    ],
    ['a bad contact', JSON.stringify({ ...good, contact: 'x' }), 'SUPPORT_DESK.contact'],
  ])('GIVEN %s WHEN parsed THEN a ConfigError naming the field', (_, raw, field) => {
    expect(() => parseSupportDesk(raw)).toThrow(ConfigError);
    expect(() => parseSupportDesk(raw)).toThrow(field);
  });
});

describe('the priority table', () => {
  test.each([
    ['damaged', [], 'high'],
    ['account', ['NEUTRAL'], 'high'],
    ['billing', ['POSITIVE'], 'normal'],
    ['billing', ['NEUTRAL', 'NEGATIVE'], 'high'],
    ['delivery', ['NEGATIVE', 'NEUTRAL', 'NEGATIVE'], 'urgent'],
    ['damaged', ['NEGATIVE', 'NEGATIVE'], 'urgent'],
    ['other', [], 'low'],
    ['other', ['MIXED'], 'normal'],
    ['agent', ['NEGATIVE', 'NEGATIVE'], 'urgent'],
  ] as const)('GIVEN category %s and trend %j WHEN prioritized THEN %s', (category, trend, expected) => {
    expect(priorityOf(category, trend)).toBe(expected);
  });

  test('GIVEN every category WHEN its base priority is read THEN the table covers it', () => {
    expect(Object.keys(BASE_PRIORITY).sort()).toEqual(
      ['account', 'agent', 'billing', 'damaged', 'delivery', 'other', 'technical'].sort(),
    );
  });
});

describe('the ticket transcript', () => {
  const request = {
    turn: 4,
    current: { turn: 4, intent: 'ReportIssue', text: 'call me on +1 415 555 0100', timestamp: 't4' },
  } as TicketRequest;
  const record = (turn: number, text?: string) => ({
    conversationId: 'c',
    turn,
    intent: `I${turn}`,
    slots: {},
    language: 'en',
    locale: 'en_US' as const,
    channel: 'web',
    latencyMs: 1,
    timestamp: `t${turn}`,
    ...(text ? { text } : {}),
  });

  test('GIVEN more turns than the limit and turns after the ticket turn WHEN built THEN the last ones up to the ticket turn, oldest first, texts redacted', () => {
    const history = [record(1), record(2, 'my email is jane@example.com'), record(3), record(5)];

    const transcript = transcriptOf(request, history, 3);

    expect(transcript.map((t) => t.turn)).toEqual([2, 3, 4]);
    expect(transcript[0]!.text).not.toContain('jane@example.com');
    expect(transcript[2]).toMatchObject({ intent: 'ReportIssue' });
    expect(transcript[2]!.text).not.toContain('555 0100');
  });
});
