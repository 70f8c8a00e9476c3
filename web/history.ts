/**
 * The conversation as the customer saw it, kept in the browser's localStorage per conversation
 * so a reload restores it: which conversation is current (and its locale), and its entries.
 * Storage can be missing or refuse writes (private mode, a full quota, a sandboxed frame): the
 * chat then works without history instead of failing.
 */
import type { LocaleId } from '../contracts/bot-model/types';
import type { AnswerSource, Citation, QuickReply } from '../contracts/conversation-api';

/** What a bot entry shows besides its text (the last message of an answer carries it). */
export interface AnswerMeta {
  readonly turn: number | null;
  readonly language: string;
  readonly source: AnswerSource;
  readonly citations: readonly Citation[];
  readonly quickReplies: readonly QuickReply[];
  readonly ticket?: { readonly reference: string };
  /** Developer details: intent, confidence, state, slots, sentiment. */
  readonly intent: {
    readonly name: string | null;
    readonly state: string | null;
    readonly confidence: number | null;
  };
  readonly slots: Readonly<Record<string, string | null>>;
  readonly sentiment: string | null;
}

export type Entry =
  | {
      readonly kind: 'user';
      readonly id: string;
      /** What the customer sees (a quick reply's label). */
      readonly text: string;
      /** What is sent when it differs from `text` (a quick reply's value). */
      readonly value?: string;
      /** Not answered: shown with a retry. */
      readonly failed?: boolean;
      /** Sent, no answer yet (restored as failed after a reload). */
      readonly pending?: boolean;
    }
  | {
      readonly kind: 'bot';
      readonly id: string;
      readonly text: string;
      readonly meta?: AnswerMeta;
      readonly feedback?: 'up' | 'down';
    }
  | { readonly kind: 'note'; readonly id: string; readonly text: string };

export interface Current {
  readonly conversationId: string;
  readonly locale: LocaleId;
  /** Who the conversation belongs to: 'guest', or the signed-in user's `sub`. */
  readonly owner?: string;
}

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Entries kept per conversation (the oldest go first). */
export const MAX_ENTRIES = 200;
const PREFIX = 'conversational-chat:v1:';

export class ConversationHistory {
  constructor(
    private readonly storage: KeyValueStorage | undefined,
    /** Separates several chats (stages) embedded on one origin. */
    private readonly namespace: string,
  ) {}

  current(): Current | undefined {
    const value = this.read(this.key('current'));
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Current).conversationId === 'string' &&
      typeof (value as Current).locale === 'string'
    )
      return value as Current;
    return undefined;
  }

  setCurrent(current: Current): void {
    this.write(this.key('current'), current);
  }

  entries(conversationId: string): Entry[] {
    const value = this.read(this.key(`history:${conversationId}`));
    return Array.isArray(value) ? (value.filter(isEntry) as Entry[]) : [];
  }

  save(conversationId: string, entries: readonly Entry[]): void {
    this.write(this.key(`history:${conversationId}`), entries.slice(-MAX_ENTRIES));
  }

  forget(conversationId: string): void {
    try {
      this.storage?.removeItem(this.key(`history:${conversationId}`));
    } catch {
      // storage refused: nothing to forget
    }
  }

  private key(name: string): string {
    return `${PREFIX}${this.namespace}:${name}`;
  }

  private read(key: string): unknown {
    try {
      const raw = this.storage?.getItem(key);
      return raw ? JSON.parse(raw) : undefined;
    } catch {
      return undefined;
    }
  }

  private write(key: string, value: unknown): void {
    try {
      this.storage?.setItem(key, JSON.stringify(value));
    } catch {
      // quota or a sandboxed frame: the chat goes on without history
    }
  }
}

function isEntry(value: unknown): boolean {
  const e = value as { kind?: unknown; id?: unknown; text?: unknown } | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    (e.kind === 'user' || e.kind === 'bot' || e.kind === 'note') &&
    typeof e.id === 'string' &&
    typeof e.text === 'string'
  );
}

/** A new conversation id the channel accepts (2-100 of [0-9a-zA-Z._:-]). */
export function newConversationId(): string {
  return `web-${crypto.randomUUID()}`;
}
