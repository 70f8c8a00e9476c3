/**
 * Code that only some turns need, kept out of the fulfillment handler's main bundle so module
 * init stays small (docs/architecture.md, "Budgets": cold start). Each file of this folder except this one
 * is a chunk: the Lambda asset carries it as its own minified bundle next to `index.js`
 * (PlatformFunction's `chunks`, built by the same esbuild options), and the first turn that
 * needs it loads it. From source (jest, tsx, the local platform) the same call loads the .ts.
 *
 * `module.require` with a computed path is deliberate: esbuild leaves it alone, so the chunk is
 * not pulled into the handler bundle.
 */
import { join } from 'node:path';

export interface Chunks {
  /** Redis sessions (ioredis) and the Secrets Manager client for the AUTH token: first turn only. */
  sessions: typeof import('./sessions');
  /**
   * Amazon Comprehend: sentiment when Lex sent none, and language detection on fallback,
   * low-confidence or other-language turns.
   */
  comprehend: typeof import('./comprehend');
  /** Amazon Translate: turns in a language the bot does not speak. */
  translate: typeof import('./translate');
  /** Amazon Polly + S3 + presigner: voice turns. */
  speech: typeof import('./speech');
  /** Amazon Bedrock Retrieve + Converse and the adapter calling them: knowledge turns (questions no intent covers). */
  knowledge: typeof import('./knowledge');
  /** Amazon SQS: the ticket queue, on ticket turns only (issue reports, hand-offs). */
  tickets: typeof import('./tickets');
}

export type ChunkName = keyof Chunks;

/** Every chunk, as the bundler and the tests enumerate them. */
export const CHUNK_NAMES: readonly ChunkName[] = [
  'sessions',
  'comprehend',
  'translate',
  'speech',
  'knowledge',
  'tickets',
];

const loaded = new Map<ChunkName, Promise<unknown>>();

/** Loads a chunk once per container; a failed load is not cached. */
export function loadChunk<K extends ChunkName>(name: K): Promise<Chunks[K]> {
  let chunk = loaded.get(name) as Promise<Chunks[K]> | undefined;
  if (!chunk) {
    chunk = Promise.resolve().then(() => module.require(join(__dirname, name)) as Chunks[K]);
    chunk.catch(() => loaded.delete(name));
    loaded.set(name, chunk);
  }
  return chunk;
}

/**
 * What `build` makes of chunk `name` (e.g. an SDK client), built once per container on the first
 * call; a failed load or build is not cached, so the next turn tries again.
 */
export function fromChunk<K extends ChunkName, T>(
  name: K,
  build: (mod: Chunks[K]) => T,
  load: () => Promise<Chunks[K]> = () => loadChunk(name),
): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (!value) {
      const attempt = load().then(build);
      attempt.catch(() => {
        if (value === attempt) value = undefined;
      });
      value = attempt;
    }
    return value;
  };
}
