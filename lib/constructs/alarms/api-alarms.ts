import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CHANNEL_SERVICE, Metric, MetricName } from '../../../contracts/metrics';
import { AlarmFactory, AlarmGroup } from './alarm-factory';
import { FIVE_MINUTES, platformMetric } from './metrics';

export interface ApiAlarmsProps {
  readonly factory: AlarmFactory;
  /** The channel API. */
  readonly api: apigwv2.IHttpApi;
  /** API Gateway 5xx in 5 minutes. */
  readonly api5xx: number;
  /** API Gateway p99 latency, ms. */
  readonly apiP99Ms: number;
  /** Requests the channel answered 429/503 because Lex throttled it, in 5 minutes. */
  readonly channelThrottled: number;
  /** Requests the channel answered 5xx, in 5 minutes. */
  readonly channelServerErrors: number;
  /** The channel's p99 request latency (`ChannelLatency`), ms. */
  readonly channelLatencyP99Ms: number;
}

/**
 * The channel API as clients see it: API Gateway's 5xx and p99 latency, and what the channel
 * function says about its answers (its EMF metrics). Lex throttling is answered 429 (or 503) and
 * never counts as an API 5xx: `ChannelThrottled` is the alarm that sees it.
 */
export class ApiAlarms extends AlarmGroup {
  readonly widgets: readonly cloudwatch.IWidget[];

  constructor(scope: Construct, id: string, props: ApiAlarmsProps) {
    super(scope, id, props.factory);
    const { api } = props;
    const channel = (name: MetricName, statistic?: string) =>
      platformMetric(CHANNEL_SERVICE, name, statistic);
    this.alarm('Api5xx', api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }), {
      threshold: props.api5xx,
      description: 'Channel API 5xx',
    });
    this.alarm('ApiLatencyP99', api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }), {
      threshold: props.apiP99Ms,
      evaluationPeriods: 3,
      description: `Channel API p99 latency above ${props.apiP99Ms} ms`,
    });
    this.alarm('ChannelThrottled', channel(Metric.ChannelThrottled), {
      threshold: props.channelThrottled,
      description: `${props.channelThrottled}+ channel requests in 5 minutes answered 429/503 because Lex throttled RecognizeText: raise the Lex concurrency quota of the live alias (capacity model)`,
    });
    this.alarm('ChannelServerErrors', channel(Metric.ChannelServerErrors), {
      threshold: props.channelServerErrors,
      description: `${props.channelServerErrors}+ channel requests in 5 minutes answered 5xx (Lex or the channel failed): see the channel function's logs`,
    });
    // the gate fails closed: every refused turn is an outage a customer saw
    this.alarm('ChannelGateUnavailable', channel(Metric.ChannelGateUnavailable), {
      threshold: 1,
      description:
        'Channel turns answered 503 because the conversation gate (ownership + rate limit) could not reach Redis: it fails closed, so customers cannot chat; see the session store alarms and the channel logs',
    });
    this.alarm('ChannelLatencyP99', channel(Metric.ChannelLatency, 'p99'), {
      threshold: props.channelLatencyP99Ms,
      evaluationPeriods: 3,
      description: `p99 channel request latency (RecognizeText included) above ${props.channelLatencyP99Ms} ms`,
    });
    this.widgets = [
      new cloudwatch.GraphWidget({
        title: 'API',
        left: [api.metricCount(), api.metricServerError(), api.metricClientError()],
        right: [api.metricLatency({ statistic: 'p99' })],
      }),
      new cloudwatch.GraphWidget({
        title: 'Channel answers',
        left: [
          channel(Metric.ChannelRequests),
          channel(Metric.ChannelClientErrors),
          channel(Metric.ChannelThrottled),
          channel(Metric.ChannelServerErrors),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Channel gate',
        left: [
          channel(Metric.ChannelRateLimited),
          channel(Metric.ChannelOwnerMismatch),
          channel(Metric.ChannelGateUnavailable),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Channel latency (ms)',
        left: [channel(Metric.ChannelLatency, 'p50'), channel(Metric.ChannelLatency, 'p99')],
      }),
    ];
  }
}
