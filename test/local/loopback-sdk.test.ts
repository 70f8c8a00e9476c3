/**
 * The local platform's SDK clients on loopback (local/adapters/loopback-sdk.ts): no signature
 * computed, one keep-alive agent with room for the load generator's concurrency, used by the
 * dynalite client and the channel's Lex client; and the X-Ray SDK left without its async hook
 * while tracing is off (local/platform/index.ts).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { RecognizeTextCommand } from '@aws-sdk/client-lex-runtime-v2';
import Redis from 'ioredis';
import {
  LOOPBACK_MAX_SOCKETS,
  loopbackClientConfig,
  UNSIGNED_SIGNATURE,
} from '../../local/adapters/loopback-sdk';
import { loopbackLex } from '../../local/platform/channel';
import { startLocalPlatform } from '../../local/server';
import { startLocalDynamo } from '../../local/stores/dynamo';
import { deleteKeysWithPrefix } from '../../local/stores/redis';

/** A DynamoDB-like server on loopback: counts connections, keeps the headers it saw, answers ListTables. */
/** When the recorder answers the held requests anyway (fewer than `holdUntil` arrived). */
const HOLD_FALLBACK_MS = 3_000;

interface Recorder {
  readonly url: string;
  readonly server: Server;
  connections: number;
  readonly seen: IncomingMessage['headers'][];
  /** Holds every answer until this many requests are in at once (or HOLD_FALLBACK_MS has passed). */
  holdUntil: number;
}

async function recorder(): Promise<Recorder> {
  const held: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  const rec = { connections: 0, seen: [], holdUntil: 1 } as unknown as Recorder & { url: string };
  const server = createServer((req, res) => {
    rec.seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      held.push(() => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ TableNames: [] }));
      });
      const release = (): void => {
        clearTimeout(timer);
        timer = undefined;
        for (const answer of held.splice(0)) answer();
      };
      if (held.length >= rec.holdUntil) release();
      else timer ??= setTimeout(release, HOLD_FALLBACK_MS);
    });
  });
  server.on('connection', () => (rec.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(rec, { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  return rec;
}

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** The request as it leaves the client, after the signing step. */
function captureSigned(client: {
  middlewareStack: { addRelativeTo: (mw: unknown, opts: unknown) => void };
}): { headers?: Record<string, string> } {
  const captured: { headers?: Record<string, string> } = {};
  client.middlewareStack.addRelativeTo(
    (next: (a: { request: { headers: Record<string, string> } }) => Promise<unknown>) =>
      async (args: { request: { headers: Record<string, string> } }) => {
        captured.headers = { ...args.request.headers };
        return next(args);
      },
    { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'captureSigned' },
  );
  return captured;
}

describe('GIVEN a client with the loopback configuration', () => {
  let rec: Recorder;
  beforeEach(async () => {
    rec = await recorder();
  });
  afterEach(() => close(rec.server));

  test('WHEN it sends requests one after the other THEN they share one kept-alive connection and carry a SigV4-shaped header with no signature computed', async () => {
    const client = new DynamoDBClient(loopbackClientConfig(rec.url));
    for (let i = 0; i < 10; i++) await client.send(new ListTablesCommand({}));
    client.destroy();
    expect(rec.connections).toBe(1);
    expect(rec.seen).toHaveLength(10);
    for (const headers of rec.seen) {
      expect(headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/local\/loopback\/aws4_request, SignedHeaders=host;x-amz-date, Signature=/,
      );
      expect(headers.authorization).toContain(`Signature=${UNSIGNED_SIGNATURE}`);
      expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    }
  });

  test('WHEN more requests are in flight than the SDK default 50 sockets THEN none waits for a socket', async () => {
    const inFlight = 120;
    expect(LOOPBACK_MAX_SOCKETS).toBeGreaterThanOrEqual(inFlight);
    rec.holdUntil = inFlight; // answers only once all of them have arrived together
    const client = new DynamoDBClient(loopbackClientConfig(rec.url));
    const started = Date.now();
    await Promise.all(Array.from({ length: inFlight }, () => client.send(new ListTablesCommand({}))));
    client.destroy();
    // all arrived together before the fallback released the first 50 (the default agent's limit);
    // the fallback is long enough that a busy machine cannot reach it with all 120 connected
    expect(Date.now() - started).toBeLessThan(HOLD_FALLBACK_MS);
    expect(rec.connections).toBe(inFlight);
  });
});

describe('GIVEN the clients the local platform builds', () => {
  test('WHEN the dynalite client writes THEN its requests are not signed and dynalite accepts them', async () => {
    const dynamo = await startLocalDynamo('loopback-sdk-test');
    try {
      const captured = captureSigned(dynamo.client as never);
      const out = await dynamo.client.send(new ListTablesCommand({}));
      expect(out.TableNames).toContain('loopback-sdk-test');
      expect(captured.headers?.authorization).toContain(`Signature=${UNSIGNED_SIGNATURE}`);
    } finally {
      await dynamo.stop();
    }
  });

  test("WHEN the channel's Lex client calls the Lex runtime THEN its requests are not signed", async () => {
    const rec = await recorder();
    try {
      const lex = await loopbackLex(rec.url);
      // the recorder answers ListTables' JSON: what matters is the request that reached it
      await lex
        .send(
          new RecognizeTextCommand({
            botId: 'B',
            botAliasId: 'A',
            localeId: 'en_US',
            sessionId: 's-1',
            text: 'hi',
          }),
        )
        .catch(() => undefined);
      lex.destroy();
      expect(rec.seen[0]?.authorization).toContain(`Signature=${UNSIGNED_SIGNATURE}`);
    } finally {
      await close(rec.server);
    }
  });
});

test('GIVEN tracing is off locally WHEN the platform runs the real channel handler (which loads the X-Ray SDK) THEN the X-Ray SDK is in manual mode and installed no async hook', async () => {
  delete process.env.AWS_XRAY_MANUAL_MODE;
  delete process.env.POWERTOOLS_TRACE_ENABLED;
  const dataDir = mkdtempSync(join(tmpdir(), 'loopback-sdk-'));
  const prefix = `loopback-sdk-${process.pid}:`;
  const platform = await startLocalPlatform({
    port: 0,
    quiet: true,
    dataDir,
    redisKeyPrefix: prefix,
    knowledgeDir: false,
  });
  try {
    // the Redis path imports src/handlers/channel.ts (its module-scope Tracer loads aws-xray-sdk-core)
    expect(platform.sessions.kind).not.toBe('memory');
    const res = await fetch(`${platform.url}/v1/conversations/loopback-1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello', locale: 'en_US' }),
    });
    expect(res.status).toBe(200);
    // cls-hooked (loaded by the X-Ray SDK) sets process.namespaces; the SDK registers its
    // namespace there, and enables the async hook with it, in automatic mode only
    const { namespaces } = process as unknown as { namespaces?: Record<string, unknown> };
    expect(namespaces).toBeDefined();
    expect(namespaces?.AWSXRay).toBeFalsy();
    expect(process.env.AWS_XRAY_MANUAL_MODE).toBe('true');
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (platform.sessions.url) {
      const redis = new Redis(platform.sessions.url, { maxRetriesPerRequest: 1 });
      await deleteKeysWithPrefix(redis, prefix).finally(() => redis.disconnect());
    }
  }
}, 60_000);
