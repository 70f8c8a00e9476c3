/**
 * Cost lines of observability: CloudWatch custom metrics, alarms, dashboards, log ingestion and
 * storage, X-Ray traces.
 */
import { Metric } from '../../../contracts/metrics';
import { DAYS_PER_MONTH, SECONDS_PER_MONTH, USAGE } from '../usage';
import { GB, hasFunction, line, type Context, type CostLine } from './context';

/** CloudWatch: the platform's custom metrics, alarm metrics, dashboards, log ingestion and storage. */
export function cloudWatch({ inventory, env, volumes: v }: Context): CostLine[] {
  const b = USAGE.logBytes;
  const invocations = v.turns + v.codeHookInvocations;
  const bytes =
    invocations * b.lambdaPlatformPerInvocation +
    v.turns * (b.channelPerTurn + b.apiAccessPerRequest + b.lexConversationPerTurn + b.flowLogPerTurn) +
    v.codeHookInvocations * b.fulfillmentPerInvocation;
  const ingestGb = bytes / GB;
  const storedGb = (ingestGb / DAYS_PER_MONTH) * env.logRetentionDays * USAGE.logCompression;
  return [
    line(
      'CloudWatch metrics, alarms, dashboards',
      'cloudWatchCustomMetric',
      inventory.functions.some((f) => f.role !== 'other') ? Object.keys(Metric).length : 0,
    ),
    line('CloudWatch metrics, alarms, dashboards', 'cloudWatchAlarmMetric', inventory.alarmMetrics),
    line('CloudWatch metrics, alarms, dashboards', 'cloudWatchDashboard', inventory.dashboards),
    line('CloudWatch Logs', 'logsIngestGb', inventory.logGroups > 0 ? ingestGb : 0),
    line('CloudWatch Logs', 'logsStorageGbMonth', inventory.logGroups > 0 ? storedGb : 0),
  ];
}

/** X-Ray: traces the default sampling rule records from the traced invocations. */
export function xray({ inventory, volumes: v }: Context): CostLine[] {
  const traced =
    (hasFunction(inventory, 'channel') ? v.turns : 0) +
    (hasFunction(inventory, 'fulfillment') ? v.codeHookInvocations : 0) +
    (hasFunction(inventory, 'ticketWorker') ? v.tickets : 0);
  const reservoir = Math.min(traced, USAGE.xrayReservoirPerSecond * SECONDS_PER_MONTH);
  return [line('X-Ray', 'xrayTrace', reservoir + (traced - reservoir) * USAGE.xrayFixedRate)];
}
