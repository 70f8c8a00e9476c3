/**
 * Ticket turns through the fulfillment handler: the answer gives a reference only once the queue
 * has the request; a retried turn gives the same reference (one ticket); a queue that is down or
 * hangs gives an honest answer, no reference, and is counted.
 */
import * as v from 'valibot';
import { Metric } from '../../../../contracts/metrics';
import { TICKET_REFERENCE_PATTERN, ticketReferenceOf } from '../../../../contracts/tickets';
import { createFulfillmentHandler, type FulfillmentDeps } from '../../../../src/fulfillment/create-handler';
import { customerIdOf } from '../../../../src/fulfillment/turn/ticket';
import type { LexV2CodeHookResponse } from '../../../../src/lex/types';
import { LexV2ResponseSchema } from '../../../../src/lex/response';
import {
  baseDeps,
  capturedMetrics,
  lexEvent,
  scalar,
  TEST_CONFIG,
  TEST_MODEL,
  TEST_SUPPORT_DESK,
} from '../../fixtures';

function setup(overrides: Partial<FulfillmentDeps> = {}) {
  const { metrics, counts } = capturedMetrics();
  const deps = baseDeps({ metrics, ...overrides });
  return { deps, counts, handler: createFulfillmentHandler(deps) };
}

function valid(res: LexV2CodeHookResponse): LexV2CodeHookResponse {
  const parsed = v.safeParse(LexV2ResponseSchema, res);
  if (!parsed.success) throw new Error(`invalid Lex response:\n${v.summarize(parsed.issues)}`);
  return res;
}

const contents = (res: LexV2CodeHookResponse): string[] =>
  (res.messages ?? []).flatMap((m) => (m.content === undefined ? [] : [m.content]));
const reportIssue = (extra: Parameters<typeof lexEvent>[0] = {}) =>
  lexEvent({ intent: 'ReportIssue', slots: { IssueCategory: scalar('billing') }, ...extra });

describe('ticket turns: the request is on the queue before the answer gives its reference', () => {
  test('GIVEN ReportIssue fulfilled with its category WHEN handled THEN one request is enqueued and the answer gives its reference and the desk hours', async () => {
    const { handler, deps, counts } = setup();

    const res = valid(await handler(reportIssue({ sessionAttributes: { turn: '2' } })));

    expect(deps.tickets.sent).toHaveLength(1);
    const request = deps.tickets.sent[0]!;
    expect(request).toMatchObject({
      schemaVersion: 1,
      idempotencyKey: 'conv-test-0001#3',
      kind: 'issue',
      category: 'billing',
      conversationId: 'conv-test-0001',
      turn: 3,
      locale: 'en_US',
      channel: 'web',
    });
    expect(request.reference).toBe(ticketReferenceOf('conv-test-0001#3'));
    expect(request.ticketId).toBe(request.reference);
    expect(request.reference).toMatch(TICKET_REFERENCE_PATTERN);
    expect(contents(res)).toEqual([`I logged your billing issue as ${request.reference}.`]);
    expect(res.sessionState.sessionAttributes?.ticketRef).toBe(request.reference);
    expect(deps.events.events[0]).toMatchObject({ ticketId: request.ticketId });
    expect(counts()[Metric.TicketsRequested]).toBe(1);
    expect(counts()[Metric.TicketRequestFailed]).toBeUndefined();
  });

  test('GIVEN TalkToAgent WHEN fulfilled THEN a hand-off request is enqueued and the answer gives the reference and the first-response time', async () => {
    const { handler, deps } = setup();

    const res = valid(await handler(lexEvent({ intent: 'TalkToAgent' })));

    expect(deps.tickets.sent).toEqual([expect.objectContaining({ kind: 'handoff', category: 'agent' })]);
    const { reference } = deps.tickets.sent[0]!;
    expect(contents(res)).toEqual([
      `A person will contact you within ${TEST_SUPPORT_DESK.firstResponseHours} hours: ${reference}.`,
    ]);
    expect(res.sessionState.sessionAttributes).toMatchObject({ ticketRef: reference, escalated: 'true' });
  });

  test('GIVEN a Spanish ReportIssue WHEN fulfilled THEN the answer is the es_US one with the reference', async () => {
    const { handler, deps } = setup();

    const res = valid(await handler(reportIssue({ locale: 'es_US' })));

    const { reference, locale } = deps.tickets.sent[0]!;
    expect(locale).toBe('es_US');
    expect(contents(res)).toEqual([`Registré su problema de billing como ${reference}.`]);
  });

  test('GIVEN the same turn retried (Lex never got the answer) WHEN handled twice THEN both requests carry the same ticket id and reference', async () => {
    const { handler, deps } = setup();
    const event = reportIssue({ sessionAttributes: { turn: '4' } });

    const first = valid(await handler(event));
    const second = valid(await handler(structuredClone(event)));

    expect(deps.tickets.sent).toHaveLength(2);
    expect(new Set(deps.tickets.sent.map((r) => r.ticketId)).size).toBe(1);
    expect(first.sessionState.sessionAttributes?.ticketRef).toBe(
      second.sessionState.sessionAttributes?.ticketRef,
    );
  });

  test('GIVEN a turn that is not a ticket turn WHEN handled THEN nothing is enqueued and ticketRef is cleared', async () => {
    const { handler, deps } = setup();

    const res = valid(
      await handler(lexEvent({ intent: 'Greeting', sessionAttributes: { ticketRef: 'T-0000000000' } })),
    );

    expect(deps.tickets.sent).toEqual([]);
    expect(res.sessionState.sessionAttributes?.ticketRef).toBe('');
    expect(deps.events.events[0]).not.toHaveProperty('ticketId');
  });

  test('GIVEN ReportIssue still missing its category WHEN the dialog hook runs THEN no ticket is requested yet', async () => {
    const { handler, deps } = setup();

    const res = valid(await handler(lexEvent({ intent: 'ReportIssue', source: 'DialogCodeHook' })));

    expect(res.sessionState.dialogAction).toMatchObject({
      type: 'ElicitSlot',
      slotToElicit: 'IssueCategory',
    });
    expect(deps.tickets.sent).toEqual([]);
  });

  test('GIVEN repeated negative sentiment on a turn that asks for a slot WHEN handled THEN the hand-off is a ticket and its message gives the reference', async () => {
    const { handler, deps } = setup();

    const res = valid(
      await handler(
        lexEvent({
          intent: 'ReportIssue',
          source: 'DialogCodeHook',
          lexSentiment: 'NEGATIVE',
          sessionAttributes: { turn: '2', sentimentTrend: 'NEGATIVE,NEUTRAL' },
        }),
      ),
    );

    expect(deps.tickets.sent).toEqual([expect.objectContaining({ kind: 'handoff', category: 'agent' })]);
    const { reference } = deps.tickets.sent[0]!;
    expect(contents(res)).toEqual(['What kind of issue?', `A person will take over (${reference}).`]);
  });
});

describe('ticket turns: a queue that cannot take the request', () => {
  test('GIVEN the queue fails WHEN ReportIssue is fulfilled THEN the answer says nothing was registered, gives no reference, and the turn is counted', async () => {
    const { handler, deps, counts } = setup();
    deps.tickets.fail = true;

    const res = valid(await handler(reportIssue()));

    expect(contents(res)).toEqual([TEST_MODEL.messages.ticketUnavailable.en_US]);
    expect(contents(res).join(' ')).not.toMatch(/T-[0-9A-Z]{10}/);
    expect(res.sessionState.sessionAttributes?.ticketRef).toBe('');
    expect(deps.events.events[0]).not.toHaveProperty('ticketId');
    expect(deps.events.events[0]!.degraded).toContain(Metric.TicketRequestFailed);
    expect(counts()[Metric.TicketRequestFailed]).toBe(1);
    expect(counts()[Metric.TicketsRequested]).toBeUndefined();
  });

  test('GIVEN the queue hangs WHEN TalkToAgent is fulfilled THEN the turn answers within the budget, honestly, and is not marked escalated', async () => {
    const { handler, deps, counts } = setup();
    deps.tickets.hang = true;
    const started = Date.now();

    const res = valid(await handler(lexEvent({ intent: 'TalkToAgent' })));

    expect(Date.now() - started).toBeLessThan(TEST_CONFIG.dependencyTimeoutMs * 5);
    expect(contents(res)).toEqual([TEST_MODEL.messages.ticketUnavailable.en_US]);
    expect(res.sessionState.sessionAttributes?.escalated).toBe('false');
    expect(counts()[Metric.Escalations]).toBeUndefined();
    expect(counts()[Metric.TicketRequestFailed]).toBe(1);
  });

  test('GIVEN the queue fails and config names a support contact WHEN a ticket turn is answered THEN the contact follows the apology', async () => {
    const contact = { en_US: 'call 555-0100', es_US: 'llame al 555-0100' };
    const { handler, deps } = setup({
      config: { ...TEST_CONFIG, supportDesk: { ...TEST_SUPPORT_DESK, contact } },
    });
    deps.tickets.fail = true;

    const res = valid(await handler(reportIssue({ locale: 'es_US' })));

    expect(contents(res)).toEqual([
      TEST_MODEL.messages.ticketUnavailable.es_US,
      'Contacto: llame al 555-0100.',
    ]);
  });

  test('GIVEN no ticket queue is configured WHEN a ticket turn is answered THEN it is the honest answer, counted', async () => {
    const { handler, counts } = setup({ tickets: undefined });

    const res = valid(await handler(reportIssue()));

    expect(contents(res)).toEqual([TEST_MODEL.messages.ticketUnavailable.en_US]);
    expect(counts()[Metric.TicketRequestFailed]).toBe(1);
  });

  test('GIVEN sentiment escalation on another intent and the queue down WHEN handled THEN the intent answer stays and the hand-off promise is replaced', async () => {
    const { handler, deps } = setup();
    deps.tickets.fail = true;

    const res = valid(
      await handler(
        lexEvent({
          intent: 'Greeting',
          lexSentiment: 'NEGATIVE',
          sessionAttributes: { turn: '2', sentimentTrend: 'NEGATIVE,NEUTRAL' },
        }),
      ),
    );

    expect(contents(res)).toEqual(['Hello! How can I help?', TEST_MODEL.messages.ticketUnavailable.en_US]);
    expect(res.sessionState.sessionAttributes?.escalated).toBe('false');
  });
});

describe('ticket requests carry no raw PII', () => {
  test('GIVEN a user id that is an e-mail address WHEN a ticket is requested THEN the customer id is a hash of it', async () => {
    const { handler, deps } = setup();

    await handler(reportIssue({ requestAttributes: { channel: 'web', userId: 'jane.doe@example.com' } }));

    const { customerId } = deps.tickets.sent[0]!;
    expect(customerId).toMatch(/^u-[0-9a-f]{32}$/);
    expect(JSON.stringify(deps.tickets.sent[0])).not.toContain('jane.doe');
  });

  test('GIVEN a pseudonymous user id WHEN read THEN it is the customer id; none THEN the conversation id', () => {
    expect(customerIdOf({ userId: 'cognito:abc-123', conversationId: 'c1' })).toBe('cognito:abc-123');
    expect(customerIdOf({ conversationId: 'c1' })).toBe('c1');
  });

  test('GIVEN transcripts off WHEN a ticket is requested THEN the request has no text; on THEN the redacted text', async () => {
    const text = 'I was charged twice, card 4111 1111 1111 1111';
    const off = setup();
    await off.handler(reportIssue({ text }));
    expect(off.deps.tickets.sent[0]!.current).not.toHaveProperty('text');

    const on = setup({ config: { ...TEST_CONFIG, streamTranscripts: true } });
    await on.handler(reportIssue({ text }));
    const sent = on.deps.tickets.sent[0]!.current.text!;
    expect(sent).toContain('I was charged twice');
    expect(sent).not.toContain('4111');
    expect([...on.deps.context.items.values()][0]!.text).toBe(sent);
  });
});
