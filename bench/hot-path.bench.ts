/**
 * Hot path of one text turn: the real fulfillment logic with every dependency faked at a fixed
 * injected latency. Sequential network round trips show up as multiples of that latency:
 * roundTrips = p50 turn latency / injected latency (budget <= 2.3 for a text turn: round 1
 * reads in parallel, round 2 writes in parallel).
 *
 * The handler has the knowledge feature on: the real Bedrock adapter, its two SDK clients
 * stubbed at `send` (aws-sdk-client-mock) with the same injected latency. The text turns above
 * must not pay for it; a knowledge turn (a fallback question the documents answer: Retrieve,
 * then Converse, overlapping round 1) is measured separately (budget <= 3).
 *
 * The ticket and order ports are faked at the same latency. A ticket turn (ReportIssue
 * fulfilled) adds the enqueue, one sequential round trip (`ticketTurn`); an order turn
 * (CheckOrderStatus with a valid order number) starts its lookup in parallel with round 1, so it
 * stays at two (`orderTurn`, budget as for a text turn).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { BOT_MODEL } from '../contracts/bot-model';
import type { LocaleId } from '../contracts/bot-model/types';
import { BedrockKnowledgeBase, SOURCE_URI_KEY } from '../src/adapters/bedrock-knowledge';
import * as knowledgeChunk from '../src/chunks/knowledge';
import { createFulfillmentHandler } from '../src/fulfillment/create-handler';
import type { FulfillmentHandler } from '../src/fulfillment/create-handler';
import type { ConversationEvent, SessionState, TurnRecord } from '../src/ports';

export const INJECTED_LATENCY_MS = 20;
export const ROUND_TRIPS_BUDGET = 2.3;
export const KNOWLEDGE_ROUND_TRIPS_BUDGET = 3;
/** Counted sequential round trips of an order turn: the lookup overlaps round 1. */
export const ORDER_SEQUENTIAL_ROUND_TRIPS_BUDGET = 2;
const TURNS = Number(process.env.HOT_PATH_TURNS ?? 120);
const WARMUP = 10;

const delay = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, INJECTED_LATENCY_MS));

/**
 * The sequential round trips of one turn, counted rather than timed (load-independent): a call's
 * depth is one more than the deepest call that had ended when it started; the turn's count is
 * the deepest call. `reset()` before each turn.
 */
class RoundTrips {
  private ended: number[] = [];
  private deepest = 0;

  reset(): void {
    this.ended = [];
    this.deepest = 0;
  }

  /** Waits INJECTED_LATENCY_MS like a network call, then resolves to `value`. */
  async call<T>(value: T): Promise<T> {
    const before = this.ended.length ? Math.max(...this.ended) : 0;
    await delay();
    this.ended.push(before + 1);
    this.deepest = Math.max(this.deepest, before + 1);
    return value;
  }

  count(): number {
    return this.deepest;
  }
}

const roundTrips = new RoundTrips();

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

function textTurn(conversationId: string, locale: LocaleId, turn: number): Record<string, unknown> {
  const intent = { name: 'Greeting', slots: {}, state: 'ReadyForFulfillment', confirmationState: 'None' };
  return {
    messageVersion: '1.0',
    invocationSource: 'FulfillmentCodeHook',
    inputMode: 'Text',
    sessionId: conversationId,
    inputTranscript: locale === 'en_US' ? 'hi there' : 'hola',
    bot: { id: 'BOTID12345', aliasId: 'ALIAS12345', localeId: locale, version: '1' },
    interpretations: [{ intent, nluConfidence: 0.95 }],
    requestAttributes: { channel: 'web' },
    sessionState: {
      sessionAttributes: turn > 1 ? { turn: String(turn - 1), language: locale.slice(0, 2) } : {},
      intent,
    },
  };
}

/** A question no intent covers (FallbackIntent), which the knowledge base answers. */
function knowledgeTurn(conversationId: string, locale: LocaleId, turn: number): Record<string, unknown> {
  const intent = {
    name: 'FallbackIntent',
    slots: {},
    state: 'ReadyForFulfillment',
    confirmationState: 'None',
  };
  return {
    ...textTurn(conversationId, locale, turn),
    inputTranscript: locale === 'en_US' ? 'how long do refunds take' : 'cuánto tarda un reembolso',
    interpretations: [{ intent }],
    sessionState: {
      sessionAttributes: turn > 1 ? { turn: String(turn - 1), language: locale.slice(0, 2) } : {},
      intent,
    },
  };
}

/** A ReportIssue turn with its category: the fulfillment enqueues a ticket request. */
function ticketTurn(conversationId: string, locale: LocaleId, turn: number): Record<string, unknown> {
  const slot = {
    value: { originalValue: 'billing', interpretedValue: 'billing', resolvedValues: ['billing'] },
  };
  const intent = {
    name: 'ReportIssue',
    slots: { IssueCategory: slot },
    state: 'ReadyForFulfillment',
    confirmationState: 'None',
  };
  const event = textTurn(conversationId, locale, turn);
  return {
    ...event,
    interpretations: [{ intent, nluConfidence: 0.95 }],
    sessionState: { ...(event.sessionState as Record<string, unknown>), intent },
  };
}

const BENCH_ORDER_NUMBER = '1234567';

/** A CheckOrderStatus turn with a valid order number: the fulfillment looks the order up. */
function orderTurn(conversationId: string, locale: LocaleId, turn: number): Record<string, unknown> {
  const slot = {
    value: {
      originalValue: BENCH_ORDER_NUMBER,
      interpretedValue: BENCH_ORDER_NUMBER,
      resolvedValues: [BENCH_ORDER_NUMBER],
    },
  };
  const intent = {
    name: 'CheckOrderStatus',
    slots: { OrderNumber: slot },
    state: 'ReadyForFulfillment',
    confirmationState: 'None',
  };
  const event = textTurn(conversationId, locale, turn);
  return {
    ...event,
    inputTranscript:
      locale === 'en_US'
        ? `where is my order ${BENCH_ORDER_NUMBER}`
        : `dónde está mi pedido ${BENCH_ORDER_NUMBER}`,
    interpretations: [{ intent, nluConfidence: 0.95 }],
    sessionState: { ...(event.sessionState as Record<string, unknown>), intent },
  };
}

/**
 * The Bedrock adapter with both SDK clients stubbed at `send`: each Retrieve and Converse waits
 * INJECTED_LATENCY_MS and answers like the service (a passage above the threshold, a grounded
 * answer). `calls()` counts them.
 */
function stubbedKnowledge(): { knowledge: BedrockKnowledgeBase; calls: () => number } {
  let calls = 0;
  const later = async <T>(value: T): Promise<T> => {
    calls += 1;
    return roundTrips.call(value);
  };
  const uri = 's3://docs/en/refunds.md';
  mockClient(BedrockAgentRuntimeClient)
    .on(RetrieveCommand)
    .callsFake(() =>
      later({
        retrievalResults: [
          {
            content: { type: 'TEXT', text: 'Refunds reach your card in 5 to 7 business days.' },
            score: 0.8,
            location: { type: 'S3', s3Location: { uri } },
            metadata: { [SOURCE_URI_KEY]: uri },
          },
        ],
      }),
    );
  mockClient(BedrockRuntimeClient)
    .on(ConverseCommand)
    .callsFake(() =>
      later({
        stopReason: 'end_turn',
        output: { message: { role: 'assistant', content: [{ text: 'Refunds take 5 to 7 business days.' }] } },
      }),
    );
  const knowledge = new BedrockKnowledgeBase(
    {
      agentRuntime: (mod) => new mod.BedrockAgentRuntimeClient({ region: 'us-east-1' }),
      runtime: (mod) => new mod.BedrockRuntimeClient({ region: 'us-east-1' }),
      load: async () => knowledgeChunk,
    },
    {
      knowledgeBaseIds: { en_US: 'KBEN000001', es_US: 'KBES000001' },
      modelId: 'us.amazon.nova-lite-v1:0',
      guardrail: { id: 'bench', version: '1' },
      languages: { en_US: 'en', es_US: 'es' },
    },
  );
  return { knowledge, calls: () => calls };
}

/** Metrics that drop what they stored instead of printing it on publish. */
function silentMetrics(): Metrics {
  const metrics = new Metrics({ namespace: 'Bench', serviceName: 'bench' });
  metrics.publishStoredMetrics = function publish(this: Metrics) {
    this.clearMetrics();
    return this;
  };
  return metrics;
}

/**
 * The fulfillment handler with every dependency faked: each call waits INJECTED_LATENCY_MS.
 * `calls()` is the number of dependency calls made so far.
 */
function benchHandler(): {
  handler: FulfillmentHandler;
  calls: () => number;
  knowledgeCalls: () => number;
} {
  const { knowledge, calls: knowledgeCalls } = stubbedKnowledge();
  const sessions = new Map<string, SessionState>();
  let calls = 0;
  const counted = async <T>(value: T): Promise<T> => {
    calls += 1;
    return roundTrips.call(value);
  };
  const handler = createFulfillmentHandler({
    sessions: {
      get: (id) => counted(sessions.get(id)),
      put: async (id, s) => {
        await counted(undefined);
        sessions.set(id, s);
      },
    },
    context: { putTurn: (_r: TurnRecord) => counted('written' as const) },
    events: { put: (_e: readonly ConversationEvent[]) => counted(undefined) },
    sentiment: { detect: () => counted({ label: 'NEUTRAL' as const, score: 0.9 }) },
    // The bench's Spanish turns say "hola" or ask about a "reembolso" or a "pedido".
    languageDetector: {
      detect: (text) =>
        counted({ languageCode: /hola|reembolso|pedido/.test(text) ? 'es' : 'en', score: 0.99 }),
    },
    translator: { translate: (text) => counted(text) },
    speech: { synthesize: () => counted({ audioUrl: 'https://audio.example/x.mp3' }) },
    knowledge,
    tickets: { enqueue: () => counted(undefined) },
    orders: {
      find: (orderNumber) =>
        counted({
          kind: 'found' as const,
          order: {
            orderNumber,
            status: 'shipped' as const,
            carrier: 'UPS',
            estimatedDelivery: '2026-12-03',
          },
        }),
    },
    metrics: silentMetrics(),
    logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
    model: BOT_MODEL,
    config: {
      environment: 'bench',
      ttlDays: 30,
      sessionTtlSeconds: 1800,
      locales: ['en_US', 'es_US'],
      streamTranscripts: false,
      dependencyTimeoutMs: 1000,
      knowledgeTimeoutMs: 6000,
      supportDesk: {
        hours: { en_US: 'Monday to Friday, 9:00-17:00', es_US: 'lunes a viernes, 9:00-17:00' },
        firstResponseHours: 24,
      },
    },
  });
  return { handler, calls: () => calls, knowledgeCalls };
}

type TurnEvent = typeof textTurn;

/**
 * Latency (ms) and counted sequential round trips of each of TURNS turns, alternating locales,
 * after WARMUP unmeasured ones.
 */
async function measureTurns(
  handler: FulfillmentHandler,
  event: TurnEvent = textTurn,
  prefix = 'bench',
): Promise<{ latencies: number[]; sequential: number[] }> {
  const latencies: number[] = [];
  const sequential: number[] = [];
  for (let i = 0; i < WARMUP + TURNS; i += 1) {
    const locale: LocaleId = i % 2 ? 'es_US' : 'en_US';
    const turn = Math.floor(i / 2) + 1;
    roundTrips.reset();
    const started = performance.now();
    const res = await handler(event(`${prefix}-${locale}`, locale, turn));
    const took = performance.now() - started;
    if (!res.messages?.length) throw new Error('bench turn produced no answer');
    if (i >= WARMUP) {
      latencies.push(took);
      sequential.push(roundTrips.count());
    }
  }
  return { latencies, sequential };
}

/** p50/p95 latency, round trips as p50 / injected latency, and the counted sequential round trips. */
function figures(m: { latencies: number[]; sequential: number[] }) {
  const p50 = percentile(m.latencies, 50);
  return {
    p50TurnMs: Number(p50.toFixed(2)),
    p95TurnMs: Number(percentile(m.latencies, 95).toFixed(2)),
    roundTrips: Number((p50 / INJECTED_LATENCY_MS).toFixed(3)),
    /** Counted, not timed: the deepest chain of calls each waiting for the one before (max over turns). */
    sequentialRoundTrips: Math.max(...m.sequential),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const { handler, calls, knowledgeCalls } = benchHandler();
  const turns = WARMUP + TURNS;

  const text = figures(await measureTurns(handler));
  const textCalls = calls();
  const textKnowledgeCalls = knowledgeCalls();

  const knowledge = figures(await measureTurns(handler, knowledgeTurn, 'bench-knowledge'));
  const knowledgeTurnCalls = calls();
  const knowledgeBedrockCalls = knowledgeCalls();

  const ticket = figures(await measureTurns(handler, ticketTurn, 'bench-ticket'));
  const ticketTurnCalls = calls();

  const order = figures(await measureTurns(handler, orderTurn, 'bench-order'));
  const perTurn = (n: number): number => Number((n / turns).toFixed(2));
  return {
    turns: TURNS,
    injectedLatencyMs: INJECTED_LATENCY_MS,
    ...text,
    roundTripsBudget: ROUND_TRIPS_BUDGET,
    withinBudget: text.roundTrips <= ROUND_TRIPS_BUDGET,
    dependencyCallsPerTurn: Number((textCalls / turns).toFixed(2)),
    /** Bedrock calls the text turns made (the knowledge feature is on): 0, only knowledge turns pay. */
    knowledgeCallsOnTextTurns: textKnowledgeCalls,
    knowledgeTurn: {
      ...knowledge,
      /**
       * Budget: 3 sequential round trips (Retrieve overlapping round 1, Converse, the writes),
       * counted; `roundTrips` (timed) adds the turn's CPU time on top, as for text turns.
       */
      sequentialRoundTripsBudget: KNOWLEDGE_ROUND_TRIPS_BUDGET,
      withinBudget: knowledge.sequentialRoundTrips <= KNOWLEDGE_ROUND_TRIPS_BUDGET,
      dependencyCallsPerTurn: perTurn(knowledgeTurnCalls - textCalls),
      bedrockCallsPerTurn: perTurn(knowledgeBedrockCalls - textKnowledgeCalls),
    },
    /** ReportIssue fulfilled: the text turn's rounds plus the enqueue (one more sequential round trip). */
    ticketTurn: {
      ...ticket,
      dependencyCallsPerTurn: perTurn(ticketTurnCalls - knowledgeTurnCalls),
    },
    /** CheckOrderStatus with a valid order number: the lookup overlaps round 1. */
    orderTurn: {
      ...order,
      sequentialRoundTripsBudget: ORDER_SEQUENTIAL_ROUND_TRIPS_BUDGET,
      withinBudget:
        order.sequentialRoundTrips <= ORDER_SEQUENTIAL_ROUND_TRIPS_BUDGET &&
        order.roundTrips <= ROUND_TRIPS_BUDGET,
      dependencyCallsPerTurn: perTurn(calls() - ticketTurnCalls),
    },
    /** Bedrock calls the ticket and order turns made: 0. */
    knowledgeCallsOnTicketAndOrderTurns: knowledgeCalls() - knowledgeBedrockCalls,
  };
}
