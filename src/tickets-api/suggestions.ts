/**
 * The knowledge suggestions of a ticket (GET /v1/tickets/{id}, docs/tickets.md): documents of the
 * knowledge base that may help the desk with the ticket's problem, retrieval only.
 *
 *   query    an external ticket: its subject and description; a conversation ticket: its
 *            category, its kind and the transcript's text (present only when the environment
 *            allows transcripts, and redacted: the ticket never holds raw text)
 *   locale   the ticket's, else en_US
 *   answer   `ok` with at most MAX_SUGGESTIONS documents; `none` when nothing matches (or the
 *            ticket says nothing to search for); `unavailable` with a reason when no knowledge
 *            base is configured, or the call failed or took longer than the timeout. Suggestions
 *            never fail the GET; a failure is reported without the query.
 */
import type { LocaleId } from '../../contracts/bot-model/types';
import type { Ticket } from '../../contracts/tickets';
import type { Citation, KnowledgeSuggestions } from '../ports';
import { TimeoutError, withTimeout } from '../util/timeout';

export const MAX_SUGGESTIONS = 3;
/** How long the GET waits for suggestions, ms. */
export const DEFAULT_SUGGESTION_TIMEOUT_MS = 1500;
export const DEFAULT_SUGGESTION_LOCALE: LocaleId = 'en_US';

export type SuggestionsView =
  | { readonly status: 'ok'; readonly items: readonly Citation[] }
  | { readonly status: 'none'; readonly items: readonly [] }
  | { readonly status: 'unavailable'; readonly reason: string; readonly items: readonly [] };

export const NO_KNOWLEDGE_BASE: SuggestionsView = {
  status: 'unavailable',
  reason: 'no knowledge base is configured',
  items: [],
};

/** Why suggestions were unavailable, as a flag (never the query). */
export type SuggestionFailure = 'timeout' | 'error';

export interface SuggestionDeps {
  /** Unset: no knowledge base (`unavailable`). */
  readonly suggestions?: KnowledgeSuggestions;
  /** @default DEFAULT_SUGGESTION_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Told of a failure (to count and log it): the flag and the error, never the query. */
  readonly onFailure?: (failure: SuggestionFailure, error: unknown) => void;
}

/** What the ticket says about its problem, as a search query ('' when it says nothing). */
export function suggestionQueryOf(ticket: Ticket): string {
  const parts =
    ticket.source === 'external'
      ? [ticket.subject, ticket.description]
      : [
          ticket.category === 'other' ? undefined : ticket.category,
          ticket.kind,
          ...ticket.transcript.map((turn) => turn.text),
        ];
  return parts
    .filter((p): p is string => !!p?.trim())
    .join('\n')
    .trim();
}

/** The ticket's knowledge suggestions (see the file comment); never throws. */
export async function knowledgeSuggestionsFor(
  ticket: Ticket,
  deps: SuggestionDeps,
): Promise<SuggestionsView> {
  const { suggestions } = deps;
  if (!suggestions) return NO_KNOWLEDGE_BASE;
  const query = suggestionQueryOf(ticket);
  if (!query) return { status: 'none', items: [] };
  const timeoutMs = deps.timeoutMs ?? DEFAULT_SUGGESTION_TIMEOUT_MS;
  try {
    const items = await withTimeout('knowledge suggestions', timeoutMs, (signal) =>
      suggestions.suggest(query, ticket.locale ?? DEFAULT_SUGGESTION_LOCALE, {
        limit: MAX_SUGGESTIONS,
        signal,
      }),
    );
    const top = items.slice(0, MAX_SUGGESTIONS);
    return top.length ? { status: 'ok', items: top } : { status: 'none', items: [] };
  } catch (err) {
    const failure: SuggestionFailure = err instanceof TimeoutError ? 'timeout' : 'error';
    deps.onFailure?.(failure, err);
    return {
      status: 'unavailable',
      reason:
        failure === 'timeout'
          ? 'the knowledge base did not answer in time'
          : 'the knowledge base could not be reached',
      items: [],
    };
  }
}
