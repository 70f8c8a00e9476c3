/**
 * End to end over HTTP against a started local platform (real channel handler -> local Lex
 * runtime over the SDK -> real fulfillment handler -> dynalite, Redis, NDJSON files), driven by
 * the real bot model: an English and a Spanish conversation that fill a slot across turns, bad
 * requests, and what the turns leave behind in DynamoDB, Redis and the event files.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import Redis from 'ioredis';
import { BOT_MODEL } from '../../contracts/bot-model';
import { slotElicitationCard } from '../../contracts/bot-model/quick-replies';
import type {
  EnumerationSlotType,
  IntentDefinition,
  LocaleId,
  PatternSlotType,
} from '../../contracts/bot-model/types';
import { DEV } from '../../lib/config/environments';
import { partitionPath } from '../../local/adapters/ndjson-event-sink';
import type { MessageResponse } from '../../contracts/conversation-api';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';

const PREFIX = `e2e-local-${process.pid}-${Date.now()}:`;
let platform: LocalPlatform;
let dataDir: string;
let redis: Redis | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-e2e-'));
  platform = await startLocalPlatform({ port: 0, quiet: true, dataDir, redisKeyPrefix: PREFIX });
  if (platform.sessions.url)
    redis = new Redis(platform.sessions.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  await platform?.stop();
  if (redis) {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// ---- the model drives the inputs ----------------------------------------------------------------
const intentNamed = (name: string): IntentDefinition => BOT_MODEL.intents.find((i) => i.name === name)!;
/** A sample utterance of the intent that names no slot (so the slot must be elicited). */
const slotFree = (intent: IntentDefinition, locale: LocaleId): string => {
  const u = intent.utterances[locale].find((x) => !x.includes('{'));
  if (!u) throw new Error(`${intent.name} has no slot-free utterance in ${locale}`);
  return u;
};
const slotTypeOf = <T>(intent: IntentDefinition, slot: string): T =>
  BOT_MODEL.slotTypes.find((t) => t.name === intent.slots.find((s) => s.name === slot)!.slotType) as T;
/** An order number the model's pattern accepts. */
function validOrderNumber(type: PatternSlotType): string {
  const re = new RegExp(`^(?:${type.jsRegex.replace(/^\^/, '').replace(/\$$/, '')})$`, 'i');
  const candidates = [
    'ORD-48213',
    'ORD48213',
    '48213917',
    '4821391',
    '482139',
    'AB123456',
    'A1B2C3D4E5',
    'ORD-482139',
    '1234567890',
    'ORD-4821',
  ];
  const found = candidates.find((c) => re.test(c));
  if (!found) throw new Error(`no candidate order number matches ${type.jsRegex}`);
  return found;
}

type Answer = MessageResponse;

async function post(
  conversationId: string,
  body: unknown,
): Promise<{ status: number; body: Answer & { error?: { code: string; field?: string } } }> {
  const res = await fetch(`${platform.url}/v1/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

const EN_ID = `e2e-en-${Date.now()}`;
const ES_ID = `e2e-es-${Date.now()}`;

describe('GIVEN the local platform over HTTP', () => {
  test('WHEN an English user asks about an order THEN the order number is elicited, then filled on the next turn', async () => {
    const intent = intentNamed('CheckOrderStatus');
    const slot = intent.slots[0]!;
    const orderNumber = validOrderNumber(slotTypeOf<PatternSlotType>(intent, slot.name));

    const first = await post(EN_ID, { text: slotFree(intent, 'en_US'), locale: 'en_US', channel: 'web' });
    expect(first.status).toBe(200);
    expect(first.body.intent).toMatchObject({ name: 'CheckOrderStatus', state: 'InProgress' });
    expect(first.body.intent.confidence).toBeGreaterThanOrEqual(DEV.bot.nluConfidenceThreshold);
    expect(first.body.messages[0]!.content).toBe(slot.prompt.en_US);
    expect(first.body.slots[slot.name]).toBeNull();
    expect(first.body.language).toBe('en');
    expect(first.body.sentiment).not.toBeNull();

    const second = await post(EN_ID, { text: `sure, it's ${orderNumber}`, locale: 'en_US', channel: 'web' });
    expect(second.status).toBe(200);
    expect(second.body.intent).toMatchObject({ name: 'CheckOrderStatus', state: 'Fulfilled' });
    expect(second.body.slots[slot.name]).toBe(orderNumber);
    expect(second.body.messages.map((m) => m.content).join(' ')).toContain(orderNumber);
  });

  test('WHEN a Spanish user asks about a product THEN the product type is elicited, then filled by a synonym on the next turn', async () => {
    const intent = intentNamed('ProductInfo');
    const slot = intent.slots[0]!;
    const type = slotTypeOf<EnumerationSlotType>(intent, slot.name);
    const value = type.values.es_US.find((v) => v.synonyms.length > 0)!;

    const first = await post(ES_ID, { text: slotFree(intent, 'es_US'), locale: 'es_US' });
    expect(first.status).toBe(200);
    expect(first.body.intent).toMatchObject({ name: 'ProductInfo', state: 'InProgress' });
    expect(first.body.messages[0]!.content).toBe(slot.prompt.es_US);
    expect(first.body.language).toBe('es');

    const second = await post(ES_ID, { text: `el ${value.synonyms[0]}`, locale: 'es_US' });
    expect(second.status).toBe(200);
    expect(second.body.intent).toMatchObject({ name: 'ProductInfo', state: 'Fulfilled' });
    expect(second.body.slots[slot.name]).toBe(value.value);
    const answer = second.body.messages.map((m) => m.content).join(' ');
    expect(intent.responses.es_US.some((r) => answer.startsWith(r.split('{')[0]!.trim()))).toBe(true);
  });

  test.each([
    ['empty text', { text: '   ', locale: 'en_US' }, 'text'],
    ['2,000 characters', { text: 'a'.repeat(2000), locale: 'en_US' }, 'text'],
    ['unknown locale', { text: 'hello', locale: 'fr_FR' }, 'locale'],
    ['malformed JSON', '{"text": "hello",', 'body'],
  ])('WHEN a message with %s is posted THEN 400 naming the field', async (_, body, field) => {
    const res = await post('e2e-bad-1', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ field });
    expect(JSON.stringify(res.body.error)).toContain(field);
  });

  test('WHEN those conversations ran THEN every turn is one NDJSON event in the Firehose date-partitioned layout', async () => {
    await platform.events.flush();
    const dir = join(dataDir, partitionPath(new Date()));
    const lines = readdirSync(dir)
      .filter((f) => f.endsWith('.ndjson'))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n'))
      .map(
        (l) =>
          JSON.parse(l) as {
            conversationId: string;
            turn: number;
            schemaVersion: number;
            locale: string;
            intent: string;
          },
      );
    const en = lines.filter((e) => e.conversationId === EN_ID);
    const es = lines.filter((e) => e.conversationId === ES_ID);
    expect(en.map((e) => e.turn)).toEqual([1, 2]);
    expect(es.map((e) => e.turn)).toEqual([1, 2]);
    expect(en[1]).toMatchObject({ schemaVersion: 1, locale: 'en_US', intent: 'CheckOrderStatus' });
    expect(es[1]).toMatchObject({ schemaVersion: 1, locale: 'es_US', intent: 'ProductInfo' });
    // no raw transcript unless the config allows it
    expect(lines.every((e) => !('text' in e))).toBe(!DEV.bot.streamTranscripts);
  });

  test('WHEN those conversations ran THEN every turn is one DynamoDB item with the TTL attribute', async () => {
    const out = await platform.dynamo.doc.send(
      new QueryCommand({
        TableName: platform.dynamo.tableName,
        KeyConditionExpression: 'conversationId = :id',
        ExpressionAttributeValues: { ':id': EN_ID },
      }),
    );
    const items = out.Items ?? [];
    expect(items.map((i) => i.turn)).toEqual([1, 2]);
    const nowSeconds = Date.now() / 1000;
    for (const item of items) {
      expect(item.intent).toBe('CheckOrderStatus');
      expect(item.locale).toBe('en_US');
      expect(item.expiresAt).toBeGreaterThan(nowSeconds + (DEV.dynamodb.ttlDays - 1) * 86_400);
      expect(item.expiresAt).toBeLessThanOrEqual(nowSeconds + DEV.dynamodb.ttlDays * 86_400 + 60);
    }
    expect(items[1]!.slots).toMatchObject({ OrderNumber: expect.any(String) });
  });

  test('WHEN those conversations ran THEN each has a Redis session key with the idle TTL, and an owner (the channel gate, hashed) that expires', async () => {
    expect(platform.sessions.kind).not.toBe('memory'); // a Redis or a child redis-server is expected in CI
    const owners = await redis!.keys(`${PREFIX}gate:*`);
    expect(owners).toHaveLength(2); // unsigned callers are an IAM user: an owner, no token bucket
    for (const key of owners) {
      expect(key).toMatch(/:gate:\{[0-9a-f]{32}\}:owner$/);
      expect(await redis!.ttl(key)).toBeGreaterThan(0);
    }
    const keys = (await redis!.keys(`${PREFIX}conv:*`)).sort();
    expect(keys).toEqual([`${PREFIX}conv:{${EN_ID}}:session`, `${PREFIX}conv:{${ES_ID}}:session`].sort());
    for (const key of keys) {
      const ttl = await redis!.ttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(DEV.redis.sessionTtlSeconds);
    }
    const session = JSON.parse((await redis!.get(`${PREFIX}conv:{${ES_ID}}:session`))!) as {
      turn: number;
      locale: string;
    };
    expect(session).toMatchObject({ turn: 2, locale: 'es_US' });
  });

  test('WHEN /v1/health is asked THEN it reports every dependency', async () => {
    const res = await fetch(`${platform.url}/v1/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; dependencies: Record<string, { state: string }> };
    expect(body.status).toBe('ok');
    for (const dep of ['lex', 'nlu', 'dynamodb', 'sessions', 'events', 'sentiment']) {
      expect(body.dependencies[dep]?.state).toBe('up');
    }
  });
});

// (after the tests that count what EN_ID and ES_ID left behind)
describe('GIVEN quick replies over HTTP', () => {
  test.each(['en_US', 'es_US'] as const)(
    'WHEN an issue report elicits its category (%s) THEN the answer carries the quick replies of the shared card, and sending one fills the slot',
    async (locale) => {
      const intent = intentNamed('ReportIssue');
      const slot = intent.slots[0]!;
      const id = `e2e-cards-${locale}-${Date.now()}`;
      const card = slotElicitationCard(BOT_MODEL, slot, locale)!;

      const ask = await post(id, { text: slotFree(intent, locale), locale });
      expect(ask.status).toBe(200);
      expect(ask.body.intent).toMatchObject({ name: 'ReportIssue', state: 'InProgress' });
      expect(ask.body.messages.map((m) => m.content)).toEqual([slot.prompt[locale]]);
      expect(ask.body.quickReplies).toEqual(card.buttons);

      const type = slotTypeOf<EnumerationSlotType>(intent, slot.name);
      const chosen = ask.body.quickReplies[2]!;
      const filled = await post(id, { text: chosen.value, locale });
      expect(filled.status).toBe(200);
      expect(filled.body.slots[slot.name]).toBe(type.values[locale][2]!.value);
      expect(filled.body.quickReplies).toEqual([]);
    },
  );
});
