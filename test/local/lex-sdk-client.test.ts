/**
 * The unmodified AWS SDK Lex V2 runtime client (HTTP/2, SigV4, REST-JSON) talks to the local
 * platform's Lex stand-in: RecognizeTextCommand output, multi-turn session state, and errors
 * arriving as the SDK's typed exceptions.
 */
import {
  LexRuntimeV2Client,
  RecognizeTextCommand,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-lex-runtime-v2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';
import { MINI_MODEL } from './mini-model';

let platform: LocalPlatform;
let client: LexRuntimeV2Client;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-lex-sdk-'));
  platform = await startLocalPlatform({
    port: 0,
    quiet: true,
    model: MINI_MODEL,
    dataDir,
    sessions: 'memory',
  });
  client = new LexRuntimeV2Client({
    endpoint: platform.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-secret' },
  });
});

afterAll(async () => {
  client?.destroy();
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const recognize = (text: string, sessionId: string, extra: Record<string, unknown> = {}) =>
  client.send(
    new RecognizeTextCommand({
      botId: platform.bot.id,
      botAliasId: platform.bot.aliasId,
      localeId: 'en_US',
      sessionId,
      text,
      ...extra,
    }),
  );

test('GIVEN the SDK client WHEN it sends a RecognizeTextCommand THEN it returns messages, session state, interpretations, request attributes and session id', async () => {
  // GIVEN the local platform and the SDK client pointed at it
  // WHEN the client sends a first turn with request attributes
  const out = await recognize('where is my order', 'sdk-1', { requestAttributes: { channel: 'sdk' } });
  // THEN the output has every documented RecognizeText field, as the SDK deserializes it
  expect(out.$metadata.httpStatusCode).toBe(200);
  expect(out.sessionId).toBe('sdk-1');
  expect(out.messages).toEqual([{ contentType: 'PlainText', content: 'What is your order number?' }]);
  expect(out.sessionState?.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'OrderNumber' });
  expect(out.sessionState?.intent).toMatchObject({
    name: 'CheckOrderStatus',
    state: 'InProgress',
    confirmationState: 'None',
  });
  expect(out.sessionState?.sessionAttributes).toMatchObject({
    turn: '1',
    language: 'en',
    lastIntent: 'CheckOrderStatus',
  });
  expect(out.requestAttributes).toEqual({ channel: 'sdk' });
  expect(out.interpretations?.[0]).toMatchObject({
    intent: { name: 'CheckOrderStatus' },
    interpretationSource: 'Lex',
  });
  expect(out.interpretations?.[0]?.nluConfidence?.score).toBeGreaterThanOrEqual(0.4);
  expect(
    out.interpretations?.some((i) => i.intent?.name === 'FallbackIntent' && i.nluConfidence === undefined),
  ).toBe(true);

  // AND the next turn of the same session fills the slot and closes the intent
  const next = await recognize('ORD-54321', 'sdk-1');
  expect(next.sessionState?.intent).toMatchObject({
    name: 'CheckOrderStatus',
    state: 'Fulfilled',
    slots: {
      OrderNumber: {
        value: { originalValue: 'ORD-54321', interpretedValue: 'ORD-54321', resolvedValues: ['ORD-54321'] },
      },
    },
  });
  expect(next.messages?.[0]?.content).toContain('ORD-54321');
  expect(next.sessionState?.sessionAttributes?.turn).toBe('2');
});

test('GIVEN the test bot and alias ids WHEN a turn is sent to them THEN it is answered too', async () => {
  const out = await client.send(
    new RecognizeTextCommand({
      botId: 'TSTBOTID00',
      botAliasId: 'TSTALIASID',
      localeId: 'es_US',
      sessionId: 'sdk-2',
      text: 'hola',
    }),
  );
  expect(out.sessionState?.intent?.name).toBe('Greeting');
  expect(out.messages?.[0]?.content).toBe('¡Hola! ¿En qué puedo ayudarte?');
});

test('GIVEN the SDK client WHEN a request fails THEN the error arrives as the SDK’s typed exception', async () => {
  await expect(
    client.send(
      new RecognizeTextCommand({
        botId: 'UNKNOWNBOT',
        botAliasId: 'TSTALIASID',
        localeId: 'en_US',
        sessionId: 'sdk-3',
        text: 'hi',
      }),
    ),
  ).rejects.toBeInstanceOf(ResourceNotFoundException);
  await expect(recognize('x'.repeat(1025), 'sdk-3')).rejects.toBeInstanceOf(ValidationException);
  const notFound = await recognize('hi', 'sdk-3', { localeId: 'fr_FR' }).catch((e: unknown) => e);
  expect(notFound).toBeInstanceOf(ResourceNotFoundException);
  expect((notFound as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
});

test('GIVEN a plain HTTP/1.1 JSON client WHEN it posts a turn THEN it gets the same protocol', async () => {
  const res = await fetch(
    `${platform.url}/bots/TSTBOTID00/botAliases/TSTALIASID/botLocales/en_US/sessions/http-1/text`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello', sessionState: { sessionAttributes: { from: 'curl' } } }),
    },
  );
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    sessionId: string;
    sessionState: { sessionAttributes: Record<string, string> };
  };
  expect(body.sessionId).toBe('http-1');
  expect(body.sessionState.sessionAttributes.from).toBe('curl');

  const bad = await fetch(
    `${platform.url}/bots/TSTBOTID00/botAliases/TSTALIASID/botLocales/en_US/sessions/http-1/text`,
    {
      method: 'POST',
      body: '{not json',
    },
  );
  expect(bad.status).toBe(400);
  expect(bad.headers.get('x-amzn-errortype')).toBe('ValidationException');
});
