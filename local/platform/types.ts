/** What `startLocalPlatform` (local/platform/index.ts) takes and returns, and the bot ids it answers to. */
import type { BotModel } from '../../contracts/bot-model/types';
import type { EnvironmentConfig } from '../../lib/config/types';
import type { BufferedEventSink, BufferedEventSinkOptions } from '../adapters/buffered-event-sink';
import type { DualServerOptions } from '../dual-protocol';
import type { FaultTarget, LocalFaults } from '../faults';
import type { LocalAuth, LocalAuthMode } from '../identity/gateway';
import type { BotIdentity, LexRuntime } from '../lex/lex-runtime';
import type { LocalNlu } from '../nlu/local-nlu';
import type { LocalDynamo } from '../stores/dynamo';
import type { LocalTickets, LocalTicketsOptions } from '../tickets';

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
  /** Dependencies switched off from the start (local/faults.ts). @default LOCAL_FAULTS or none */
  faults?: readonly FaultTarget[];
  /** HTTP/1 timeouts. @default LOCAL_HEADERS_TIMEOUT_MS / LOCAL_REQUEST_TIMEOUT_MS or Node's 60 s / 300 s */
  http?: DualServerOptions;
  /** stop(): in-flight requests still unanswered after this are cut off, ms. @default LOCAL_SHUTDOWN_TIMEOUT_MS or 10000 */
  shutdownTimeoutMs?: number;
  /** The event sink's retry buffer. @default LOCAL_EVENTS_BUFFER_MAX / LOCAL_EVENTS_MAX_AGE_MS or 10000 events / 30 s */
  eventBuffer?: BufferedEventSinkOptions;
  /**
   * The documents the knowledge stand-in answers from (one sub-folder per locale), or false for no
   * knowledge answers. @default KNOWLEDGE_DIR or the sample documents (knowledge/)
   */
  knowledgeDir?: string | false;
  /** The local ticket queue's timings. @default LOCAL_TICKETS_VISIBILITY_MS or config tickets.visibilityTimeoutSeconds; 1 s long poll */
  tickets?: LocalTicketsOptions;
  /** IAM auth of the conversation API: 'unsigned' accepts unsigned requests too, 'sigv4' only signed ones. @default LOCAL_AUTH or 'unsigned' */
  auth?: LocalAuthMode;
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
  /** The event sink (NDJSON files behind a retry buffer and a dead-letter file). */
  readonly events: BufferedEventSink;
  /** The fault switches (also POST /local/faults). */
  readonly faults: LocalFaults;
  /** The ticket queue, worker, table and bus file (local/tickets). */
  readonly tickets: LocalTickets;
  readonly lex: LexRuntime;
  readonly nlu: LocalNlu;
  /** The IAM auth mode and the Cognito Identity stand-in's pool (issued credentials). */
  readonly auth: LocalAuth;
  /** Drains in-flight requests (until shutdownTimeoutMs), then writes what is pending and stops everything. */
  stop(): Promise<void>;
  /** What stop() found in flight and how it ended; undefined until it has drained. */
  readonly shutdown: ShutdownReport | undefined;
}

export interface ShutdownReport {
  /** Requests being served when stop() began. */
  readonly inFlight: number;
  /** Requests that arrived on open connections just after, and were served. */
  readonly lateArrivals: number;
  /** Requests still unanswered at the deadline. */
  readonly cutOff: number;
}

/** Shutdown steps, pushed as things start; run in reverse order (local/platform/index.ts). */
export type Cleanup = (() => Promise<void>)[];
