import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { ApiAlarms } from '../../../../lib/constructs/alarms/api-alarms';
import { alarmProps, alarmStack } from './helpers';

function build() {
  const { stack, factory } = alarmStack();
  const alarms = new ApiAlarms(stack, 'ApiAlarms', {
    factory,
    api: new apigwv2.HttpApi(stack, 'Api'),
    api5xx: 5,
    apiP99Ms: 2000,
    channelThrottled: 7,
    channelServerErrors: 6,
    channelLatencyP99Ms: 1800,
  });
  return { alarms, factory, t: Template.fromStack(stack) };
}

describe('ApiAlarms', () => {
  const { alarms, factory, t } = build();
  const channel = [{ Name: 'service', Value: 'channel' }];

  it("GIVEN an HTTP API WHEN synthesized THEN it alarms on API Gateway's 5xx and p99 latency", () => {
    expect(alarmProps(t, 'Api5xx')).toEqual(
      expect.objectContaining({
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Statistic: 'Sum',
        Threshold: 5,
      }),
    );
    expect(alarmProps(t, 'ApiLatencyP99')).toEqual(
      expect.objectContaining({ MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: 2000 }),
    );
  });

  it('GIVEN the configured thresholds WHEN synthesized THEN it alarms on Lex throttling the channel answers 429/503 (invisible to the 5xx alarm) at the configured count', () => {
    expect(alarmProps(t, 'ChannelThrottled')).toEqual(
      expect.objectContaining({
        Namespace: 'ConversationalPlatform',
        MetricName: 'ChannelThrottled',
        Dimensions: channel,
        Statistic: 'Sum',
        Period: 300,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 7,
      }),
    );
  });

  it("GIVEN the configured thresholds WHEN synthesized THEN it alarms on the channel's 5xx answers and its p99 latency at the configured values", () => {
    expect(alarmProps(t, 'ChannelServerErrors')).toEqual(
      expect.objectContaining({ MetricName: 'ChannelServerErrors', Dimensions: channel, Threshold: 6 }),
    );
    expect(alarmProps(t, 'ChannelLatencyP99')).toEqual(
      expect.objectContaining({
        MetricName: 'ChannelLatency',
        Dimensions: channel,
        ExtendedStatistic: 'p99',
        EvaluationPeriods: 3,
        Threshold: 1800,
      }),
    );
    expect(factory.alarms).toHaveLength(6);
  });

  it('GIVEN the conversation gate fails closed WHEN synthesized THEN the first turn it refuses (ChannelGateUnavailable) raises an alarm', () => {
    expect(alarmProps(t, 'ChannelGateUnavailable')).toEqual(
      expect.objectContaining({
        Namespace: 'ConversationalPlatform',
        MetricName: 'ChannelGateUnavailable',
        Dimensions: channel,
        Statistic: 'Sum',
        Period: 300,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
      }),
    );
  });

  it("GIVEN the API alarms WHEN their widgets are drawn THEN they graph the API and every one of the channel's metrics", () => {
    const shown = JSON.stringify(alarms.widgets.map((w) => w.toJson()));
    for (const name of [
      'ChannelRequests',
      'ChannelClientErrors',
      'ChannelThrottled',
      'ChannelServerErrors',
      'ChannelLatency',
      '5xx',
      'Latency',
    ]) {
      expect({ name, shown: shown.includes(`"${name}"`) }).toEqual({ name, shown: true });
    }
  });
});
