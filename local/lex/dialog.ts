/**
 * What Lex does with the code hook within one turn: call the dialog code hook (when the
 * intent has it on) or do the dialog itself (elicit the next missing required slot with the
 * model's prompt, else fulfill through the fulfillment code hook), check the hook's response
 * as Lex does, and follow its dialog action (Close, ElicitSlot, ElicitIntent, ConfirmIntent,
 * Delegate).
 */
import { slotElicitationCard } from '../../contracts/bot-model/quick-replies';
import type { IntentDefinition, LocaleId, SlotDefinition } from '../../contracts/bot-model/types';
import type { LocalNlu } from '../nlu/local-nlu';
import { fillSlots, firstMissingRequired, isStringMap, plain } from './intents';
import type { BotIdentity, CodeHook } from './lex-runtime';
import {
  LexError,
  type CodeHookEvent,
  type CodeHookInterpretation,
  type DialogActionWire,
  type IntentWire,
  type MessageWire,
  type RecognizeTextRequest,
} from './wire';

/** Lex's slot elicitation retries before giving up on the intent. */
export const MAX_SLOT_RETRIES = 2;

/** One RecognizeText turn while the dialog runs: the hook may replace its attributes. */
export interface Turn {
  readonly request: RecognizeTextRequest;
  readonly locale: LocaleId;
  readonly requestId: string;
  readonly interpretations: CodeHookInterpretation[];
  attrs: Record<string, string>;
  messages: MessageWire[];
}

/** Where the dialog leaves the turn: the intent (none after ElicitIntent) and the next dialog action. */
export interface DialogOutcome {
  intent?: IntentWire;
  dialogAction: DialogActionWire;
}

export interface CodeHookDialogOptions {
  readonly nlu: LocalNlu;
  readonly bot: BotIdentity;
  readonly codeHook: CodeHook;
  /** Called before each code-hook invocation (the runtime counts them). */
  readonly onInvoke: () => void;
}

export class CodeHookDialog {
  constructor(private readonly opts: CodeHookDialogOptions) {}

  /** Runs the turn's dialog for the `active` intent, `retries` failed elicitations in. */
  async run(turn: Turn, active: IntentWire, retries: number): Promise<DialogOutcome> {
    const { nlu } = this.opts;
    const def = nlu.intent(active.name)!;
    if (retries > MAX_SLOT_RETRIES) {
      // Lex gives up on the slot after its retries and the intent fails.
      turn.messages.push(plain(nlu.model.messages.sorry[turn.locale]));
      return { intent: { ...active, state: 'Failed' }, dialogAction: { type: 'Close' } };
    }
    if (def.dialogCodeHook) return this.dialogHook(turn, def, active, retries);
    return this.delegate(turn, def, active, retries, false);
  }

  /** Calls the dialog code hook, then follows its dialog action. */
  private async dialogHook(
    turn: Turn,
    def: IntentDefinition,
    active: IntentWire,
    retries: number,
  ): Promise<DialogOutcome> {
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
  ): Promise<DialogOutcome> {
    const missing = firstMissingRequired(def, active);
    if (missing) {
      const slot = def.slots.find((s) => s.name === missing)!;
      turn.messages.push(...this.prompt(slot, turn.locale));
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
  ): Promise<DialogOutcome> {
    const response = parseHookResponse(raw);
    if (response.sessionState.sessionAttributes) turn.attrs = { ...response.sessionState.sessionAttributes };
    turn.messages.push(...(response.messages ?? []));
    const intent = returnedIntent(response);
    const action = response.sessionState.dialogAction;
    switch (action.type) {
      case 'Close':
        return {
          intent: intent
            ? { ...intent, state: intent.state === 'Failed' ? 'Failed' : 'Fulfilled' }
            : undefined,
          dialogAction: { type: 'Close' },
        };
      case 'ElicitSlot':
        return this.elicitSlot(turn, response, intent, action.slotToElicit);
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

  /** The hook's ElicitSlot, with the slot's prompt when the hook sent no message. */
  private elicitSlot(
    turn: Turn,
    response: HookResponse,
    intent: IntentWire | undefined,
    slotToElicit: string | undefined,
  ): DialogOutcome {
    if (!intent || !slotToElicit) throw invalidResponse('ElicitSlot needs an intent and slotToElicit');
    if (!response.messages?.length) {
      const slot = this.opts.nlu.intent(intent.name)?.slots.find((s) => s.name === slotToElicit);
      if (slot) turn.messages.push(...this.prompt(slot, turn.locale));
    }
    return {
      intent: { ...intent, state: 'InProgress' },
      dialogAction: { type: 'ElicitSlot', slotToElicit },
    };
  }

  /** The slot's prompt as the generated bot has it: the text, then its quick-reply card if any. */
  private prompt(slot: SlotDefinition, locale: LocaleId): MessageWire[] {
    const card = slotElicitationCard(this.opts.nlu.model, slot, locale);
    return [
      plain(slot.prompt[locale]),
      ...(card
        ? [
            {
              contentType: 'ImageResponseCard' as const,
              imageResponseCard: { title: card.title, buttons: card.buttons.map((b) => ({ ...b })) },
            },
          ]
        : []),
    ];
  }

  private async invoke(
    turn: Turn,
    invocationSource: 'DialogCodeHook' | 'FulfillmentCodeHook',
    intent: IntentWire,
    proposedNextState?: CodeHookEvent['proposedNextState'],
  ): Promise<unknown> {
    const event = codeHookEvent(this.opts.bot, turn, invocationSource, intent, proposedNextState);
    this.opts.onInvoke();
    try {
      return await this.opts.codeHook(structuredClone(event));
    } catch (err) {
      throw new LexError(
        'DependencyFailedException',
        `Invalid Lambda Response: Received error response from Lambda: ${(err as Error).name ?? 'Error'}`,
      );
    }
  }
}

/** The Lex V2 code-hook event of this turn (lambda-input-format). */
function codeHookEvent(
  bot: BotIdentity,
  turn: Turn,
  invocationSource: 'DialogCodeHook' | 'FulfillmentCodeHook',
  intent: IntentWire,
  proposedNextState?: CodeHookEvent['proposedNextState'],
): CodeHookEvent {
  const [first, ...rest] = turn.interpretations;
  return {
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
}

interface HookResponse {
  sessionState: {
    dialogAction: DialogActionWire;
    intent?: Partial<IntentWire> & { name: string };
    sessionAttributes?: Record<string, string>;
  };
  messages?: MessageWire[];
}

function returnedIntent(response: HookResponse): IntentWire | undefined {
  const returned = response.sessionState.intent;
  return returned
    ? {
        name: returned.name,
        slots: { ...(returned.slots ?? {}) },
        state: returned.state ?? 'InProgress',
        confirmationState: returned.confirmationState ?? 'None',
      }
    : undefined;
}

function invalidResponse(why: string): LexError {
  return new LexError('DependencyFailedException', `Invalid Lambda Response: ${why}`);
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
