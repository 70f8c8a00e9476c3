/**
 * The local platform (`npm start`): the whole conversation path on one machine, no AWS.
 *
 *   HTTP  POST /v1/conversations/{id}/messages
 *     -> the REAL channel Lambda handler (src/handlers/channel.ts), fed the API Gateway HTTP API
 *        v2 event; its own LexRuntimeV2Client is pointed (LEX_ENDPOINT_URL) at
 *     -> the local Lex V2 runtime (RecognizeText REST protocol; on the same port for any client,
 *        on a loopback port of its own for the channel handler), whose NLU is
 *        nlp.js trained from contracts/bot-model, and whose code hook is
 *     -> the REAL fulfillment logic (composeFulfillment, as in Lambda) with local adapters:
 *        dynalite (DynamoDB), Redis / child redis-server / in-memory (sessions), NDJSON files
 *        (Kinesis -> Firehose -> S3), nlp.js sentiment (Comprehend), EMF to a file (CloudWatch),
 *        each behind a fault switch (local/faults.ts).
 *   GET /            the web chat (web/, served by local/platform/web.ts; /embed-demo.html embeds it)
 *   GET /v1/health   every dependency's state
 *   /local/faults    the fault switches (loopback clients only)
 *
 * Every substitution is printed at start-up, one line each. This file is the `npm start` entry
 * (`exec node --import tsx local/server.ts`: the signals reach this process, no tsx CLI in
 * between): start; on SIGINT/SIGTERM drain the requests in flight, write what is pending, stop,
 * exit 0; a port in use is one line and exit 1. local/platform holds the pieces: adapters.ts (the
 * stand-ins), router.ts (the HTTP routes), admin.ts (/local/faults), health.ts (/v1/health),
 * channel.ts (the channel handler) and index.ts (startLocalPlatform, which composes them).
 */
import { startLocalPlatform, type LocalPlatform, type ShutdownReport } from './platform';
import { SettingsError } from './platform/settings';

export * from './platform';

// ---- npm start ------------------------------------------------------------------------------
/**
 * The one line a start-up failure prints: a port in use or not allowed says how to pick another,
 * a bad setting names its variable; anything else is unexpected and keeps its stack.
 */
export function startFailureLine(err: unknown, requestedPort = process.env.PORT ?? '3000'): string {
  const e = err as NodeJS.ErrnoException & { port?: number };
  const port = e.port ?? Number(requestedPort);
  const next = Number.isInteger(port) && port > 0 && port < 65535 ? port + 1 : 3001;
  if (e.code === 'EADDRINUSE' || e.code === 'EACCES') {
    const why = e.code === 'EADDRINUSE' ? 'is already in use' : 'is not allowed for this user';
    return `Port ${port} ${why} (${e.code}): pick another one, e.g. PORT=${next} npm start (PORT=0 takes any free port)`;
  }
  if (err instanceof SettingsError) return `The local platform did not start: ${err.message}`;
  return `The local platform did not start: ${e.stack ?? String(err)}`;
}

/** "Drained 45 in-flight request(s) (and 5 arriving ...)." */
function drainedLine(s: ShutdownReport): string {
  const late = s.lateArrivals ? ` (and ${s.lateArrivals} arriving on open connections as it began)` : '';
  const cut = s.cutOff ? `; ${s.cutOff} still unanswered at the deadline were cut off` : '';
  return `Drained ${s.inFlight} in-flight request(s)${late}${cut}.`;
}

/**
 * The signal handlers are in place before anything starts: a signal during start-up (Ctrl+C
 * while the NLU trains) stops the platform as soon as it has started, instead of killing the
 * process with a child redis-server left behind.
 */
function main(): void {
  let platform: LocalPlatform | undefined;
  let signalled: string | undefined;
  let stopping = false;
  const shutdown = (signal: string): void => {
    signalled ??= signal;
    // npm forwards the terminal's Ctrl+C too: the second signal is the same request
    if (!platform || stopping) return;
    stopping = true;
    const started = platform;
    console.log(`\n${signalled}: draining in-flight requests, flushing events and stopping...`);
    started
      .stop()
      .then(() => {
        if (started.shutdown) console.log(drainedLine(started.shutdown));
        console.log('Stopped.');
        process.exit(0);
      })
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  console.log('Starting the local platform...');
  startLocalPlatform()
    .then((p) => {
      platform = p;
      if (signalled) shutdown(signalled);
    })
    .catch((err: unknown) => {
      console.error(startFailureLine(err));
      process.exit(1);
    });
}

if (require.main === module) main();
