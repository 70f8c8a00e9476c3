/**
 * Tickets end to end on the local platform, over HTTP: a reported issue is answered with its
 * reference, the SAME worker handler (polling the local queue) writes the ticket to dynalite, the
 * desk's GET /v1/tickets/{id} returns it with the redacted transcript, and TicketCreated lands in the bus file once; a worker that fails on
 * every delivery moves the message to the dead-letter file after maxReceives with its body intact
 * (and a replay of it creates the ticket); a duplicate delivery creates no second ticket and no
 * second event; a queue that is down gets an honest answer with no reference.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOT_MODEL } from '../../contracts/bot-model';
import type { MessageResponse } from '../../contracts/conversation-api';
import { type Ticket, TICKET_REFERENCE_PATTERN, type TicketRequest } from '../../contracts/tickets';
import { DEV } from '../../lib/config/environments';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';

const VISIBILITY_MS = 300;
let platform: LocalPlatform;
let dataDir: string;
let seq = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-tickets-'));
  platform = await startLocalPlatform({
    port: 0,
    quiet: true,
    dataDir,
    sessions: 'memory',
    // Transcripts allowed, so the ticket carries the user's redacted text.
    environment: { ...DEV, bot: { ...DEV.bot, streamTranscripts: true } },
    tickets: { visibilityTimeoutMs: VISIBILITY_MS, waitMs: 50 },
  });
});

afterAll(async () => {
  await platform?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => platform.faults.set([]));

const conversation = (): string => `tickets-e2e-${process.pid}-${++seq}`;

async function say(conversationId: string, text: string, locale = 'en_US'): Promise<MessageResponse> {
  const res = await fetch(`${platform.url}/v1/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, locale }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as MessageResponse;
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 8000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const eventsFor = (ticketId: string) =>
  platform.tickets.events.read().filter((e) => e.detail.ticketId === ticketId);
const queueIdle = () => {
  const { visible, inFlight } = platform.tickets.queue.depth();
  return visible === 0 && inFlight === 0 ? true : undefined;
};

test('GIVEN a customer reports an issue WHEN the answer comes back THEN it carries the reference, and the worker writes that ticket with the redacted transcript and publishes it once', async () => {
  const id = conversation();
  await say(id, 'hello');
  const answer = await say(id, 'I was charged twice, write to jane.doe@example.com');

  expect(answer.intent.name).toBe('ReportIssue');
  const reference = answer.ticket?.reference;
  expect(reference).toMatch(TICKET_REFERENCE_PATTERN);
  const text = answer.messages.map((m) => m.content).join(' ');
  expect(text).toContain(reference);
  expect(text).toContain(DEV.tickets.supportDesk.hours.en_US);

  const ticket: Ticket = await eventually('the ticket', () => platform.tickets.store.get(reference!));
  expect(ticket).toMatchObject({
    ticketId: reference,
    conversationId: id,
    status: 'open',
    category: 'billing',
    intents: ['Greeting', 'ReportIssue'],
  });
  // The desk reads it through its ticket API (the same store).
  const res = await fetch(`${platform.url}/v1/tickets/${reference}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    ticket: Ticket;
    context: { transcript: Ticket['transcript']; intents: string[] };
  };
  expect(body.ticket).toMatchObject({ ticketId: reference, status: 'open', category: 'billing' });
  expect(body.context.intents).toEqual(['Greeting', 'ReportIssue']);
  expect(body.context.transcript).toHaveLength(2);
  expect(body.context.transcript[1]!.text).toContain('charged twice');
  expect(JSON.stringify(body)).not.toContain('jane.doe@example.com');
  expect(JSON.stringify(ticket)).not.toContain('jane.doe@example.com');
  await eventually('the event', () => (eventsFor(reference!).length ? true : undefined));
  expect(eventsFor(reference!)).toEqual([
    expect.objectContaining({ 'detail-type': 'TicketCreated', source: 'conversational-platform.tickets' }),
  ]);
  expect(JSON.stringify(eventsFor(reference!))).not.toContain('charged twice');
});

test('GIVEN the worker fails on every delivery WHEN a ticket is requested THEN after maxReceives the message is in the dead-letter file with its body, and replaying it creates the ticket', async () => {
  platform.faults.set(['ticket-worker']);
  const id = conversation();

  const answer = await say(id, 'talk to an agent');

  const reference = answer.ticket!.reference;
  const dead = await eventually('the dead letter', () =>
    platform.tickets.queue
      .readDeadLetters()
      .find((d) => (JSON.parse(d.body) as TicketRequest).ticketId === reference),
  );
  expect(dead).toMatchObject({ reason: 'maxReceives', receiveCount: DEV.tickets.maxReceives });
  expect(JSON.parse(dead.body)).toMatchObject({ ticketId: reference, conversationId: id, kind: 'handoff' });
  expect(await platform.tickets.store.get(reference)).toBeUndefined();
  expect(queueIdle()).toBe(true);

  platform.faults.set([]);
  platform.tickets.queue.send(dead.body, dead.attributes);

  const ticket = await eventually('the replayed ticket', () => platform.tickets.store.get(reference));
  expect(ticket).toMatchObject({ kind: 'handoff', category: 'agent' });
});

test('GIVEN a request already processed WHEN it is delivered twice more THEN there is still one ticket and one TicketCreated', async () => {
  const id = conversation();
  const answer = await say(id, 'I want to report a problem with my delivery');
  const reference = answer.ticket!.reference;
  const first = await eventually('the ticket, published', async () => {
    const ticket = await platform.tickets.store.get(reference);
    return ticket?.publishedAt ? ticket : undefined;
  });
  const current = first.transcript.at(-1)!;
  // The request the fulfillment sent, rebuilt from what the ticket keeps (the queue deleted the message).
  const request: TicketRequest = {
    schemaVersion: 1,
    idempotencyKey: first.idempotencyKey,
    ticketId: first.ticketId,
    reference: first.reference,
    kind: first.kind!,
    conversationId: first.conversationId!,
    turn: current.turn,
    customerId: first.customerId,
    category: first.category,
    locale: first.locale!,
    language: 'en',
    channel: first.channel,
    sentimentTrend: first.sentimentTrend,
    current,
    requestedAt: first.createdAt,
  };
  const body = JSON.stringify(request);
  const deletedBefore = platform.tickets.queue.stats.deleted;

  platform.tickets.queue.send(body);
  platform.tickets.queue.send(body);
  await eventually('both deliveries acknowledged', () =>
    platform.tickets.queue.stats.deleted >= deletedBefore + 2 ? true : undefined,
  );

  expect(await platform.tickets.store.get(reference)).toEqual(first);
  expect(eventsFor(reference)).toHaveLength(1);
  expect(platform.tickets.queue.readDeadLetters().some((d) => d.body === body)).toBe(false);
});

test('GIVEN the ticket queue is down WHEN an issue is reported THEN the answer says nothing was registered and carries no reference', async () => {
  platform.faults.set(['tickets']);
  const id = conversation();

  const answer = await say(id, 'I was charged twice');

  expect(answer.intent.name).toBe('ReportIssue');
  expect(answer.ticket).toBeUndefined();
  const text = answer.messages.map((m) => m.content).join(' ');
  expect(text).toContain(BOT_MODEL.messages.ticketUnavailable.en_US);
  expect(text).not.toMatch(/T-[0-9A-Z]{10}/);
});
