/**
 * A KnowledgeBase built on first use: the Bedrock adapter (src/adapters/bedrock-knowledge.ts)
 * lives in the `knowledge` chunk with the Bedrock SDKs, so the fulfillment's module init neither
 * parses nor builds it; the first knowledge question loads the chunk and builds it, once per
 * container. A failed load or build is not cached: the next question tries again (meanwhile that
 * turn's answer degrades to "unavailable", as for any knowledge failure).
 */
import type { LocaleId } from '../../contracts/bot-model/types';
import type { KnowledgeAnswer, KnowledgeBase, KnowledgeQueryOptions } from '../ports';

export class DeferredKnowledgeBase implements KnowledgeBase {
  private base?: Promise<KnowledgeBase>;

  constructor(private readonly build: () => Promise<KnowledgeBase>) {}

  private resolve(): Promise<KnowledgeBase> {
    this.base ??= this.build().catch((err: unknown) => {
      this.base = undefined;
      throw err;
    });
    return this.base;
  }

  async answer(question: string, locale: LocaleId, opts?: KnowledgeQueryOptions): Promise<KnowledgeAnswer> {
    return (await this.resolve()).answer(question, locale, opts);
  }
}
