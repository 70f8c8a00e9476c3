/** Metrics the alarm groups share: the platform's own (EMF) metrics and a gap-free sum of several. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC_NAMESPACE, MetricName, SERVICE_DIMENSION } from '../../../contracts/metrics';

/** The period of most alarms and graphs. */
export const FIVE_MINUTES = Duration.minutes(5);

/**
 * A metric a handler publishes through EMF (contracts/metrics.ts): namespace, name and the
 * `service` dimension Powertools adds (the fulfillment's or the channel's).
 */
export function platformMetric(
  service: string,
  metricName: MetricName,
  statistic = 'Sum',
  period: Duration = FIVE_MINUTES,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { [SERVICE_DIMENSION]: service },
    statistic,
    period,
  });
}

/**
 * The sum of `metrics` (ids are the math expression's variable names: a lower-case letter, then
 * letters, digits or `_`), each missing datapoint counted as 0 so one quiet series does not hide
 * the others.
 */
export function sumOf(
  label: string,
  metrics: Readonly<Record<string, cloudwatch.IMetric>>,
  period: Duration = FIVE_MINUTES,
): cloudwatch.MathExpression {
  const ids = Object.keys(metrics);
  if (ids.length === 0) throw new Error(`${label}: nothing to sum`);
  return new cloudwatch.MathExpression({
    expression: ids.map((id) => `FILL(${id}, 0)`).join(' + '),
    usingMetrics: { ...metrics },
    label,
    period,
  });
}
