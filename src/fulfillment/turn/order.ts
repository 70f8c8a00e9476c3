/**
 * The order turn (`CheckOrderStatus`, an intent with `orderLookup` in the bot model): the answer
 * is what the order source said, never an invented status.
 *
 *   startOrderLookup   at the start of the turn, in parallel with round 1: the order number is
 *                      already in Lex's slots, so the lookup costs no sequential round trip of
 *                      its own (a text order turn stays at two)
 *   answerOrder        after answerTurn: when the turn fulfils the order intent, its answer
 *                      becomes the order's status (found), "no such order" (not found) or "cannot
 *                      check right now" with a ticket offered (unavailable: the source is down,
 *                      slow, not configured or answered something the platform does not know)
 *
 * Counted: OrderLookups with OrderNotFound / OrderLookupUnavailable; an unavailable source is a
 * degradation of the turn (named in its event), the order number itself is never logged.
 */
import type { OrderLookupResult } from '../../../contracts/orders';
import { Metric } from '../../../contracts/metrics';
import type { LexMessage } from '../../lex/types';
import { fillTemplate, patternOf, slotValues } from '../dialog';
import type { Answer } from './answer';
import type { TurnInput } from './input';
import type { Degradation, TurnContext } from './outcome';

/** A lookup under way: the order number and the source's answer to come. */
export interface OrderLookupInFlight {
  readonly orderNumber: string;
  readonly result: Promise<OrderLookupResult>;
}

export interface OrderStep {
  /** The turn's answer, its messages from the order source on an order turn. */
  readonly answer: Answer;
  /** What the source said, when this turn answered from it. */
  readonly outcome?: OrderLookupResult['kind'];
  readonly degradations: Degradation[];
}

const DEFAULT_BUDGET_MS = 2000;

class OrderSourceUnavailable extends Error {
  override readonly name = 'OrderSourceUnavailable';
}

/** The order number of an order intent's turn, when Lex has a valid one; else undefined. */
export function orderNumberOf(ctx: TurnContext, input: TurnInput): string | undefined {
  const { model } = ctx.deps;
  const def = model.intents.find((i) => i.name === input.intent.name);
  if (!def?.orderLookup) return undefined;
  const slot = def.slots.find((s) => s.name === def.orderLookup!.slot);
  const value = slotValues(input.intent.slots)[def.orderLookup.slot];
  if (!slot || value === undefined) return undefined;
  const pattern = patternOf(model, slot.slotType);
  return pattern && !pattern.test(value) ? undefined : value;
}

/** Starts the lookup of an order turn (never rejects); undefined on every other turn. */
export function startOrderLookup(ctx: TurnContext, input: TurnInput): OrderLookupInFlight | undefined {
  const orderNumber = orderNumberOf(ctx, input);
  if (orderNumber === undefined) return undefined;
  const port = ctx.deps.orders;
  const unavailable: OrderLookupResult = { kind: 'unavailable', reason: 'error' };
  const result = port
    ? port
        .find(orderNumber, {
          deadline: ctx.now() + (ctx.deps.config.orderLookupBudgetMs ?? DEFAULT_BUDGET_MS),
        })
        .catch((): OrderLookupResult => unavailable)
    : Promise.resolve(unavailable);
  return { orderNumber, result };
}

/** The order turn's answer from what the source said; every other turn passes through untouched. */
export async function answerOrder(
  ctx: TurnContext,
  input: TurnInput,
  answer: Answer,
  lookup: OrderLookupInFlight | undefined,
): Promise<OrderStep> {
  const { decision } = answer;
  const fulfils = decision.dialogAction === 'Close' && decision.state === 'Fulfilled';
  if (!lookup || !fulfils || decision.intentName !== input.intent.name) {
    return { answer, degradations: [] };
  }
  const result = await lookup.result;
  ctx.count(Metric.OrderLookups);
  const degradations: Degradation[] = [];
  if (result.kind === 'not-found') ctx.count(Metric.OrderNotFound);
  if (result.kind === 'unavailable') {
    degradations.push({
      metric: Metric.OrderLookupUnavailable,
      error: new OrderSourceUnavailable(result.reason),
      what: 'order lookup',
    });
  }
  // The intent's response is replaced; what the dialog added after it (a hand-off) stays.
  const [, ...rest] = decision.messages;
  const messages = [...orderMessages(ctx, input, lookup.orderNumber, result), ...rest];
  return {
    answer: { ...answer, decision: { ...decision, messages } },
    outcome: result.kind,
    degradations,
  };
}

function orderMessages(
  ctx: TurnContext,
  input: TurnInput,
  orderNumber: string,
  result: OrderLookupResult,
): LexMessage[] {
  const m = ctx.deps.model.messages.orders;
  const { locale } = input;
  const text = (template: string, values: Record<string, string> = {}): LexMessage => ({
    contentType: 'PlainText',
    content: fillTemplate(template, { OrderNumber: orderNumber, ...values }),
  });
  if (result.kind === 'not-found') return [text(m.notFound[locale])];
  if (result.kind === 'unavailable') return [text(m.unavailable[locale])];
  const { order } = result;
  const sentences = [m.status[order.status][locale]];
  if (order.carrier) sentences.push(fillTemplate(m.carrier[locale], { Carrier: order.carrier }));
  if (order.estimatedDelivery)
    sentences.push(fillTemplate(m.eta[locale], { EstimatedDelivery: order.estimatedDelivery }));
  return [text(sentences.join(' '))];
}
