/**
 * The fulfillment logic against a real Redis and a real DynamoDB implementation (dynalite):
 * an English and a Spanish multi-turn conversation that fills a slot across turns, then Redis
 * going away mid-conversation. Answers are checked against the bot model the handler uses.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type Redis from 'ioredis';
import fc from 'fast-check';
import * as v from 'valibot';
import { BOT_MODEL } from '../../contracts/bot-model';
import type { LocaleId, PatternSlotType } from '../../contracts/bot-model/types';
import { Metric } from '../../contracts/metrics';
import { ConversationTableSchema } from '../../contracts/runtime-env';
import { DynamoContextStore } from '../../src/adapters/dynamo-context-store';
import { createRedisClient, RedisSessionStore } from '../../src/adapters/redis-session-store';
import { createFulfillmentHandler } from '../../src/fulfillment/create-handler';
import type { LexV2CodeHookResponse } from '../../src/lex/types';
import { LexV2ResponseSchema } from '../../src/lex/response';
import {
  capturedMetrics,
  fixedSentiment,
  lexEvent,
  MemoryEventSink,
  scalar,
  silentLogger,
  TEST_CONFIG,
} from '../src/fixtures';
import { deleteKeys, type Dynalite, REDIS_URL, startDynalite, uniquePrefix } from './helpers';

const SESSION_TTL = 600;
const TTL_DAYS = 3;

const orderType = BOT_MODEL.slotTypes.find(
  (t): t is PatternSlotType => t.kind === 'pattern' && t.name === 'OrderNumber',
);
const orderIntent = BOT_MODEL.intents.find((i) => i.name === 'CheckOrderStatus')!;
const orderSlot = orderIntent.slots.find((s) => s.name === 'OrderNumber')!;
/** A value the model's own pattern accepts, generated from it (not hard-coded). */
const validOrderNumber = fc.sample(fc.stringMatching(new RegExp(`^(?:${orderType!.jsRegex})$`)), {
  numRuns: 1,
  seed: 7,
})[0];

const answers = (intent: string, locale: LocaleId, values: Record<string, string> = {}): string[] =>
  BOT_MODEL.intents
    .find((i) => i.name === intent)!
    .responses[locale].map((t) =>
      t
        .replace(/\{(\w+)\}/g, (_, n: string) => values[n] ?? '')
        .replace(/\s{2,}/g, ' ')
        .trim(),
    );

describe('a conversation against real Redis and dynalite', () => {
  const prefix = uniquePrefix();
  let admin: Redis;
  let redis: Redis;
  let db: Dynalite;

  beforeAll(async () => {
    admin = createRedisClient({ url: REDIS_URL });
    await admin.connect();
    redis = createRedisClient({ url: REDIS_URL });
    db = await startDynalite();
  });

  afterAll(async () => {
    await deleteKeys(admin, prefix);
    redis.disconnect();
    await admin.quit();
    await db.stop();
  });

  function conversation() {
    const { metrics, counts } = capturedMetrics();
    const sessions = new RedisSessionStore(redis, { ttlSeconds: SESSION_TTL, keyPrefix: prefix });
    const events = new MemoryEventSink();
    const handler = createFulfillmentHandler({
      sessions,
      context: new DynamoContextStore(db.doc, { tableName: db.tableName, ttlDays: TTL_DAYS }),
      events,
      sentiment: fixedSentiment('NEUTRAL'),
      // the order source knows the generated order number: the answer is its status
      orders: {
        find: async (orderNumber: string) =>
          orderNumber === validOrderNumber
            ? { kind: 'found' as const, order: { orderNumber, status: 'shipped' as const } }
            : { kind: 'not-found' as const },
      },
      metrics,
      logger: silentLogger(),
      config: { ...TEST_CONFIG, ttlDays: TTL_DAYS, sessionTtlSeconds: SESSION_TTL, dependencyTimeoutMs: 500 },
      model: BOT_MODEL,
    });
    let attrs: Record<string, string> = {};
    const say = async (o: Parameters<typeof lexEvent>[0]): Promise<LexV2CodeHookResponse> => {
      const res = await handler(lexEvent({ ...o, sessionAttributes: attrs }));
      expect(v.safeParse(LexV2ResponseSchema, res).success).toBe(true);
      attrs = res.sessionState.sessionAttributes ?? {};
      return res;
    };
    return { say, sessions, events, counts };
  }

  async function items(conversationId: string) {
    const out = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: '#pk = :id',
        ExpressionAttributeNames: { '#pk': ConversationTableSchema.partitionKey },
        ExpressionAttributeValues: { ':id': conversationId },
      }),
    );
    return out.Items ?? [];
  }

  test.each([
    ['en_US', 'conv-int-en-0001', 'hello', 'where is my order', 'thanks, bye'],
    ['es_US', 'conv-int-es-0001', 'hola', 'dónde está mi pedido', 'gracias, adiós'],
  ] as const)(
    'GIVEN a %s conversation filling the order number across turns WHEN it runs THEN Redis and DynamoDB hold it with TTLs',
    async (locale, id, hello, ask, bye) => {
      const { say, sessions } = conversation();
      const before = Math.floor(Date.now() / 1000);

      const greeting = await say({ sessionId: id, locale, intent: 'Greeting', text: hello });
      const elicit = await say({
        sessionId: id,
        locale,
        intent: 'CheckOrderStatus',
        source: 'DialogCodeHook',
        text: ask,
        slots: { OrderNumber: null },
      });
      const invalid = await say({
        sessionId: id,
        locale,
        intent: 'CheckOrderStatus',
        source: 'DialogCodeHook',
        text: '12',
        slots: { OrderNumber: scalar('12') },
      });
      const done = await say({
        sessionId: id,
        locale,
        intent: 'CheckOrderStatus',
        source: 'DialogCodeHook',
        text: validOrderNumber,
        slots: { OrderNumber: scalar(validOrderNumber) },
      });
      const goodbye = await say({ sessionId: id, locale, intent: 'Goodbye', text: bye });

      expect(answers('Greeting', locale)).toContain(greeting.messages?.[0].content);
      expect(elicit.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'OrderNumber' });
      expect(elicit.messages?.[0].content).toBe(orderSlot.prompt[locale]);
      expect(invalid.messages?.[0].content).toBe(orderSlot.invalidPrompt[locale]);
      expect(done.messages?.[0].content).toBe(
        BOT_MODEL.messages.orders.status.shipped[locale].replace('{OrderNumber}', validOrderNumber),
      );
      expect(done.sessionState.intent?.state).toBe('Fulfilled');
      expect(answers('Goodbye', locale)).toContain(goodbye.messages?.[0].content);

      // Redis: one session key per conversation, idle TTL, the state of the last turn.
      const key = sessions.keyOf(id);
      expect(key).toBe(`${prefix}conv:{${id}}:session`);
      const ttl = await admin.ttl(key);
      expect(ttl).toBeGreaterThan(SESSION_TTL - 30);
      expect(ttl).toBeLessThanOrEqual(SESSION_TTL);
      expect(JSON.parse((await admin.get(key))!)).toMatchObject({
        turn: 5,
        locale,
        language: BOT_MODEL.locales[locale].languageCode,
        lastIntent: 'Goodbye',
        escalated: false,
      });

      // DynamoDB: one item per turn, the TTL attribute = write time + ttlDays.
      const rows = await items(id);
      expect(rows.map((r) => [r.turn, r.intent])).toEqual([
        [1, 'Greeting'],
        [2, 'CheckOrderStatus'],
        [3, 'CheckOrderStatus'],
        [4, 'CheckOrderStatus'],
        [5, 'Goodbye'],
      ]);
      for (const row of rows) {
        expect(row.expiresAt).toBeGreaterThanOrEqual(before + TTL_DAYS * 86_400);
        expect(row.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + TTL_DAYS * 86_400);
        expect(row).toMatchObject({ locale, channel: 'web', sentiment: 'NEUTRAL' });
      }
      expect(rows[3].slots).toEqual({ OrderNumber: validOrderNumber });
    },
  );

  test('GIVEN Redis going away mid-conversation WHEN the conversation continues THEN it answers, keeps counting turns and counts SessionStoreUnavailable', async () => {
    const lost = createRedisClient({ url: REDIS_URL, connectTimeoutMs: 300, commandTimeoutMs: 200 });
    lost.on('error', () => undefined);
    const { metrics, counts } = capturedMetrics();
    const events = new MemoryEventSink();
    const handler = createFulfillmentHandler({
      sessions: new RedisSessionStore(lost, { ttlSeconds: SESSION_TTL, keyPrefix: prefix }),
      context: new DynamoContextStore(db.doc, { tableName: db.tableName, ttlDays: TTL_DAYS }),
      events,
      metrics,
      logger: silentLogger(),
      config: { ...TEST_CONFIG, dependencyTimeoutMs: 300 },
      model: BOT_MODEL,
    });
    const id = 'conv-int-redis-down';
    let attrs: Record<string, string> = {};
    const say = async (intent: string) => {
      const res = await handler(lexEvent({ sessionId: id, intent, sessionAttributes: attrs }));
      attrs = res.sessionState.sessionAttributes ?? {};
      return res;
    };

    await say('Greeting');
    await say('ProductInfo');
    expect(await admin.exists(`${prefix}conv:{${id}}:session`)).toBe(1);
    lost.disconnect(); // Redis is gone for this container
    const started = Date.now();
    const third = await say('Goodbye');

    expect(Date.now() - started).toBeLessThan(1000);
    expect(answers('Goodbye', 'en_US')).toContain(third.messages?.[0].content);
    expect(third.sessionState.sessionAttributes?.turn).toBe('3');
    expect(counts()[Metric.SessionStoreUnavailable]).toBe(1);
    expect((await items(id)).map((r) => r.turn)).toEqual([1, 2, 3]);
    expect(events.events.map((e) => e.degraded)).toEqual([[], [], [Metric.SessionStoreUnavailable]]);
  });
});
