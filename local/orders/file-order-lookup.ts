/**
 * The order-lookup port on `npm start`: a JSON file of sample orders (`ORDERS_FILE`, default
 * local/orders/sample-orders.json) instead of the company's order system: `{ "<orderNumber>":
 * { "status", "estimatedDelivery"?, "carrier"? } }`. Read on every lookup (edit it while the
 * platform runs); order numbers match case-insensitively. A file that cannot be read or parsed
 * answers `unavailable`, like an order system that is down: never a made-up status.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type OrderLookupResult, parseOrder } from '../../contracts/orders';
import type { OrderLookup } from '../../src/ports';

export const SAMPLE_ORDERS_FILE = join(__dirname, 'sample-orders.json');

export function fileOrderLookup(file: string = SAMPLE_ORDERS_FILE): OrderLookup {
  return {
    async find(orderNumber: string): Promise<OrderLookupResult> {
      let orders: unknown;
      try {
        orders = JSON.parse(await readFile(file, 'utf8'));
      } catch {
        return { kind: 'unavailable', reason: 'error' };
      }
      if (typeof orders !== 'object' || orders === null)
        return { kind: 'unavailable', reason: 'invalid-response' };
      const key = Object.keys(orders).find((k) => k.toLowerCase() === orderNumber.toLowerCase());
      if (key === undefined) return { kind: 'not-found' };
      const order = parseOrder(key, (orders as Record<string, unknown>)[key]);
      return order ? { kind: 'found', order } : { kind: 'unavailable', reason: 'invalid-response' };
    },
  };
}
