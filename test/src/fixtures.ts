/**
 * Test fixtures: a small bot model shaped like contracts/bot-model (so unit tests do not depend on
 * its wording), Lex V2 code-hook events as AWS documents them, and fakes of the ports.
 */
import { ORDER_MESSAGES } from '../../contracts/bot-model/order-messages';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { BotModel } from '../../contracts/bot-model/types';
import type { FulfillmentConfig, FulfillmentDeps } from '../../src/fulfillment/create-handler';
import type {
  ContextStore,
  ConversationEvent,
  EventSink,
  Sentiment,
  SessionState,
  SessionStore,
  TicketQueue,
  TurnRecord,
} from '../../src/ports';
import type { SupportDeskSettings, TicketRequest } from '../../contracts/tickets';

const both = (en: string, es: string) => ({ en_US: en, es_US: es });
const noUtterances = { en_US: [], es_US: [] };

export const TEST_MODEL: BotModel = {
  name: 'TestBot',
  description: 'fixture',
  locales: {
    en_US: { description: 'English', voiceId: 'Joanna', languageCode: 'en' },
    es_US: { description: 'Spanish', voiceId: 'Lupe', languageCode: 'es' },
  },
  slotTypes: [
    {
      kind: 'pattern',
      name: 'OrderNumber',
      description: 'order',
      regex: '[A-Z]{3}-[0-9]{6}',
      jsRegex: '[A-Z]{3}-\\d{6}',
    },
    {
      kind: 'enumeration',
      name: 'IssueCategory',
      description: 'issue',
      values: {
        en_US: [{ value: 'billing', synonyms: ['invoice'] }],
        es_US: [{ value: 'facturación', synonyms: [] }],
      },
    },
  ],
  intents: [
    {
      name: 'Greeting',
      description: 'hi',
      slots: [],
      utterances: noUtterances,
      responses: { en_US: ['Hello! How can I help?'], es_US: ['¡Hola! ¿En qué puedo ayudarle?'] },
      dialogCodeHook: false,
      fulfillmentCodeHook: true,
    },
    {
      name: 'CheckOrderStatus',
      description: 'order',
      slots: [
        {
          name: 'OrderNumber',
          slotType: 'OrderNumber',
          required: true,
          prompt: both('What is your order number?', '¿Cuál es su número de pedido?'),
          invalidPrompt: both(
            'That does not look like an order number (like ABC-123456). What is it?',
            'Eso no parece un número de pedido (como ABC-123456). ¿Cuál es?',
          ),
        },
      ],
      utterances: noUtterances,
      responses: {
        en_US: ['Order {OrderNumber} is on its way.'],
        es_US: ['El pedido {OrderNumber} está en camino.'],
      },
      dialogCodeHook: true,
      fulfillmentCodeHook: true,
    },
    {
      name: 'ReportIssue',
      description: 'issue',
      slots: [
        {
          name: 'IssueCategory',
          slotType: 'IssueCategory',
          required: true,
          prompt: both('What kind of issue?', '¿Qué tipo de problema?'),
          invalidPrompt: both('Which kind?', '¿Qué tipo?'),
        },
      ],
      utterances: noUtterances,
      responses: {
        en_US: ['I logged your {IssueCategory} issue as {TicketReference}.'],
        es_US: ['Registré su problema de {IssueCategory} como {TicketReference}.'],
      },
      dialogCodeHook: true,
      fulfillmentCodeHook: true,
      ticket: { kind: 'issue', categorySlot: 'IssueCategory' },
    },
    {
      name: 'TalkToAgent',
      description: 'agent',
      slots: [],
      utterances: noUtterances,
      responses: {
        en_US: ['A person will contact you within {FirstResponseHours} hours: {TicketReference}.'],
        es_US: ['Una persona le contactará en {FirstResponseHours} horas: {TicketReference}.'],
      },
      dialogCodeHook: false,
      fulfillmentCodeHook: true,
      escalates: true,
      ticket: { kind: 'handoff' },
    },
    {
      name: 'FallbackIntent',
      description: 'fallback',
      parentIntentSignature: 'AMAZON.FallbackIntent',
      slots: [],
      utterances: noUtterances,
      responses: { en_US: ['Sorry, I did not get that.'], es_US: ['Perdón, no entendí.'] },
      dialogCodeHook: false,
      fulfillmentCodeHook: true,
    },
  ],
  messages: {
    escalation: both(
      'A person will take over ({TicketReference}).',
      'Una persona seguirá ({TicketReference}).',
    ),
    ticketUnavailable: both('I could not register it, no ticket exists.', 'No pude registrarlo.'),
    supportContact: both('Contact: {SupportContact}.', 'Contacto: {SupportContact}.'),
    sorry: both('Sorry, something went wrong.', 'Perdón, algo salió mal.'),
    knowledge: {
      noAnswer: both("I don't know that one.", 'Eso no lo sé.'),
      unavailable: both("I can't look that up now.", 'Ahora no puedo buscar eso.'),
      blocked: both("Sorry, I can't help with that.", 'Perdón, con eso no puedo ayudar.'),
      handOverTitle: both('Talk to a person?', '¿Hablar con una persona?'),
      handOverButton: both('Talk to a person', 'Hablar con una persona'),
    },
    orders: ORDER_MESSAGES,
  },
};

export interface EventOptions {
  source?: 'DialogCodeHook' | 'FulfillmentCodeHook';
  intent?: string;
  slots?: Record<string, unknown> | null;
  text?: string;
  locale?: 'en_US' | 'es_US';
  sessionId?: string;
  inputMode?: 'Text' | 'Speech' | 'DTMF';
  nluConfidence?: number;
  sessionAttributes?: Record<string, string>;
  requestAttributes?: Record<string, string>;
  lexSentiment?: 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'MIXED';
}

export const scalar = (value: string) => ({
  shape: 'Scalar' as const,
  value: { originalValue: value, interpretedValue: value, resolvedValues: [value] },
});

/** A Lex V2 code-hook event as documented (lambda-input-format). */
export function lexEvent(o: EventOptions = {}): Record<string, unknown> {
  const intent = {
    name: o.intent ?? 'Greeting',
    slots: o.slots === undefined ? {} : o.slots,
    state: 'InProgress',
    confirmationState: 'None',
  };
  return {
    messageVersion: '1.0',
    invocationSource: o.source ?? 'FulfillmentCodeHook',
    inputMode: o.inputMode ?? 'Text',
    responseContentType: 'text/plain; charset=utf-8',
    sessionId: o.sessionId ?? 'conv-test-0001',
    inputTranscript: o.text ?? 'hello there',
    rawInputTranscript: o.text ?? 'hello there',
    bot: {
      id: 'BOTID12345',
      name: 'TestBot',
      aliasId: 'ALIAS12345',
      aliasName: 'live',
      localeId: o.locale ?? 'en_US',
      version: '1',
    },
    interpretations: [
      {
        intent,
        nluConfidence: o.nluConfidence ?? 0.93,
        interpretationSource: 'Lex',
        ...(o.lexSentiment
          ? { sentimentResponse: { sentiment: o.lexSentiment, sentimentScore: { positive: 0.1 } } }
          : {}),
      },
      {
        intent: { name: 'FallbackIntent', slots: {}, state: 'InProgress', confirmationState: 'None' },
        interpretationSource: 'Lex',
      },
    ],
    proposedNextState: undefined,
    requestAttributes: o.requestAttributes ?? { channel: 'web' },
    sessionState: {
      sessionAttributes: o.sessionAttributes ?? {},
      activeContexts: [],
      intent,
      originatingRequestId: 'req-1',
    },
    transcriptions: [{ transcription: o.text ?? 'hello there', transcriptionConfidence: 1 }],
  };
}

export class MemorySessionStore implements SessionStore {
  readonly data = new Map<string, SessionState>();
  fail = false;
  async get(id: string): Promise<SessionState | undefined> {
    if (this.fail) throw new Error('redis down');
    return this.data.get(id);
  }
  async put(id: string, state: SessionState): Promise<void> {
    if (this.fail) throw new Error('redis down');
    this.data.set(id, state);
  }
}

export class MemoryContextStore implements ContextStore {
  readonly items = new Map<string, TurnRecord>();
  fail = false;
  async putTurn(record: TurnRecord): Promise<'written' | 'duplicate'> {
    if (this.fail)
      throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
    const key = `${record.conversationId}#${record.turn}`;
    if (this.items.has(key)) return 'duplicate';
    this.items.set(key, record);
    return 'written';
  }
}

export class MemoryEventSink implements EventSink {
  readonly events: ConversationEvent[] = [];
  fail = false;
  async put(events: readonly ConversationEvent[]): Promise<void> {
    if (this.fail) throw new Error('kinesis down');
    this.events.push(...events);
  }
}

export const fixedSentiment = (label: Sentiment['label']) => ({
  calls: [] as { text: string; language: string }[],
  async detect(text: string, language: string): Promise<Sentiment> {
    this.calls.push({ text, language });
    return { label, score: 0.9 };
  },
});

/** A ticket queue that keeps every request it was sent (a queue does not deduplicate). */
export class MemoryTicketQueue implements TicketQueue {
  readonly sent: TicketRequest[] = [];
  fail = false;
  /** Hangs instead of answering (a queue that times out). */
  hang = false;

  async enqueue(request: TicketRequest): Promise<void> {
    if (this.hang) await new Promise(() => undefined);
    if (this.fail) throw Object.assign(new Error('sqs down'), { name: 'QueueDoesNotExist' });
    this.sent.push(structuredClone(request));
  }
}

export const TEST_SUPPORT_DESK: SupportDeskSettings = {
  hours: both('Mon-Fri 9-17', 'lun-vie 9-17'),
  firstResponseHours: 24,
};

export const TEST_CONFIG: FulfillmentConfig = {
  environment: 'test',
  ttlDays: 30,
  sessionTtlSeconds: 1800,
  locales: ['en_US', 'es_US'],
  streamTranscripts: false,
  dependencyTimeoutMs: 200,
  supportDesk: TEST_SUPPORT_DESK,
};

export function silentLogger(): Logger {
  return new Logger({ serviceName: 'test', logLevel: 'SILENT' });
}

/** Real Powertools Metrics whose output is captured instead of printed. */
export function capturedMetrics(): { metrics: Metrics; counts: () => Record<string, number> } {
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
  const seen: Record<string, number> = {};
  const original = metrics.addMetric.bind(metrics);
  jest.spyOn(metrics, 'addMetric').mockImplementation((name, unit, value) => {
    seen[name] = (seen[name] ?? 0) + value;
    return original(name, unit, value);
  });
  jest.spyOn(metrics, 'publishStoredMetrics').mockImplementation(function (this: Metrics) {
    metrics.clearMetrics();
    return metrics;
  });
  return { metrics, counts: () => ({ ...seen }) };
}

export function baseDeps(overrides: Partial<FulfillmentDeps> = {}): FulfillmentDeps & {
  sessions: MemorySessionStore;
  context: MemoryContextStore;
  events: MemoryEventSink;
  tickets: MemoryTicketQueue;
} {
  const { metrics } = capturedMetrics();
  return {
    sessions: new MemorySessionStore(),
    context: new MemoryContextStore(),
    events: new MemoryEventSink(),
    tickets: new MemoryTicketQueue(),
    metrics,
    logger: silentLogger(),
    config: TEST_CONFIG,
    model: TEST_MODEL,
    ...overrides,
  } as FulfillmentDeps & {
    sessions: MemorySessionStore;
    context: MemoryContextStore;
    events: MemoryEventSink;
    tickets: MemoryTicketQueue;
  };
}
