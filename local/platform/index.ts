/**
 * The local platform, composed: the stand-ins (adapters.ts) -> the REAL fulfillment logic,
 * composed as in Lambda (composeFulfillment) -> the local Lex runtime whose code hook it is ->
 * one HTTP server (router.ts, health.ts) -> the REAL channel Lambda handler (channel.ts),
 * pointed at that server. Prints one line per substitution, then how to reach it.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LOCALES, type BotModel, type LocaleId } from '../../contracts/bot-model/types';
import { DEV } from '../../lib/config/environments';
import type { EnvironmentConfig } from '../../lib/config/types';
import { composeFulfillment, type FulfillmentLambdaHandler } from '../../src/fulfillment/compose';
import { createTicketsApi } from '../../src/tickets-api/routes';
import { createDualServer, type DualServer, type DualServerOptions, type Handler } from '../dual-protocol';
import { LocalFaults } from '../faults';
import { startLocalKnowledge, type LocalKnowledge } from '../knowledge/platform';
import { withKnowledgeRoutes } from '../knowledge/routes';
import { LexRuntime, type BotIdentity } from '../lex/lex-runtime';
import { LOCAL_DEPENDENCY_TIMEOUT_MS, startAdapters, type LocalAdapters } from './adapters';
import { withAdminRoutes } from './admin';
import { DEFAULT_PER_IDENTITY_BURST, DEFAULT_PER_IDENTITY_RATE } from '../../lib/config/types';
import { LocalAuth } from '../identity/gateway';
import { gateLine, loadChannelHandler, type LocalGateSettings } from './channel';
import { createHealth } from './health';
import { createRouter, routeLines, type ChannelHandler } from './router';
import { readSettings, type PlatformSettings } from './settings';
import { createLocalWeb } from './web';
import {
  LOCAL_BOT_ALIAS_ID,
  LOCAL_BOT_ID,
  TEST_BOT_ALIAS_ID,
  TEST_BOT_ID,
  type Cleanup,
  type LocalPlatform,
  type LocalPlatformOptions,
  type ShutdownReport,
} from './types';

export * from './types';

const LAMBDA_LINE = `Lambda (code hook)   -> createFulfillmentHandler in-process (src/fulfillment/create-handler.ts)`;

export async function startLocalPlatform(opts: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const t0 = performance.now();
  const log = opts.quiet ? (): void => undefined : (line: string): void => console.log(line);
  const env = opts.environment ?? DEV;
  const { BOT_MODEL, validateBotModel } = await import('../../contracts/bot-model');
  // The real model is validated before the NLU trains on it; a model a test injects is the test's own.
  const model = opts.model ?? validateBotModel(BOT_MODEL);
  const locales = LOCALES.filter((l) => l in model.locales);
  const dataDir = resolve(opts.dataDir ?? process.env.LOCAL_DATA_DIR ?? '.local-data');
  mkdirSync(dataDir, { recursive: true });
  const logLevel = configurePowertools(opts.quiet);
  const settings = readSettings(opts);
  const faults = new LocalFaults(settings.faults);
  const cleanup: Cleanup = [];
  // the web chat builds (esbuild, its own process) while the stand-ins start
  const web = createLocalWeb({ env, locales });
  // API Gateway's IAM auth and the Cognito Identity stand-in; signing region = config.json's
  const auth = new LocalAuth(settings.auth, env.region);
  try {
    const options = { ...opts, eventBuffer: settings.eventBuffer, tickets: settings.tickets };
    const adapters = await startAdapters(
      { model, env, locales, dataDir, logLevel, options, faults },
      cleanup,
    );
    const knowledge = settings.knowledgeDir
      ? await startLocalKnowledge({ dir: settings.knowledgeDir, locales, log, cleanup })
      : undefined;
    const bot = botIdentity(model);
    const fulfillment = composeLocal(adapters, model, env, locales, knowledge);
    const lex = createLexRuntime(adapters, bot, env, locales, fulfillment);
    let channel: ChannelHandler | undefined = undefined; // set once the server knows its URL
    const health = createHealth({
      adapters,
      lex,
      bot,
      locales,
      model,
      env,
      dataDir,
      faults,
      startedAt: new Date(),
    });
    const router = withKnowledgeRoutes(
      knowledge?.kb,
      withAdminRoutes(
        faults,
        createRouter({
          lex,
          health,
          channel: () => channel,
          tickets: createTicketsApi({
            store: adapters.tickets.store,
            // the same index the knowledge answers use: suggestions from the sample documents
            suggestions: knowledge?.kb,
          }),
          web,
          auth,
        }),
        log,
      ),
    );
    // the gate closes after the HTTP servers have drained (cleanup runs in reverse)
    let closeChannel = async (): Promise<void> => undefined;
    cleanup.push(() => closeChannel());
    const servers = await listenBoth(router, opts, settings, cleanup);
    const { url, port } = servers;
    const gate = gateSettings(env, adapters);
    const localChannel = await loadChannelHandler(servers.internalUrl, locales, gate, adapters.feedback);
    closeChannel = () => localChannel.close();
    channel = localChannel.handler;
    await web.ready;
    const startupMs = Math.round(performance.now() - t0);
    const { nlu: nluLine, services } = adapters.lines();
    const substitutions = [
      ...routeLines(url, locales),
      auth.line(url),
      gateLine(localChannel, gate),
      nluLine,
      LAMBDA_LINE,
      ...services,
      ...(knowledge ? [knowledge.line()] : []),
    ];
    log(`Local conversational platform (${model.name}) — substitutions for the AWS services:`);
    for (const line of substitutions) log(`  ${line}`);
    if (faults.list().length) log(`Fault switches: ${faults.list().join(', ')} switched off (LOCAL_FAULTS)`);
    log(
      `Ready in ${startupMs} ms: open ${url}/ (the chat; embedded in a page: ${url}/embed-demo.html; health: ${url}/v1/health)`,
    );
    return handle(
      { url, port, startupMs, substitutions, bot, dataDir, lex, faults, auth },
      adapters,
      servers,
      cleanup,
    );
  } catch (err) {
    await runCleanup(cleanup);
    throw err;
  }
}

/** What startLocalPlatform returns: where it is, what it runs on, and how to stop it. */
function handle(
  parts: Pick<
    LocalPlatform,
    'url' | 'port' | 'startupMs' | 'substitutions' | 'bot' | 'dataDir' | 'lex' | 'faults' | 'auth'
  >,
  adapters: LocalAdapters,
  servers: { shutdown: () => ShutdownReport | undefined },
  cleanup: Cleanup,
): LocalPlatform {
  let stopping: Promise<void> | undefined;
  const { endpoint, tableName, doc } = adapters.dynamo;
  return {
    ...parts,
    nlu: adapters.nlu,
    tickets: adapters.tickets,
    dynamo: { endpoint, tableName, doc },
    sessions: adapters.sessionsInfo,
    events: adapters.events,
    get shutdown() {
      return servers.shutdown();
    },
    stop() {
      stopping ??= runCleanup(cleanup);
      return stopping;
    },
  };
}

/**
 * The channel's conversation gate: the sessions' Redis (their key prefix) or memory, the
 * environment's per-identity bucket, and ownership for as long as Lex or the session store keeps
 * the conversation (as bot-stack.ts sets it).
 */
function gateSettings(env: EnvironmentConfig, adapters: LocalAdapters): LocalGateSettings {
  const { sessionsInfo } = adapters;
  return {
    ...(sessionsInfo.kind !== 'memory' && sessionsInfo.url ? { redisUrl: sessionsInfo.url } : {}),
    keyPrefix: sessionsInfo.keyPrefix,
    ratePerSecond: env.api.perIdentityRate ?? DEFAULT_PER_IDENTITY_RATE,
    burst: env.api.perIdentityBurst ?? DEFAULT_PER_IDENTITY_BURST,
    ownerTtlSeconds: Math.max(env.bot.idleSessionTtlSeconds, env.redis.sessionTtlSeconds),
  };
}

/**
 * Powertools in a terminal: warnings and errors only (LOG_LEVEL / POWERTOOLS_LOG_LEVEL win);
 * EMF goes to a file (FileMetrics), not stdout; no X-Ray daemon locally, so no tracing (and the
 * X-Ray SDK in manual mode). Returns the log level.
 */
function configurePowertools(quiet: boolean | undefined): string {
  const logLevel = quiet ? 'SILENT' : (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'WARN');
  process.env.POWERTOOLS_LOG_LEVEL ??= logLevel;
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
  // Tracing off: the X-Ray SDK (loaded by the handlers' Tracer) in manual mode, so it does not
  // install its async hook, which tracked every promise's destruction (~10% of the CPU under load)
  if (process.env.POWERTOOLS_TRACE_ENABLED === 'false') process.env.AWS_XRAY_MANUAL_MODE ??= 'true';
  return logLevel;
}

/** The fulfillment handler, composed exactly as the Lambda entry point composes it, with the stand-ins. */
function composeLocal(
  adapters: LocalAdapters,
  model: BotModel,
  env: EnvironmentConfig,
  locales: LocaleId[],
  knowledge: LocalKnowledge | undefined,
): FulfillmentLambdaHandler {
  const ports = { ...adapters.ports, knowledge: knowledge?.kb };
  return composeFulfillment(ports, {
    config: {
      environment: 'local',
      ttlDays: env.dynamodb.ttlDays,
      sessionTtlSeconds: env.redis.sessionTtlSeconds,
      locales,
      streamTranscripts: env.bot.streamTranscripts,
      dependencyTimeoutMs: LOCAL_DEPENDENCY_TIMEOUT_MS,
      supportDesk: env.tickets.supportDesk,
    },
    model,
    logger: adapters.logger,
    metrics: adapters.metrics,
  });
}

function botIdentity(model: BotModel): BotIdentity {
  return { id: LOCAL_BOT_ID, name: model.name, aliasId: LOCAL_BOT_ALIAS_ID, aliasName: 'live', version: '1' };
}

/** The Lex runtime, whose code hook is the fulfillment handler. */
function createLexRuntime(
  adapters: LocalAdapters,
  bot: BotIdentity,
  env: EnvironmentConfig,
  locales: LocaleId[],
  fulfillment: FulfillmentLambdaHandler,
): LexRuntime {
  return new LexRuntime({
    nlu: adapters.nlu,
    bot,
    botIdAliases: [TEST_BOT_ID],
    aliasIdAliases: [TEST_BOT_ALIAS_ID],
    locales,
    idleSessionTtlSeconds: env.bot.idleSessionTtlSeconds,
    // The Lambda boundary: the event and the response cross it as JSON.
    codeHook: async (event) =>
      JSON.parse(JSON.stringify(await fulfillment(JSON.parse(JSON.stringify(event))))),
  });
}

/**
 * The public port (PORT, HOST) and a loopback port of the platform's own, with the same routes:
 * the channel handler's Lex client calls the Lex runtime there, so draining the public port on
 * stop (no new requests) does not cut in-flight turns off from Lex. Stopping drains the public
 * port first (until the deadline), then closes the internal one.
 */
async function listenBoth(
  router: Handler,
  opts: LocalPlatformOptions,
  settings: PlatformSettings,
  cleanup: Cleanup,
): Promise<{ url: string; port: number; internalUrl: string; shutdown: () => ShutdownReport | undefined }> {
  const internal = createDualServer(router, settings.http);
  await internal.listen(0, '127.0.0.1');
  cleanup.push(async () => {
    await internal.close({ deadlineMs: 1000, graceMs: 0 });
  });
  const internalUrl = `http://127.0.0.1:${(internal.net.address() as AddressInfo).port}`;
  const { server, url, port } = await listenPublic(router, opts, settings.http);
  let report: ShutdownReport | undefined;
  cleanup.push(async () => {
    report = await server.close({ deadlineMs: settings.shutdownTimeoutMs });
  });
  return { url, port, internalUrl, shutdown: () => report };
}

async function listenPublic(
  router: Handler,
  opts: LocalPlatformOptions,
  http: DualServerOptions,
): Promise<{ server: DualServer; url: string; port: number }> {
  const requestedPort = opts.port ?? Number(process.env.PORT ?? 3000);
  const host = opts.host ?? process.env.HOST ?? '127.0.0.1';
  const server = createDualServer(router, http);
  try {
    await server.listen(requestedPort, host);
  } catch (err) {
    await server.close({ deadlineMs: 0 });
    throw err;
  }
  const { port } = server.net.address() as AddressInfo;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port };
}

/** Stops in reverse order of start: HTTP first (no new turns), then events, sessions, stores. */
async function runCleanup(cleanup: Cleanup): Promise<void> {
  for (const step of [...cleanup].reverse()) {
    try {
      await step();
    } catch (err) {
      console.error('[local] shutdown step failed:', (err as Error).message);
    }
  }
}
