/** What one turn knows once it is answered: each step's result, handed to the steps after it. */
import type { TicketRequest } from '../../../contracts/tickets';
import type { Answer } from './answer';
import type { TurnInput } from './input';
import type { KnowledgeReply } from './knowledge';
import type { Translation } from './translate';
import type { SessionRead, Understanding } from './understand';

export interface AnsweredTurn {
  readonly input: TurnInput;
  readonly session: SessionRead;
  readonly understanding: Understanding;
  readonly answer: Answer;
  /** The ticket request this turn put on the queue, if any. */
  readonly ticket?: TicketRequest | undefined;
  readonly translation: Translation;
  /** Knowledge turns only: the knowledge base's answer (its messages are `translation`'s). */
  readonly knowledge?: KnowledgeReply | undefined;
  /** From the start of the turn to its answer (before the writes), ms. */
  readonly latencyMs: number;
  readonly timestamp: string;
}
