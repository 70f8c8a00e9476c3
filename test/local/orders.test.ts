/**
 * Order status on `npm start`, over HTTP: answered from the sample orders file (ORDERS_FILE),
 * never invented: a known order's status as the file says, an unknown one "not found", and the
 * order system switched off (POST /local/faults) "cannot check right now" with a ticket offered.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageResponse } from '../../contracts/conversation-api';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';

let platform: LocalPlatform;
let dataDir: string;
const previousOrdersFile = process.env.ORDERS_FILE;
const RUN = `orders-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-orders-'));
  const ordersFile = join(dataDir, 'orders.json');
  writeFileSync(ordersFile, JSON.stringify({ '24680': { status: 'out_for_delivery', carrier: 'DHL' } }));
  process.env.ORDERS_FILE = ordersFile;
  platform = await startLocalPlatform({ port: 0, quiet: true, dataDir, sessions: 'memory' });
});

afterAll(async () => {
  await platform?.stop();
  if (previousOrdersFile === undefined) delete process.env.ORDERS_FILE;
  else process.env.ORDERS_FILE = previousOrdersFile;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  await faults([]);
});

async function faults(list: string[]): Promise<void> {
  const res = await fetch(`${platform.url}/local/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ faults: list }),
  });
  expect(res.status).toBe(200);
}

async function say(conversation: string, text: string, locale = 'en_US'): Promise<MessageResponse> {
  const res = await fetch(`${platform.url}/v1/conversations/${RUN}-${conversation}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, locale }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as MessageResponse;
}

const said = (r: MessageResponse) => r.messages.map((m) => m.content).join(' ');

describe('order status on the local platform', () => {
  test("GIVEN an order in ORDERS_FILE WHEN the customer asks about it THEN the answer is the file's status, the same every time", async () => {
    const first = await say('a', 'where is my order 24680');
    expect(first.intent.name).toBe('CheckOrderStatus');
    expect(said(first)).toBe('Order 24680 is out for delivery today. Carrier: DHL.');
    expect(said(await say('b', 'where is my order 24680'))).toBe(said(first));
  });

  test('GIVEN an order number the file does not have WHEN asked THEN the bot says it could not find it', async () => {
    expect(said(await say('c', 'where is my order 13579'))).toMatch(
      /could not find an order with the number 13579/,
    );
  });

  test('GIVEN the order system switched off WHEN asked in Spanish THEN it cannot check now, offers a ticket, and gives no status', async () => {
    await faults(['orders']);
    const text = said(await say('d', 'dónde está mi pedido 24680', 'es_US'));
    expect(text).toMatch(/ahora no puedo revisar el pedido 24680/);
    expect(text).toMatch(/tengo un problema de entrega/);
    expect(text).not.toMatch(/reparto|entregado|enviado/);
  });
});
