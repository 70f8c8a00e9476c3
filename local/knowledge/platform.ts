/**
 * The knowledge stand-in as the local platform starts it: the folder (KNOWLEDGE_DIR, default the
 * sample documents), indexed and watched, its substitution line, and its shutdown step.
 */
import type { LocaleId } from '../../contracts/bot-model/types';
import { LocalKnowledgeBase, type KnowledgeStats } from './engine';
import { KB_PATH } from './routes';

export interface LocalKnowledge {
  readonly kb: LocalKnowledgeBase;
  /** The substitution line printed at start-up. */
  line(): string;
}

export async function startLocalKnowledge(opts: {
  readonly dir: string;
  readonly locales: readonly LocaleId[];
  readonly log: (line: string) => void;
  readonly cleanup: (() => Promise<void>)[];
}): Promise<LocalKnowledge> {
  const { dir, locales, log } = opts;
  const started = performance.now();
  const kb = await LocalKnowledgeBase.open({
    dir,
    locales,
    onReindex: (stats) => log(`[local] knowledge: re-indexed ${describe(stats, locales)}`),
    onError: (err) => log(`[local] knowledge: re-index failed (${err.message}); the previous index stays`),
  });
  const ms = Math.round(performance.now() - started);
  opts.cleanup.push(() => kb.close());
  return {
    kb,
    line: () =>
      `Bedrock KB+Guardrail -> local BM25 over ${describe(kb.stats, locales)} instead of Bedrock, indexed in ${ms} ms, ` +
      `re-indexed on change; guardrail policy contracts/guardrail-policy.ts applied locally; documents at ${KB_PATH}/{locale}/{file}`,
  };
}

function describe(stats: KnowledgeStats, locales: readonly LocaleId[]): string {
  const skipped = stats.skipped.length ? `, ${stats.skipped.length} skipped` : '';
  return `${stats.dir} (${stats.documents} documents, ${locales.join('+')}${skipped})`;
}
