/**
 * Ports: what the conversation logic needs from the outside world. The AWS adapters
 * (src/adapters/*) implement them for Lambda; the local platform (local/) implements some of
 * them with embedded stand-ins (NDJSON events, NLU sentiment). Domain logic takes these as
 * arguments, so tests inject fakes and `npm start` runs the same fulfillment code.
 */
import type { LocaleId } from '../contracts/bot-model/types';
import type { Citation } from '../contracts/conversation-api';
import type { ConversationEvent, FeedbackEvent, SentimentLabel } from '../contracts/conversation-event';
import type { OrderLookupResult } from '../contracts/orders';
import type { Ticket, TicketCreatedDetail, TicketRequest, TicketStatus } from '../contracts/tickets';

export type { Citation, ConversationEvent, SentimentLabel };

export interface Sentiment {
  readonly label: SentimentLabel;
  /** Confidence of the label, 0..1. */
  readonly score: number;
}

/** Session state kept in Redis per conversation (idle TTL). */
export interface SessionState {
  readonly turn: number;
  /** ISO 639-1 language the user writes in (may differ from the bot locale). */
  readonly language: string;
  readonly locale: LocaleId;
  readonly lastIntent?: string;
  /** Most recent sentiments, newest last, bounded. */
  readonly sentimentTrend: readonly SentimentLabel[];
  readonly escalated: boolean;
}

export interface SessionStore {
  get(conversationId: string): Promise<SessionState | undefined>;
  /** Writes the state and refreshes the idle TTL. */
  put(conversationId: string, state: SessionState): Promise<void>;
  close?(): Promise<void>;
}

/** One item per turn in the conversation table. */
export interface TurnRecord {
  readonly conversationId: string;
  readonly turn: number;
  readonly intent: string;
  readonly slots: Readonly<Record<string, string>>;
  readonly sentiment?: SentimentLabel;
  readonly language: string;
  readonly locale: LocaleId;
  readonly channel: string;
  readonly latencyMs: number;
  readonly timestamp: string;
  /** The user's redacted text; only when the environment allows transcripts (the ticket's transcript). */
  readonly text?: string;
}

export interface ContextStore {
  /** Conditional write: a retried invocation of the same turn is reported as 'duplicate'. */
  putTurn(record: TurnRecord): Promise<'written' | 'duplicate'>;
}

export interface SentimentAnalyzer {
  detect(text: string, languageCode: string): Promise<Sentiment>;
}

export interface LanguageDetector {
  /** Dominant language (ISO 639-1) and its score. */
  detect(text: string): Promise<{ languageCode: string; score: number }>;
}

export interface Translator {
  translate(text: string, sourceLanguage: string, targetLanguage: string): Promise<string>;
}

export interface SpeechSynthesizer {
  /** Speech for a voice channel; returns where the audio can be fetched. */
  synthesize(text: string, locale: LocaleId, key: string): Promise<{ audioUrl: string }>;
}

export interface EventSink {
  /** Delivers every event or throws after retrying; never drops silently. */
  put(events: readonly ConversationEvent[]): Promise<void>;
  flush?(): Promise<void>;
}

/**
 * What a knowledge base made of a question: a grounded answer with the documents it came from,
 * no grounded answer (never an invented one), or a guardrail that blocked the question (`input`)
 * or the generated answer (`output`). A blocked answer carries no text: the caller answers with
 * its own fixed, polite message and never logs what was blocked.
 */
export type KnowledgeAnswer =
  | { readonly kind: 'answer'; readonly text: string; readonly citations: readonly Citation[] }
  | {
      readonly kind: 'no-answer';
      /**
       * Why, as a flag for metrics and logs: nothing retrieved above the score threshold, the
       * answer failed the grounding check, or the model said it does not know.
       */
      readonly reason: 'no-passages' | 'not-grounded' | 'declined';
    }
  | { readonly kind: 'blocked'; readonly stage: 'input' | 'output' };

export interface KnowledgeQueryOptions {
  /** Aborts the retrieval and the generation (the turn's deadline). */
  readonly signal?: AbortSignal;
}

/**
 * Answers a question from the company's documents in the locale's language: Bedrock Retrieve +
 * Converse with a guardrail on Lambda (src/adapters/bedrock-knowledge.ts), the local engine on
 * `npm start`. Throws when the service is unavailable (throttled, timed out, failed): the caller
 * answers honestly and counts it.
 */
export interface KnowledgeBase {
  answer(question: string, locale: LocaleId, opts?: KnowledgeQueryOptions): Promise<KnowledgeAnswer>;
}

export interface KnowledgeSuggestionOptions {
  /** At most this many documents (one suggestion per document, best first). */
  readonly limit: number;
  /** Aborts the retrieval (the caller's timeout). */
  readonly signal?: AbortSignal;
}

/**
 * Documents of the company's knowledge base that may help with a problem, retrieval only (no
 * generated text): Bedrock Retrieve on the locale's knowledge base on Lambda
 * (src/adapters/bedrock-knowledge-suggestions.ts), the local index on `npm start`. Each is a
 * citation: the document's title, its link and the matching passage as plain text. `[]` when
 * nothing matches; throws when the service is unavailable (the caller says so and counts it).
 */
export interface KnowledgeSuggestions {
  suggest(query: string, locale: LocaleId, opts: KnowledgeSuggestionOptions): Promise<Citation[]>;
}

/** When an order lookup must have answered by (epoch ms): the turn's budget. */
export interface OrderLookupOptions {
  readonly deadline?: number;
}

/** The company's order system (HTTPS adapter) or the local sample orders file. */
export interface OrderLookup {
  find(orderNumber: string, options?: OrderLookupOptions): Promise<OrderLookupResult>;
}

/** The ticket queue (SQS): at-least-once; the worker is idempotent on the request's ticket id. */
export interface TicketQueue {
  /** Resolves once the queue has the request; throws (timeout, error) when it could not. */
  enqueue(request: TicketRequest, signal?: AbortSignal): Promise<void>;
}

/** A page of tickets and the cursor of the next page (absent on the last one). */
export interface TicketPage {
  readonly items: readonly Ticket[];
  readonly cursor?: string;
}

export interface TicketListOptions {
  /** Page size (the adapter caps it). */
  readonly limit?: number;
  /** The previous page's cursor. */
  readonly cursor?: string;
}

/** A status/assignee change, applied only if the stored version is `expectedVersion`. */
export interface TicketUpdate {
  readonly status?: TicketStatus;
  /** '' clears the assignee. */
  readonly assignee?: string;
  readonly expectedVersion: number;
  readonly updatedAt: string;
}

export type TicketUpdateResult =
  | { readonly outcome: 'updated'; readonly ticket: Ticket }
  | { readonly outcome: 'not-found' }
  | { readonly outcome: 'conflict'; readonly current: Ticket };

/** The tickets table (DynamoDB; key schema `TicketTableSchema` in contracts/tickets.ts). */
export interface TicketStore {
  /** Conditional put on `ticketId`: 'exists' when a ticket with that id is already stored. */
  putIfAbsent(ticket: Ticket): Promise<'created' | 'exists'>;
  /** Strongly consistent read. */
  get(ticketId: string): Promise<Ticket | undefined>;
  /** Optimistic concurrency on `version`; increments it. */
  update(ticketId: string, change: TicketUpdate): Promise<TicketUpdateResult>;
  /** Records that `TicketCreated` was published (`publishedAt`), so a redelivery does not publish again. */
  markPublished(ticketId: string, publishedAt: string): Promise<void>;
  /** Index `byExternalId` (eventually consistent). */
  findByExternalId(externalId: string): Promise<Ticket | undefined>;
  /** Index `byStatus`, newest first. */
  listByStatus(status: TicketStatus, options?: TicketListOptions): Promise<TicketPage>;
  /** Index `byCustomer`, newest first. */
  listByCustomer(customerId: string, options?: TicketListOptions): Promise<TicketPage>;
}

/** The stage's ticket event bus (EventBridge). */
export interface TicketEvents {
  /** Puts one `TicketCreated` event; throws when the bus did not take it. */
  publish(detail: TicketCreatedDetail): Promise<void>;
}

/** The conversation's recent turns as the context table keeps them (the worker's transcript). */
export interface ConversationHistory {
  /** Up to `limit` most recent turns, oldest first. */
  recentTurns(conversationId: string, limit: number): Promise<readonly TurnRecord[]>;
}

/** Feedback on one answer, as stored with its turn (the comment already redacted). */
export interface StoredFeedback {
  readonly helpful: boolean;
  readonly rating?: number;
  readonly comment?: string;
  /** When it was given (ISO 8601). */
  readonly at: string;
}

/** Where feedback is kept: with the turn it rates (DynamoDB conversation table). */
export interface FeedbackStore {
  /** Stores it once per turn: 'no-such-turn' when the turn was never written, 'duplicate' when it already has feedback. */
  attach(
    conversationId: string,
    turn: number,
    feedback: StoredFeedback,
  ): Promise<'stored' | 'no-such-turn' | 'duplicate'>;
}

/** Feedback events, on the conversation event stream (Kinesis; NDJSON files locally). */
export interface FeedbackEvents {
  put(events: readonly FeedbackEvent[]): Promise<void>;
}

/** What the conversation gate decided for one turn (src/channel/gate.ts). */
export type GateDecision =
  /** The caller owns the conversation (`bound`: this turn made them its owner) and had a token. */
  | { readonly outcome: 'admitted'; readonly bound: boolean }
  /** The conversation belongs to another identity: answered exactly like an unknown conversation. */
  | { readonly outcome: 'not-owner' }
  /** The caller's token bucket is empty: a token is back in `retryAfterSeconds` (1+). */
  | { readonly outcome: 'rate-limited'; readonly retryAfterSeconds: number };

/** The caller as the gate sees it: a stable principal and whether its token bucket applies. */
export interface GateCaller {
  /** e.g. `user:<sub>`, `guest:<identity id>`, `iam:<principal ARN>` (hashed before it is stored). */
  readonly principal: string;
  /** False for IAM principals of the stage's own account (the load-test role): stage throttle only. */
  readonly rateLimited: boolean;
}

/**
 * Conversation ownership and the per-identity rate limit, decided together in one round trip
 * before a turn reaches Lex: the first turn binds the conversation to its caller, a turn of
 * another caller is refused, and each caller spends a token per turn. Throws when it cannot
 * decide (the caller answers 503: the gate fails closed).
 */
export interface ConversationGate {
  admit(conversationId: string, caller: GateCaller): Promise<GateDecision>;
  close?(): Promise<void>;
}
