/**
 * Hot path of one text turn: the real fulfillment logic with every dependency faked at a fixed
 * injected latency. Sequential network round trips show up as multiples of that latency:
 * roundTrips = p50 turn latency / injected latency (budget <= 2.3 for a text turn: round 1
 * reads in parallel, round 2 writes in parallel). A ticket turn (ReportIssue fulfilled) is
 * measured the same way: it adds the enqueue, one sequential round trip (`ticketTurn`).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { BOT_MODEL } from '../contracts/bot-model';
import type { LocaleId } from '../contracts/bot-model/types';
import { createFulfillmentHandler } from '../src/fulfillment/create-handler';
import type { FulfillmentHandler } from '../src/fulfillment/create-handler';
import type { ConversationEvent, SessionState, TurnRecord } from '../src/ports';

export const INJECTED_LATENCY_MS = 20;
export const ROUND_TRIPS_BUDGET = 2.3;
const TURNS = Number(process.env.HOT_PATH_TURNS ?? 120);
const WARMUP = 10;

const delay = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, INJECTED_LATENCY_MS));

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

/** A ReportIssue turn with its category: the fulfillment enqueues a ticket request. */
function ticketTurn(conversationId: string, locale: LocaleId, turn: number): Record<string, unknown> {
  const event = textTurn(conversationId, locale, turn) as {
    interpretations: { intent: unknown }[];
    sessionState: { intent: unknown };
  };
  const slot = {
    value: { originalValue: 'billing', interpretedValue: 'billing', resolvedValues: ['billing'] },
  };
  const intent = {
    name: 'ReportIssue',
    slots: { IssueCategory: slot },
    state: 'ReadyForFulfillment',
    confirmationState: 'None',
  };
  event.interpretations = [{ intent, nluConfidence: 0.95 } as never];
  event.sessionState.intent = intent;
  return event as Record<string, unknown>;
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
function benchHandler(): { handler: FulfillmentHandler; calls: () => number } {
  const sessions = new Map<string, SessionState>();
  let calls = 0;
  const counted = async <T>(value: T): Promise<T> => {
    calls += 1;
    await delay();
    return value;
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
    languageDetector: { detect: () => counted({ languageCode: 'en', score: 0.99 }) },
    translator: { translate: (text) => counted(text) },
    speech: { synthesize: () => counted({ audioUrl: 'https://audio.example/x.mp3' }) },
    tickets: { enqueue: () => counted(undefined) },
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
      supportDesk: {
        hours: { en_US: 'Monday to Friday, 9:00-17:00', es_US: 'lunes a viernes, 9:00-17:00' },
        firstResponseHours: 24,
      },
    },
  });
  return { handler, calls: () => calls };
}

/** Latency (ms) of each of TURNS text turns, alternating locales, after WARMUP unmeasured ones. */
async function turnLatencies(handler: FulfillmentHandler, eventOf = textTurn): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < WARMUP + TURNS; i += 1) {
    const locale: LocaleId = i % 2 ? 'es_US' : 'en_US';
    const turn = Math.floor(i / 2) + 1;
    const started = performance.now();
    const res = await handler(eventOf(`bench-${locale}`, locale, turn));
    const took = performance.now() - started;
    if (!res.messages?.length) throw new Error('bench turn produced no answer');
    if (i >= WARMUP) latencies.push(took);
  }
  return latencies;
}

export async function run(): Promise<Record<string, unknown>> {
  const { handler, calls } = benchHandler();
  const latencies = await turnLatencies(handler);
  const p50 = percentile(latencies, 50);
  const roundTrips = p50 / INJECTED_LATENCY_MS;
  return {
    turns: TURNS,
    injectedLatencyMs: INJECTED_LATENCY_MS,
    p50TurnMs: Number(p50.toFixed(2)),
    p95TurnMs: Number(percentile(latencies, 95).toFixed(2)),
    roundTrips: Number(roundTrips.toFixed(3)),
    roundTripsBudget: ROUND_TRIPS_BUDGET,
    withinBudget: roundTrips <= ROUND_TRIPS_BUDGET,
    dependencyCallsPerTurn: Number((calls() / (WARMUP + TURNS)).toFixed(2)),
    ticketTurn: await ticketTurnFigures(),
  };
}

/** The same measure for ticket turns: the text turn's rounds plus the enqueue. */
async function ticketTurnFigures(): Promise<Record<string, number>> {
  const { handler, calls } = benchHandler();
  const latencies = await turnLatencies(handler, ticketTurn);
  const p50 = percentile(latencies, 50);
  return {
    p50TurnMs: Number(p50.toFixed(2)),
    p95TurnMs: Number(percentile(latencies, 95).toFixed(2)),
    roundTrips: Number((p50 / INJECTED_LATENCY_MS).toFixed(3)),
    dependencyCallsPerTurn: Number((calls() / (WARMUP + TURNS)).toFixed(2)),
  };
}
