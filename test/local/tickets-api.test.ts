/**
 * The support desk's ticket API on `npm start`, over HTTP: the same src/tickets-api code the
 * Lambda runs, over the local tickets table the worker writes. A customer reports an issue, the
 * desk reads the ticket with its redacted transcript, takes it and resolves it; an external
 * system posts a ticket, retries it, and conflicts on its external id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageResponse } from '../../contracts/conversation-api';
import { TICKET_REFERENCE_PATTERN } from '../../contracts/tickets';
import { DEV } from '../../lib/config/environments';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let platform: LocalPlatform;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-tickets-api-'));
  platform = await startLocalPlatform({
    port: 0,
    quiet: true,
    dataDir,
    sessions: 'memory',
    environment: { ...DEV, bot: { ...DEV.bot, streamTranscripts: true } },
    tickets: { visibilityTimeoutMs: 300, waitMs: 50 },
  });
});

afterAll(async () => {
  await platform?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function http(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('GIVEN a customer reports an issue WHEN the desk GETs the reference THEN the ticket comes with its redacted transcript, intents and sentiment trend, and the desk can take and resolve it', async () => {
  const id = `tickets-api-${process.pid}`;
  await http('POST', `/v1/conversations/${id}/messages`, { text: 'hello', locale: 'en_US' });
  const said = await http('POST', `/v1/conversations/${id}/messages`, {
    text: 'I was charged twice, write to jane.doe@example.com',
    locale: 'en_US',
  });
  const reference = (said.body as MessageResponse).ticket?.reference;
  expect(reference).toMatch(TICKET_REFERENCE_PATTERN);

  const got = await eventually('the ticket over HTTP', async () => {
    const r = await http('GET', `/v1/tickets/${reference}`);
    return r.status === 200 ? r : undefined;
  });
  expect(got.headers.get('etag')).toBe('"1"');
  expect(got.body.ticket).toEqual(
    expect.objectContaining({ ticketId: reference, conversationId: id, status: 'open' }),
  );
  expect(got.body.context.intents).toEqual(['Greeting', 'ReportIssue']);
  expect(got.body.context.transcript[1].text).toContain('charged twice');
  expect(got.body.context.sentimentTrend.length).toBeGreaterThan(0);
  // the transcript's redacted text ("charged twice") and the category search the sample documents
  expect(got.body.context.knowledgeSuggestions.status).toMatch(/^(ok|none)$/);
  expect(JSON.stringify(got.body)).not.toContain('jane.doe@example.com');

  const taken = await http(
    'PATCH',
    `/v1/tickets/${reference}`,
    { status: 'in_progress', assignee: 'agent-7' },
    { 'if-match': '"1"' },
  );
  expect([taken.status, taken.body.ticket.status, taken.body.ticket.assignee]).toEqual([
    200,
    'in_progress',
    'agent-7',
  ]);
  const stale = await http(
    'PATCH',
    `/v1/tickets/${reference}`,
    { status: 'resolved' },
    { 'if-match': '"1"' },
  );
  expect([stale.status, stale.body.error.field]).toEqual([412, 'If-Match']);
  const resolved = await http(
    'PATCH',
    `/v1/tickets/${reference}`,
    { status: 'resolved' },
    { 'if-match': '"2"' },
  );
  expect([resolved.status, resolved.body.ticket.version]).toEqual([200, 3]);
});

test('GIVEN an external system WHEN it posts, retries, and reuses the external id with other fields THEN 201, 200, 409 naming externalId', async () => {
  const body = {
    externalId: `ZD-${process.pid}`,
    customer: 'cust-42',
    subject: 'Refund',
    description: 'call me at +1 415 555 0100',
    channel: 'email',
  };
  const created = await http('POST', '/v1/tickets', body);
  expect(created.status).toBe(201);
  expect(created.headers.get('location')).toBe(`/v1/tickets/${created.body.ticket.ticketId}`);
  expect(created.body.ticket.description).toBe('call me at [PHONE]');
  expect((await http('POST', '/v1/tickets', body)).status).toBe(200);
  const conflict = await http('POST', '/v1/tickets', { ...body, subject: 'Other' });
  expect([conflict.status, conflict.body.error.field]).toEqual([409, 'externalId']);
  const stored = await platform.tickets.store.get(created.body.ticket.ticketId);
  expect(stored?.subject).toBe('Refund');
});

test('GIVEN an external ticket about a return WHEN the desk GETs it THEN the sample returns document is suggested, with its title, link and a passage', async () => {
  const created = await http('POST', '/v1/tickets', {
    externalId: `ZD-RET-${process.pid}`,
    customer: 'cust-7',
    subject: 'How do I return headphones and get a refund?',
    description: 'The earbuds arrived 10 days ago and I want my money back.',
    channel: 'email',
  });
  expect(created.status).toBe(201);
  // a write does not search: it points to GET
  expect(created.body.context.knowledgeSuggestions.status).toBe('unavailable');
  const got = await http('GET', `/v1/tickets/${created.body.ticket.ticketId}`);
  expect(got.status).toBe(200);
  const suggestions = got.body.context.knowledgeSuggestions;
  expect(suggestions.status).toBe('ok');
  expect(suggestions.items.length).toBeGreaterThan(0);
  expect(suggestions.items.length).toBeLessThanOrEqual(3);
  expect(suggestions.items[0]).toEqual({
    title: 'Returns and refunds',
    link: '/kb/en_US/returns.md',
    snippet: expect.any(String),
  });
  expect(new Set(suggestions.items.map((i: Json) => i.link)).size).toBe(suggestions.items.length);
  // the link is served by the platform
  const doc = await fetch(`${platform.url}${suggestions.items[0].link}`);
  expect(doc.status).toBe(200);
});

test('GIVEN an external ticket the documents do not cover WHEN the desk GETs it THEN none', async () => {
  const created = await http('POST', '/v1/tickets', {
    externalId: `ZD-NONE-${process.pid}`,
    customer: 'cust-8',
    subject: 'Zqxv wplk',
    channel: 'email',
  });
  const got = await http('GET', `/v1/tickets/${created.body.ticket.ticketId}`);
  expect(got.body.context.knowledgeSuggestions).toEqual({ status: 'none', items: [] });
});

test('GIVEN bad requests WHEN sent THEN field-named 400s and a 404, in the API’s error shape', async () => {
  const missing = await http('POST', '/v1/tickets', { customer: 'c', subject: 's', channel: 'email' });
  expect([missing.status, missing.body.error.field]).toEqual([400, 'externalId']);
  const notFound = await http('GET', '/v1/tickets/T-0000000000');
  expect([notFound.status, notFound.body.error.code]).toEqual([404, 'NOT_FOUND']);
  const badPatch = await http('PATCH', '/v1/tickets/T-0000000000', { status: 'done' });
  expect([badPatch.status, badPatch.body.error.field]).toEqual([400, 'status']);
  const noRoute = await http('DELETE', '/v1/tickets/T-0000000000');
  expect(noRoute.status).toBe(404);
});
