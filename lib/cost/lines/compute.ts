/**
 * Cost lines of compute and secrets: Lambda requests and GB-seconds per function, KMS keys and their
 * data-key refreshes, Secrets Manager secrets.
 */
import { HOURS_PER_MONTH, SECONDS_PER_MONTH, USAGE } from '../usage';
import { hasFunction, line, type Context, type CostLine } from './context';

/** Duration (ms a turn) and invocations of each function the turn or the tickets drive. */
export function functionLoad(c: Context, role: string): { invocations: number; ms: number } {
  const v = c.volumes;
  const workerMs = c.capacity.tickets.workerMsPerInvocation;
  switch (role) {
    case 'channel':
      return { invocations: v.turns + v.feedback, ms: v.channelMsPerTurn };
    case 'fulfillment':
      return {
        invocations: v.codeHookInvocations,
        ms: v.fulfillmentMsPerTurn / c.capacity.perTurn.codeHookInvocationsPerTurn,
      };
    case 'ticketWorker':
      return { invocations: v.tickets / c.capacity.tickets.messagesPerInvocation, ms: workerMs };
    case 'ticketsApi':
      return { invocations: v.tickets * USAGE.ticketsApiCallsPerTicket, ms: USAGE.ticketsApiMs };
    case 'knowledgeSync':
      return { invocations: USAGE.knowledgeSyncInvocationsPerMonth, ms: USAGE.knowledgeSyncMs };
    default:
      return { invocations: 0, ms: 0 };
  }
}

/** Lambda: requests and GB-seconds at each function's memory and architecture. */
export function lambda(c: Context): CostLine[] {
  let requests = 0;
  let armGbSeconds = 0;
  let x86GbSeconds = 0;
  for (const fn of c.inventory.functions) {
    const { invocations, ms } = functionLoad(c, fn.role);
    requests += invocations;
    const gbSeconds = invocations * (ms / 1000) * (fn.memoryMb / 1024);
    if (fn.arm64) armGbSeconds += gbSeconds;
    else x86GbSeconds += gbSeconds;
  }
  return [
    line('Lambda', 'lambdaRequest', requests),
    line('Lambda', 'lambdaArmGbSecond', armGbSeconds),
    line('Lambda', 'lambdaX86GbSecond', x86GbSeconds),
  ];
}

/** KMS keys, and the data-key refreshes of the warm Lambda environments; Secrets Manager secrets. */
export function keysAndSecrets({ inventory, volumes: v }: Context): CostLine[] {
  const busyMs =
    (hasFunction(inventory, 'channel') ? v.turns * v.channelMsPerTurn : 0) +
    (hasFunction(inventory, 'fulfillment') ? v.turns * v.fulfillmentMsPerTurn : 0);
  const warmEnvironments = busyMs / 1000 / SECONDS_PER_MONTH;
  return [
    line('KMS and Secrets Manager', 'kmsKey', inventory.kmsKeys),
    line(
      'KMS and Secrets Manager',
      'kmsRequest',
      warmEnvironments * USAGE.kmsRefreshesPerHour * USAGE.kmsHotPathKeys * HOURS_PER_MONTH,
    ),
    line('KMS and Secrets Manager', 'secret', inventory.secrets),
  ];
}
