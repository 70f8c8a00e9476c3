/** Conversation events that could not be delivered after the sink's bounded retries. */
export class EventDeliveryError extends Error {
  override readonly name = 'EventDeliveryError';
  constructor(
    readonly eventIds: readonly string[],
    readonly lastErrorCode?: string,
  ) {
    super(
      `${eventIds.length} conversation event(s) not delivered${lastErrorCode ? ` (${lastErrorCode})` : ''}`,
    );
  }
}

/** Id of an event in logs: conversation and turn, never its content. */
export const eventId = (e: { conversationId: string; turn: number }): string =>
  `${e.conversationId}#${e.turn}`;
