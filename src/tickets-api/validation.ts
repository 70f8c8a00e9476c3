/**
 * The ticket API's request bodies, validated field by field: the first bad field is a 400 naming
 * it (`{ error: { code, message, field } }`). Free text (subject, description) is redacted
 * (src/redact.ts) before it is stored; identifiers are refused unless they look like one, so no
 * free text hides in them.
 */
import {
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketCategory,
  type TicketPriority,
  type TicketStatus,
} from '../../contracts/tickets';
import { isLocaleId, type LocaleId } from '../../contracts/bot-model/types';
import { RequestError } from '../channel/http';
import { redact } from '../redact';

/** The largest body the ticket API reads, bytes. */
export const MAX_TICKET_BODY_BYTES = 16 * 1024;

/** Channels an external ticket can come from. */
export const TICKET_CHANNELS = ['email', 'phone', 'chat', 'web', 'social', 'other'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

/** External ids, customer ids and assignees: 1-128 of letters, digits and `._:@+-` (no spaces, no free text). */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/;
export const MAX_SUBJECT = 200;
export const MAX_DESCRIPTION = 4000;

/** POST /v1/tickets, validated (subject and description redacted). */
export interface NewExternalTicket {
  readonly externalId: string;
  readonly customerId: string;
  readonly subject: string;
  readonly description: string;
  readonly channel: TicketChannel;
  readonly priority: TicketPriority;
  readonly category: TicketCategory;
  readonly locale?: LocaleId;
}

/** PATCH /v1/tickets/{id}, validated: at least one change. `assignee: ''` (or null) unassigns. */
export interface TicketChange {
  readonly status?: TicketStatus;
  readonly assignee?: string;
}

const bad = (field: string, message: string): RequestError =>
  new RequestError(400, 'INVALID_FIELD', `${field} ${message}`, field);

/** The body as a JSON object; 400 (field `body`) when it is not one, 413 when too large. */
export function parseJsonObject(body: string | undefined, isBase64Encoded = false): Record<string, unknown> {
  const text =
    body === undefined ? '' : isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(text, 'utf8') > MAX_TICKET_BODY_BYTES) {
    throw new RequestError(
      413,
      'BODY_TOO_LARGE',
      `body must be at most ${MAX_TICKET_BODY_BYTES} bytes`,
      'body',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RequestError(400, 'INVALID_JSON', 'body must be a JSON object', 'body');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestError(400, 'INVALID_JSON', 'body must be a JSON object', 'body');
  }
  return value as Record<string, unknown>;
}

function refuseUnknown(body: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(body).find((k) => !known.includes(k));
  if (unknown !== undefined)
    throw bad(unknown, `is not a field of this request (fields: ${known.join(', ')})`);
}

function identifier(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw bad(field, 'must be 1-128 letters, digits or ._:@+- (starting with a letter or digit)');
  }
  return value;
}

function text(body: Record<string, unknown>, field: string, max: number, required: boolean): string {
  const value = body[field];
  if (value === undefined && !required) return '';
  if (typeof value !== 'string' || (required && value.trim() === '')) {
    throw bad(field, required ? 'must be a non-empty string' : 'must be a string');
  }
  if ([...value].length > max) throw bad(field, `must be at most ${max} characters`);
  return redact(value.trim());
}

function oneOf<T extends string>(
  body: Record<string, unknown>,
  field: string,
  values: readonly T[],
  fallback?: T,
): T {
  const value = body[field];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw bad(field, `must be one of ${values.join(', ')}`);
  }
  return value as T;
}

const POST_FIELDS = [
  'externalId',
  'customer',
  'subject',
  'description',
  'channel',
  'priority',
  'category',
  'locale',
] as const;

/** POST /v1/tickets: externalId, customer, subject, channel required; priority normal, category other by default. */
export function parseNewTicket(body: Record<string, unknown>): NewExternalTicket {
  refuseUnknown(body, POST_FIELDS);
  const externalId = identifier(body, 'externalId');
  const customerId = identifier(body, 'customer');
  const subject = text(body, 'subject', MAX_SUBJECT, true);
  const description = text(body, 'description', MAX_DESCRIPTION, false);
  const channel = oneOf(body, 'channel', TICKET_CHANNELS);
  const priority = oneOf(body, 'priority', TICKET_PRIORITIES, 'normal');
  const category = oneOf(body, 'category', TICKET_CATEGORIES, 'other');
  let locale: LocaleId | undefined;
  if (body.locale !== undefined) {
    if (!isLocaleId(body.locale)) throw bad('locale', 'must be a bot locale such as en_US or es_US');
    locale = body.locale;
  }
  return {
    externalId,
    customerId,
    subject,
    description,
    channel,
    priority,
    category,
    ...(locale ? { locale } : {}),
  };
}

/** PATCH /v1/tickets/{id}: status and/or assignee (a string, or '' / null to unassign). */
export function parseTicketChange(body: Record<string, unknown>): TicketChange {
  refuseUnknown(body, ['status', 'assignee']);
  if (body.status === undefined && body.assignee === undefined) {
    throw bad('body', 'must change status or assignee');
  }
  const status = body.status === undefined ? undefined : oneOf(body, 'status', TICKET_STATUSES);
  let assignee: string | undefined;
  if (body.assignee === null || body.assignee === '') assignee = '';
  else if (body.assignee !== undefined) assignee = identifier(body, 'assignee');
  return { ...(status ? { status } : {}), ...(assignee !== undefined ? { assignee } : {}) };
}

/**
 * Where a ticket may go from each status: `closed` is final (a new problem is a new ticket);
 * `resolved` may be reopened or closed. Staying in the same status is no transition (allowed).
 */
export const TICKET_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  open: ['in_progress', 'resolved', 'closed'],
  in_progress: ['open', 'resolved', 'closed'],
  resolved: ['open', 'in_progress', 'closed'],
  closed: [],
};

export const canTransition = (from: TicketStatus, to: TicketStatus): boolean =>
  from === to || TICKET_TRANSITIONS[from].includes(to);
