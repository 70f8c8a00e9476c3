/**
 * The local Lex V2 runtime: what Lex does between RecognizeText and the code hook.
 *
 * Per session (bot, alias, locale, session id) it keeps Lex's dialog state, classifies the
 * text with the local NLU, fills slots across turns, elicits missing required slots with the
 * model's prompts, calls the code hook (the real fulfillment handler) with Lex V2 events
 * (`DialogCodeHook` when the intent has its dialog code hook on, `FulfillmentCodeHook` once
 * every required slot is filled), and honours the hook's dialog action (Close, ElicitSlot,
 * ElicitIntent, ConfirmIntent, Delegate) to build the RecognizeText response.
 * Pieces: validate.ts (the request checks), dialog.ts (the code hook and its dialog actions),
 * intents.ts (intent and slot helpers).
 */
import { randomUUID } from 'node:crypto';
import type { LocaleId } from '../../contracts/bot-model/types';
import { MAX_TEXT_CHARACTERS } from '../../src/util/characters';
import type { Classification, LocalNlu } from '../nlu/local-nlu';
import { CodeHookDialog, type DialogOutcome, type Turn } from './dialog';
import { emptyIntent, interpretation, withSlots } from './intents';
import { validateRequest, type RequestRules } from './validate';
import type {
  CodeHookEvent,
  CodeHookInterpretation,
  IntentWire,
  RecognizeTextRequest,
  RecognizeTextResponse,
  SessionStateWire,
} from './wire';

export { LEX_SESSION_ID } from './validate';

export type CodeHook = (event: CodeHookEvent) => Promise<unknown>;

export interface BotIdentity {
  /** Lex bot id (10 characters). */
  readonly id: string;
  readonly name: string;
  readonly aliasId: string;
  readonly aliasName: string;
  readonly version: string;
}

export interface LexRuntimeOptions {
  readonly nlu: LocalNlu;
  readonly codeHook: CodeHook;
  readonly bot: BotIdentity;
  /** Other bot ids / alias ids answered as this bot (e.g. TSTBOTID00 / TSTALIASID). */
  readonly botIdAliases?: readonly string[];
  readonly aliasIdAliases?: readonly string[];
  readonly locales: readonly LocaleId[];
  /** Lex idle session TTL (config `bot.idleSessionTtlSeconds`). */
  readonly idleSessionTtlSeconds: number;
  /** Lex's text input limit, in characters (code points: src/util/characters.ts). @default 1024 */
  readonly maxTextLength?: number;
  readonly now?: () => number;
}

const MAX_ALTERNATIVES = 4;
const YES = /^\s*(yes|yeah|yep|sure|ok|okay|correct|right|si|sí|claro|vale|correcto|de acuerdo)\b/i;
const NO = /^\s*(no|nope|nah|not really|negative|para nada|de ninguna manera)\b/i;

interface StoredSession {
  state: SessionStateWire;
  lastUsed: number;
  /** Failed elicitation attempts of the slot being elicited. */
  retries: number;
}

export class LexRuntime {
  private readonly sessions = new Map<string, StoredSession>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly now: () => number;
  private readonly rules: RequestRules;
  private readonly dialog: CodeHookDialog;
  /** Code-hook invocations so far (for /v1/health and tests). */
  invocations = 0;

  constructor(private readonly opts: LexRuntimeOptions) {
    this.now = opts.now ?? Date.now;
    this.rules = {
      botIds: new Set([opts.bot.id, ...(opts.botIdAliases ?? [])]),
      aliasIds: new Set([opts.bot.aliasId, ...(opts.aliasIdAliases ?? [])]),
      locales: opts.locales,
      maxTextLength: opts.maxTextLength ?? MAX_TEXT_CHARACTERS,
    };
    this.dialog = new CodeHookDialog({
      nlu: opts.nlu,
      bot: opts.bot,
      codeHook: opts.codeHook,
      onInvoke: () => {
        this.invocations += 1;
      },
    });
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** RecognizeText. Turns of one session run one after the other, as in Lex. */
  async recognizeText(request: RecognizeTextRequest): Promise<RecognizeTextResponse> {
    const locale = validateRequest(request, this.rules);
    const key = [request.botId, request.botAliasId, locale, request.sessionId].join('\u0000');
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.turn(key, locale, request));
    this.queues.set(key, run);
    try {
      return await run;
    } finally {
      if (this.queues.get(key) === run) this.queues.delete(key);
    }
  }

  private async turn(
    key: string,
    locale: LocaleId,
    request: RecognizeTextRequest,
  ): Promise<RecognizeTextResponse> {
    this.evictIdle();
    const stored = this.sessions.get(key);
    const state: SessionStateWire = { ...(stored?.state ?? {}), ...(request.sessionState ?? {}) };
    const classification = await this.opts.nlu.classify(request.text, locale);
    const { active, retries } = this.activeIntent(state, stored, classification, request.text, locale);
    const turn: Turn = {
      request,
      locale,
      requestId: randomUUID(),
      interpretations: this.interpretationsOf(active, classification, request.text, locale),
      attrs: { ...(state.sessionAttributes ?? {}) },
      messages: [],
    };
    const outcome = await this.dialog.run(turn, active, retries);
    const sessionState: SessionStateWire = {
      dialogAction: outcome.dialogAction,
      ...(outcome.intent ? { intent: outcome.intent } : {}),
      sessionAttributes: turn.attrs,
      originatingRequestId: turn.requestId,
    };
    this.sessions.set(key, {
      state: sessionState,
      lastUsed: this.now(),
      retries: outcome.dialogAction.type === 'ElicitSlot' ? retries : 0,
    });
    return responseOf(turn, sessionState, outcome);
  }

  /**
   * Which intent this input belongs to: Lex's dialog state first (the slot being elicited, the
   * intent being confirmed), then the classifier; with the failed elicitations so far.
   */
  private activeIntent(
    state: SessionStateWire,
    stored: StoredSession | undefined,
    classification: Classification,
    text: string,
    locale: LocaleId,
  ): { active: IntentWire; retries: number } {
    const { nlu } = this.opts;
    const current = state.intent && state.intent.state === 'InProgress' ? state.intent : undefined;
    const da = state.dialogAction;
    const changedSubject = (name: string): boolean =>
      !classification.fallback && classification.intent !== name;
    if (current && da?.type === 'ElicitSlot' && da.slotToElicit && nlu.intent(current.name)) {
      const found = nlu.extractSlots(text, current.name, locale, da.slotToElicit);
      if (found[da.slotToElicit]) return { active: withSlots(current, found, true), retries: 0 };
      if (changedSubject(current.name)) {
        return { active: this.newIntent(classification.intent, text, locale), retries: 0 };
      }
      return { active: withSlots(current, found, false), retries: (stored?.retries ?? 0) + 1 };
    }
    if (current && da?.type === 'ConfirmIntent' && nlu.intent(current.name)) {
      const confirmation = YES.test(text) ? 'Confirmed' : NO.test(text) ? 'Denied' : 'None';
      const active: IntentWire =
        confirmation === 'None' && changedSubject(current.name)
          ? this.newIntent(classification.intent, text, locale)
          : { ...current, confirmationState: confirmation };
      return { active, retries: 0 };
    }
    return { active: this.newIntent(classification.intent, text, locale), retries: 0 };
  }

  /** The active intent first, then up to MAX_ALTERNATIVES alternatives, then the fallback intent. */
  private interpretationsOf(
    active: IntentWire,
    classification: Classification,
    text: string,
    locale: LocaleId,
  ): CodeHookInterpretation[] {
    const { nlu } = this.opts;
    const scoreOf = (name: string): number | undefined =>
      classification.ranked.find((r) => r.intent === name)?.confidence;
    const interpretations: CodeHookInterpretation[] = [];
    const activeScore = active.name === nlu.fallbackIntent ? undefined : scoreOf(active.name);
    interpretations.push(interpretation(active, activeScore));
    for (const alt of classification.ranked) {
      if (interpretations.length > MAX_ALTERNATIVES) break;
      if (alt.intent === active.name) continue;
      interpretations.push(interpretation(this.newIntent(alt.intent, text, locale), alt.confidence));
    }
    if (active.name !== nlu.fallbackIntent) {
      interpretations.push(interpretation(emptyIntent(nlu.fallbackIntent), undefined));
    }
    return interpretations;
  }

  private newIntent(name: string, text: string, locale: LocaleId): IntentWire {
    const found = this.opts.nlu.extractSlots(text, name, locale);
    return withSlots(emptyIntent(name, this.opts.nlu.intent(name)), found, false);
  }

  private evictIdle(): void {
    const cutoff = this.now() - this.opts.idleSessionTtlSeconds * 1000;
    for (const [key, session] of this.sessions) {
      if (session.lastUsed < cutoff) this.sessions.delete(key);
    }
  }
}

/** The RecognizeText response: messages, session state, interpretations (the first one as the dialog left it). */
function responseOf(
  turn: Turn,
  sessionState: SessionStateWire,
  outcome: DialogOutcome,
): RecognizeTextResponse {
  const { request, interpretations } = turn;
  return {
    ...(turn.messages.length ? { messages: turn.messages } : {}),
    sessionState,
    interpretations: interpretations.map((i) => ({
      intent: i.intent.name === outcome.intent?.name && i === interpretations[0] ? outcome.intent : i.intent,
      ...(i.nluConfidence !== undefined ? { nluConfidence: { score: i.nluConfidence } } : {}),
      interpretationSource: 'Lex' as const,
    })),
    ...(request.requestAttributes ? { requestAttributes: request.requestAttributes } : {}),
    sessionId: request.sessionId,
  };
}
