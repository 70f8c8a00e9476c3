/**
 * The Lex V2 code-hook response as we promise it to Lex
 * (https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html): every response the
 * handler returns is parsed with LexV2ResponseSchema in the tests. The handler itself never parses
 * a response, so this module is not in the fulfillment Lambda's bundle (nothing at runtime imports a
 * value from it) and building these schemas is no part of its init; src/lex/types.ts re-exports
 * the types only. test/bundling/bundling.test.ts checks the bundle does not carry it.
 */
import * as v from 'valibot';
import {
  ConfirmationStateSchema,
  ContentTypeSchema,
  DialogActionTypeSchema,
  INTENT_NAME_PATTERN,
  object,
  SlotsSchema,
  StringMap,
} from './types';

export const MessageSchema = object({
  contentType: ContentTypeSchema,
  content: v.pipe(v.string(), v.minLength(1)),
});

/** A Lex ImageResponseCard (limits from the Lex V2 API: title <= 250, <= 5 buttons of <= 50). */
export const ImageResponseCardSchema = object({
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(250)),
  subtitle: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(250))),
  buttons: v.optional(
    v.pipe(
      v.array(
        object({
          text: v.pipe(v.string(), v.minLength(1), v.maxLength(50)),
          value: v.pipe(v.string(), v.minLength(1), v.maxLength(50)),
        }),
      ),
      v.maxLength(5),
    ),
  ),
});

/**
 * A message with buttons (the channel turns them into quick replies): the slot-elicitation
 * quick replies (contracts/bot-model/quick-replies.ts) and the knowledge hand-over offer. Lex
 * does not require content with a card; the generated cards carry none (the text is the card's).
 */
export const CardMessageSchema = object({
  contentType: v.literal('ImageResponseCard'),
  content: v.optional(v.pipe(v.string(), v.minLength(1))),
  imageResponseCard: ImageResponseCardSchema,
});

/** Intent states a code hook may return (Lex rejects the transient ones). */
export const ResponseIntentStateSchema = v.picklist([
  'Failed',
  'Fulfilled',
  'InProgress',
  'ReadyForFulfillment',
]);

export const ResponseIntentSchema = object({
  name: v.pipe(v.string(), v.regex(INTENT_NAME_PATTERN)),
  state: ResponseIntentStateSchema,
  confirmationState: v.optional(ConfirmationStateSchema),
  slots: v.optional(SlotsSchema),
});

const ResponseShape = object({
  sessionState: object({
    sessionAttributes: v.optional(StringMap),
    activeContexts: v.optional(v.array(v.unknown())),
    dialogAction: object({
      type: DialogActionTypeSchema,
      slotToElicit: v.optional(v.string()),
    }),
    intent: v.optional(ResponseIntentSchema),
  }),
  messages: v.optional(v.array(v.union([MessageSchema, CardMessageSchema]))),
  requestAttributes: v.optional(StringMap),
});

export type LexV2CodeHookResponse = v.InferOutput<typeof ResponseShape>;
export type LexMessage = v.InferOutput<typeof MessageSchema>;
export type LexCardMessage = v.InferOutput<typeof CardMessageSchema>;

/** What Lex accepts from a code hook (shape + the rules between dialog action, intent and messages). */
export const LexV2ResponseSchema = v.pipe(
  ResponseShape,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return; // the shape already failed (raw checks run regardless)
    const res: LexV2CodeHookResponse = dataset.value;
    const { dialogAction, intent } = res.sessionState;
    const issue = (message: string): void => addIssue({ message });
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
