/**
 * Lex V2 wire shapes the stand-in speaks: the RecognizeText request/response
 * (https://docs.aws.amazon.com/lexv2/latest/APIReference/API_runtime_RecognizeText.html) and
 * the code-hook event (https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html).
 * Kept structural on purpose: the stand-in must not depend on the handler's own schemas.
 */

export interface SlotValueWire {
  originalValue: string;
  interpretedValue: string;
  resolvedValues: string[];
}

export interface SlotWire {
  shape?: 'Scalar' | 'List' | 'Composite';
  value?: SlotValueWire;
  values?: SlotWire[];
}

export type IntentState =
  'Failed' | 'Fulfilled' | 'FulfillmentInProgress' | 'InProgress' | 'ReadyForFulfillment' | 'Waiting';
export type ConfirmationState = 'Confirmed' | 'Denied' | 'None';
export type DialogActionType =
  'Close' | 'ConfirmIntent' | 'Delegate' | 'ElicitIntent' | 'ElicitSlot' | 'None';

export interface IntentWire {
  name: string;
  slots: Record<string, SlotWire | null>;
  state: IntentState;
  confirmationState: ConfirmationState;
}

export interface DialogActionWire {
  type: DialogActionType;
  slotToElicit?: string;
}

export interface SessionStateWire {
  dialogAction?: DialogActionWire;
  intent?: IntentWire;
  activeContexts?: unknown[];
  sessionAttributes?: Record<string, string>;
  originatingRequestId?: string;
  runtimeHints?: unknown;
}

export interface MessageWire {
  contentType: 'PlainText' | 'SSML' | 'CustomPayload' | 'ImageResponseCard';
  content?: string;
  imageResponseCard?: unknown;
}

export interface RecognizeTextRequest {
  botId: string;
  botAliasId: string;
  localeId: string;
  sessionId: string;
  text: string;
  sessionState?: SessionStateWire;
  requestAttributes?: Record<string, string>;
}

export interface RuntimeInterpretation {
  intent: IntentWire;
  nluConfidence?: { score: number };
  interpretationSource: 'Lex';
}

export interface RecognizeTextResponse {
  messages?: MessageWire[];
  sessionState: SessionStateWire;
  interpretations: RuntimeInterpretation[];
  requestAttributes?: Record<string, string>;
  sessionId: string;
}

export interface CodeHookInterpretation {
  intent: IntentWire;
  nluConfidence?: number;
  interpretationSource: 'Lex';
}

export interface CodeHookEvent {
  messageVersion: '1.0';
  invocationSource: 'DialogCodeHook' | 'FulfillmentCodeHook';
  inputMode: 'Text';
  responseContentType: string;
  sessionId: string;
  inputTranscript: string;
  rawInputTranscript: string;
  bot: { id: string; name: string; aliasId: string; aliasName: string; localeId: string; version: string };
  interpretations: CodeHookInterpretation[];
  proposedNextState?: { dialogAction: DialogActionWire; intent: IntentWire; prompt: { attempt: string } };
  requestAttributes?: Record<string, string>;
  sessionState: SessionStateWire;
}

/** A Lex V2 runtime error, as the REST-JSON protocol reports it (status + x-amzn-ErrorType). */
export class LexError extends Error {
  constructor(
    override readonly name:
      | 'ValidationException'
      | 'ResourceNotFoundException'
      | 'DependencyFailedException'
      | 'ConflictException'
      | 'InternalServerException'
      | 'AccessDeniedException'
      | 'ThrottlingException',
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return LEX_ERROR_STATUS[this.name];
  }
}

export const LEX_ERROR_STATUS: Record<LexError['name'], number> = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  DependencyFailedException: 424,
  ThrottlingException: 429,
  InternalServerException: 500,
};
