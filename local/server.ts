/**
 * The local platform (`npm start`): the whole conversation path on one machine, no AWS.
 *
 *   HTTP  POST /v1/conversations/{id}/messages
 *     -> the REAL channel Lambda handler (src/handlers/channel.ts), fed the API Gateway HTTP API
 *        v2 event; its own LexRuntimeV2Client is pointed (LEX_ENDPOINT_URL) at
 *     -> the local Lex V2 runtime on the same port (RecognizeText REST protocol), whose NLU is
 *        nlp.js trained from contracts/bot-model, and whose code hook is
 *     -> the REAL fulfillment logic (composeFulfillment, as in Lambda) with local adapters:
 *        dynalite (DynamoDB), Redis / child redis-server / in-memory (sessions), NDJSON files
 *        (Kinesis -> Firehose -> S3), nlp.js sentiment (Comprehend), EMF to a file (CloudWatch).
 *   GET /            the web chat page (local/web)
 *   GET /v1/health   every dependency's state
 *
 * Every substitution is printed at start-up, one line each. This file is the `npm start` entry
 * (start, stop on SIGINT/SIGTERM); local/platform holds the pieces: adapters.ts (the stand-ins),
 * router.ts (the HTTP routes), health.ts (/v1/health), channel.ts (the channel handler) and
 * index.ts (startLocalPlatform, which composes them).
 */
import { startLocalPlatform } from './platform';

export * from './platform';

// ---- npm start ------------------------------------------------------------------------------
if (require.main === module) {
  startLocalPlatform()
    .then((platform) => {
      let stopping = false;
      const shutdown = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal}: flushing events and stopping...`);
        platform
          .stop()
          .then(() => {
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
    })
    .catch((err: unknown) => {
      console.error('The local platform did not start:', err);
      process.exit(1);
    });
}
