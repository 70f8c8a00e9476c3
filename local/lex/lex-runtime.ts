/**
 * The local Lex V2 runtime: what Lex does between RecognizeText and the code hook.
 *
 * Per session (bot, alias, locale, session id) it keeps Lex's dialog state, classifies the
 * text with the local NLU, fills slots across turns, elicits missing required slots with the
 * model's prompts, calls the code hook (the real fulfillment handler) with Lex V2 events
 * (`DialogCodeHook` when the intent has its dialog code hook on, `FulfillmentCodeHook` once
 * every required slot is filled), and honours the hook's dialog action (Close, ElicitSlot,
 * ElicitIntent, ConfirmIntent, Delegate) to build the RecognizeText response.
 */
import { randomUUID } from 'node:crypto';
import type { IntentDefinition, LocaleId } from '../../contracts/bot-model/types';
import type { LocalNlu } from '../nlu/local-nlu';
import type { ExtractedSlotValue } from '../nlu/slots';
import {
  LexError,
  type CodeHookEvent,
  type CodeHookInterpretation,
  type DialogActionWire,
  type IntentWire,
  type MessageWire,
  type RecognizeTextRequest,
  type RecognizeTextResponse,
  type SessionStateWire,
  type SlotWire,
} from './wire';

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
  /** Lex's text input limit. @default 1024 */
  readonly maxTextLength?: number;
  readonly now?: () => number;
}

/** Lex V2's documented session id pattern (RecognizeText URI parameter). */
export const LEX_SESSION_ID = /^[0-9a-zA-Z._:-]{2,100}$/;
const MAX_ALTERNATIVES = 4;
/** Lex's slot elicitation retries before giving up on the intent. */
const MAX_SLOT_RETRIES = 2;
const YES = /^\s*(yes|yeah|yep|sure|ok|okay|correct|right|si|sí|claro|vale|correcto|de acuerdo)\b/i;
const NO = /^\s*(no|nope|nah|not really|negative|para nada|de ninguna manera)\b/i;

interface StoredSession {
  state: SessionStateWire;
  lastUsed: number;
  /** Failed elicitation attempts of the slot being elicited. */
  retries: number;
}

interface Turn {
  readonly request: RecognizeTextRequest;
  readonly locale: LocaleId;
  readonly requestId: string;
  readonly interpretations: CodeHookInterpretation[];
  attrs: Record<string, string>;
  messages: MessageWire[];
}

export class LexRuntime {
  private readonly sessions = new Map<string, StoredSession>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly now: () => number;
  private readonly botIds: Set<string>;
  private readonly aliasIds: Set<string>;
  /** Code-hook invocations so far (for /v1/health and tests). */
  invocations = 0;

  constructor(private readonly opts: LexRuntimeOptions) {
    this.now = opts.now ?? Date.now;
    this.botIds = new Set([opts.bot.id, ...(opts.botIdAliases ?? [])]);
    this.aliasIds = new Set([opts.bot.aliasId, ...(opts.aliasIdAliases ?? [])]);
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** RecognizeText. Turns of one session run one after the other, as in Lex. */
  async recognizeText(request: RecognizeTextRequest): Promise<RecognizeTextResponse> {
    const locale = this.validate(request);
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

  private validate(request: RecognizeTextRequest): LocaleId {
    if (!this.botIds.has(request.botId)) {
      throw new LexError('ResourceNotFoundException', `bot ${request.botId} not found`);
    }
    if (!this.aliasIds.has(request.botAliasId)) {
      throw new LexError('ResourceNotFoundException', `bot alias ${request.botAliasId} not found`);
    }
    if (!(this.opts.locales as readonly string[]).includes(request.localeId)) {
      throw new LexError(
        'ResourceNotFoundException',
        `locale ${request.localeId} is not built for this bot alias`,
      );
    }
    if (!LEX_SESSION_ID.test(request.sessionId)) {
      throw new LexError(
        'ValidationException',
        `1 validation error detected: Value at 'sessionId' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z._:-]+`,
      );
    }
    const max = this.opts.maxTextLength ?? 1024;
    if (typeof request.text !== 'string' || request.text.length < 1 || request.text.length > max) {
      throw new LexError(
        'ValidationException',
        `1 validation error detected: Value at 'text' failed to satisfy constraint: Member must have length between 1 and ${max}`,
      );
    }
    if (request.requestAttributes !== undefined && !isStringMap(request.requestAttributes)) {
      throw new LexError('ValidationException', `'requestAttributes' must be a map of strings`);
    }
    if (
      request.sessionState?.sessionAttributes !== undefined &&
      !isStringMap(request.sessionState.sessionAttributes)
    ) {
      throw new LexError('ValidationException', `'sessionState.sessionAttributes' must be a map of strings`);
    }
    return request.localeId as LocaleId;
  }

  private async turn(
    key: string,
    locale: LocaleId,
    request: RecognizeTextRequest,
  ): Promise<RecognizeTextResponse> {
    this.evictIdle();
    const stored = this.sessions.get(key);
    const state: SessionStateWire = { ...(stored?.state ?? {}), ...(request.sessionState ?? {}) };
    const { nlu } = this.opts;
    const text = request.text;
    const classification = await nlu.classify(text, locale);
    const scoreOf = (name: string): number | undefined =>
      classification.ranked.find((r) => r.intent === name)?.confidence;

    // ---- which intent this input belongs to (Lex's dialog state first, then the classifier)
    const current = state.intent && state.intent.state === 'InProgress' ? state.intent : undefined;
    const da = state.dialogAction;
    let active: IntentWire;
    let retries = 0;
    if (current && da?.type === 'ElicitSlot' && da.slotToElicit && nlu.intent(current.name)) {
      const found = nlu.extractSlots(text, current.name, locale, da.slotToElicit);
      if (found[da.slotToElicit]) {
        active = withSlots(current, found, true);
      } else if (!classification.fallback && classification.intent !== current.name) {
        active = this.newIntent(classification.intent, text, locale); // the user changed the subject
      } else {
        active = withSlots(current, found, false);
        retries = (stored?.retries ?? 0) + 1;
      }
    } else if (current && da?.type === 'ConfirmIntent' && nlu.intent(current.name)) {
      const confirmation = YES.test(text) ? 'Confirmed' : NO.test(text) ? 'Denied' : 'None';
      active =
        confirmation === 'None' && !classification.fallback && classification.intent !== current.name
          ? this.newIntent(classification.intent, text, locale)
          : { ...current, confirmationState: confirmation };
    } else {
      active = this.newIntent(classification.intent, text, locale);
    }

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

    const turn: Turn = {
      request,
      locale,
      requestId: randomUUID(),
      interpretations,
      attrs: { ...(state.sessionAttributes ?? {}) },
      messages: [],
    };
    const def = nlu.intent(active.name)!;
    let outcome: { intent?: IntentWire; dialogAction: DialogActionWire };
    if (retries > MAX_SLOT_RETRIES) {
      // Lex gives up on the slot after its retries and the intent fails.
      outcome = { intent: { ...active, state: 'Failed' }, dialogAction: { type: 'Close' } };
      turn.messages.push(plain(nlu.model.messages.sorry[locale]));
    } else if (def.dialogCodeHook) {
      outcome = await this.dialogHook(turn, def, active, retries);
    } else {
      outcome = await this.delegate(turn, def, active, retries, false);
    }

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
    return {
      ...(turn.messages.length ? { messages: turn.messages } : {}),
      sessionState,
      interpretations: interpretations.map((i) => ({
        intent:
          i.intent.name === outcome.intent?.name && i === interpretations[0] ? outcome.intent : i.intent,
        ...(i.nluConfidence !== undefined ? { nluConfidence: { score: i.nluConfidence } } : {}),
        interpretationSource: 'Lex' as const,
      })),
      ...(request.requestAttributes ? { requestAttributes: request.requestAttributes } : {}),
      sessionId: request.sessionId,
    };
  }

  /** Calls the dialog code hook, then follows its dialog action. */
  private async dialogHook(
    turn: Turn,
    def: IntentDefinition,
    active: IntentWire,
    retries: number,
  ): Promise<{ intent?: IntentWire; dialogAction: DialogActionWire }> {
    const missing = firstMissingRequired(def, active);
    const proposed = missing
      ? {
          dialogAction: { type: 'ElicitSlot' as const, slotToElicit: missing },
          intent: active,
          prompt: { attempt: retries === 0 ? 'Initial' : `Retry${retries}` },
        }
      : undefined;
    const response = await this.invoke(turn, 'DialogCodeHook', { ...active, state: 'InProgress' }, proposed);
    return this.follow(turn, def, response, 'DialogCodeHook', retries);
  }

  /**
   * What Lex does on its own (no dialog hook, or the hook said Delegate): elicit the next
   * missing required slot, else fulfill (through the fulfillment hook when it is on).
   */
  private async delegate(
    turn: Turn,
    def: IntentDefinition,
    active: IntentWire,
    retries: number,
    afterFulfillment: boolean,
  ): Promise<{ intent?: IntentWire; dialogAction: DialogActionWire }> {
    const missing = firstMissingRequired(def, active);
    if (missing) {
      const slot = def.slots.find((s) => s.name === missing)!;
      turn.messages.push(plain(slot.prompt[turn.locale]));
      return {
        intent: { ...active, state: 'InProgress' },
        dialogAction: { type: 'ElicitSlot', slotToElicit: missing },
      };
    }
    if (def.fulfillmentCodeHook && !afterFulfillment) {
      const response = await this.invoke(turn, 'FulfillmentCodeHook', {
        ...active,
        state: 'ReadyForFulfillment',
      });
      return this.follow(turn, def, response, 'FulfillmentCodeHook', retries);
    }
    if (turn.messages.length === 0) {
      const closing = def.responses[turn.locale][0];
      if (closing) turn.messages.push(plain(fillSlots(closing, active)));
    }
    return { intent: { ...active, state: 'Fulfilled' }, dialogAction: { type: 'Close' } };
  }

  /** Applies a code hook's response (Lex V2 response format) to the turn. */
  private async follow(
    turn: Turn,
    def: IntentDefinition,
    raw: unknown,
    source: 'DialogCodeHook' | 'FulfillmentCodeHook',
    retries: number,
  ): Promise<{ intent?: IntentWire; dialogAction: DialogActionWire }> {
    const response = parseHookResponse(raw);
    if (response.sessionState.sessionAttributes) turn.attrs = { ...response.sessionState.sessionAttributes };
    turn.messages.push(...(response.messages ?? []));
    const returned = response.sessionState.intent;
    const intent: IntentWire | undefined = returned
      ? {
          name: returned.name,
          slots: { ...(returned.slots ?? {}) },
          state: returned.state ?? 'InProgress',
          confirmationState: returned.confirmationState ?? 'None',
        }
      : undefined;
    const action = response.sessionState.dialogAction;
    switch (action.type) {
      case 'Close':
        return {
          intent: intent
            ? { ...intent, state: intent.state === 'Failed' ? 'Failed' : 'Fulfilled' }
            : undefined,
          dialogAction: { type: 'Close' },
        };
      case 'ElicitSlot': {
        if (!intent || !action.slotToElicit)
          throw invalidResponse('ElicitSlot needs an intent and slotToElicit');
        if (!response.messages?.length) {
          const slot = this.opts.nlu.intent(intent.name)?.slots.find((s) => s.name === action.slotToElicit);
          if (slot) turn.messages.push(plain(slot.prompt[turn.locale]));
        }
        return {
          intent: { ...intent, state: 'InProgress' },
          dialogAction: { type: 'ElicitSlot', slotToElicit: action.slotToElicit },
        };
      }
      case 'ElicitIntent':
        return { dialogAction: { type: 'ElicitIntent' } };
      case 'ConfirmIntent':
        if (!intent) throw invalidResponse('ConfirmIntent needs an intent');
        return { intent: { ...intent, state: 'InProgress' }, dialogAction: { type: 'ConfirmIntent' } };
      case 'Delegate': {
        if (!intent) throw invalidResponse('Delegate needs an intent');
        const target = this.opts.nlu.intent(intent.name) ?? def;
        return this.delegate(turn, target, intent, retries, source === 'FulfillmentCodeHook');
      }
      default:
        throw invalidResponse(`unknown dialogAction.type ${String(action.type)}`);
    }
  }

  private async invoke(
    turn: Turn,
    invocationSource: 'DialogCodeHook' | 'FulfillmentCodeHook',
    intent: IntentWire,
    proposedNextState?: CodeHookEvent['proposedNextState'],
  ): Promise<unknown> {
    const { bot } = this.opts;
    const [first, ...rest] = turn.interpretations;
    const event: CodeHookEvent = {
      messageVersion: '1.0',
      invocationSource,
      inputMode: 'Text',
      responseContentType: 'text/plain; charset=utf-8',
      sessionId: turn.request.sessionId,
      inputTranscript: turn.request.text,
      rawInputTranscript: turn.request.text,
      bot: {
        id: bot.id,
        name: bot.name,
        aliasId: bot.aliasId,
        aliasName: bot.aliasName,
        localeId: turn.locale,
        version: bot.version,
      },
      interpretations: [{ ...first!, intent }, ...rest],
      ...(proposedNextState ? { proposedNextState } : {}),
      ...(turn.request.requestAttributes ? { requestAttributes: turn.request.requestAttributes } : {}),
      sessionState: {
        sessionAttributes: turn.attrs,
        activeContexts: [],
        intent,
        originatingRequestId: turn.requestId,
      },
    };
    this.invocations += 1;
    try {
      return await this.opts.codeHook(structuredClone(event));
    } catch (err) {
      throw new LexError(
        'DependencyFailedException',
        `Invalid Lambda Response: Received error response from Lambda: ${(err as Error).name ?? 'Error'}`,
      );
    }
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

function emptyIntent(name: string, def?: IntentDefinition): IntentWire {
  const slots: Record<string, SlotWire | null> = {};
  for (const slot of def?.slots ?? []) slots[slot.name] = null;
  return { name, slots, state: 'InProgress', confirmationState: 'None' };
}

/** Adds found values: `overwrite` false keeps values filled on earlier turns. */
function withSlots(
  intent: IntentWire,
  found: Record<string, ExtractedSlotValue>,
  overwrite: boolean,
): IntentWire {
  const slots = { ...intent.slots };
  for (const [name, value] of Object.entries(found)) {
    if (overwrite || !slots[name]) {
      slots[name] = { shape: 'Scalar', value: { ...value, resolvedValues: [...value.resolvedValues] } };
    }
  }
  return { ...intent, slots };
}

function firstMissingRequired(def: IntentDefinition, intent: IntentWire): string | undefined {
  return def.slots.find((s) => s.required && !intent.slots[s.name]?.value)?.name;
}

function interpretation(intent: IntentWire, nluConfidence: number | undefined): CodeHookInterpretation {
  return { intent, ...(nluConfidence !== undefined ? { nluConfidence } : {}), interpretationSource: 'Lex' };
}

const plain = (content: string): MessageWire => ({ contentType: 'PlainText', content });

function fillSlots(template: string, intent: IntentWire): string {
  return template
    .replace(/\{(\w+)\}/g, (_, name: string) => intent.slots[name]?.value?.interpretedValue ?? '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function invalidResponse(why: string): LexError {
  return new LexError('DependencyFailedException', `Invalid Lambda Response: ${why}`);
}

interface HookResponse {
  sessionState: {
    dialogAction: DialogActionWire;
    intent?: Partial<IntentWire> & { name: string };
    sessionAttributes?: Record<string, string>;
  };
  messages?: MessageWire[];
}

/** The structural checks Lex makes on a code hook's response before using it. */
function parseHookResponse(raw: unknown): HookResponse {
  const r = raw as HookResponse | null | undefined;
  if (!r || typeof r !== 'object' || !r.sessionState || typeof r.sessionState !== 'object') {
    throw invalidResponse('sessionState is missing');
  }
  const action = r.sessionState.dialogAction;
  if (!action || typeof action.type !== 'string')
    throw invalidResponse('sessionState.dialogAction is missing');
  if (r.sessionState.intent && typeof r.sessionState.intent.name !== 'string')
    throw invalidResponse('intent.name is missing');
  if (r.sessionState.sessionAttributes !== undefined && !isStringMap(r.sessionState.sessionAttributes)) {
    throw invalidResponse('sessionAttributes must be a map of strings');
  }
  if (
    r.messages !== undefined &&
    (!Array.isArray(r.messages) || r.messages.some((m) => !m || typeof m.contentType !== 'string'))
  ) {
    throw invalidResponse('messages must be a list of messages');
  }
  return r;
}
