/**
 * One turn of the code hook, as named steps, each taking what it needs and returning what the
 * next one needs (src/fulfillment/turn/*.ts):
 *
 *   readTurnInput   the event -> TurnInput (no I/O)
 *   round 1, in parallel:
 *     readSession   session get (Redis)
 *     understand    sentiment (Comprehend; skipped when Lex already sent one) and language
 *                   detection (only when the turn may be in another language), in parallel
 *     askKnowledge  only for a question no intent covers: Retrieve then Converse (knowledge.ts)
 *     (an order turn's lookup starts here too: src/fulfillment/turn/order.ts)
 *   answerTurn      turn number, sentiment trend, escalation, dialog decision (no I/O)
 *   answerOrder     only for an order turn: the answer from what the order source said
 *   registerTicket  only for a ticket turn (issue report, hand-off): one extra round (the
 *                   enqueue); the answer gives the reference only once the queue has it
 *   knowledgeReply  a knowledge turn's answer replaces the intent's (no I/O)
 *   translateTurn   only for a turn in another language: one extra round (the text in and
 *                   the answer back, in parallel)
 *   round 2, in parallel:
 *     persistTurn   context put (DynamoDB), session put (Redis), event put (Kinesis), and
 *                   speech (Polly + S3) for voice turns
 *   noteWrites, recordTurn   degradations, metrics, the turn's log line (and trace annotations)
 *   respond         the Lex V2 response (no I/O)
 *
 * A text turn in a bot language is two sequential network round trips, a knowledge turn three
 * (bench/hot-path.bench.ts). Every call has a timeout budget; a failure degrades the answer,
 * never stops it (outcome.ts).
 */
import type { LexV2CodeHookResponse, LexV2Event } from '../../lex/types';
import { annotateOutcome } from '../trace';
import { answerTurn } from './answer';
import { readTurnInput } from './input';
import { askKnowledge, knowledgeReply } from './knowledge';
import { DegradedLog, type TurnContext } from './outcome';
import { answerOrder, startOrderLookup } from './order';
import { persistTurn } from './persist';
import { noteWrites, recordTurn } from './record';
import { respond } from './respond';
import type { AnsweredTurn } from './state';
import { registerTicket } from './ticket';
import { translateTurn } from './translate';
import { readSession, understand } from './understand';

export async function handleTurn(ctx: TurnContext, event: LexV2Event): Promise<LexV2CodeHookResponse> {
  const started = ctx.now();
  const log = new DegradedLog(ctx);
  const input = readTurnInput(event, ctx.deps.model);

  const orderLookup = startOrderLookup(ctx, input);
  const [session, understanding, asked] = await Promise.all([
    readSession(ctx, input),
    understand(ctx, input),
    askKnowledge(ctx, input),
  ]);
  log.note(session.degradations);
  log.note(understanding.degradations);

  const decided = answerTurn(ctx.deps.model, input, session, understanding);
  ctx.log.append({ turn: decided.turn });
  const order = await answerOrder(ctx, input, decided, orderLookup);
  log.note(order.degradations);

  const ticket = await registerTicket(ctx, input, understanding, order.answer);
  log.note(ticket.degradations);
  const { answer } = ticket;
  const knowledge = asked && knowledgeReply(ctx.deps.model, asked, answer);
  if (knowledge) log.note(knowledge.degradations);
  const latencyMs = Math.max(0, ctx.now() - started);
  const timestamp = new Date(ctx.now()).toISOString();

  const translation = knowledge
    ? await translateTurn(ctx, input, understanding.language, knowledge.messages, knowledge.language)
    : await translateTurn(ctx, input, understanding.language, ticket.messages);
  log.note(translation.degradations);

  const turn: AnsweredTurn = {
    input,
    session,
    understanding,
    answer,
    ticket: ticket.registered,
    translation,
    knowledge,
    latencyMs,
    timestamp,
  };
  const writes = await persistTurn(ctx, turn, log.list());
  const audioUrl = noteWrites(ctx, log, turn, writes);
  recordTurn(ctx, log, turn, started);
  annotateOutcome(ctx.trace, answer.decision.intentName, log.list());
  if (knowledge) ctx.trace.annotate({ knowledge: knowledge.outcome, source: knowledge.source });
  return respond(turn, audioUrl);
}
