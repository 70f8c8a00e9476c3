import { Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BotModel } from '../../contracts/bot-model/types';
import { EnvironmentConfig } from '../config/types';
import { validateEnvironment } from '../config/validate';
import { AnalyticsStack } from '../stacks/analytics-stack';
import { BotStack } from '../stacks/bot-stack';
import { DataStack } from '../stacks/data-stack';
import { MonitoringStack } from '../stacks/monitoring-stack';
import { NetworkStack } from '../stacks/network-stack';

export interface ConversationalPlatformStageProps extends StageProps {
  /** The environment to build (dev, staging or prod); validated before anything is built. */
  readonly config: EnvironmentConfig;
  /**
   * Account allowed to assume the load-test invoker role (the pipeline's tooling account).
   * @default - the environment's own account
   */
  readonly loadTestAccount?: string;
  /**
   * The bot model the Lex bot is generated from.
   * @default BOT_MODEL (contracts/bot-model)
   */
  readonly botModel?: BotModel;
}

/**
 * One deployable copy of the platform: network, data, analytics, bot and monitoring stacks in
 * the environment's account and region. The pipeline deploys one per environment.
 */
export class ConversationalPlatformStage extends Stage {
  readonly config: EnvironmentConfig;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly analytics: AnalyticsStack;
  readonly bot: BotStack;
  readonly monitoring: MonitoringStack;

  constructor(scope: Construct, id: string, props: ConversationalPlatformStageProps) {
    super(scope, id, { ...props, env: { account: props.config.account, region: props.config.region } });
    const config = validateEnvironment(props.config);
    this.config = config;

    this.network = new NetworkStack(this, 'Network', { config });
    this.data = new DataStack(this, 'Data', {
      config,
      vpc: this.network.vpc,
      lambdaSecurityGroup: this.network.lambdaSecurityGroup,
    });
    this.analytics = new AnalyticsStack(this, 'Analytics', { config });
    this.bot = new BotStack(this, 'Bot', {
      config,
      vpc: this.network.vpc,
      lambdaSecurityGroup: this.network.lambdaSecurityGroup,
      conversationTable: this.data.conversationTable,
      redis: this.data.redis,
      eventStream: this.analytics.eventStream,
      loadTestAccount: props.loadTestAccount,
      botModel: props.botModel,
    });
    this.monitoring = new MonitoringStack(this, 'Monitoring', {
      config,
      conversationTable: this.data.conversationTable,
      redis: this.data.redis,
      eventStream: this.analytics.eventStream,
      deliveryStream: this.analytics.deliveryStream,
      bot: this.bot.resources,
    });
  }
}
