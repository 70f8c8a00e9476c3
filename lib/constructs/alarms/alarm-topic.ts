import { RemovalPolicy } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { AlarmNotifications } from '../../config/types';
import { acknowledge } from '../../nag';
import { pinLogicalId } from '../logical-ids';

export interface AlarmTopicProps {
  /** The environment's name, in the topic's display name and the Chatbot configuration's name. */
  readonly environmentName: string;
  /** Who is subscribed: e-mail addresses, an HTTPS endpoint, a Slack channel through AWS Chatbot. */
  readonly notifications: AlarmNotifications;
  /** For the topic's key. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The key's logical id from when it sat at the monitoring stack's top level (`AlarmTopicKey`):
 * pinned, so a deploy does not replace the key (test/lib/stacks/stateful-logical-ids.test.ts). The
 * topic and its policy keep theirs by being this construct's default child (construct id
 * `AlarmTopic`, as the topic's was).
 */
export const PINNED_TOPIC_KEY_ID = 'AlarmTopicKey57B0D3A7';

/**
 * The SNS topic every alarm of a stage publishes to (ALARM and OK), encrypted with its own
 * rotated key that CloudWatch may use, TLS-only, and the subscriptions that make someone hear
 * it: e-mail addresses, an HTTPS endpoint, a Slack channel through AWS Chatbot.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  /** The Chatbot Slack channel configuration, when `notifications.slack` is set. */
  readonly slackChannel?: chatbot.SlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Alarm topic (${props.environmentName})`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    pinLogicalId(this.key, PINNED_TOPIC_KEY_ID);
    // CloudWatch alarms publish to an encrypted topic only if they may use its key.
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    this.topic = new sns.Topic(this, 'Default', {
      displayName: `Conversational platform alarms (${props.environmentName})`,
      masterKey: this.key,
      enforceSSL: true,
    });
    this.slackChannel = this.subscribe(props.environmentName, props.notifications);
  }

  private subscribe(
    environmentName: string,
    { emails, httpsEndpoint, slack }: AlarmNotifications,
  ): chatbot.SlackChannelConfiguration | undefined {
    const subscribers: sns.ITopicSubscription[] = emails.map(
      (email) => new subscriptions.EmailSubscription(email),
    );
    if (httpsEndpoint !== undefined) {
      subscribers.push(
        new subscriptions.UrlSubscription(httpsEndpoint, { protocol: sns.SubscriptionProtocol.HTTPS }),
      );
    }
    for (const subscriber of subscribers) {
      acknowledge(
        this.topic.addSubscription(subscriber),
        'An alarm notification subscription (e-mail or HTTPS): SNS retries delivery itself, a dead-letter queue of alarm notifications would be read by nobody, and every alarm state change stays in the CloudWatch alarm history.',
        'Serverless-SNSRedrivePolicy',
      );
    }
    if (slack === undefined) return undefined;
    return new chatbot.SlackChannelConfiguration(this, 'Slack', {
      slackChannelConfigurationName: `conversational-platform-${environmentName}-alarms`,
      slackWorkspaceId: slack.workspaceId,
      slackChannelId: slack.channelId,
      notificationTopics: [this.topic],
      // Notifications only: the channel's role has no permissions, and its guardrail (what anyone
      // in the channel could do through Chatbot) is read-only CloudWatch instead of the default
      // AdministratorAccess.
      guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchReadOnlyAccess')],
    });
  }
}
