/**
 * Ports: what the conversation logic needs from the outside world. The AWS adapters
 * (src/adapters/*) implement them for Lambda; the local platform (local/) implements some of
 * them with embedded stand-ins (NDJSON events, NLU sentiment). Domain logic takes these as
 * arguments, so tests inject fakes and `npm start` runs the same fulfillment code.
 */
import type { LocaleId } from '../contracts/bot-model/types';

import type { Citation } from '../contracts/conversation-api';
import type { ConversationEvent, SentimentLabel } from '../contracts/conversation-event';

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
