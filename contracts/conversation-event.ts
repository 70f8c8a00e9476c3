/**
 * The conversation event: one per turn, written by the fulfillment handler to Kinesis (Firehose
 * delivers it to S3 as one JSON line) and by the local platform to NDJSON files. Analytics, load
 * tests and the local platform read the same shape. Partition key: `conversationId`.
 */
import type { LocaleId } from './bot-model/types';

export type SentimentLabel = 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL' | 'MIXED';

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
  /** Redacted user text, only when transcripts are allowed by config. */
  readonly text?: string;
  /** The ticket this turn registered (contracts/tickets.ts), when it did: the id only, no text. */
  readonly ticketId?: string;
}
