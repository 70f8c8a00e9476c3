import type Redis from 'ioredis';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  createRedisClient,
  RedisSessionStore,
  SessionStoreError,
} from '../../src/adapters/redis-session-store';
import type { SessionState } from '../../src/ports';
import { deleteKeys, REDIS_URL, uniquePrefix } from './helpers';

const state: SessionState = {
  turn: 2,
  language: 'es',
  locale: 'es_US',
  lastIntent: 'CheckOrderStatus',
  sentimentTrend: ['NEUTRAL', 'NEGATIVE'],
  escalated: false,
};

describe('RedisSessionStore against a real Redis', () => {
  const prefix = uniquePrefix();
  let redis: Redis;
  let admin: Redis;
  let store: RedisSessionStore;

  beforeAll(async () => {
    admin = createRedisClient({ url: REDIS_URL });
    await admin.connect().catch((err: Error) => {
      throw new Error(`integration tests need Redis at ${REDIS_URL} (set REDIS_URL): ${err.message}`);
    });
    redis = createRedisClient({ url: REDIS_URL });
    store = new RedisSessionStore(redis, { ttlSeconds: 120, keyPrefix: prefix });
  });

  afterAll(async () => {
    await deleteKeys(admin, prefix);
    await store.close();
    await admin.quit();
  });

  test('GIVEN a session WHEN put THEN it is stored under conv:{id}:session with the idle TTL, and read back', async () => {
    await store.put('conv-abc', state);

    expect(await store.get('conv-abc')).toEqual(state);
    const key = `${prefix}conv:{conv-abc}:session`;
    expect(await admin.exists(key)).toBe(1);
    const ttl = await admin.ttl(key);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  test('GIVEN an unknown conversation WHEN read THEN undefined', async () => {
    expect(await store.get('conv-none')).toBeUndefined();
  });

  test('GIVEN a hostile id WHEN used as a key THEN it is hashed, never spliced into the key', async () => {
    const hostile = 'x}:session\r\n*1\r\n$8\r\nFLUSHALL';

    await store.put(hostile, state);

    const keys = await admin.keys(`${prefix}*`);
    expect(keys.every((k) => /^test:[0-9a-f]{8}:conv:\{[A-Za-z0-9._:-]+\}:session$/.test(k))).toBe(true);
    expect(store.keyOf(hostile)).toMatch(/^test:[0-9a-f]{8}:conv:\{h-[0-9a-f]{64}\}:session$/);
    expect(await store.get(hostile)).toEqual(state);
  });

  test('GIVEN a corrupt value WHEN read THEN it is treated as no session', async () => {
    await admin.set(store.keyOf('conv-corrupt'), '{"turn":"lots"', 'EX', 60);

    expect(await store.get('conv-corrupt')).toBeUndefined();
  });

  test('GIVEN a put WHEN the session is written again THEN the TTL is refreshed (idle expiry)', async () => {
    const key = store.keyOf('conv-ttl');
    await store.put('conv-ttl', state);
    await admin.expire(key, 5);

    await store.put('conv-ttl', { ...state, turn: 3 });

    expect(await admin.ttl(key)).toBeGreaterThan(100);
  });
});

describe('RedisSessionStore when Redis is unreachable', () => {
  let closedPort: number;
  let server: Server;

  beforeAll(async () => {
    // Bind a port, then close it: connections to it are refused.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('GIVEN a closed port WHEN read THEN it fails fast (no offline queue), then keeps failing fast', async () => {
    const redis = createRedisClient({
      host: '127.0.0.1',
      port: closedPort,
      connectTimeoutMs: 300,
      commandTimeoutMs: 200,
    });
    const store = new RedisSessionStore(redis, { ttlSeconds: 60 });
    try {
      const started = Date.now();
      await expect(store.get('conv-1')).rejects.toThrow();
      await expect(store.get('conv-1')).rejects.toThrow(SessionStoreError);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      redis.disconnect();
    }
  });

  test('GIVEN a server that accepts but never answers WHEN read THEN the connect budget cuts it', async () => {
    const accepted = new Set<Socket>();
    const silent = createServer((socket) => {
      accepted.add(socket); // accepted, never answered
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const redis = createRedisClient({
      host: '127.0.0.1',
      port,
      connectTimeoutMs: 300,
      commandTimeoutMs: 200,
    });
    redis.on('error', () => undefined);
    try {
      const started = Date.now();
      await expect(new RedisSessionStore(redis, { ttlSeconds: 60 }).get('conv-1')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      redis.disconnect();
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
