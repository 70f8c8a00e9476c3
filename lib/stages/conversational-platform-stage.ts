import { CrossStackReferences, ReferenceStrength, Stack, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BotModel } from '../../contracts/bot-model/types';
import { EnvironmentConfig } from '../config/types';
import { validateEnvironment } from '../config/validate';
import { AnalyticsStack } from '../stacks/analytics-stack';
import { BotStack } from '../stacks/bot-stack';
import { DataStack } from '../stacks/data-stack';
import { KnowledgeStack } from '../stacks/knowledge-stack';
import { MonitoringStack } from '../stacks/monitoring-stack';
import { NetworkStack } from '../stacks/network-stack';
import { TicketsStack } from '../stacks/tickets-stack';
import { WebFirewallStack, WebHostingStack, WebStack } from '../stacks/web-stack';
import { Component, tagStack } from '../tags';

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
 * How the stacks of a stage reference each other's values: STRONG, i.e. CloudFormation exports
 * and `Fn::ImportValue` (one account and region; the web firewall's ARN crosses from us-east-1 by
 * CDK's strong cross-region reference, an SSM parameter its writer will not change while it is
 * read), whatever cdk.json's
 * `@aws-cdk/core:defaultCrossStackReferences` says. A weak reference (`Fn::GetStackOutput`) is
 * resolved only when its consumer stack is updated: when a producer's value changed but the
 * consumer's template did not (a replaced table, a new Redis endpoint), the consumer would keep
 * the old value with nothing failing. With exports, CloudFormation refuses to change or remove a
 * value another stack imports, so such a change stops the producer's deploy instead of leaving
 * the consumer stale (docs/deployment.md section 11).
 */
export const CROSS_STACK_REFERENCES = ReferenceStrength.STRONG;

/** The `component` cost-allocation tag of each stack of the stage, by the stack's id. */
export const STACK_COMPONENTS: Readonly<Record<string, Component>> = {
  Network: 'network',
  Data: 'data',
  Analytics: 'analytics',
  Knowledge: 'knowledge',
  Tickets: 'tickets',
  WebFirewall: 'web',
  WebHosting: 'web',
  Bot: 'bot',
  Web: 'web',
  Monitoring: 'monitoring',
};

/**
 * The stage's cost-allocation tags (lib/tags) on each of its stacks: the project, the
 * environment, the stack's component, the cost centre and managed-by. A stack without a component
 * is an error here, not an untagged line on the bill.
 */
function tagStage(stage: ConversationalPlatformStage): void {
  for (const stack of stage.node.children.filter((c): c is Stack => Stack.isStack(c))) {
    const component = STACK_COMPONENTS[stack.node.id];
    if (!component) {
      throw new Error(
        `stage ${stage.node.id}: stack ${stack.node.id} has no cost-allocation component (STACK_COMPONENTS)`,
      );
    }
    tagStack(stack, {
      costAllocation: stage.config.costAllocation,
      environment: stage.config.name,
      component,
    });
  }
}

/**
 * One deployable copy of the platform: network, data, analytics, knowledge, tickets, the web
 * chat's firewall (in us-east-1) and hosting, bot, web and monitoring stacks in the environment's
 * account and region. The pipeline deploys one per environment.
 */
export class ConversationalPlatformStage extends Stage {
  readonly config: EnvironmentConfig;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly analytics: AnalyticsStack;
  readonly knowledge: KnowledgeStack;
  readonly tickets: TicketsStack;
  readonly bot: BotStack;
  readonly monitoring: MonitoringStack;
  /** The web chat's WAF web ACL, in us-east-1 (lib/stacks/web-stack.ts). */
  readonly webFirewall: WebFirewallStack;
  /** The web chat's bucket and distribution, built before the bot stack whose API allows their origin. */
  readonly webHosting: WebHostingStack;
  /** The web chat's identity pool and widget deployment, built after the bot stack they name. */
  readonly web: WebStack;

  constructor(scope: Construct, id: string, props: ConversationalPlatformStageProps) {
    super(scope, id, { ...props, env: { account: props.config.account, region: props.config.region } });
    CrossStackReferences.of(this).consume(CROSS_STACK_REFERENCES); // before any stack exists
    const config = validateEnvironment(props.config);
    this.config = config;

    this.network = new NetworkStack(this, 'Network', { config });
    this.data = new DataStack(this, 'Data', {
      config,
      vpc: this.network.vpc,
      lambdaSecurityGroup: this.network.lambdaSecurityGroup,
    });
    this.analytics = new AnalyticsStack(this, 'Analytics', { config });
    this.knowledge = new KnowledgeStack(this, 'Knowledge', { config });
    this.tickets = new TicketsStack(this, 'Tickets', {
      config,
      conversationTable: this.data.conversationTable,
      knowledge: this.knowledge.resources,
    });
    this.webFirewall = new WebFirewallStack(this, 'WebFirewall', { config });
    this.webHosting = new WebHostingStack(this, 'WebHosting', {
      config,
      webAclArn: this.webFirewall.firewall.webAclArn,
    });
    this.bot = new BotStack(this, 'Bot', {
      config,
      vpc: this.network.vpc,
      lambdaSecurityGroup: this.network.lambdaSecurityGroup,
      conversationTable: this.data.conversationTable,
      redis: this.data.redis,
      eventStream: this.analytics.eventStream,
      knowledge: this.knowledge.resources,
      tickets: this.tickets.resources,
      orders: { source: this.network.orderSource, subnets: this.network.fulfillmentSubnets },
      loadTestAccount: props.loadTestAccount,
      botModel: props.botModel,
      // the API allows the distribution's origin: Bot imports WebHosting's (see lib/stacks/web-stack.ts)
      corsAllowedOrigins: [...this.webHosting.hosting.origins, ...config.web.allowedOrigins],
    });
    this.web = new WebStack(this, 'Web', {
      config,
      api: this.bot.channelApi.api,
      hosting: this.webHosting.hosting,
    });
    this.monitoring = new MonitoringStack(this, 'Monitoring', {
      config,
      conversationTable: this.data.conversationTable,
      redis: this.data.redis,
      eventStream: this.analytics.eventStream,
      deliveryStream: this.analytics.deliveryStream,
      bot: this.bot.resources,
      knowledgeSyncDeadLetterQueue: this.knowledge.sync.deadLetterQueue,
      tickets: this.tickets,
    });
    tagStage(this);
  }
}
