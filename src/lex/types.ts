/**
 * Lex V2 code-hook event and response, as AWS documents them:
 * https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html
 * https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html
 *
 * The event schema is tolerant where Lex is (unknown fields pass through, optional fields may
 * be missing, slots may be null, `List`-shaped or nested) and strict where the handler relies
 * on a value (invocation source, session id, bot locale, intent name). The response schema is
 * what we promise Lex: every response the handler returns is parsed with it in the tests.
 */
// valibot: building these schemas is on the cold-start path of the fulfillment Lambda (module
// init), and each valibot factory returns a plain object (tree-shakeable, nothing to set up):
// about 1 ms of init here, where zod/mini cost about 6 ms (measured with CPU profiles).
import * as v from 'valibot';
import { LOCALES } from '../../contracts/bot-model/types';
import type { LexCardMessage } from './response';

/** Lex session ids: 2..100 characters of [0-9a-zA-Z._:-] (RecognizeText's documented pattern). */
export const SESSION_ID_PATTERN = /^[0-9a-zA-Z._:-]{2,100}$/;

export const InvocationSourceSchema = v.picklist(['DialogCodeHook', 'FulfillmentCodeHook']);
export const InputModeSchema = v.picklist(['Text', 'Speech', 'DTMF']);
export const IntentStateSchema = v.picklist([
  'Failed',
  'Fulfilled',
  'FulfillmentInProgress',
  'InProgress',
  'ReadyForFulfillment',
  'Waiting',
]);
export const ConfirmationStateSchema = v.picklist(['Confirmed', 'Denied', 'None']);
export const SentimentSchema = v.picklist(['MIXED', 'NEGATIVE', 'NEUTRAL', 'POSITIVE']);
export const DialogActionTypeSchema = v.picklist([
  'Close',
  'ConfirmIntent',
  'Delegate',
  'ElicitIntent',
  'ElicitSlot',
]);
export const ContentTypeSchema = v.picklist(['CustomPayload', 'ImageResponseCard', 'PlainText', 'SSML']);

/**
 * JSON objects only: valibot's object and record schemas take any object, arrays included (`[]`
 * would pass as an all-optional object, `['a']` as the record `{ 0: 'a' }`), so every object
 * below first checks for an object that is not an array, and every record for a plain object.
 */
const isObject = (input: unknown): boolean =>
  typeof input === 'object' && input !== null && !Array.isArray(input);
/** No prototype, or Object's from any realm (jest's vm, structuredClone): not `=== Object.prototype`. */
const isPlainObject = (input: unknown): boolean => {
  if (!isObject(input)) return false;
  const ctor: unknown = (input as { constructor?: unknown }).constructor;
  if (typeof ctor !== 'function') return true; // no prototype (Object.create(null)) or an own key
  const proto: unknown = ctor.prototype;
  return isObject(proto) && Object.prototype.hasOwnProperty.call(proto, 'isPrototypeOf');
};
const AnObject = v.custom<unknown>(isObject);
const APlainObject = v.custom<unknown>(isPlainObject);
const looseObject = <const E extends v.ObjectEntries>(entries: E) => v.pipe(AnObject, v.looseObject(entries));
/** A JSON object (not an array) with exactly these entries: the response schema's objects (src/lex/response.ts). */
export const object = <const E extends v.ObjectEntries>(entries: E) => v.pipe(AnObject, v.object(entries));
/**
 * A record with string keys. Note: valibot skips the keys `__proto__`, `constructor` and
 * `prototype` of a record and among a loose object's unknown keys (neither validated nor passed
 * on), so a slot or attribute of those names never reaches the handler.
 */
const record = <const S extends v.GenericSchema>(value: S) =>
  v.pipe(APlainObject, v.record(v.string(), value));

/** A JSON object of string values (session and request attributes). */
export const StringMap = record(v.string());

export const SlotValueSchema = looseObject({
  originalValue: v.optional(v.string()),
  interpretedValue: v.nullish(v.string()),
  resolvedValues: v.nullish(v.array(v.string())),
});

export interface LexSlot {
  shape?: 'Scalar' | 'List' | 'Composite';
  value?: v.InferOutput<typeof SlotValueSchema> | null;
  values?: LexSlot[] | null;
  subSlots?: Record<string, LexSlot | null> | null;
}

// v.lazy calls its getter on every parse: it returns the one schema, never builds a new one.
const Slot = v.lazy(() => SlotSchema);

export const SlotSchema: v.GenericSchema<unknown, LexSlot> = looseObject({
  shape: v.optional(v.picklist(['Scalar', 'List', 'Composite'])),
  value: v.nullish(SlotValueSchema),
  values: v.nullish(v.array(Slot)),
  subSlots: v.nullish(record(v.nullable(Slot))),
});

export const SlotsSchema = record(v.nullable(SlotSchema));

/** Intent names: Lex allows ^([0-9a-zA-Z][_-]?)+$, 1..100 characters. */
export const INTENT_NAME_PATTERN = /^([0-9a-zA-Z][_-]?){1,100}$/;

export const IntentSchema = looseObject({
  name: v.pipe(v.string(), v.regex(INTENT_NAME_PATTERN)),
  slots: v.nullish(SlotsSchema),
  state: v.optional(IntentStateSchema),
  confirmationState: v.optional(ConfirmationStateSchema),
});

/** A number in the code-hook event; RecognizeText's `{ score }` shape is accepted too. */
const Confidence = v.pipe(
  v.unknown(),
  v.transform((input: unknown) =>
    input !== null && typeof input === 'object' && 'score' in input
      ? (input as { score: unknown }).score
      : input,
  ),
  v.nullish(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
);

export const InterpretationSchema = looseObject({
  intent: IntentSchema,
  nluConfidence: v.optional(Confidence),
  interpretationSource: v.optional(v.string()),
  sentimentResponse: v.nullish(
    looseObject({
      sentiment: SentimentSchema,
      // valibot's number() takes ±Infinity (not JSON, but a direct invocation could pass it)
      sentimentScore: v.optional(record(v.pipe(v.number(), v.finite()))),
    }),
  ),
});

export const DialogActionSchema = looseObject({
  type: DialogActionTypeSchema,
  slotToElicit: v.optional(v.string()),
  slotElicitationStyle: v.optional(v.picklist(['Default', 'SpellByLetter', 'SpellByWord'])),
});

export const EventSessionStateSchema = looseObject({
  sessionAttributes: v.nullish(StringMap),
  activeContexts: v.nullish(v.array(v.unknown())),
  runtimeHints: v.optional(v.unknown()),
  dialogAction: v.nullish(DialogActionSchema),
  intent: v.nullish(IntentSchema),
  originatingRequestId: v.optional(v.string()),
});

export const LocaleIdSchema = v.picklist(LOCALES);

const Transcript = v.nullish(v.pipe(v.string(), v.maxLength(10_000)));

export const LexV2EventSchema = looseObject({
  messageVersion: v.optional(v.string()),
  invocationSource: InvocationSourceSchema,
  inputMode: v.optional(InputModeSchema),
  responseContentType: v.optional(v.string()),
  sessionId: v.pipe(v.string(), v.regex(SESSION_ID_PATTERN)),
  inputTranscript: Transcript,
  rawInputTranscript: Transcript,
  bot: looseObject({
    id: v.optional(v.string()),
    name: v.optional(v.string()),
    aliasId: v.optional(v.string()),
    aliasName: v.optional(v.string()),
    localeId: LocaleIdSchema,
    version: v.optional(v.string()),
  }),
  interpretations: v.nullish(v.array(InterpretationSchema)),
  proposedNextState: v.optional(v.unknown()),
  requestAttributes: v.nullish(StringMap),
  sessionState: EventSessionStateSchema,
  transcriptions: v.nullish(v.array(v.unknown())),
});

export type LexV2Event = v.InferOutput<typeof LexV2EventSchema>;
export type LexIntent = v.InferOutput<typeof IntentSchema>;
export type LexSlots = v.InferOutput<typeof SlotsSchema>;
export type LexInterpretation = v.InferOutput<typeof InterpretationSchema>;

// ---- response -------------------------------------------------------------------------

/**
 * The response schema is in src/lex/response.ts: the handler builds responses, it does not parse
 * them (the tests do), so building that schema is no part of the fulfillment Lambda's init.
 */
export type { LexCardMessage, LexMessage, LexV2CodeHookResponse } from './response';

/** A card with buttons (a quick-reply card or the hand-over offer) as the one Lex card message. */
export function cardMessage(card: {
  readonly title: string;
  readonly buttons: readonly { readonly text: string; readonly value: string }[];
}): LexCardMessage {
  return {
    contentType: 'ImageResponseCard',
    imageResponseCard: {
      title: card.title,
      buttons: card.buttons.map((b) => ({ text: b.text, value: b.value })),
    },
  };
}

/** Session attributes the fulfillment handler sets (Lex returns them to the channel). */
export const SessionAttr = {
  turn: 'turn',
  language: 'language',
  sentiment: 'sentiment',
  sentimentTrend: 'sentimentTrend',
  escalated: 'escalated',
  lastIntent: 'lastIntent',
  audioUrl: 'audioUrl',
  translatedInput: 'translatedInput',
  /**
   * The answer's metadata for the channel (contracts/conversation-api.ts), set by the fulfillment
   * on every turn it answers so a previous turn's value never leaks into this one:
   * `answerSource` = intent | knowledge | guardrail; `citations` = JSON Citation[] ('' when none);
   * `ticketRef` = the ticket reference this turn registered ('' when none).
   */
  answerSource: 'answerSource',
  citations: 'citations',
  ticketRef: 'ticketRef',
} as const;

/** Request attributes the channel handler sends with RecognizeText. */
export const RequestAttr = {
  channel: 'channel',
  userId: 'userId',
  /** 'true' when the client wants speech back (voice channel). */
  audio: 'audio',
  /**
   * Who the caller is (src/channel/identity.ts): 'user' (signed in: `userId` is their verified
   * user pool sub), 'guest' or 'iam' (`userId`, when present, is an unverified label).
   */
  callerType: 'callerType',
} as const;
