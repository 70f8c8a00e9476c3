/**
 * Step 5 of a turn, round 2 of the hot path: the writes, all started together: the turn record
 * (DynamoDB, conditional: a retried invocation is a 'duplicate'), the session (Redis, skipped
 * when the read just failed), the conversation event (Kinesis), and speech (Polly + S3) for
 * voice turns. Returns each call's outcome; record.ts notes the failures.
 */
import type { ConversationEvent, SessionState, TurnRecord } from '../../ports';
import { redact } from '../../redact';
import { withTimeout } from '../../util/timeout';
import { attempt, type Outcome, type TurnContext } from './outcome';
import type { AnsweredTurn } from './state';

export interface Writes {
  readonly context: Outcome<'written' | 'duplicate'>;
  /** Not attempted when the session read failed. */
  readonly session: Outcome<void> | undefined;
  readonly events: Outcome<void>;
  /** Only for a voice turn with a speech synthesizer. */
  readonly speech: Outcome<{ audioUrl: string }> | undefined;
}

export async function persistTurn(
  ctx: TurnContext,
  turn: AnsweredTurn,
  degraded: readonly string[],
): Promise<Writes> {
  const { deps, budget } = ctx;
  const { conversationId } = turn.input;
  const event = conversationEventOf(ctx, turn, degraded);
  const speech = deps.speech;
  const [context, session, events, speechOut] = await Promise.all([
    attempt(() =>
      withTimeout('context put', budget, () =>
        deps.context.putTurn(turnRecordOf(turn, deps.config.streamTranscripts)),
      ),
    ),
    turn.session.failed
      ? Promise.resolve(undefined) // Redis just failed: don't spend the budget again
      : attempt(() =>
          withTimeout('session put', budget, () => deps.sessions.put(conversationId, sessionStateOf(turn))),
        ),
    // The sink retries failed records itself (bounded); this is only a backstop.
    attempt(() => withTimeout('events put', budget * 4, () => deps.events.put([event]))),
    turn.input.voice && speech
      ? attempt(() =>
          withTimeout('speech', budget * 2, () =>
            speech.synthesize(speechTextOf(turn), turn.input.locale, speechKeyOf(turn)),
          ),
        )
      : Promise.resolve(undefined),
  ]);
  return { context, session, events, speech: speechOut };
}

/** The session state Redis keeps for the next turn. */
export function sessionStateOf({ input, understanding, answer }: AnsweredTurn): SessionState {
  return {
    turn: answer.turn,
    language: understanding.language,
    locale: input.locale,
    lastIntent: answer.decision.intentName,
    sentimentTrend: answer.trend,
    escalated: answer.escalated,
  };
}

/**
 * The turn's item in the conversation table (slot values redacted; the user's redacted text only
 * when transcripts are allowed: a ticket's transcript reads it back, src/tickets/worker).
 */
export function turnRecordOf(
  { input, understanding, answer, latencyMs, timestamp }: AnsweredTurn,
  transcripts = false,
): TurnRecord {
  const { sentiment } = understanding;
  return {
    conversationId: input.conversationId,
    turn: answer.turn,
    intent: answer.decision.intentName,
    slots: Object.fromEntries(Object.entries(answer.decision.slots).map(([k, v]) => [k, redact(v)])),
    ...(sentiment ? { sentiment: sentiment.label } : {}),
    language: understanding.language,
    locale: input.locale,
    channel: input.channel,
    latencyMs,
    timestamp,
    ...(transcripts && input.text ? { text: input.text } : {}),
  };
}

/**
 * The turn's conversation event; the text only when transcripts are streamed (and never a question
 * a guardrail blocked); where the answer came from, as flags.
 */
export function conversationEventOf(
  ctx: TurnContext,
  turn: AnsweredTurn,
  degraded: readonly string[],
): ConversationEvent {
  const { input, understanding, answer, translation } = turn;
  return {
    schemaVersion: 1,
    conversationId: input.conversationId,
    turn: answer.turn,
    locale: input.locale,
    language: understanding.language,
    intent: answer.decision.intentName,
    nluConfidence: input.nluConfidence,
    fallback: answer.decision.fallback,
    sentiment: understanding.sentiment?.label ?? null,
    channel: input.channel,
    inputMode: input.inputMode,
    escalated: answer.escalated,
    degraded: [...degraded],
    latencyMs: turn.latencyMs,
    timestamp: turn.timestamp,
    source: turn.knowledge?.source ?? 'intent',
    ...(turn.knowledge ? { knowledge: turn.knowledge.outcome } : {}),
    ...(turn.knowledge?.guardrail ? { guardrail: turn.knowledge.guardrail } : {}),
    ...(turn.ticket ? { ticketId: turn.ticket.ticketId } : {}),
    // A question a guardrail blocked is never streamed, even with transcripts on.
    ...(ctx.deps.config.streamTranscripts && input.text && turn.knowledge?.guardrail !== 'input'
      ? { text: translation.translatedInput ?? input.text }
      : {}),
  };
}

const speechTextOf = (turn: AnsweredTurn): string =>
  turn.translation.messages.map((m) => m.content).join(' ');

/** Where the audio of this turn is stored: `<conversation id, safe characters>/<turn>`. */
const speechKeyOf = (turn: AnsweredTurn): string =>
  `${turn.input.conversationId.replace(/[^A-Za-z0-9._-]/g, '_')}/${turn.answer.turn}`;
