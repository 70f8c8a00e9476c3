/**
 * One invocation's log: every line carries the invocation's own keys (the conversation id, the
 * locale, the turn), passed with the line itself. The handlers share one Powertools Logger per
 * container; keys set on it (`appendKeys` ... `removeKeys`) belong to whichever invocation set
 * them last, which is wrong as soon as invocations overlap: the local platform runs many
 * conversations at once in one process (in Lambda a container runs one at a time). So the shared
 * Logger holds only what is the same for every invocation (service, Lambda context), and an
 * InvocationLog, made per invocation (one small object), holds the rest.
 */
import type { Logger } from '@aws-lambda-powertools/logger';

export type LogKeys = Record<string, unknown>;

export class InvocationLog {
  private keys: LogKeys;

  constructor(
    /** The shared Logger the lines are written with. */
    readonly logger: Logger,
    keys: LogKeys = {},
  ) {
    this.keys = { ...keys };
  }

  /** Adds keys to every later line of this invocation (e.g. the turn, once it is known). */
  append(keys: LogKeys): void {
    this.keys = { ...this.keys, ...keys };
  }

  debug(message: string, extra?: LogKeys): void {
    this.logger.debug(message, this.lineKeys(extra));
  }

  info(message: string, extra?: LogKeys): void {
    this.logger.info(message, this.lineKeys(extra));
  }

  warn(message: string, extra?: LogKeys): void {
    this.logger.warn(message, this.lineKeys(extra));
  }

  error(message: string, extra?: LogKeys): void {
    this.logger.error(message, this.lineKeys(extra));
  }

  private lineKeys(extra: LogKeys | undefined): LogKeys {
    return extra ? { ...this.keys, ...extra } : this.keys;
  }
}
