/**
 * Each invocation logs with its own keys, even when invocations overlap (the local platform runs
 * many conversations at once in one process, through one shared Logger per handler): 50
 * conversations at once through the fulfillment handler and through the channel handler, with
 * their dependencies answering in random order, the real Powertools Logger at INFO and its
 * output captured. Every line that names a conversation names its own.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { LexRuntimeV2Client, RecognizeTextCommand } from '@aws-sdk/client-lex-runtime-v2';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { InMemoryConversationGate } from '../../../local/adapters/memory-conversation-gate';
import { createChannelHandler } from '../../../src/channel/create-handler';
import { createFulfillmentHandler } from '../../../src/fulfillment/create-handler';
import type { SessionState } from '../../../src/ports';
import { iamPrincipal } from '../../helpers/callers';
import { baseDeps, capturedMetrics, fixedSentiment, lexEvent, TEST_CONFIG } from '../fixtures';

const CONVERSATIONS = 50;
const TURNS = 3;
const ids = Array.from({ length: CONVERSATIONS }, (_, i) => i);
const delay = (): Promise<void> => new Promise((r) => setTimeout(r, Math.floor(Math.random() * 15)));

type Line = Record<string, unknown>;

/** Runs `fn` with stdout and stderr captured; the JSON log lines written meanwhile. */
async function capturingLogs(fn: () => Promise<unknown>): Promise<Line[]> {
  const lines: Line[] = [];
  const capture = (chunk: unknown): boolean => {
    for (const text of String(chunk).split('\n')) {
      if (text.startsWith('{')) lines.push(JSON.parse(text) as Line);
    }
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await fn();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines;
}

const infoLogger = (serviceName: string): Logger => new Logger({ serviceName, logLevel: 'INFO' });

test(`GIVEN the fulfillment handler WHEN ${CONVERSATIONS} conversations run at once THEN every line names its own conversation`, async () => {
  // conversation n writes on channel `cn`; on its second turn its session read fails with an error
  // named `En`: both end up in its log lines, so each line says whose it is
  const sessions = new Map<string, SessionState>();
  const { metrics } = capturedMetrics();
  const handler = createFulfillmentHandler(
    baseDeps({
      metrics,
      // a generous budget: the failures this test is about are its own, never a slow machine's timeouts
      config: { ...TEST_CONFIG, dependencyTimeoutMs: 10_000 },
      logger: infoLogger('fulfillment'),
      sentiment: fixedSentiment('NEUTRAL'),
      sessions: {
        get: async (id) => {
          await delay();
          const n = Number(id.split('-')[1]);
          const stored = sessions.get(id);
          if (stored?.turn === 1) throw Object.assign(new Error('down'), { name: `E${n}` });
          return stored;
        },
        put: async (id, state) => {
          await delay();
          sessions.set(id, state);
        },
      },
    }),
  );

  const lines = await capturingLogs(() =>
    Promise.all(
      ids.map(async (n) => {
        for (let turn = 1; turn <= TURNS; turn++) {
          await handler(
            lexEvent({ sessionId: `conv-${n}`, requestAttributes: { channel: `c${n}` }, text: 'hello' }),
          );
        }
      }),
    ),
  );

  const handled = lines.filter((l) => l.message === 'turn handled');
  expect(handled).toHaveLength(CONVERSATIONS * TURNS);
  for (const line of handled) {
    expect(line).toMatchObject({ sessionId: `conv-${String(line.channel).slice(1)}`, locale: 'en_US' });
    expect(line.turn).toEqual(expect.any(Number));
  }
  // turns 2 and 3 of each conversation read a session that fails (a failed read skips the put)
  const degraded = lines.filter((l) => l.message === 'session get degraded');
  expect(degraded).toHaveLength(CONVERSATIONS * (TURNS - 1));
  for (const line of degraded) {
    expect(line.sessionId).toBe(`conv-${String(line.errorName).slice(1)}`);
  }
  for (const n of ids) {
    expect(handled.filter((l) => l.sessionId === `conv-${n}`)).toHaveLength(TURNS);
  }
});

test(`GIVEN the channel handler WHEN ${CONVERSATIONS} requests arrive at once THEN every line names its own conversation`, async () => {
  // Lex answers conversation n with intent `In`, in random order
  const lexMock = mockClient(LexRuntimeV2Client);
  lexMock.on(RecognizeTextCommand).callsFake(async (input: { sessionId: string }) => {
    await delay();
    const n = input.sessionId.split('-')[1];
    return {
      sessionId: input.sessionId,
      messages: [{ contentType: 'PlainText', content: 'ok' }],
      sessionState: { dialogAction: { type: 'Close' }, intent: { name: `I${n}`, state: 'Fulfilled' } },
      interpretations: [{ intent: { name: `I${n}`, state: 'Fulfilled' }, nluConfidence: { score: 0.9 } }],
    };
  });
  const { metrics } = capturedMetrics();
  const handler = createChannelHandler({
    lex: new LexRuntimeV2Client({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    }),
    botId: 'BOTID12345',
    botAliasId: 'ALIAS12345',
    locales: ['en_US'],
    logger: infoLogger('channel'),
    metrics,
    gate: new InMemoryConversationGate({ ratePerSecond: 1, burst: 1, ownerTtlSeconds: 60 }),
  });
  const event = (id: string): APIGatewayProxyEventV2 =>
    ({
      version: '2.0',
      rawPath: `/v1/conversations/${id}/messages`,
      requestContext: { http: { method: 'POST' }, authorizer: { iam: iamPrincipal() } },
      pathParameters: { conversationId: id },
      body: JSON.stringify({ text: 'hello' }),
      isBase64Encoded: false,
    }) as unknown as APIGatewayProxyEventV2;

  try {
    const lines = await capturingLogs(() =>
      Promise.all(ids.flatMap((n) => [1, 2].map(() => handler(event(`conv-${n}`))))),
    );

    const answered = lines.filter((l) => l.message === 'message answered');
    expect(answered).toHaveLength(CONVERSATIONS * 2);
    for (const line of answered) {
      expect(line.sessionId).toBe(`conv-${String(line.intent).slice(1)}`);
    }
  } finally {
    lexMock.restore();
  }
});
