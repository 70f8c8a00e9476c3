import type { OrderStatus } from '../orders';
import type { Localized } from './types';

/**
 * What the bot says about an order: only what the order source said (contracts/orders.ts).
 * Placeholders: `{OrderNumber}`, `{Carrier}` (left out when the source gave none),
 * `{EstimatedDelivery}` (a `YYYY-MM-DD` day, in `eta` only).
 */
export interface OrderMessages {
  /** One sentence per status the order source can report. */
  readonly status: Readonly<Record<OrderStatus, Localized>>;
  /** Added when the source gave a carrier. */
  readonly carrier: Localized;
  /** Added when the source gave an expected delivery day. */
  readonly eta: Localized;
  /** The source does not know the order number. */
  readonly notFound: Localized;
  /**
   * The source could not be asked (down, slow, misconfigured): no status, and a ticket offered
   * with an utterance of ReportIssue that names the delivery category.
   */
  readonly unavailable: Localized;
}

export const ORDER_MESSAGES: OrderMessages = {
  status: {
    processing: {
      en_US: 'Order {OrderNumber} has been received and is being prepared; it has not shipped yet.',
      es_US: 'Recibimos el pedido {OrderNumber} y lo estamos preparando; todavía no se ha enviado.',
    },
    shipped: {
      en_US: 'Order {OrderNumber} has shipped.',
      es_US: 'El pedido {OrderNumber} ya fue enviado.',
    },
    out_for_delivery: {
      en_US: 'Order {OrderNumber} is out for delivery today.',
      es_US: 'El pedido {OrderNumber} está en reparto hoy.',
    },
    delivered: {
      en_US: 'Order {OrderNumber} was delivered.',
      es_US: 'El pedido {OrderNumber} ya fue entregado.',
    },
    cancelled: {
      en_US: 'Order {OrderNumber} was cancelled.',
      es_US: 'El pedido {OrderNumber} fue cancelado.',
    },
  },
  carrier: { en_US: 'Carrier: {Carrier}.', es_US: 'Paquetería: {Carrier}.' },
  eta: { en_US: 'Expected delivery: {EstimatedDelivery}.', es_US: 'Entrega estimada: {EstimatedDelivery}.' },
  notFound: {
    en_US:
      'I could not find an order with the number {OrderNumber}. Please check the number in your confirmation e-mail.',
    es_US:
      'No encontré ningún pedido con el número {OrderNumber}. Revisa el número en tu correo de confirmación.',
  },
  unavailable: {
    en_US:
      'Sorry, I cannot check order {OrderNumber} right now: our order system is not answering. Say "I have a delivery issue" and I will register a ticket so the team checks it for you.',
    es_US:
      'Perdón, ahora no puedo revisar el pedido {OrderNumber}: nuestro sistema de pedidos no responde. Di "tengo un problema de entrega" y registraré un caso para que el equipo lo revise.',
  },
};
