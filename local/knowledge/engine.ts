/**
 * The local knowledge base (`npm start`'s stand-in for Bedrock Knowledge Bases + Guardrails):
 * implements the fulfillment's `KnowledgeBase` port over a folder of documents.
 *
 * - Index: one MiniSearch (BM25+) index per locale over the documents' passages (corpus.ts),
 *   terms stemmed with Snowball (text.ts). No ranking of our own: MiniSearch scores.
 * - Answer: extractive. The best passage above `minScore` is the answer's text; it and the
 *   next passages of other documents scoring at least CITATION_RATIO of it are the citations
 *   (title, link to the document as this platform serves it, plain-text snippet). Below
 *   `minScore`: no answer, never an invented one.
 * - Guardrail: the same policy as the stage's Bedrock guardrail (guardrail.ts) on the question
 *   and on the answer.
 * - Re-index: the folder and its locale sub-folders are watched; a change (file added,
 *   changed, removed) re-reads the whole folder after `debounceMs` of quiet and swaps the index
 *   in one step, so a question sees the old index or the new one, never half of one.
 */
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { LOCALES, type LocaleId } from '../../contracts/bot-model/types';
import type { Citation } from '../../contracts/conversation-api';
import { GUARDRAIL_POLICY, type GuardrailPolicy } from '../../contracts/guardrail-policy';
import type {
  KnowledgeAnswer,
  KnowledgeBase,
  KnowledgeQueryOptions,
  KnowledgeSuggestionOptions,
  KnowledgeSuggestions,
} from '../../src/ports';
import { readCorpus, type Corpus, type KnowledgeDocument, type Passage } from './corpus';
import { LocalGuardrail, withoutMarkers, type BlockReason } from './guardrail';
import { clip, sentences, termProcessor } from './text';

/** Default score a passage needs to be an answer (MiniSearch BM25+ score, boosts included). */
export const DEFAULT_MIN_SCORE = 6;
/** Another document is cited when its best passage scores at least this share of the top one. */
export const CITATION_RATIO = 0.6;
export const MAX_CITATIONS = 3;
const SNIPPET_CHARS = 240;
const ANSWER_CHARS = 900;

export interface LocalKnowledgeOptions {
  /** The folder: one sub-folder per locale. */
  readonly dir: string;
  readonly locales?: readonly LocaleId[];
  readonly policy?: GuardrailPolicy;
  /** Re-index when the folder changes. @default true */
  readonly watch?: boolean;
  /** Quiet time after the last change before re-indexing, ms. @default 200 */
  readonly debounceMs?: number;
  /** Where the platform serves the documents: a citation's link is `<linkBase>/<locale>/<file>`. @default '/kb' */
  readonly linkBase?: string;
  /** @default DEFAULT_MIN_SCORE */
  readonly minScore?: number;
  /** Told after every re-index (not the first index). */
  readonly onReindex?: (stats: KnowledgeStats) => void;
  /** Told when a re-index fails (the previous index stays). */
  readonly onError?: (err: Error) => void;
}

export interface KnowledgeStats {
  readonly dir: string;
  readonly documents: number;
  readonly passages: number;
  readonly perLocale: Readonly<Partial<Record<LocaleId, number>>>;
  readonly skipped: readonly string[];
  /** Index generation: 1 after start, +1 per re-index. */
  readonly generation: number;
  readonly indexedAt: string;
}

/** An answer and why: what `kb:eval` and the tests look at. */
export interface KnowledgeResult {
  readonly answer: KnowledgeAnswer;
  /** What the guardrail blocked it for (a denied topic's id, 'pii' or 'words'). */
  readonly blockedFor?: BlockReason;
  /** The best passage's score (none when blocked before searching). */
  readonly topScore?: number;
}

interface Index {
  readonly corpus: Corpus;
  readonly search: ReadonlyMap<LocaleId, MiniSearch<Passage>>;
  readonly guardrail: LocalGuardrail;
  readonly stats: KnowledgeStats;
}

const SEARCH_FIELDS = ['title', 'heading', 'text'];

export class LocalKnowledgeBase implements KnowledgeBase, KnowledgeSuggestions {
  private index: Index;
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  private constructor(
    private readonly options: Required<Omit<LocalKnowledgeOptions, 'onReindex' | 'onError'>> &
      Pick<LocalKnowledgeOptions, 'onReindex' | 'onError'>,
    first: Index,
  ) {
    this.index = first;
  }

  /** Indexes the folder (and watches it unless `watch: false`). */
  static async open(opts: LocalKnowledgeOptions): Promise<LocalKnowledgeBase> {
    const options = {
      locales: LOCALES,
      policy: GUARDRAIL_POLICY,
      watch: true,
      debounceMs: 200,
      linkBase: '/kb',
      minScore: DEFAULT_MIN_SCORE,
      ...opts,
    };
    const kb = new LocalKnowledgeBase(
      options,
      await buildIndex(options.dir, options.locales, options.policy, 1),
    );
    if (options.watch) kb.startWatching();
    return kb;
  }

  get stats(): KnowledgeStats {
    return this.index.stats;
  }

  async answer(question: string, locale: LocaleId, opts?: KnowledgeQueryOptions): Promise<KnowledgeAnswer> {
    return (await this.evaluate(question, locale, opts)).answer;
  }

  /** The answer, with what the guardrail blocked and the best score. */
  async evaluate(question: string, locale: LocaleId, opts?: KnowledgeQueryOptions): Promise<KnowledgeResult> {
    opts?.signal?.throwIfAborted();
    const { search, guardrail } = this.index;
    const input = await guardrail.checkInput(question, locale);
    if (input.blocked) return { answer: { kind: 'blocked', stage: 'input' }, blockedFor: input.reason };
    const index = search.get(locale);
    const hits = index ? index.search(withoutMarkers(input.text)) : [];
    const top = hits[0];
    if (!top || top.score < this.options.minScore) {
      return {
        answer: { kind: 'no-answer', reason: 'no-passages' },
        ...(top ? { topScore: top.score } : {}),
      };
    }
    const best = top as unknown as Passage & { score: number };
    const cited = [best];
    for (const hit of hits.slice(1) as unknown as (Passage & { score: number })[]) {
      if (cited.length >= MAX_CITATIONS || hit.score < best.score * CITATION_RATIO) break;
      if (!cited.some((c) => c.file === hit.file)) cited.push(hit);
    }
    const text = clip(best.text.replace(/\n/g, ' '), ANSWER_CHARS);
    const citations = cited.map((p) => this.citationOf(locale, p));
    // each piece on its own: the redactor reads a quote opened in one and closed in the next as one value
    const checked = [text, ...citations.map((c) => c.snippet)].map((piece) => guardrail.checkOutput(piece));
    const blocked = checked.find((v) => v.blocked);
    if (blocked?.blocked) {
      return {
        answer: { kind: 'blocked', stage: 'output' },
        blockedFor: blocked.reason,
        topScore: best.score,
      };
    }
    const masked = checked.map((v) => (v.blocked ? '' : v.text));
    return {
      answer: {
        kind: 'answer',
        text: masked[0]!,
        citations: citations.map((c, i) => ({ ...c, snippet: masked[i + 1]! })),
      },
      topScore: best.score,
    };
  }

  /**
   * Documents for the support desk (KnowledgeSuggestions port): the same search and threshold
   * as an answer, one citation per document, best first, up to `limit`; a snippet the
   * guardrail blocks drops its suggestion, PII in one is masked.
   */
  async suggest(query: string, locale: LocaleId, opts: KnowledgeSuggestionOptions): Promise<Citation[]> {
    opts.signal?.throwIfAborted();
    const { search, guardrail } = this.index;
    const hits = (search.get(locale)?.search(withoutMarkers(query)) ?? []) as unknown as (Passage & {
      score: number;
    })[];
    const best: (Passage & { score: number })[] = [];
    for (const hit of hits) {
      if (best.length >= opts.limit || hit.score < this.options.minScore) break;
      if (!best.some((b) => b.file === hit.file)) best.push(hit);
    }
    return best.flatMap((p) => {
      const citation = this.citationOf(locale, p);
      const checked = guardrail.checkOutput(citation.snippet);
      return checked.blocked ? [] : [{ ...citation, snippet: checked.text }];
    });
  }

  private citationOf(locale: LocaleId, p: Passage): Citation {
    return {
      title: p.title,
      link: this.link(locale, p.file),
      snippet: clip(p.text.replace(/\n/g, ' '), SNIPPET_CHARS),
    };
  }

  /** A document as indexed (what `/kb/<locale>/<file>` serves), or undefined. */
  document(locale: string, file: string): KnowledgeDocument | undefined {
    return this.index.corpus.documents.get(locale as LocaleId)?.get(file);
  }

  /** The link a citation of this document carries. */
  link(locale: LocaleId, file: string): string {
    return `${this.options.linkBase}/${locale}/${encodeURIComponent(file)}`;
  }

  /** Re-reads the folder now (what a change triggers after the debounce). */
  async reindex(): Promise<KnowledgeStats> {
    if (this.running) {
      this.again = true;
      await this.running;
      return this.index.stats;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const { dir, locales, policy } = this.options;
        this.index = await buildIndex(dir, locales, policy, this.index.stats.generation + 1);
        this.options.onReindex?.(this.index.stats);
      } while (this.again && !this.closed);
    })();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
    return this.index.stats;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    for (const w of this.watchers.splice(0)) w.close();
    await this.running?.catch(() => undefined);
  }

  /** Watches the folder (new locale folders) and each locale folder (files). */
  private startWatching(): void {
    const { dir, locales } = this.options;
    const watched = new Set<string>();
    const add = (path: string): void => {
      if (watched.has(path) || this.closed) return;
      try {
        const w = watch(path, { persistent: false }, () => this.changed(add));
        w.on('error', () => {
          watched.delete(path); // the folder went away; the root watcher sees it come back
          w.close();
        });
        this.watchers.push(w);
        watched.add(path);
      } catch {
        // not there (yet)
      }
    };
    add(dir);
    for (const locale of locales) add(join(dir, locale));
  }

  private changed(add: (path: string) => void): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      for (const locale of this.options.locales) add(join(this.options.dir, locale));
      this.reindex().catch((err: unknown) => this.options.onError?.(err as Error));
    }, this.options.debounceMs);
    this.timer.unref();
  }
}

async function buildIndex(
  dir: string,
  locales: readonly LocaleId[],
  policy: GuardrailPolicy,
  generation: number,
): Promise<Index> {
  const corpus = readCorpus(dir, locales);
  const search = new Map<LocaleId, MiniSearch<Passage>>();
  const negatives: Partial<Record<LocaleId, string[]>> = {};
  const perLocale: Partial<Record<LocaleId, number>> = {};
  let passages = 0;
  for (const locale of locales) {
    const docs = [...(corpus.documents.get(locale)?.values() ?? [])];
    const index = new MiniSearch<Passage>({
      idField: 'id',
      fields: SEARCH_FIELDS,
      storeFields: ['file', 'title', 'heading', 'text'],
      processTerm: termProcessor(locale),
      searchOptions: { boost: { title: 1.5, heading: 2 }, combineWith: 'OR' },
    });
    const all = docs.flatMap((d) => d.passages);
    index.addAll(all);
    search.set(locale, index);
    negatives[locale] = all.flatMap((p) => [p.heading, ...sentences(p.text)]);
    perLocale[locale] = docs.length;
    passages += all.length;
  }
  const guardrail = await LocalGuardrail.train(policy, locales, negatives);
  return {
    corpus,
    search,
    guardrail,
    stats: {
      dir,
      documents: Object.values(perLocale).reduce((a, b) => a + (b ?? 0), 0),
      passages,
      perLocale,
      skipped: corpus.skipped,
      generation,
      indexedAt: new Date().toISOString(),
    },
  };
}
