/**
 * Fault switches of the local platform: make one local dependency fail on purpose, to try an
 * outage end to end (the answers, /v1/health, the metrics, what is written and what is not).
 * Local mode only, all off by default; set at start-up (`LOCAL_FAULTS=dynamodb,redis`) or while
 * running (`POST /local/faults`, loopback clients only: local/platform/admin.ts).
 *
 * A switched-on dependency fails every call at once with a `LocalFaultInjected` error, as a
 * refused connection would, at the port the fulfillment handler calls (the SDK or Redis client
 * is not involved): the handler's degradation paths, metrics and logs run as in an outage.
 */
import type {
  ContextStore,
  ConversationEvent,
  EventSink,
  Sentiment,
  SentimentAnalyzer,
  SessionState,
  SessionStore,
  StoredFeedback,
  TurnRecord,
  FeedbackStore,
  OrderLookup,
  OrderLookupOptions,
} from '../src/ports';
import type { OrderLookupResult } from '../contracts/orders';

/** What can be switched off, each named after the local dependency it stands for. */
export const FAULT_TARGETS = [
  'dynamodb',
  'redis',
  'events',
  'metrics',
  'sentiment',
  'tickets',
  'ticket-worker',
  'orders',
] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

/** What each switch breaks (docs/local-platform.md, "Fault switches"). */
export const FAULT_DESCRIPTIONS: Record<FaultTarget, string> = {
  dynamodb: 'the DynamoDB conversation table (dynalite): turn items are not written',
  redis: 'the session store (Redis, child redis-server or memory): session reads and writes fail',
  events: 'the event sink (Kinesis + Firehose -> NDJSON files): events are buffered, then dead-lettered',
  metrics: 'the EMF metrics file: metric documents are kept in memory and written later',
  sentiment: 'sentiment (the Comprehend stand-in): turns are answered without sentiment',
  tickets: 'the ticket queue (SQS stand-in): ticket turns answer that no ticket could be registered',
  'ticket-worker':
    "the ticket worker's ticket writes: deliveries fail, are redelivered, then land in the dead-letter file",
  orders: 'the order system (the sample orders file): order turns answer that orders cannot be checked now',
};

export class LocalFaultError extends Error {
  override readonly name = 'LocalFaultInjected';
  constructor(readonly target: FaultTarget) {
    super(`${target} is switched off (local fault switch)`);
  }
}

export class UnknownFaultError extends Error {
  constructor(name: string) {
    super(`unknown fault "${name}": use one of ${FAULT_TARGETS.join(', ')}`);
  }
}

/** Parses a comma-separated list (LOCAL_FAULTS, or the admin endpoint's list). */
export function parseFaults(value: string | readonly string[] | undefined): FaultTarget[] {
  const names = typeof value === 'string' ? value.split(',') : (value ?? []);
  const out = new Set<FaultTarget>();
  for (const raw of names) {
    const name = String(raw).trim().toLowerCase();
    if (!name) continue;
    if (!(FAULT_TARGETS as readonly string[]).includes(name)) throw new UnknownFaultError(name);
    out.add(name as FaultTarget);
  }
  return [...out];
}

export class LocalFaults {
  private readonly on = new Set<FaultTarget>();

  constructor(initial: readonly FaultTarget[] = []) {
    for (const t of initial) this.on.add(t);
  }

  has(target: FaultTarget): boolean {
    return this.on.has(target);
  }

  /** Replaces the set of switched-off dependencies. */
  set(targets: readonly FaultTarget[]): void {
    this.on.clear();
    for (const t of targets) this.on.add(t);
  }

  list(): FaultTarget[] {
    return FAULT_TARGETS.filter((t) => this.on.has(t));
  }

  /** Throws the injected failure when `target` is switched off. */
  check(target: FaultTarget): void {
    if (this.on.has(target)) throw new LocalFaultError(target);
  }
}

// ---- the ports, with their switch ---------------------------------------------------------------

export function faultyContextStore(inner: ContextStore, faults: LocalFaults): ContextStore {
  return {
    async putTurn(record: TurnRecord): Promise<'written' | 'duplicate'> {
      faults.check('dynamodb');
      return inner.putTurn(record);
    },
  };
}

export function faultyFeedbackStore(inner: FeedbackStore, faults: LocalFaults): FeedbackStore {
  return {
    async attach(conversationId: string, turn: number, feedback: StoredFeedback) {
      faults.check('dynamodb');
      return inner.attach(conversationId, turn, feedback);
    },
  };
}

export function faultySessionStore(inner: SessionStore, faults: LocalFaults): SessionStore {
  return {
    async get(conversationId: string): Promise<SessionState | undefined> {
      faults.check('redis');
      return inner.get(conversationId);
    },
    async put(conversationId: string, state: SessionState): Promise<void> {
      faults.check('redis');
      return inner.put(conversationId, state);
    },
    close: () => inner.close?.() ?? Promise.resolve(),
  };
}

export function faultyEventSink(inner: EventSink, faults: LocalFaults): EventSink {
  return {
    async put(events: readonly ConversationEvent[]): Promise<void> {
      faults.check('events');
      return inner.put(events);
    },
  };
}

export function faultyOrderLookup(inner: OrderLookup, faults: LocalFaults): OrderLookup {
  return {
    async find(orderNumber: string, options?: OrderLookupOptions): Promise<OrderLookupResult> {
      faults.check('orders');
      return inner.find(orderNumber, options);
    },
  };
}

export function faultySentiment(inner: SentimentAnalyzer, faults: LocalFaults): SentimentAnalyzer {
  return {
    async detect(text: string, languageCode: string): Promise<Sentiment> {
      faults.check('sentiment');
      return inner.detect(text, languageCode);
    },
  };
}
