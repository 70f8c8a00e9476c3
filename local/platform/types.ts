/** What `startLocalPlatform` (local/platform/index.ts) takes and returns, and the bot ids it answers to. */
import type { BotModel } from '../../contracts/bot-model/types';
import type { EnvironmentConfig } from '../../lib/config/types';
import type { NdjsonEventSink } from '../adapters/ndjson-event-sink';
import type { BotIdentity, LexRuntime } from '../lex/lex-runtime';
import type { LocalNlu } from '../nlu/local-nlu';
import type { LocalDynamo } from '../stores/dynamo';

/** The ids the local Lex runtime answers to (Lex ids are 10 characters). */
export const LOCAL_BOT_ID = 'LOCALBOTID';
export const LOCAL_BOT_ALIAS_ID = 'LOCALALIAS';
/** Lex's test bot/alias placeholders, accepted as well. */
export const TEST_BOT_ID = 'TSTBOTID00';
export const TEST_BOT_ALIAS_ID = 'TSTALIASID';

export interface LocalPlatformOptions {
  /** @default PORT or 3000; 0 = a free port */
  port?: number;
  /** @default HOST or 127.0.0.1 */
  host?: string;
  /** @default REDIS_URL or redis://127.0.0.1:6379 */
  redisUrl?: string;
  /** @default LOCAL_DATA_DIR or .local-data */
  dataDir?: string;
  /** No console output (tests). */
  quiet?: boolean;
  /** Prefix of the Redis session keys (tests use a unique one). @default 'local:' */
  redisKeyPrefix?: string;
  /** Session store choice: 'auto' (Redis, else child redis-server, else memory) or 'memory'. @default 'auto' */
  sessions?: 'auto' | 'memory';
  /** The environment config whose bot/Redis/DynamoDB settings apply. @default DEV */
  environment?: EnvironmentConfig;
  /** The bot model. @default BOT_MODEL */
  model?: BotModel;
}

export interface SessionsInfo {
  readonly kind: 'redis' | 'child-redis' | 'memory';
  readonly url?: string;
  readonly keyPrefix: string;
}

export interface LocalPlatform {
  readonly url: string;
  readonly port: number;
  readonly startupMs: number;
  /** One line per substitution, as printed at start-up. */
  readonly substitutions: readonly string[];
  readonly bot: BotIdentity;
  readonly dataDir: string;
  readonly dynamo: Pick<LocalDynamo, 'endpoint' | 'tableName' | 'doc'>;
  readonly sessions: SessionsInfo;
  readonly events: NdjsonEventSink;
  readonly lex: LexRuntime;
  readonly nlu: LocalNlu;
  stop(): Promise<void>;
}

/** Shutdown steps, pushed as things start; run in reverse order (local/platform/index.ts). */
export type Cleanup = (() => Promise<void>)[];
