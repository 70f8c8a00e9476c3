/** The postMessage types between the loader (host page) and the framed chat. */
export const MESSAGE = {
  /** host -> chat: the chat was opened, focus the message box */
  open: 'conversational-chat:open',
  /** host -> chat: `{ token }` signs in with a user pool id token, `{ token: null }` signs out */
  idToken: 'conversational-chat:id-token',
  /** chat -> host: the customer closed the chat */
  close: 'conversational-chat:close',
  /** chat -> host: the chat is ready for messages */
  ready: 'conversational-chat:ready',
} as const;

export interface HostMessage {
  readonly type?: string;
  readonly token?: string | null;
}
