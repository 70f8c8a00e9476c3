import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { externalTicketKey, ticketReferenceOf, type Ticket } from '../../../contracts/tickets';
import type { TicketStore, TicketUpdate, TicketUpdateResult } from '../../../src/ports';
import type { Citation, KnowledgeSuggestionOptions, KnowledgeSuggestions } from '../../../src/ports';
import type { LocaleId } from '../../../contracts/bot-model/types';
import {
  createTicketsApi,
  SUGGESTIONS_ON_GET,
  TICKET_ROUTES,
  type TicketsApiDeps,
} from '../../../src/tickets-api/routes';
import { NO_KNOWLEDGE_BASE, suggestionQueryOf } from '../../../src/tickets-api/suggestions';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The TicketStore contract in memory: conditional put, optimistic version, strong reads. */
class MemoryTicketStore implements TicketStore {
  readonly items = new Map<string, Ticket>();
  /** Runs before an update is applied (a concurrent writer). */
  beforeUpdate?: () => void;
  async putIfAbsent(ticket: Ticket): Promise<'created' | 'exists'> {
    if (this.items.has(ticket.ticketId)) return 'exists';
    this.items.set(ticket.ticketId, ticket);
    return 'created';
  }
  async get(id: string): Promise<Ticket | undefined> {
    return this.items.get(id);
  }
  async update(id: string, change: TicketUpdate): Promise<TicketUpdateResult> {
    this.beforeUpdate?.();
    const current = this.items.get(id);
    if (!current) return { outcome: 'not-found' };
    if (current.version !== change.expectedVersion) return { outcome: 'conflict', current };
    const unassigned: Ticket = { ...current };
    delete (unassigned as { assignee?: string }).assignee;
    const ticket: Ticket = {
      ...(change.assignee === '' ? unassigned : current),
      ...(change.status ? { status: change.status } : {}),
      ...(change.assignee ? { assignee: change.assignee } : {}),
      version: current.version + 1,
      updatedAt: change.updatedAt,
    };
    this.items.set(id, ticket);
    return { outcome: 'updated', ticket };
  }
  async markPublished(): Promise<void> {}
  async findByExternalId(): Promise<Ticket | undefined> {
    return undefined;
  }
  async listByStatus() {
    return { items: [] };
  }
  async listByCustomer() {
    return { items: [] };
  }
}

const NOW = new Date('2026-11-30T12:00:00.000Z');

function setup(extra: Partial<TicketsApiDeps> = {}) {
  const store = new MemoryTicketStore();
  const errors: string[] = [];
  const api = createTicketsApi({ store, now: () => NOW, onError: (m) => errors.push(m), ...extra });
  const call = async (
    routeKey: string,
    {
      body,
      ticketId,
      headers = {},
    }: { body?: unknown; ticketId?: string; headers?: Record<string, string> } = {},
  ) => {
    const event = {
      routeKey,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      isBase64Encoded: false,
      pathParameters: ticketId === undefined ? undefined : { ticketId },
    } as unknown as APIGatewayProxyEventV2;
    const r = await api(event);
    return { status: r.statusCode, headers: r.headers ?? {}, body: JSON.parse(r.body) as Json };
  };
  return { store, call, errors };
}

const NEW = {
  externalId: 'ZD-1001',
  customer: 'cust-42',
  subject: 'Refund for order 12345',
  description: 'Please call me at +1 415 555 0100 about it',
  channel: 'email',
  priority: 'high',
};
const ID = ticketReferenceOf(externalTicketKey('ZD-1001'));

/** A conversation ticket as the worker writes it. */
function conversationTicket(): Ticket {
  return {
    ticketId: 'T-ABCDEFGHJK',
    reference: 'T-ABCDEFGHJK',
    source: 'conversation',
    kind: 'issue',
    idempotencyKey: 'conv-1#3',
    conversationId: 'conv-1',
    customerId: 'conv-1',
    category: 'technical',
    priority: 'normal',
    transcript: [
      { turn: 1, intent: 'Greeting', sentiment: 'NEUTRAL', timestamp: '2026-11-30T11:59:00.000Z' },
      {
        turn: 3,
        intent: 'ReportIssue',
        sentiment: 'NEGATIVE',
        text: 'my email is [EMAIL]',
        timestamp: '2026-11-30T11:59:30.000Z',
      },
    ],
    intents: ['Greeting', 'ReportIssue'],
    sentimentTrend: ['NEUTRAL', 'NEGATIVE'],
    status: 'open',
    channel: 'web',
    locale: 'en_US',
    createdAt: '2026-11-30T11:59:31.000Z',
    updatedAt: '2026-11-30T11:59:31.000Z',
    version: 1,
    publishedAt: '2026-11-30T11:59:32.000Z',
  };
}

describe('ticket API: POST /v1/tickets', () => {
  it('GIVEN a valid external ticket WHEN posted THEN 201 with its location, id derived from the external id, description redacted, version as ETag', async () => {
    const { call, store } = setup();
    const r = await call(TICKET_ROUTES.create, { body: NEW });
    expect(r.status).toBe(201);
    expect(r.headers.location).toBe(`/v1/tickets/${ID}`);
    expect(r.headers.etag).toBe('"1"');
    expect(r.body.ticket).toEqual(
      expect.objectContaining({
        ticketId: ID,
        source: 'external',
        externalId: 'ZD-1001',
        customerId: 'cust-42',
        status: 'open',
        priority: 'high',
        category: 'other',
        channel: 'email',
        createdAt: NOW.toISOString(),
      }),
    );
    expect(store.items.get(ID)!.description).toBe('Please call me at [PHONE] about it');
    expect(r.body.context).toEqual({
      transcript: [],
      intents: [],
      sentimentTrend: [],
      knowledgeSuggestions: SUGGESTIONS_ON_GET,
    });
  });

  it('GIVEN the same external ticket posted again WHEN retried THEN 200 with the stored ticket and nothing new', async () => {
    const { call, store } = setup();
    await call(TICKET_ROUTES.create, { body: NEW });
    const r = await call(TICKET_ROUTES.create, { body: NEW });
    expect(r.status).toBe(200);
    expect(r.body.ticket.ticketId).toBe(ID);
    expect(store.items.size).toBe(1);
  });

  it('GIVEN an external id already used with other fields WHEN posted THEN 409 naming externalId, the stored ticket untouched', async () => {
    const { call, store } = setup();
    await call(TICKET_ROUTES.create, { body: NEW });
    const r = await call(TICKET_ROUTES.create, { body: { ...NEW, subject: 'Something else' } });
    expect(r.status).toBe(409);
    expect(r.body.error).toEqual(expect.objectContaining({ code: 'CONFLICT', field: 'externalId' }));
    expect(store.items.get(ID)!.subject).toBe(NEW.subject);
  });

  it.each([
    ['no externalId', { ...NEW, externalId: undefined }, 'externalId'],
    ['an externalId with spaces', { ...NEW, externalId: 'ZD 1001' }, 'externalId'],
    ['no customer', { ...NEW, customer: undefined }, 'customer'],
    ['an empty subject', { ...NEW, subject: '  ' }, 'subject'],
    ['a subject of 201 characters', { ...NEW, subject: 'x'.repeat(201) }, 'subject'],
    ['a description that is not text', { ...NEW, description: 42 }, 'description'],
    ['an unknown channel', { ...NEW, channel: 'fax' }, 'channel'],
    ['an unknown priority', { ...NEW, priority: 'critical' }, 'priority'],
    ['an unknown category', { ...NEW, category: 'misc' }, 'category'],
    ['an unknown locale', { ...NEW, locale: 'fr_FR' }, 'locale'],
    ['an unknown field', { ...NEW, status: 'closed' }, 'status'],
    ['a body that is not JSON', '{oops', 'body'],
    ['a JSON array', '[]', 'body'],
  ])('GIVEN %s WHEN posted THEN 400 naming the field', async (_what, body, field) => {
    const { call, store } = setup();
    const r = await call(TICKET_ROUTES.create, { body });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe(field);
    expect(store.items.size).toBe(0);
  });

  it('GIVEN a body over 16 KiB WHEN posted THEN 413 naming the body', async () => {
    const { call } = setup();
    const r = await call(TICKET_ROUTES.create, { body: { ...NEW, description: 'x'.repeat(17_000) } });
    expect([r.status, r.body.error.field]).toEqual([413, 'body']);
  });
});

describe('ticket API: GET /v1/tickets/{id}', () => {
  it('GIVEN a conversation ticket and no knowledge base WHEN read THEN 200 with its redacted transcript, intents, sentiment trend and an empty knowledge field saying why', async () => {
    const { call, store } = setup();
    const t = conversationTicket();
    store.items.set(t.ticketId, t);
    const r = await call(TICKET_ROUTES.get, { ticketId: t.ticketId });
    expect(r.status).toBe(200);
    expect(r.body.context).toEqual({
      transcript: t.transcript,
      intents: ['Greeting', 'ReportIssue'],
      sentimentTrend: ['NEUTRAL', 'NEGATIVE'],
      knowledgeSuggestions: { status: 'unavailable', reason: 'no knowledge base is configured', items: [] },
    });
    expect(r.body.ticket).toEqual(
      expect.objectContaining({ ticketId: t.ticketId, conversationId: 'conv-1', status: 'open' }),
    );
    expect(r.body.ticket.transcript).toBeUndefined();
    expect(r.body.ticket.publishedAt).toBeUndefined();
  });

  it('GIVEN an unknown reference WHEN read THEN 404 naming ticketId; GIVEN a malformed one THEN 400', async () => {
    const { call } = setup();
    const missing = await call(TICKET_ROUTES.get, { ticketId: 'T-0000000000' });
    expect([missing.status, missing.body.error.code, missing.body.error.field]).toEqual([
      404,
      'NOT_FOUND',
      'ticketId',
    ]);
    const bad = await call(TICKET_ROUTES.get, { ticketId: '../etc' });
    expect([bad.status, bad.body.error.field]).toEqual([400, 'ticketId']);
  });

  it('GIVEN the store failing WHEN read THEN 500 without details, and the failure reported', async () => {
    const { call, store, errors } = setup();
    store.get = async () => {
      throw new Error('secret table detail');
    };
    const r = await call(TICKET_ROUTES.get, { ticketId: 'T-0000000000' });
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain('secret');
    expect(errors).toHaveLength(1);
  });
});

describe('ticket API: PATCH /v1/tickets/{id}', () => {
  function withTicket() {
    const s = setup();
    const t = conversationTicket();
    s.store.items.set(t.ticketId, t);
    return { ...s, id: t.ticketId };
  }

  it('GIVEN an open ticket WHEN set in progress and assigned THEN 200, version 2, and the assignee can be cleared', async () => {
    const { call, id } = withTicket();
    const r = await call(TICKET_ROUTES.update, {
      ticketId: id,
      body: { status: 'in_progress', assignee: 'agent-7' },
    });
    expect(r.status).toBe(200);
    expect(r.headers.etag).toBe('"2"');
    expect(r.body.ticket).toEqual(
      expect.objectContaining({
        status: 'in_progress',
        assignee: 'agent-7',
        version: 2,
        updatedAt: NOW.toISOString(),
      }),
    );
    const cleared = await call(TICKET_ROUTES.update, { ticketId: id, body: { assignee: null } });
    expect(cleared.body.ticket.assignee).toBeUndefined();
  });

  it.each([
    ['open', 'resolved', 200],
    ['resolved', 'open', 200],
    ['resolved', 'closed', 200],
    ['closed', 'open', 409],
    ['closed', 'in_progress', 409],
  ] as const)('GIVEN a %s ticket WHEN set to %s THEN %i', async (from, to, status) => {
    const { call, store, id } = withTicket();
    store.items.set(id, { ...store.items.get(id)!, status: from });
    const r = await call(TICKET_ROUTES.update, { ticketId: id, body: { status: to } });
    expect(r.status).toBe(status);
    if (status === 409) {
      expect(r.body.error).toEqual(expect.objectContaining({ code: 'INVALID_TRANSITION', field: 'status' }));
      expect(store.items.get(id)!.status).toBe(from);
    }
  });

  it('GIVEN If-Match with a stale version WHEN patched THEN 412 with the current ETag and nothing changed', async () => {
    const { call, store, id } = withTicket();
    const r = await call(TICKET_ROUTES.update, {
      ticketId: id,
      body: { status: 'resolved' },
      headers: { 'If-Match': '"7"' },
    });
    expect(r.status).toBe(412);
    expect(r.headers.etag).toBe('"1"');
    expect(r.body.error.field).toBe('If-Match');
    expect(store.items.get(id)!.status).toBe('open');
  });

  it('GIVEN If-Match with the current version WHEN patched THEN 200', async () => {
    const { call, id } = withTicket();
    const r = await call(TICKET_ROUTES.update, {
      ticketId: id,
      body: { status: 'resolved' },
      headers: { 'if-match': '"1"' },
    });
    expect(r.status).toBe(200);
  });

  it('GIVEN another writer between the read and the write WHEN patched THEN 409 CONFLICT (the other change kept)', async () => {
    const { call, store, id } = withTicket();
    store.beforeUpdate = () => {
      const t = store.items.get(id)!;
      store.items.set(id, { ...t, assignee: 'agent-1', version: t.version + 1 });
      store.beforeUpdate = undefined;
    };
    const r = await call(TICKET_ROUTES.update, { ticketId: id, body: { assignee: 'agent-2' } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('CONFLICT');
    expect(store.items.get(id)!.assignee).toBe('agent-1');
  });

  it.each([
    ['no change', {}, 'body'],
    ['an unknown status', { status: 'done' }, 'status'],
    ['an assignee with spaces', { assignee: 'Jane Doe' }, 'assignee'],
    ['an unknown field', { priority: 'low' }, 'priority'],
  ])('GIVEN %s WHEN patched THEN 400 naming the field', async (_what, body, field) => {
    const { call, id } = withTicket();
    const r = await call(TICKET_ROUTES.update, { ticketId: id, body });
    expect([r.status, r.body.error.field]).toEqual([400, field]);
  });

  it('GIVEN an unknown ticket WHEN patched THEN 404', async () => {
    const { call } = withTicket();
    const r = await call(TICKET_ROUTES.update, { ticketId: 'T-0000000000', body: { status: 'closed' } });
    expect(r.status).toBe(404);
  });
});

/** A KnowledgeSuggestions double: records its calls, answers what the test says. */
class RecordingSuggestions implements KnowledgeSuggestions {
  readonly calls: { query: string; locale: LocaleId; opts: KnowledgeSuggestionOptions }[] = [];
  constructor(private readonly reply: (signal?: AbortSignal) => Promise<Citation[]>) {}
  suggest(query: string, locale: LocaleId, opts: KnowledgeSuggestionOptions): Promise<Citation[]> {
    this.calls.push({ query, locale, opts });
    return this.reply(opts.signal);
  }
}

const DOC = (n: number): Citation => ({
  title: `Doc ${n}`,
  link: `https://docs.example.com/en_US/doc-${n}.md`,
  snippet: `passage ${n}`,
});

describe('ticket API: GET /v1/tickets/{id} knowledge suggestions', () => {
  it('GIVEN an external ticket and matching documents WHEN read THEN ok with at most 3, searched with its subject and description in its locale (en_US by default)', async () => {
    const kb = new RecordingSuggestions(async () => [DOC(1), DOC(2), DOC(3), DOC(4)]);
    const { call } = setup({ suggestions: kb });
    await call(TICKET_ROUTES.create, { body: NEW });
    const r = await call(TICKET_ROUTES.get, { ticketId: ID });
    expect(r.status).toBe(200);
    expect(r.body.context.knowledgeSuggestions).toEqual({ status: 'ok', items: [DOC(1), DOC(2), DOC(3)] });
    expect(kb.calls).toHaveLength(1); // the POST did not search
    expect(kb.calls[0]!.query).toBe('Refund for order 12345\nPlease call me at [PHONE] about it');
    expect(kb.calls[0]!.locale).toBe('en_US');
    expect(kb.calls[0]!.opts.limit).toBe(3);
    expect(kb.calls[0]!.opts.signal).toBeInstanceOf(AbortSignal);
  });

  it('GIVEN a conversation ticket WHEN read THEN the query is its category, kind and redacted transcript text, in its locale', async () => {
    const kb = new RecordingSuggestions(async () => [DOC(1)]);
    const { call, store } = setup({ suggestions: kb });
    const t: Ticket = { ...conversationTicket(), locale: 'es_US' };
    store.items.set(t.ticketId, t);
    const r = await call(TICKET_ROUTES.get, { ticketId: t.ticketId });
    expect(r.body.context.knowledgeSuggestions).toEqual({ status: 'ok', items: [DOC(1)] });
    expect(kb.calls[0]).toEqual(
      expect.objectContaining({ query: 'technical\nissue\nmy email is [EMAIL]', locale: 'es_US' }),
    );
  });

  it('GIVEN a conversation ticket without transcript text (transcripts not allowed) WHEN its query is built THEN only category and kind; "other" is no search word', () => {
    const t = conversationTicket();
    const bare: Ticket = { ...t, transcript: t.transcript.map(({ text: _text, ...turn }) => turn) };
    expect(suggestionQueryOf(bare)).toBe('technical\nissue');
    expect(suggestionQueryOf({ ...bare, category: 'other', kind: undefined })).toBe('');
  });

  it('GIVEN nothing matches WHEN read THEN none with no items', async () => {
    const { call, store } = setup({ suggestions: new RecordingSuggestions(async () => []) });
    const t = conversationTicket();
    store.items.set(t.ticketId, t);
    const r = await call(TICKET_ROUTES.get, { ticketId: t.ticketId });
    expect(r.body.context.knowledgeSuggestions).toEqual({ status: 'none', items: [] });
  });

  it('GIVEN a ticket that says nothing to search for WHEN read THEN none without a call', async () => {
    const kb = new RecordingSuggestions(async () => [DOC(1)]);
    const { call, store } = setup({ suggestions: kb });
    const t: Ticket = { ...conversationTicket(), category: 'other', kind: undefined, transcript: [] };
    store.items.set(t.ticketId, t);
    const r = await call(TICKET_ROUTES.get, { ticketId: t.ticketId });
    expect(r.body.context.knowledgeSuggestions).toEqual({ status: 'none', items: [] });
    expect(kb.calls).toHaveLength(0);
  });

  it('GIVEN the knowledge base failing WHEN read THEN 200 with unavailable, the failure reported without the query', async () => {
    const failures: unknown[][] = [];
    const logged: string[] = [];
    const { call, store, errors } = setup({
      suggestions: new RecordingSuggestions(async () => {
        throw new Error('ThrottlingException for query my email is [EMAIL]');
      }),
      onSuggestionFailure: (failure, error) => failures.push([failure, (error as Error).name]),
    });
    const t = conversationTicket();
    store.items.set(t.ticketId, t);
    const spy = jest.spyOn(console, 'error').mockImplementation((...a) => void logged.push(a.join(' ')));
    const r = await call(TICKET_ROUTES.get, { ticketId: t.ticketId });
    spy.mockRestore();
    expect(r.status).toBe(200);
    expect(r.body.context.knowledgeSuggestions).toEqual({
      status: 'unavailable',
      reason: 'the knowledge base could not be reached',
      items: [],
    });
    expect(failures).toEqual([['error', 'Error']]);
    expect(errors).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('GIVEN the default failure report WHEN the knowledge base fails THEN the error name is logged, never the query or the message', async () => {
    const logged: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...a) => void logged.push(a.join(' ')));
    const store = new MemoryTicketStore();
    const t = conversationTicket();
    store.items.set(t.ticketId, t);
    const api = createTicketsApi({
      store,
      suggestions: new RecordingSuggestions(async () => {
        throw new Error('failed on: technical issue my email is [EMAIL]');
      }),
    });
    const r = await api({
      routeKey: TICKET_ROUTES.get,
      pathParameters: { ticketId: t.ticketId },
    } as unknown as APIGatewayProxyEventV2);
    spy.mockRestore();
    expect(r.statusCode).toBe(200);
    expect(logged).toEqual(['ticket api knowledge suggestions unavailable (error) Error']);
    expect(logged.join('\n')).not.toContain('[EMAIL]');
  });

  it('GIVEN the knowledge base slower than the timeout WHEN read THEN 200 with unavailable after the timeout, and the call aborted', async () => {
    let signal: AbortSignal | undefined;
    const failures: string[] = [];
    const { call, store } = setup({
      suggestions: new RecordingSuggestions((s) => {
        signal = s;
        return new Promise(() => undefined); // never answers
      }),
      suggestionTimeoutMs: 50,
      onSuggestionFailure: (failure) => failures.push(failure),
    });
    const t = conversationTicket();
    store.items.set(t.ticketId, t);
    const started = Date.now();
    const r = await call(TICKET_ROUTES.get, { ticketId: t.ticketId });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.status).toBe(200);
    expect(r.body.context.knowledgeSuggestions).toEqual({
      status: 'unavailable',
      reason: 'the knowledge base did not answer in time',
      items: [],
    });
    expect(signal?.aborted).toBe(true);
    expect(failures).toEqual(['timeout']);
  });

  it('GIVEN no knowledge base WHEN read THEN unavailable saying none is configured', async () => {
    const { call, store } = setup();
    const t = conversationTicket();
    store.items.set(t.ticketId, t);
    const r = await call(TICKET_ROUTES.get, { ticketId: t.ticketId });
    expect(r.body.context.knowledgeSuggestions).toEqual(NO_KNOWLEDGE_BASE);
  });

  it('GIVEN a PATCH WHEN answered THEN no search: the answer points to GET for suggestions', async () => {
    const kb = new RecordingSuggestions(async () => [DOC(1)]);
    const { call, store } = setup({ suggestions: kb });
    const t = conversationTicket();
    store.items.set(t.ticketId, t);
    const r = await call(TICKET_ROUTES.update, { ticketId: t.ticketId, body: { status: 'in_progress' } });
    expect(r.status).toBe(200);
    expect(r.body.context.knowledgeSuggestions).toEqual(SUGGESTIONS_ON_GET);
    expect(kb.calls).toHaveLength(0);
  });
});
