/**
 * Knowledge suggestions on AWS (KnowledgeSuggestions port): one Bedrock Knowledge Bases
 * `Retrieve` on the ticket locale's knowledge base, no model call. The passages scoring
 * `minScore` or more become citations, one per document, best first: the same request, scoring,
 * titles, links and snippets as the fulfillment's knowledge answers (src/adapters/bedrock-knowledge.ts).
 * A locale without a knowledge base gets none (no call). Nothing here logs.
 */
import type { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import type { LocaleId } from '../../contracts/bot-model/types';
import { TicketsApiEnv } from '../../contracts/runtime-env';
import { optionalEnv } from '../env';
import type { Citation, KnowledgeSuggestionOptions, KnowledgeSuggestions } from '../ports';
import { truncateCharacters } from '../util/characters';
import {
  citationsOf,
  DEFAULT_MIN_SCORE,
  knowledgeBaseIdsOf,
  passagesOf,
  retrieveInput,
} from './bedrock-knowledge';

/** Retrieve takes a query of at most 1,000 characters. */
const MAX_QUERY_CHARACTERS = 1000;

export interface BedrockSuggestionOptions {
  /** The knowledge base of each locale. */
  readonly knowledgeBaseIds: Readonly<Partial<Record<LocaleId, string>>>;
  /** @default DEFAULT_MIN_SCORE */
  readonly minScore?: number;
  /** https base URL the documents are served at (see BedrockKnowledgeOptions.documentsUrl). */
  readonly documentsUrl?: string;
}

export class BedrockKnowledgeSuggestions implements KnowledgeSuggestions {
  constructor(
    private readonly client: Pick<BedrockAgentRuntimeClient, 'send'>,
    private readonly Retrieve: typeof RetrieveCommand,
    private readonly opts: BedrockSuggestionOptions,
  ) {}

  async suggest(query: string, locale: LocaleId, opts: KnowledgeSuggestionOptions): Promise<Citation[]> {
    const knowledgeBaseId = this.opts.knowledgeBaseIds[locale];
    const text = truncateCharacters(query.trim(), MAX_QUERY_CHARACTERS);
    if (!knowledgeBaseId || !text || opts.limit < 1) return [];
    const retrieved = await this.client.send(
      // more passages than documents wanted: several passages may come from one document
      new this.Retrieve(retrieveInput(knowledgeBaseId, text, Math.min(opts.limit * 3, 100))),
      opts.signal ? { abortSignal: opts.signal } : {},
    );
    const passages = passagesOf(retrieved.retrievalResults ?? [], {
      minScore: this.opts.minScore ?? DEFAULT_MIN_SCORE,
      documentsUrl: this.opts.documentsUrl,
    });
    return citationsOf(passages, opts.limit);
  }
}

/**
 * The knowledge bases the ticket API suggests from (TicketsApiEnv.KNOWLEDGE_BASE_IDS), or
 * undefined when unset (no knowledge base bound: suggestions are unavailable). A ConfigError
 * names the variable when it is not a JSON object of bot locale -> id.
 */
export function suggestionOptionsFromEnv(env: NodeJS.ProcessEnv): BedrockSuggestionOptions | undefined {
  const raw = optionalEnv(TicketsApiEnv.KNOWLEDGE_BASE_IDS, env);
  return raw === undefined
    ? undefined
    : { knowledgeBaseIds: knowledgeBaseIdsOf(raw, TicketsApiEnv.KNOWLEDGE_BASE_IDS) };
}
