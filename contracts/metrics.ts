/**
 * The custom metrics the fulfillment handler publishes (Powertools Metrics, EMF) and the
 * monitoring stack alarms on. One place, so the handler and the alarms cannot drift apart.
 */
export const METRIC_NAMESPACE = 'ConversationalPlatform';

/** Dimension every platform metric carries (`service` = Powertools service name). */
export const SERVICE_DIMENSION = 'service';
export const FULFILLMENT_SERVICE = 'fulfillment';
export const CHANNEL_SERVICE = 'channel';
/** The function that starts knowledge base ingestion jobs when documents change. */
export const KNOWLEDGE_SYNC_SERVICE = 'knowledge-sync';
export const TICKET_WORKER_SERVICE = 'ticket-worker';
export const TICKETS_API_SERVICE = 'tickets-api';

export const Metric = {
  /** One per fulfillment invocation (a user turn). Count. */
  Turns: 'Turns',
  /** Turns whose top interpretation is a real intent (not FallbackIntent). Count. */
  RecognizedTurns: 'RecognizedTurns',
  /** Turns answered by FallbackIntent. Count. */
  FallbackTurns: 'FallbackTurns',
  /** Top interpretation's nluConfidence. None (0..1). */
  NluConfidence: 'NluConfidence',
  /** Turns whose sentiment was NEGATIVE. Count. */
  NegativeSentiment: 'NegativeSentiment',
  /** Conversations handed to a human agent. Count. */
  Escalations: 'Escalations',
  /** Fulfillment turn latency. Milliseconds. */
  TurnLatency: 'TurnLatency',
  /** Degraded paths (each a Count): the user still got an answer. */
  SessionStoreUnavailable: 'SessionStoreUnavailable',
  ContextStoreUnavailable: 'ContextStoreUnavailable',
  SentimentUnavailable: 'SentimentUnavailable',
  TranslationUnavailable: 'TranslationUnavailable',
  SpeechUnavailable: 'SpeechUnavailable',
  EventsRetried: 'EventsRetried',
  EventsFailed: 'EventsFailed',
  /** Events the handler rejected as not Lex V2. Count. */
  InvalidEvents: 'InvalidEvents',
  /**
   * Turns that hit a defect of our own (an unexpected exception in the turn's steps), caught and
   * answered with the "sorry" message so the user is not left without an answer. Count; alarmed.
   */
  TurnDefects: 'TurnDefects',
  /** Knowledge turns (questions no intent covers) answered from the documents with citations. Count. */
  KnowledgeAnswered: 'KnowledgeAnswered',
  /** Knowledge turns with no grounded answer ("I don't know that one"). Count; the no-answer rate is alarmed. */
  KnowledgeNoAnswer: 'KnowledgeNoAnswer',
  /** Knowledge turns whose question or answer a guardrail blocked (fixed polite answer). Count. */
  GuardrailIntervened: 'GuardrailIntervened',
  /** Knowledge turns where the knowledge base was throttled, timed out or failed (honest fallback). Count. */
  KnowledgeUnavailable: 'KnowledgeUnavailable',
  /** Time a knowledge turn spent on retrieval and generation. Milliseconds. */
  KnowledgeLatency: 'KnowledgeLatency',
  /** Knowledge sync: an ingestion job started for a locale's data source after documents changed. Count. */
  KnowledgeSyncStarted: 'KnowledgeSyncStarted',
  /**
   * Knowledge sync: a job was already running (or Bedrock throttled the start): the changes are
   * retried from the queue until a job starts after them. Count.
   */
  KnowledgeSyncDeferred: 'KnowledgeSyncDeferred',
  /** Knowledge sync: starting a job failed for another reason (retried, then dead-lettered). Count. */
  KnowledgeSyncFailed: 'KnowledgeSyncFailed',
  /** Channel API: requests handled. Count. */
  ChannelRequests: 'ChannelRequests',
  /** Channel API: answered 4xx for a client mistake (bad id, text, locale, JSON). Count. */
  ChannelClientErrors: 'ChannelClientErrors',
  /** Channel API: Lex throttled us, answered 429/503 with Retry-After. Count. */
  ChannelThrottled: 'ChannelThrottled',
  /** Channel API: Lex or our own failure, answered 5xx. Count. */
  ChannelServerErrors: 'ChannelServerErrors',
  /** Channel API: request latency including RecognizeText. Milliseconds. */
  ChannelLatency: 'ChannelLatency',
  /** Feedback on an answer, stored (one per answer). Count. */
  FeedbackReceived: 'FeedbackReceived',
  /** Feedback saying the answer helped (thumbs up). Count. */
  FeedbackHelpful: 'FeedbackHelpful',
  /** Feedback saying the answer did not help (thumbs down). Count. */
  FeedbackNotHelpful: 'FeedbackNotHelpful',
  /** The 1-5 rating of a feedback that has one (CSAT = its average). None. */
  FeedbackRating: 'FeedbackRating',
  /** Order turns answered from the order source (found, not found or unavailable). Count. */
  OrderLookups: 'OrderLookups',
  /** Order turns whose order number the source does not know. Count. */
  OrderNotFound: 'OrderNotFound',
  /** Order turns the source could not answer (down, slow, not configured, unknown status): no status given. Count. */
  OrderLookupUnavailable: 'OrderLookupUnavailable',
  /** Fulfillment: ticket requests the queue accepted (an issue report or a hand-off). Count. */
  TicketsRequested: 'TicketsRequested',
  /** Fulfillment: ticket turns whose request could not be enqueued (no reference given). Count; alarmed. */
  TicketRequestFailed: 'TicketRequestFailed',
  /** Ticket worker: tickets written (first delivery). Count. */
  TicketsCreated: 'TicketsCreated',
  /** Ticket worker: deliveries of a ticket already written (acknowledged, nothing written). Count. */
  TicketDuplicates: 'TicketDuplicates',
  /** Ticket worker: records reported as batch item failures (redelivered; DLQ after N receives). Count. */
  TicketWorkerFailures: 'TicketWorkerFailures',
  /** Channel API: turns refused 429 RATE_LIMITED by the caller's per-identity token bucket. Count. */
  ChannelRateLimited: 'ChannelRateLimited',
  /** Channel API: turns on another identity's conversation, answered 404 NOT_FOUND. Count. */
  ChannelOwnerMismatch: 'ChannelOwnerMismatch',
  /**
   * Channel API: turns answered 503 because the conversation gate (ownership + rate limit in
   * Redis) could not be asked: the gate fails closed (src/channel/gate.ts says why). Count; alarmed.
   */
  ChannelGateUnavailable: 'ChannelGateUnavailable',
} as const;

export type MetricName = (typeof Metric)[keyof typeof Metric];

/** Degraded-path counters, for the dashboard's "degraded" widget and its alarm. */
export const DEGRADED_METRICS: readonly MetricName[] = [
  Metric.SessionStoreUnavailable,
  Metric.ContextStoreUnavailable,
  Metric.SentimentUnavailable,
  Metric.TranslationUnavailable,
  Metric.SpeechUnavailable,
  Metric.EventsFailed,
];
