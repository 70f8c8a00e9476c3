import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AlarmNotifications } from '../../../../lib/config/types';
import { AlarmTopic, PINNED_TOPIC_KEY_ID } from '../../../../lib/constructs/alarms/alarm-topic';
import { constructStack } from '../../../support/construct-stack';
import { listAcknowledgements } from '../../../support/nag-doc';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(notifications: AlarmNotifications): { stack: Stack; topic: AlarmTopic; t: Template } {
  const stack = constructStack();
  const topic = new AlarmTopic(stack, 'AlarmTopic', {
    environmentName: 'prod',
    notifications,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { stack, topic, t: Template.fromStack(stack) };
}

const subscriptions = (t: Template): Json[] =>
  Object.values(t.findResources('AWS::SNS::Subscription')).map((s: Json) => s.Properties);

describe('AlarmTopic', () => {
  it('GIVEN an alarm topic WHEN synthesized THEN it is encrypted with a rotated key CloudWatch may use, TLS-only, and keeps the ids it had in the stack', () => {
    const { t } = build({ emails: [] });
    // the key kept its logical id (pinned); the topic kept its by being the default child
    expect(Object.keys(t.findResources('AWS::KMS::Key'))).toEqual([PINNED_TOPIC_KEY_ID]);
    expect(Object.keys(t.findResources('AWS::SNS::Topic'))).toEqual(['AlarmTopicD01E77F9']);
    t.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [PINNED_TOPIC_KEY_ID, 'Arn'] },
      DisplayName: 'Conversational platform alarms (prod)',
    });
    t.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: Match.arrayWith(['kms:Decrypt', 'kms:GenerateDataKey*']),
            }),
          ]),
        },
      }),
    });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('GIVEN no one configured (dev) WHEN synthesized THEN no one is subscribed', () => {
    const { t } = build({ emails: [] });
    expect(subscriptions(t)).toEqual([]);
    t.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
  });

  it('GIVEN e-mail addresses and an HTTPS endpoint WHEN synthesized THEN each is subscribed to the topic', () => {
    const { t } = build({
      emails: ['oncall@acme.io', 'platform@acme.io'],
      httpsEndpoint: 'https://events.pagerduty.com/integration/abc/enqueue',
    });
    const topic = { Ref: 'AlarmTopicD01E77F9' };
    expect(subscriptions(t)).toEqual([
      { Protocol: 'email', Endpoint: 'oncall@acme.io', TopicArn: topic },
      { Protocol: 'email', Endpoint: 'platform@acme.io', TopicArn: topic },
      {
        Protocol: 'https',
        Endpoint: 'https://events.pagerduty.com/integration/abc/enqueue',
        TopicArn: topic,
      },
    ]);
  });

  it('GIVEN subscriptions WHEN synthesized THEN the missing dead-letter queue is acknowledged on each of them, and on nothing else', () => {
    const { topic } = build({ emails: ['oncall@acme.io'], httpsEndpoint: 'https://hooks.acme.io/sns' });
    const acks = listAcknowledgements(topic);
    expect(acks.map((a) => [a.id, a.path.split('/').pop()])).toEqual([
      ['Annotation::Serverless-SNSRedrivePolicy', 'oncall@acme.io'],
      ['Annotation::Serverless-SNSRedrivePolicy', 'https:----hooks.acme.io--sns'],
    ]);
  });

  it('GIVEN a Slack channel WHEN synthesized THEN it posts there through AWS Chatbot: notifications only, read-only guardrail', () => {
    const { t, topic } = build({
      emails: [],
      slack: { workspaceId: 'T07ABCDEF12', channelId: 'C07ABCDEF12' },
    });
    expect(topic.slackChannel).toBeDefined();
    t.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      ConfigurationName: 'conversational-platform-prod-alarms',
      SlackWorkspaceId: 'T07ABCDEF12',
      SlackChannelId: 'C07ABCDEF12',
      SnsTopicArns: [{ Ref: 'AlarmTopicD01E77F9' }],
      GuardrailPolicies: [
        {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/CloudWatchReadOnlyAccess']],
        },
      ],
    });
    // the channel's role may do nothing: no policy is attached to it
    t.resourceCountIs('AWS::IAM::Policy', 0);
    const [role] = Object.values(t.findResources('AWS::IAM::Role')).map((r: Json) => r.Properties);
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toBeUndefined();
  });
});
