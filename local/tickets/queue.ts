/**
 * The ticket queue of the local platform: an in-process stand-in for the SQS standard queue with
 * the semantics the fulfillment and the worker rely on (docs/tickets.md, "Locally"):
 *
 * - at-least-once delivery: a received message stays in the queue, invisible for the visibility
 *   timeout, until it is deleted; not deleted in time, it is delivered again;
 * - a receive count per message (`ApproximateReceiveCount`), incremented on every receive;
 * - redrive: a receive that would take a message past `maxReceives` moves it to the dead-letter
 *   NDJSON file instead (`<dataDir>/tickets/dead-letter.ndjson`, one line per message, with its
 *   body, attributes and receive count), as SQS moves it to the dead-letter queue;
 * - receipt handles: only the latest receive's handle deletes the message (a worker whose
 *   visibility ran out cannot delete the redelivery's message);
 * - a long-poll-like wait: `receive` waits up to `waitMs` for a message to arrive.
 *
 * Messages live in memory; `stop()` writes the ones still queued to
 * `<dataDir>/tickets/undelivered.ndjson`, so a stop loses nothing silently. Not modelled: SQS's
 * retention period, message timers, size limits, FIFO.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TicketRequest } from '../../contracts/tickets';
import type { TicketQueue } from '../../src/ports';

export const TICKETS_DIR = 'tickets';
export const DEAD_LETTER_FILE = 'dead-letter.ndjson';
export const UNDELIVERED_FILE = 'undelivered.ndjson';

export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
}

/** A message as a receive hands it out (the fields an SQS record carries). */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly receiveCount: number;
  readonly sentAt: number;
  readonly firstReceivedAt: number;
}

/** One line of the dead-letter file (or of the undelivered file, `reason: 'stopped'`). */
export interface DeadLetteredMessage {
  readonly writtenAt: string;
  /** `maxReceives`: received that many times and not deleted; `stopped`: still queued at stop. */
  readonly reason: 'maxReceives' | 'stopped';
  readonly messageId: string;
  readonly receiveCount: number;
  readonly sentAt: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface LocalQueueOptions {
  readonly dataDir: string;
  /** Receives before a message is moved to the dead-letter file (config tickets.maxReceives). */
  readonly maxReceives: number;
  /** How long a received message stays invisible, ms (config tickets.visibilityTimeoutSeconds). */
  readonly visibilityTimeoutMs: number;
  /** Fails a send, e.g. the local fault switch. */
  readonly check?: () => void;
  readonly now?: () => number;
}

export class LocalTicketQueue implements TicketQueue {
  readonly dir: string;
  readonly deadLetterFile: string;
  readonly undeliveredFile: string;
  private readonly messages = new Map<string, QueueMessage>();
  private readonly waiters = new Set<() => void>();
  private readonly now: () => number;
  private stopped = false;
  /** Counters for /v1/health and the tests. */
  readonly stats = { sent: 0, received: 0, deleted: 0, deadLettered: 0 };

  constructor(private readonly opts: LocalQueueOptions) {
    if (!(opts.maxReceives >= 1)) throw new Error('maxReceives must be >= 1');
    this.now = opts.now ?? Date.now;
    this.dir = join(opts.dataDir, TICKETS_DIR);
    mkdirSync(this.dir, { recursive: true });
    this.deadLetterFile = join(this.dir, DEAD_LETTER_FILE);
    this.undeliveredFile = join(this.dir, UNDELIVERED_FILE);
  }

  get maxReceives(): number {
    return this.opts.maxReceives;
  }

  get visibilityTimeoutMs(): number {
    return this.opts.visibilityTimeoutMs;
  }

  /** The port the fulfillment calls: the request as the SQS adapter sends it. */
  async enqueue(request: TicketRequest): Promise<void> {
    this.send(JSON.stringify(request), { kind: request.kind, category: request.category });
  }

  /** SendMessage: returns the message id. */
  send(body: string, attributes: Record<string, string> = {}): string {
    this.opts.check?.();
    if (this.stopped) throw new Error('the local ticket queue is stopped');
    const messageId = randomUUID();
    this.messages.set(messageId, {
      messageId,
      body,
      attributes: { ...attributes },
      sentAt: this.now(),
      receiveCount: 0,
      visibleAt: 0,
    });
    this.stats.sent += 1;
    for (const wake of [...this.waiters]) wake();
    return messageId;
  }

  /**
   * ReceiveMessage: up to `max` visible messages, each made invisible for the visibility timeout
   * and its receive count incremented; one past `maxReceives` goes to the dead-letter file
   * instead. With none visible, waits up to `waitMs` for one (or until stopped).
   */
  async receive(max: number, waitMs = 0): Promise<ReceivedMessage[]> {
    const deadline = this.now() + waitMs;
    for (;;) {
      const got = this.receiveNow(max);
      if (got.length > 0 || this.stopped) return got;
      const left = deadline - this.now();
      if (left <= 0) return [];
      await this.waitForMessage(Math.min(left, this.nextVisibleIn() ?? left));
    }
  }

  /** DeleteMessage: true when the handle is the message's latest; a stale handle deletes nothing. */
  delete(receiptHandle: string): boolean {
    for (const message of this.messages.values()) {
      if (message.receiptHandle === receiptHandle) {
        this.messages.delete(message.messageId);
        this.stats.deleted += 1;
        return true;
      }
    }
    return false;
  }

  /** Messages in the queue (visible or in flight), as ApproximateNumberOfMessages* would count them. */
  depth(): { visible: number; inFlight: number } {
    const now = this.now();
    let visible = 0;
    for (const m of this.messages.values()) if (m.visibleAt <= now) visible += 1;
    return { visible, inFlight: this.messages.size - visible };
  }

  /** The dead-letter file's messages (tests, the drill in docs/tickets.md). */
  readDeadLetters(): DeadLetteredMessage[] {
    if (!existsSync(this.deadLetterFile)) return [];
    return readFileSync(this.deadLetterFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as DeadLetteredMessage);
  }

  /** Stops receiving (waiters return empty) and writes the messages still queued to the undelivered file. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const wake of [...this.waiters]) wake();
    for (const message of this.messages.values()) {
      appendFileSync(this.undeliveredFile, JSON.stringify(this.lineOf(message, 'stopped')) + '\n');
    }
    this.messages.clear();
  }

  private receiveNow(max: number): ReceivedMessage[] {
    const now = this.now();
    const out: ReceivedMessage[] = [];
    for (const message of this.messages.values()) {
      if (out.length >= max) break;
      if (message.visibleAt > now) continue;
      if (message.receiveCount >= this.opts.maxReceives) {
        this.deadLetter(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + this.opts.visibilityTimeoutMs;
      message.receiptHandle = `${message.messageId}:${message.receiveCount}:${randomUUID()}`;
      this.stats.received += 1;
      out.push({
        messageId: message.messageId,
        receiptHandle: message.receiptHandle,
        body: message.body,
        attributes: message.attributes,
        receiveCount: message.receiveCount,
        sentAt: message.sentAt,
        firstReceivedAt: message.firstReceivedAt,
      });
    }
    return out;
  }

  /** Written before the message leaves the queue: a failed write throws and the message stays. */
  private deadLetter(message: QueueMessage): void {
    appendFileSync(this.deadLetterFile, JSON.stringify(this.lineOf(message, 'maxReceives')) + '\n');
    this.messages.delete(message.messageId);
    this.stats.deadLettered += 1;
  }

  private lineOf(message: QueueMessage, reason: DeadLetteredMessage['reason']): DeadLetteredMessage {
    return {
      writtenAt: new Date(this.now()).toISOString(),
      reason,
      messageId: message.messageId,
      receiveCount: message.receiveCount,
      sentAt: new Date(message.sentAt).toISOString(),
      attributes: message.attributes,
      body: message.body,
    };
  }

  /** Ms until the next in-flight message becomes visible again, if any. */
  private nextVisibleIn(): number | undefined {
    const now = this.now();
    let next: number | undefined;
    for (const m of this.messages.values()) {
      if (m.visibleAt > now) next = Math.min(next ?? Infinity, m.visibleAt - now);
    }
    return next;
  }

  private waitForMessage(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, ms));
      this.waiters.add(done);
    });
  }
}
