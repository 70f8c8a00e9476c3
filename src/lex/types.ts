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
// zod/mini: the same validation as zod's classic API, a fraction of its module-init cost
// (it is on the cold-start path of the fulfillment Lambda).
import * as z from 'zod/mini';

/** Lex session ids: 2..100 characters of [0-9a-zA-Z._:-] (RecognizeText's documented pattern). */
export const SESSION_ID_PATTERN = /^[0-9a-zA-Z._:-]{2,100}$/;

export const InvocationSourceSchema = z.enum(['DialogCodeHook', 'FulfillmentCodeHook']);
export const InputModeSchema = z.enum(['Text', 'Speech', 'DTMF']);
export const IntentStateSchema = z.enum([
  'Failed',
  'Fulfilled',
  'FulfillmentInProgress',
  'InProgress',
  'ReadyForFulfillment',
  'Waiting',
]);
export const ConfirmationStateSchema = z.enum(['Confirmed', 'Denied', 'None']);
export const SentimentSchema = z.enum(['MIXED', 'NEGATIVE', 'NEUTRAL', 'POSITIVE']);
export const DialogActionTypeSchema = z.enum([
  'Close',
  'ConfirmIntent',
  'Delegate',
  'ElicitIntent',
  'ElicitSlot',
]);
export const ContentTypeSchema = z.enum(['CustomPayload', 'ImageResponseCard', 'PlainText', 'SSML']);

const StringMap = z.record(z.string(), z.string());

export const SlotValueSchema = z.looseObject({
  originalValue: z.optional(z.string()),
  interpretedValue: z.nullish(z.string()),
  resolvedValues: z.nullish(z.array(z.string())),
});

export interface LexSlot {
  shape?: 'Scalar' | 'List' | 'Composite';
  value?: z.infer<typeof SlotValueSchema> | null;
  values?: LexSlot[] | null;
  subSlots?: Record<string, LexSlot | null> | null;
}

export const SlotSchema: z.ZodMiniType<LexSlot> = z.lazy(() =>
  z.looseObject({
    shape: z.optional(z.enum(['Scalar', 'List', 'Composite'])),
    value: z.nullish(SlotValueSchema),
    values: z.nullish(z.array(SlotSchema)),
    subSlots: z.nullish(z.record(z.string(), z.nullable(SlotSchema))),
  }),
);

export const SlotsSchema = z.record(z.string(), z.nullable(SlotSchema));

/** Intent names: Lex allows ^([0-9a-zA-Z][_-]?)+$, 1..100 characters. */
export const INTENT_NAME_PATTERN = /^([0-9a-zA-Z][_-]?){1,100}$/;

export const IntentSchema = z.looseObject({
  name: z.string().check(z.regex(INTENT_NAME_PATTERN)),
  slots: z.nullish(SlotsSchema),
  state: z.optional(IntentStateSchema),
  confirmationState: z.optional(ConfirmationStateSchema),
});

/** A number in the code-hook event; RecognizeText's `{ score }` shape is accepted too. */
const Confidence = z.pipe(
  z.transform((v: unknown) =>
    v !== null && typeof v === 'object' && 'score' in v ? (v as { score: unknown }).score : v,
  ),
  z.nullish(z.number().check(z.gte(0), z.lte(1))),
);

export const InterpretationSchema = z.looseObject({
  intent: IntentSchema,
  nluConfidence: z.optional(Confidence),
  interpretationSource: z.optional(z.string()),
  sentimentResponse: z.nullish(
    z.looseObject({
      sentiment: SentimentSchema,
      sentimentScore: z.optional(z.record(z.string(), z.number())),
    }),
  ),
});

export const DialogActionSchema = z.looseObject({
  type: DialogActionTypeSchema,
  slotToElicit: z.optional(z.string()),
  slotElicitationStyle: z.optional(z.enum(['Default', 'SpellByLetter', 'SpellByWord'])),
});

export const EventSessionStateSchema = z.looseObject({
  sessionAttributes: z.nullish(StringMap),
  activeContexts: z.nullish(z.array(z.unknown())),
  runtimeHints: z.optional(z.unknown()),
  dialogAction: z.nullish(DialogActionSchema),
  intent: z.nullish(IntentSchema),
  originatingRequestId: z.optional(z.string()),
});

export const LocaleIdSchema = z.enum(['en_US', 'es_US']);

const Transcript = z.nullish(z.string().check(z.maxLength(10_000)));

export const LexV2EventSchema = z.looseObject({
  messageVersion: z.optional(z.string()),
  invocationSource: InvocationSourceSchema,
  inputMode: z.optional(InputModeSchema),
  responseContentType: z.optional(z.string()),
  sessionId: z.string().check(z.regex(SESSION_ID_PATTERN)),
  inputTranscript: Transcript,
  rawInputTranscript: Transcript,
  bot: z.looseObject({
    id: z.optional(z.string()),
    name: z.optional(z.string()),
    aliasId: z.optional(z.string()),
    aliasName: z.optional(z.string()),
    localeId: LocaleIdSchema,
    version: z.optional(z.string()),
  }),
  interpretations: z.nullish(z.array(InterpretationSchema)),
  proposedNextState: z.optional(z.unknown()),
  requestAttributes: z.nullish(StringMap),
  sessionState: EventSessionStateSchema,
  transcriptions: z.nullish(z.array(z.unknown())),
});

export type LexV2Event = z.infer<typeof LexV2EventSchema>;
export type LexIntent = z.infer<typeof IntentSchema>;
export type LexSlots = z.infer<typeof SlotsSchema>;
export type LexInterpretation = z.infer<typeof InterpretationSchema>;

// ---- response -------------------------------------------------------------------------

export const MessageSchema = z.object({
  contentType: ContentTypeSchema,
  content: z.string().check(z.minLength(1)),
});

/** Intent states a code hook may return (Lex rejects the transient ones). */
export const ResponseIntentStateSchema = z.enum(['Failed', 'Fulfilled', 'InProgress', 'ReadyForFulfillment']);

export const ResponseIntentSchema = z.object({
  name: z.string().check(z.regex(INTENT_NAME_PATTERN)),
  state: ResponseIntentStateSchema,
  confirmationState: z.optional(ConfirmationStateSchema),
  slots: z.optional(SlotsSchema),
});

const ResponseShape = z.object({
  sessionState: z.object({
    sessionAttributes: z.optional(StringMap),
    activeContexts: z.optional(z.array(z.unknown())),
    dialogAction: z.object({
      type: DialogActionTypeSchema,
      slotToElicit: z.optional(z.string()),
    }),
    intent: z.optional(ResponseIntentSchema),
  }),
  messages: z.optional(z.array(MessageSchema)),
  requestAttributes: z.optional(StringMap),
});

export type LexV2CodeHookResponse = z.infer<typeof ResponseShape>;
export type LexMessage = z.infer<typeof MessageSchema>;

/** What Lex accepts from a code hook (shape + the rules between dialog action, intent and messages). */
export const LexV2ResponseSchema = ResponseShape.check(
  z.superRefine((res: LexV2CodeHookResponse, ctx) => {
    const { dialogAction, intent } = res.sessionState;
    const issue = (message: string): void => {
      ctx.addIssue({ code: 'custom', message, input: res });
    };
    if (dialogAction.type === 'ElicitSlot' && !dialogAction.slotToElicit)
      issue('ElicitSlot needs slotToElicit');
    if (dialogAction.type !== 'ElicitIntent' && !intent) issue(`${dialogAction.type} needs an intent`);
    if (dialogAction.type === 'Close' && intent && !['Fulfilled', 'Failed'].includes(intent.state)) {
      issue('Close needs a Fulfilled or Failed intent');
    }
    if (['Close', 'ElicitSlot', 'ElicitIntent'].includes(dialogAction.type) && !res.messages?.length) {
      issue(`${dialogAction.type} needs a message`);
    }
  }),
);

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
} as const;

/** Request attributes the channel handler sends with RecognizeText. */
export const RequestAttr = {
  channel: 'channel',
  userId: 'userId',
  /** 'true' when the client wants speech back (voice channel). */
  audio: 'audio',
} as const;
