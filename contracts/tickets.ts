/**
 * Tickets: the shapes shared by the fulfillment (which enqueues a ticket request), the ticket
 * worker (which writes the ticket and publishes `TicketCreated`), the desk's ticket API, the
 * data/infra constructs (table key schema, bus source) and the local platform. No CDK here.
 *
 * Flow: a ticket turn (ReportIssue fulfilled with its category, TalkToAgent, a sentiment
 * hand-off) -> `TicketRequest` on the SQS queue -> worker -> `Ticket` in the tickets table (put if
 * absent by `ticketId`) -> `TicketCreated` on the stage's EventBridge bus. See docs/tickets.md.
 */
import { createHash } from 'node:crypto';
import type { LocaleId, Localized } from './bot-model/types';
import type { SentimentLabel } from './conversation-event';

/** What a ticket is about. The issue categories are the `IssueCategory` slot's values. */
export const TICKET_CATEGORIES = [
  'billing',
  'delivery',
  'damaged',
  'account',
  'technical',
  /** The customer asked for a person (TalkToAgent) or the bot handed over (repeated negative sentiment). */
  'agent',
  /** Anything else (e.g. an external ticket without a category). */
  'other',
] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Why the conversation asked for a ticket. */
export type TicketKind = 'issue' | 'handoff';

/** Where a ticket came from: a conversation (via the queue) or an external system (POST /v1/tickets). */
export type TicketSource = 'conversation' | 'external';

/** One turn of a ticket's conversation context. Never raw text: `text` is redacted (src/redact.ts). */
export interface TranscriptTurn {
  readonly turn: number;
  readonly intent: string;
  readonly sentiment?: SentimentLabel;
  /** The user's redacted text; only when the environment allows transcripts. */
  readonly text?: string;
  readonly timestamp: string;
}

/**
 * The SQS message body the fulfillment sends (one per ticket turn). No raw PII: `customerId` is
 * the conversation's pseudonymous user id (or the conversation id), `current.text` is redacted
 * and present only when transcripts are allowed. Standard queue: at-least-once, so the worker
 * is idempotent on `ticketId` (derived from `idempotencyKey`).
 */
export interface TicketRequest {
  readonly schemaVersion: 1;
  /** `<conversationId>#<turn>`: a retried turn gives the same key, hence the same ticket. */
  readonly idempotencyKey: string;
  /** = reference: `ticketReferenceOf(idempotencyKey)`. */
  readonly ticketId: string;
  readonly reference: string;
  readonly kind: TicketKind;
  readonly conversationId: string;
  readonly turn: number;
  readonly customerId: string;
  readonly category: TicketCategory;
  readonly locale: LocaleId;
  readonly language: string;
  readonly channel: string;
  /** The conversation's recent sentiments, newest last. */
  readonly sentimentTrend: readonly SentimentLabel[];
  /** The ticket turn itself (the context table write may land after the worker reads it). */
  readonly current: TranscriptTurn;
  readonly requestedAt: string;
}

/** The ticket record (tickets table item; the desk API's body). */
export interface Ticket {
  /** Primary key; equals `reference` (what the customer is told and the desk looks up). */
  readonly ticketId: string;
  readonly reference: string;
  readonly source: TicketSource;
  readonly kind?: TicketKind;
  /** The conversation's idempotency key (`<conversationId>#<turn>`) or `external#<externalId>`. */
  readonly idempotencyKey: string;
  readonly conversationId?: string;
  readonly customerId: string;
  readonly category: TicketCategory;
  readonly priority: TicketPriority;
  /** The conversation's recent turns, redacted (text only when transcripts are allowed). */
  readonly transcript: readonly TranscriptTurn[];
  /** Intents of the transcript's turns, oldest first. */
  readonly intents: readonly string[];
  readonly sentimentTrend: readonly SentimentLabel[];
  readonly status: TicketStatus;
  readonly assignee?: string;
  /** The external system's id (POST /v1/tickets); unique (409 on a conflict). */
  readonly externalId?: string;
  readonly subject?: string;
  readonly description?: string;
  readonly channel: string;
  readonly locale?: LocaleId;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Optimistic concurrency: every update increments it and is conditional on the old value. */
  readonly version: number;
  /** Set once `TicketCreated` is on the bus: a redelivery re-publishes only when it is missing. */
  readonly publishedAt?: string;
}

/** EventBridge `Source` and `DetailType` of the ticket events. */
export const TICKET_EVENT_SOURCE = 'conversational-platform.tickets';
export const TICKET_CREATED = 'TicketCreated';

/** `TicketCreated` detail: ids and classification only, no text (subscribers fetch the ticket). */
export interface TicketCreatedDetail {
  readonly schemaVersion: 1;
  readonly ticketId: string;
  readonly reference: string;
  readonly source: TicketSource;
  readonly kind?: TicketKind;
  readonly conversationId?: string;
  readonly customerId: string;
  readonly category: TicketCategory;
  readonly priority: TicketPriority;
  readonly channel: string;
  readonly locale?: LocaleId;
  readonly createdAt: string;
}

/**
 * The tickets table's key schema: shared by the data construct (T2) and the local dynalite
 * table. Partition key `ticketId` (string); every GSI projects ALL; `byExternalId` is sparse
 * (only external tickets carry `externalId`). GSI reads are eventually consistent: the API's 409
 * on an external id is made strong by deriving the ticket id from it (`externalTicketKey`) so
 * the conditional put itself rejects the second one.
 */
export const TicketTableSchema = {
  partitionKey: 'ticketId',
  indexes: {
    byStatus: { name: 'byStatus', partitionKey: 'status', sortKey: 'createdAt' },
    byCustomer: { name: 'byCustomer', partitionKey: 'customerId', sortKey: 'createdAt' },
    byExternalId: { name: 'byExternalId', partitionKey: 'externalId' },
  },
} as const;

/** Crockford base32 (no I, L, O, U: easy to read out on the phone). */
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/**
 * Characters of the reference after `T-`: 10 base32 = 50 bits of SHA-256. At a million tickets
 * the chance that any two keys collide is ~4e-4; the worker detects a collision (same id,
 * different idempotency key) and fails the message loudly instead of merging two tickets.
 */
export const REFERENCE_LENGTH = 10;
export const TICKET_REFERENCE_PATTERN = /^T-[0-9A-HJKMNP-TV-Z]{10}$/;

/** The idempotency key of a conversation's ticket turn. */
export const ticketIdempotencyKey = (conversationId: string, turn: number): string =>
  `${conversationId}#${turn}`;

/** The idempotency key of an external ticket (POST /v1/tickets). */
export const externalTicketKey = (externalId: string): string => `external#${externalId}`;

/** `T-` + 10 Crockford base32 characters of SHA-256(key): deterministic, so a retry gives the same one. */
export function ticketReferenceOf(idempotencyKey: string): string {
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < REFERENCE_LENGTH) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length >= REFERENCE_LENGTH) break;
    value &= (1 << bits) - 1;
  }
  return `T-${out}`;
}

/**
 * The support desk as the bot describes it (env `SUPPORT_DESK`, JSON, from config `tickets`):
 * its hours in each locale's words, the first-response time it commits to, and optionally what
 * to do when a ticket cannot be registered (e-mail/phone, in each locale's words).
 */
export interface SupportDeskSettings {
  readonly hours: Localized;
  readonly firstResponseHours: number;
  readonly contact?: Localized;
}
