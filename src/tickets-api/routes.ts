/**
 * The support desk's ticket API (docs/tickets.md, "Ticket API"), over the TicketStore port, the
 * same code in Lambda (src/handlers/tickets-api.ts) and on `npm start`:
 *
 *   POST  /v1/tickets              a ticket from an external system -> 201 + Location; the same
 *                                  externalId again with the same fields -> 200 (a retry);
 *                                  with other fields -> 409 (field externalId)
 *   GET   /v1/tickets/{ticketId}   the ticket with its conversation context and knowledge
 *                                  suggestions (./suggestions.ts) -> 200, or 404
 *   PATCH /v1/tickets/{ticketId}   status and/or assignee -> 200; an invalid transition -> 409;
 *                                  `If-Match` with a stale version -> 412; a concurrent change
 *                                  between read and write (no If-Match) -> 409
 *
 * Every answer carries the ticket's version as its ETag. Errors are `{ error: { code, message,
 * field? } }`, as on the conversation API.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  externalTicketKey,
  TICKET_REFERENCE_PATTERN,
  ticketReferenceOf,
  type Ticket,
} from '../../contracts/tickets';
import { errorResponse, json, RequestError, type HttpResult } from '../channel/http';
import type { KnowledgeSuggestions, TicketStore } from '../ports';
import {
  DEFAULT_SUGGESTION_TIMEOUT_MS,
  knowledgeSuggestionsFor,
  type SuggestionFailure,
  type SuggestionsView,
} from './suggestions';
import {
  canTransition,
  parseJsonObject,
  parseNewTicket,
  parseTicketChange,
  type NewExternalTicket,
} from './validation';

export type { HttpResult };

/** The route keys, as API Gateway (and the local router) name them. */
export const TICKET_ROUTES = {
  create: 'POST /v1/tickets',
  get: 'GET /v1/tickets/{ticketId}',
  update: 'PATCH /v1/tickets/{ticketId}',
} as const;

export interface TicketsApiDeps {
  readonly store: TicketStore;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Where a failure of ours is reported (never the request body). @default console.error */
  readonly onError?: (message: string, error: unknown) => void;
  /** The knowledge base GET suggests documents from. Unset: suggestions are `unavailable`. */
  readonly suggestions?: KnowledgeSuggestions;
  /** How long GET waits for suggestions, ms. @default DEFAULT_SUGGESTION_TIMEOUT_MS (1,500) */
  readonly suggestionTimeoutMs?: number;
  /**
   * Told when suggestions failed or timed out (the GET still answers 200), to count and log it:
   * a flag and the error, never the query. @default onError
   */
  readonly onSuggestionFailure?: (failure: SuggestionFailure, error: unknown) => void;
}

type ResolvedDeps = Required<Omit<TicketsApiDeps, 'suggestions'>> & Pick<TicketsApiDeps, 'suggestions'>;

/**
 * Suggestions are searched on GET only: a POST or PATCH answer says where to get them rather
 * than making every write wait for the knowledge base.
 */
export const SUGGESTIONS_ON_GET: SuggestionsView = {
  status: 'unavailable',
  reason: 'knowledge suggestions are given on GET /v1/tickets/{ticketId}',
  items: [],
};

/** The answer body: the ticket, and its conversation context as the desk reads it. */
export function ticketView(
  ticket: Ticket,
  knowledgeSuggestions: SuggestionsView = SUGGESTIONS_ON_GET,
): Record<string, unknown> {
  const { transcript, intents, sentimentTrend, ...rest } = ticket;
  delete (rest as { publishedAt?: string }).publishedAt; // the worker's bookkeeping, not the desk's
  return {
    ticket: rest,
    context: { transcript, intents, sentimentTrend, knowledgeSuggestions },
  };
}

const etag = (ticket: Ticket): string => `"${ticket.version}"`;

const answer = (
  statusCode: number,
  ticket: Ticket,
  headers: Record<string, string> = {},
  suggestions?: SuggestionsView,
): HttpResult => json(statusCode, ticketView(ticket, suggestions), { etag: etag(ticket), ...headers });

/** The ticket id of the path; 400 naming `ticketId` when it is not a reference (T-XXXXXXXXXX). */
function ticketIdOf(event: APIGatewayProxyEventV2): string {
  const id = event.pathParameters?.ticketId ?? '';
  if (!TICKET_REFERENCE_PATTERN.test(id)) {
    throw new RequestError(
      400,
      'INVALID_FIELD',
      'ticketId must be a ticket reference such as T-0123456789',
      'ticketId',
    );
  }
  return id;
}

/** The ticket an external system's POST creates (no conversation: empty context). */
export function externalTicket(input: NewExternalTicket, now: string): Ticket {
  const idempotencyKey = externalTicketKey(input.externalId);
  const id = ticketReferenceOf(idempotencyKey);
  return {
    ticketId: id,
    reference: id,
    source: 'external',
    idempotencyKey,
    customerId: input.customerId,
    category: input.category,
    priority: input.priority,
    transcript: [],
    intents: [],
    sentimentTrend: [],
    status: 'open',
    externalId: input.externalId,
    subject: input.subject,
    ...(input.description ? { description: input.description } : {}),
    channel: input.channel,
    ...(input.locale ? { locale: input.locale } : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** True when `stored` is what `input` would create (a retried POST). */
function sameExternalTicket(stored: Ticket, wanted: Ticket): boolean {
  const fields = [
    'idempotencyKey',
    'customerId',
    'subject',
    'description',
    'channel',
    'priority',
    'category',
    'locale',
  ] as const;
  return fields.every((f) => stored[f] === wanted[f]);
}

async function create(deps: ResolvedDeps, event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const input = parseNewTicket(parseJsonObject(event.body, event.isBase64Encoded));
  const ticket = externalTicket(input, deps.now().toISOString());
  if ((await deps.store.putIfAbsent(ticket)) === 'created') {
    return answer(201, ticket, { location: `/v1/tickets/${ticket.ticketId}` });
  }
  const stored = await deps.store.get(ticket.ticketId);
  if (stored && sameExternalTicket(stored, ticket)) return answer(200, stored);
  return errorResponse(
    409,
    'CONFLICT',
    `externalId ${input.externalId} already names another ticket (${ticket.ticketId}) with different fields`,
    'externalId',
  );
}

async function read(deps: ResolvedDeps, event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const id = ticketIdOf(event);
  const ticket = await deps.store.get(id);
  if (!ticket) return notFound(id);
  const suggestions = await knowledgeSuggestionsFor(ticket, {
    suggestions: deps.suggestions,
    timeoutMs: deps.suggestionTimeoutMs,
    onFailure: deps.onSuggestionFailure,
  });
  return answer(200, ticket, {}, suggestions);
}

const notFound = (id: string): HttpResult =>
  errorResponse(404, 'NOT_FOUND', `ticket ${id} does not exist`, 'ticketId');

/** `If-Match: "3"` (or `3`, or `W/"3"`) -> 3; undefined when absent; 400 when not a version. */
function ifMatch(event: APIGatewayProxyEventV2): number | undefined {
  const header = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'if-match')?.[1];
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,12})"?$/.exec(header.trim());
  if (!m)
    throw new RequestError(
      400,
      'INVALID_FIELD',
      'If-Match must be the ETag of a ticket, e.g. "3"',
      'If-Match',
    );
  return Number(m[1]);
}

async function update(deps: ResolvedDeps, event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const id = ticketIdOf(event);
  const change = parseTicketChange(parseJsonObject(event.body, event.isBase64Encoded));
  const expected = ifMatch(event);
  const current = await deps.store.get(id);
  if (!current) return notFound(id);
  if (expected !== undefined && expected !== current.version) {
    return errorResponse(
      412,
      'PRECONDITION_FAILED',
      `ticket ${id} is at version ${current.version}, not ${expected}: read it again, then retry`,
      'If-Match',
      { etag: etag(current) },
    );
  }
  if (change.status && !canTransition(current.status, change.status)) {
    return errorResponse(
      409,
      'INVALID_TRANSITION',
      `status cannot go from ${current.status} to ${change.status}`,
      'status',
    );
  }
  const result = await deps.store.update(id, {
    ...change,
    expectedVersion: current.version,
    updatedAt: deps.now().toISOString(),
  });
  if (result.outcome === 'updated') return answer(200, result.ticket);
  if (result.outcome === 'not-found') return notFound(id);
  return errorResponse(
    409,
    'CONFLICT',
    `ticket ${id} changed while this update was applied (now version ${result.current.version}): read it again, then retry`,
    'ticketId',
    { etag: etag(result.current) },
  );
}

/** The ticket API handler: route, validate, answer; a failure of ours is a 500 without details. */
export function createTicketsApi(
  deps: TicketsApiDeps,
): (event: APIGatewayProxyEventV2) => Promise<HttpResult> {
  const onError =
    deps.onError ?? ((message, error) => console.error(message, (error as Error)?.name ?? 'Error'));
  const full: ResolvedDeps = {
    store: deps.store,
    now: deps.now ?? (() => new Date()),
    onError,
    suggestions: deps.suggestions,
    suggestionTimeoutMs: deps.suggestionTimeoutMs ?? DEFAULT_SUGGESTION_TIMEOUT_MS,
    onSuggestionFailure:
      deps.onSuggestionFailure ??
      ((failure, error) => onError(`ticket api knowledge suggestions unavailable (${failure})`, error)),
  };
  return async (event) => {
    try {
      switch (event.routeKey) {
        case TICKET_ROUTES.create:
          return await create(full, event);
        case TICKET_ROUTES.get:
          return await read(full, event);
        case TICKET_ROUTES.update:
          return await update(full, event);
        default:
          return errorResponse(404, 'NOT_FOUND', `no route ${event.routeKey}`);
      }
    } catch (err) {
      if (err instanceof RequestError) return errorResponse(err.statusCode, err.code, err.message, err.field);
      full.onError(`ticket api ${event.routeKey} failed`, err);
      return errorResponse(500, 'INTERNAL', 'the ticket could not be processed; retry later');
    }
  };
}
