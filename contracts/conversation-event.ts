/**
 * The conversation event: one per turn, written by the fulfillment handler to Kinesis (Firehose
 * delivers it to S3 as one JSON line) and by the local platform to NDJSON files. Analytics, load
 * tests and the local platform read the same shape. Partition key: `conversationId`.
 */
import type { LocaleId } from './bot-model/types';
import type { AnswerSource } from './conversation-api';

export type SentimentLabel = 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'MIXED';

/** What a knowledge turn came to: answered with citations, no grounded answer, blocked, or unavailable. */
export type KnowledgeOutcome = 'answered' | 'no-answer' | 'blocked' | 'unavailable';

/** Conversation event, one per turn (Kinesis record / Firehose object line). */
export interface ConversationEvent {
  readonly schemaVersion: 1;
  readonly conversationId: string;
  readonly turn: number;
  readonly locale: LocaleId;
  readonly language: string;
  readonly intent: string;
  readonly nluConfidence: number | null;
  readonly fallback: boolean;
  readonly sentiment: SentimentLabel | null;
  readonly channel: string;
  readonly inputMode: string;
  readonly escalated: boolean;
  readonly degraded: readonly string[];
  readonly latencyMs: number;
  readonly timestamp: string;
  /** Where the answer came from (intent, knowledge base, guardrail); set by every turn since the knowledge feature. */
  readonly source?: AnswerSource;
  /** Knowledge turns only: what the knowledge base made of the question. Flags, never text. */
  readonly knowledge?: KnowledgeOutcome;
  /** A guardrail blocked the question (`input`) or the answer (`output`); absent otherwise. Never the text. */
  readonly guardrail?: 'input' | 'output';
  /** Redacted user text, only when transcripts are allowed by config. */
  readonly text?: string;
  /** The ticket this turn registered (contracts/tickets.ts), when it did: the id only, no text. */
  readonly ticketId?: string;
}

/**
 * A customer's feedback on one answer (POST /v1/conversations/{id}/feedback): written to the same
 * stream as the turn events (partition key `conversationId`), told apart by `type`. Never the
 * comment's text: only whether there was one (the redacted comment is stored with the turn).
 */
export interface FeedbackEvent {
  readonly schemaVersion: 1;
  readonly type: 'feedback';
  readonly conversationId: string;
  /** The turn the feedback is about. */
  readonly turn: number;
  readonly helpful: boolean;
  /** 1-5, when given. */
  readonly rating: number | null;
  readonly hasComment: boolean;
  readonly channel: string;
  readonly timestamp: string;
}
