/**
 * The local platform at its limits, over real HTTP to the in-process server: text length counted
 * in characters (code points) the same way by the channel and the Lex stand-in, bodies too large
 * for the server answered in the conversation API's documented error shape, and a client that
 * goes away mid-request logged as one debug line, not a stack trace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LexRuntime } from '../../local/lex/lex-runtime';
import { createRouter, MAX_BODY_BYTES } from '../../local/platform/router';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';

let platform: LocalPlatform;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-limits-'));
  platform = await startLocalPlatform({ port: 0, quiet: true, dataDir, sessions: 'memory' });
});

afterAll(async () => {
  await platform?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const messagesUrl = (id: string): string => `${platform.url}/v1/conversations/${id}/messages`;

async function postJson(
  id: string,
  body: unknown,
): Promise<{ status: number; body: { messages?: unknown[]; error?: unknown } }> {
  const res = await fetch(messagesUrl(id), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { messages?: unknown[]; error?: unknown } };
}

/** POSTs `size` bytes in 64 KiB writes, with a content-length or chunked; the status and body. */
function postBytes(url: string, size: number, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = size;
    const req = request(url, { method: 'POST', headers });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const write = (): void => {
      while (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        if (!req.write(part)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

/** Opens a connection, sends the head and half of a body, then closes it; resolves once closed. */
function abortMidBody(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"text":`,
      );
      setTimeout(() => socket.destroy(), 50);
    });
    socket.on('error', reject);
    socket.on('close', () => setTimeout(resolve, 100));
  });
}

describe('text length: characters are code points, the same in the channel and the Lex stand-in', () => {
  test('GIVEN 1,023 letters and an emoji (1,024 characters, 1,025 UTF-16 units) WHEN posted THEN the bot answers', async () => {
    const res = await postJson('limits-emoji-1', { text: 'a'.repeat(1023) + '😀', locale: 'en_US' });

    expect(res.status).toBe(200);
    expect(res.body.messages?.length).toBeGreaterThan(0);
  });

  test('GIVEN 1,024 emoji WHEN posted THEN the bot answers; 1,025 THEN 400 naming text', async () => {
    expect((await postJson('limits-emoji-2', { text: '😀'.repeat(1024) })).status).toBe(200);

    const over = await postJson('limits-emoji-3', { text: '😀'.repeat(1025) });
    expect(over.status).toBe(400);
    expect(over.body).toEqual({
      error: { code: 'TEXT_TOO_LONG', message: expect.stringContaining('1024 characters'), field: 'text' },
    });
  });
});

describe('bodies over what the server reads: 413 in the documented shape', () => {
  const documented = {
    error: { code: 'BODY_TOO_LARGE', message: 'body must be at most 16384 bytes', field: 'body' },
  };

  test.each([
    ['a content-length', false],
    ['chunked', true],
  ])(
    'GIVEN a body over 1 MiB sent with %s WHEN posted THEN 413 { error: { code, message, field } }',
    async (_, chunked) => {
      const res = await postBytes(messagesUrl('limits-big-1'), MAX_BODY_BYTES + 64 * 1024, chunked);

      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual(documented);
    },
  );

  test('GIVEN a body over 16 KiB but under 1 MiB WHEN posted THEN the channel answers the same 413', async () => {
    const res = await postBytes(messagesUrl('limits-big-2'), 64 * 1024, false);

    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual(documented);
  });

  test('GIVEN fetch and 5 MiB WHEN posted THEN the client reads the 413, and the server still answers', async () => {
    const res = await fetch(messagesUrl('limits-big-3'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(5 * 1024 * 1024),
    });

    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(documented);
    expect((await postJson('limits-after-big', { text: 'hello' })).status).toBe(200);
  });
});

describe('a client that aborts its request', () => {
  test('GIVEN the platform WHEN a client closes the connection mid-body THEN no stack trace is printed', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await abortMidBody(platform.port, '/v1/conversations/limits-abort-1/messages');

      expect(errors).not.toHaveBeenCalled();
      expect((await postJson('limits-after-abort', { text: 'hello' })).status).toBe(200);
    } finally {
      errors.mockRestore();
    }
  });

  describe('the router on its own', () => {
    let server: Server;
    let port: number;
    const lines: string[] = [];

    beforeAll(async () => {
      const previous = process.env.POWERTOOLS_LOG_LEVEL;
      process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG'; // the router reads the level when it is made
      const lex = {} as LexRuntime; // not reached: the requests never get past their body
      const router = createRouter({ lex, health: async () => ({}) as never, channel: () => undefined });
      if (previous === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
      else process.env.POWERTOOLS_LOG_LEVEL = previous;
      server = createServer(router);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    test('GIVEN level DEBUG WHEN a client aborts mid-body THEN one debug line names the request, nothing at error', async () => {
      const debug = jest.spyOn(console, 'debug').mockImplementation((line: string) => void lines.push(line));
      const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        await abortMidBody(port, '/v1/conversations/limits-abort-2/messages');

        expect(lines).toEqual([
          '[local] POST /v1/conversations/limits-abort-2/messages: client aborted the request (ECONNRESET)',
        ]);
        expect(errors).not.toHaveBeenCalled();
      } finally {
        debug.mockRestore();
        errors.mockRestore();
      }
    });
  });
});
