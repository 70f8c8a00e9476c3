import { BOT_MODEL } from '../../../../contracts/bot-model';
import type { OrderLookupResult } from '../../../../contracts/orders';
import { Metric } from '../../../../contracts/metrics';
import { createFulfillmentHandler, type FulfillmentDeps } from '../../../../src/fulfillment/create-handler';
import type { LexV2CodeHookResponse } from '../../../../src/lex/types';
import type { OrderLookup, OrderLookupOptions } from '../../../../src/ports';
import { baseDeps, capturedMetrics, lexEvent, scalar } from '../../fixtures';

/** An order source that answers what the test says, and remembers what it was asked. */
class ScriptedOrders implements OrderLookup {
  readonly asked: { orderNumber: string; options?: OrderLookupOptions }[] = [];
  constructor(private readonly answer: (n: string) => Promise<OrderLookupResult>) {}
  find(orderNumber: string, options?: OrderLookupOptions): Promise<OrderLookupResult> {
    this.asked.push({ orderNumber, ...(options ? { options } : {}) });
    return this.answer(orderNumber);
  }
}

function setup(orders: OrderLookup | undefined, overrides: Partial<FulfillmentDeps> = {}) {
  const { metrics, counts } = capturedMetrics();
  // the real bot model: CheckOrderStatus has `orderLookup` and the order messages
  const deps = baseDeps({ metrics, model: BOT_MODEL, orders, ...overrides });
  return { deps, counts, handler: createFulfillmentHandler(deps) };
}

const orderTurn = (orderNumber: string, locale: 'en_US' | 'es_US' = 'en_US') =>
  lexEvent({
    source: 'DialogCodeHook',
    intent: 'CheckOrderStatus',
    slots: { OrderNumber: scalar(orderNumber) },
    locale,
    text: `where is my order ${orderNumber}`,
  });

const said = (res: LexV2CodeHookResponse) => (res.messages ?? []).map((m) => m.content).join(' ');

describe('order turns answer from the order source', () => {
  test('GIVEN the source knows the order WHEN asked THEN the answer is its status, carrier and delivery day, and nothing else', async () => {
    const orders = new ScriptedOrders(async (n) => ({
      kind: 'found',
      order: { orderNumber: n, status: 'shipped', carrier: 'UPS', estimatedDelivery: '2026-12-03' },
    }));
    const { handler, counts } = setup(orders);

    const res = await handler(orderTurn('12345'));

    expect(res.sessionState.intent?.state).toBe('Fulfilled');
    expect(said(res)).toBe('Order 12345 has shipped. Carrier: UPS. Expected delivery: 2026-12-03.');
    expect(orders.asked).toEqual([{ orderNumber: '12345', options: { deadline: expect.any(Number) } }]);
    expect(counts()[Metric.OrderLookups]).toBe(1);
    expect(counts()[Metric.OrderLookupUnavailable]).toBeUndefined();
  });

  test('GIVEN two turns about the same order WHEN the source says the same THEN both answers say the same (no invented variety)', async () => {
    const orders = new ScriptedOrders(async (n) => ({
      kind: 'found',
      order: { orderNumber: n, status: 'processing' },
    }));
    const { handler } = setup(orders);
    const first = said(await handler(orderTurn('12345')));
    const second = said(
      await handler({
        ...orderTurn('12345'),
        sessionState: { ...(orderTurn('12345').sessionState as object), sessionAttributes: { turn: '1' } },
      }),
    );
    expect(first).toBe('Order 12345 has been received and is being prepared; it has not shipped yet.');
    expect(second).toBe(first);
  });

  test('GIVEN a Spanish turn WHEN the order is found THEN the answer is in Spanish', async () => {
    const orders = new ScriptedOrders(async (n) => ({
      kind: 'found',
      order: { orderNumber: n, status: 'delivered' },
    }));
    const res = await setup(orders).handler(orderTurn('AB12345', 'es_US'));
    expect(said(res)).toBe('El pedido AB12345 ya fue entregado.');
  });

  test('GIVEN the source does not know the order WHEN asked THEN the bot says so and counts it', async () => {
    const { handler, counts } = setup(new ScriptedOrders(async () => ({ kind: 'not-found' })));
    const res = await handler(orderTurn('99999'));
    expect(said(res)).toMatch(/^I could not find an order with the number 99999\./);
    expect(counts()[Metric.OrderNotFound]).toBe(1);
  });

  test.each([
    ['is down', async (): Promise<OrderLookupResult> => ({ kind: 'unavailable', reason: 'error' })],
    ['throws', async (): Promise<OrderLookupResult> => Promise.reject(new Error('boom'))],
  ])(
    'GIVEN the order source %s WHEN asked THEN the bot says it cannot check now and offers a ticket, never a status; the event names the degradation',
    async (_, answer) => {
      const { handler, counts, deps } = setup(new ScriptedOrders(answer));
      const res = await handler(orderTurn('12345'));
      const text = said(res);
      expect(text).toMatch(/cannot check order 12345 right now/);
      expect(text).toMatch(/I have a delivery issue/);
      expect(text).not.toMatch(/shipped|on its way|delivered|arrive/i);
      expect(counts()[Metric.OrderLookupUnavailable]).toBe(1);
      expect(deps.events.events.at(-1)?.degraded).toContain(Metric.OrderLookupUnavailable);
    },
  );

  test('GIVEN no order source configured WHEN asked THEN the same honest "cannot check" answer', async () => {
    const res = await setup(undefined).handler(orderTurn('12345'));
    expect(said(res)).toMatch(/cannot check order 12345 right now/);
  });

  test('GIVEN an invalid order number WHEN the turn elicits it again THEN the source is not asked', async () => {
    const orders = new ScriptedOrders(async () => ({ kind: 'not-found' }));
    const res = await setup(orders).handler(orderTurn('12'));
    expect(res.sessionState.dialogAction.type).toBe('ElicitSlot');
    expect(orders.asked).toEqual([]);
  });

  test('GIVEN an order turn WHEN round 1 reads the session THEN the lookup has already started beside it (no extra sequential round trip)', async () => {
    let lookupStarted = false;
    const order: OrderLookupResult = { kind: 'found', order: { orderNumber: '12345', status: 'shipped' } };
    const orders = new ScriptedOrders(async () => {
      lookupStarted = true;
      return order;
    });
    const sessions = baseDeps().sessions;
    const get = sessions.get.bind(sessions);
    let lookupBeforeSessionRead: boolean | undefined;
    sessions.get = async (id: string) => {
      lookupBeforeSessionRead ??= lookupStarted; // a sequential lookup would start only after this read
      return get(id);
    };
    const res = await setup(orders, { sessions }).handler(orderTurn('12345'));
    expect(lookupBeforeSessionRead).toBe(true);
    expect(said(res)).toBe('Order 12345 has shipped.');
  });
});
