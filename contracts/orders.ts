/**
 * Order status as the order-lookup port returns it: the fulfillment answers `CheckOrderStatus`
 * from it and never from anything else (an order the source does not know is "not found", a
 * source that does not answer is "unavailable": neither is ever turned into a status).
 */
export const ORDER_STATUSES = [
  'processing',
  'shipped',
  'out_for_delivery',
  'delivered',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Order {
  readonly orderNumber: string;
  readonly status: OrderStatus;
  /** Expected delivery day, `YYYY-MM-DD`, when the order system gives one. */
  readonly estimatedDelivery?: string;
  /** The carrier's name, when shipped. */
  readonly carrier?: string;
}

/** Why an order could not be looked up: the answer offers a ticket instead of a status. */
export type OrderUnavailableReason = 'timeout' | 'error' | 'circuit-open' | 'invalid-response';

export type OrderLookupResult =
  | { readonly kind: 'found'; readonly order: Order }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'unavailable'; readonly reason: OrderUnavailableReason };

export const isOrderStatus = (value: unknown): value is OrderStatus =>
  typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An order system's JSON body -> an Order, or undefined when it is not one (an unknown status
 * is not guessed at). Accepts `{ orderNumber?, status, estimatedDelivery?, carrier? }`.
 */
export function parseOrder(orderNumber: string, body: unknown): Order | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (!isOrderStatus(b.status)) return undefined;
  const eta =
    typeof b.estimatedDelivery === 'string' && DAY.test(b.estimatedDelivery)
      ? b.estimatedDelivery
      : undefined;
  const carrier =
    typeof b.carrier === 'string' && b.carrier.trim() ? b.carrier.trim().slice(0, 60) : undefined;
  return {
    orderNumber,
    status: b.status,
    ...(eta ? { estimatedDelivery: eta } : {}),
    ...(carrier ? { carrier } : {}),
  };
}
