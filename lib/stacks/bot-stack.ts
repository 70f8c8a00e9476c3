import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { BOT_MODEL } from '../../contracts/bot-model';
import { BotModel } from '../../contracts/bot-model/types';
import { AccessLogsBucket } from '../constructs/access-logs-bucket';
import { AudioBucket } from '../constructs/audio-bucket';
import { ChannelApi } from '../constructs/channel-api';
import { generationModel } from '../config/bedrock-models';
import { FulfillmentFunction, OrderSource, SessionStore } from '../constructs/fulfillment-function';
import { Guardrail } from '../constructs/guardrail';
import { LexBot } from '../constructs/lex-bot';
import { pinLogicalId } from '../constructs/logical-ids';
import { DEFAULT_PER_IDENTITY_BURST, DEFAULT_PER_IDENTITY_RATE } from '../config/types';
import type { KnowledgeResources } from './knowledge-stack';
import { PlatformStack, PlatformStackProps } from './platform-stack';
import type { TicketsResources } from './tickets-stack';

export interface BotStackProps extends PlatformStackProps {
  readonly vpc: ec2.IVpc;
  readonly lambdaSecurityGroup: ec2.ISecurityGroup;
  readonly conversationTable: dynamodb.ITableV2;
  /** The session store (the data stack's RedisEndpoint). */
  readonly redis: SessionStore;
  readonly eventStream: kinesis.IStream;
  /** The knowledge bases (the knowledge stack's) the fulfillment answers questions from. */
  readonly knowledge: KnowledgeResources;
  /**
   * The tickets stack's queue (bound to the fulfillment), desk settings, and ticket API function
   * (the channel API's ticket routes and the SupportDeskRole).
   * @default - no tickets: ticket turns say no ticket can be registered
   */
  readonly tickets?: TicketsResources;
  /**
   * The order system as the network stack reaches it (config `orders`), and the subnets the
   * fulfillment runs in for it (`nat`: the egress subnets).
   * @default - the sample orders, in the isolated subnets
   */
  readonly orders?: { readonly source?: OrderSource; readonly subnets?: ec2.SubnetSelection };
  /**
   * Account whose principals may assume the load-test invoker role (the pipeline's tooling
   * account).
   * @default - this environment's own account
   */
  readonly loadTestAccount?: string;
  /**
   * The bot model the Lex bot is generated from.
   * @default BOT_MODEL (contracts/bot-model)
   */
  readonly botModel?: BotModel;
  /**
   * Browser origins allowed to call the channel API (CORS): the web chat's (WebHostingStack) and
   * the configured `web.allowedOrigins`.
   * @default - none
   */
  readonly corsAllowedOrigins?: readonly string[];
}

/** What the monitoring stack watches of the bot stack, as its components expose it. */
export interface BotResources {
  readonly fulfillmentFunction: lambda.IFunction;
  /** Reserved concurrency of the fulfillment function (alarm at 80 %). */
  readonly fulfillmentReservedConcurrency: number;
  readonly channelFunction: lambda.IFunction;
  readonly api: apigwv2.IHttpApi;
}

/**
 * IAM path of the role a load test assumes to call the channel API. The role has no fixed name
 * (CloudFormation generates one, so it can be replaced and a sandbox can share an account): the
 * pipeline reads its exact ARN from the `LoadTestInvokerRoleArn` output at run time, and its
 * policies name the roles under this path of the target account (`loadTestInvokerRoles`).
 */
export const LOAD_TEST_INVOKER_ROLE_PATH = '/conversational-platform/load-test-invoker/';

/** The invoker roles of `account`: every role under LOAD_TEST_INVOKER_ROLE_PATH there. */
export function loadTestInvokerRoles(account: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:role${LOAD_TEST_INVOKER_ROLE_PATH}*`;
}

/**
 * Logical ids from before the constructs existed, when every resource sat at the stack's top
 * level. Each resource here predates the construct it now lives in and is pinned so a deploy does
 * not replace it: state (keys, log groups) or a fixed name or endpoint (the bot's alias and
 * version, the API's stage); the invoker role keeps its id too (it has no fixed name any more,
 * but the committed list names it). test/lib/stacks/stateful-logical-ids.test.ts
 * checks them. (The bot and the API keep theirs by being their construct's default child; the
 * buckets and the fulfillment function never moved.)
 */
const PINNED = {
  conversationLogKey: 'ConversationLogKeyCB78AE4E',
  conversationLogs: 'ConversationLogs69722CBC',
  liveAlias: 'LiveAlias',
  botVersion: (modelHash: string) => `BotVersion${modelHash}`,
  apiStage: 'DefaultStageEE28A986',
  apiAccessLogs: 'ApiAccessLogsE9DF007D',
  channelLogs: 'ChannelLogs73C8CC27',
  loadTestInvokerRole: 'LoadTestInvokerRole6DED5B95',
} as const;

/**
 * The conversation path, composed of its constructs: the audio bucket (and its access-log
 * bucket), the fulfillment function bound to the table, stream, session store, language services
 * and audio bucket, the Lex V2 bot generated from the bot model, and the channel API whose
 * function calls the bot. The constructs own the resources; this stack wires config into them,
 * pins the logical ids that predate them (PINNED) and outputs what the pipeline reads.
 */
export class BotStack extends PlatformStack {
  readonly audioBucket: AudioBucket;
  /** The guardrail of knowledge answers (generated from contracts/guardrail-policy.ts). */
  readonly guardrail: Guardrail;
  readonly fulfillment: FulfillmentFunction;
  readonly lexBot: LexBot;
  readonly channelApi: ChannelApi;
  /** The channel API base URL, e.g. https://abc.execute-api.us-east-1.amazonaws.com/ */
  readonly apiUrlOutput: CfnOutput;
  /** ARN of the role a load test assumes (generated name, under LOAD_TEST_INVOKER_ROLE_PATH). */
  readonly invokerRoleArnOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: BotStackProps) {
    super(scope, id, props);
    this.audioBucket = this.createAudioBucket();
    // Here, with its caller: a policy change publishes a new version, and the fulfillment's
    // GUARDRAIL_VERSION follows in the same stack update (an export would block the change).
    this.guardrail = new Guardrail(this, 'Guardrail', {
      guardrailName: `conversational-platform-${this.config.name}`,
    });
    this.fulfillment = this.createFulfillment(props, this.audioBucket);
    this.lexBot = new LexBot(this, 'Bot', {
      botName: `conversational-platform-${this.config.name}`,
      model: props.botModel ?? BOT_MODEL,
      fulfillment: this.fulfillment.liveAlias,
      nluConfidenceThreshold: this.config.bot.nluConfidenceThreshold,
      idleSessionTtlSeconds: this.config.bot.idleSessionTtlSeconds,
      logRetention: this.logRetention,
      removalPolicy: this.statefulRemovalPolicy,
      environmentName: this.config.name,
    });
    this.channelApi = new ChannelApi(this, 'ChannelApi', {
      bot: this.lexBot,
      vpc: props.vpc,
      securityGroup: props.lambdaSecurityGroup,
      environmentName: this.config.name,
      throttleRateLimit: this.config.api.throttleRateLimit,
      throttleBurstLimit: this.config.api.throttleBurstLimit,
      logRetention: this.logRetention,
      removalPolicy: this.statefulRemovalPolicy,
      loadTestInvoker: {
        account: props.loadTestAccount ?? this.config.account,
        path: LOAD_TEST_INVOKER_ROLE_PATH,
      },
      corsAllowedOrigins: props.corsAllowedOrigins,
    });
    // ownership lasts as long as Lex or the session store can continue the conversation
    this.channelApi.bindConversationGate(props.redis, {
      ratePerSecond: this.config.api.perIdentityRate ?? DEFAULT_PER_IDENTITY_RATE,
      burst: this.config.api.perIdentityBurst ?? DEFAULT_PER_IDENTITY_BURST,
      ownerTtlSeconds: Math.max(this.config.bot.idleSessionTtlSeconds, this.config.redis.sessionTtlSeconds),
    });
    this.channelApi.bindFeedback(props.conversationTable, props.eventStream);
    if (props.tickets) {
      this.channelApi.addTicketRoutes(props.tickets.apiFunction, props.tickets.deskPrincipal);
    }
    this.pinLegacyLogicalIds();
    ({ apiUrl: this.apiUrlOutput, invokerRoleArn: this.invokerRoleArnOutput } = this.addOutputs());
  }

  /** Polly audio for voice channels, and the bucket of its server access logs. */
  private createAudioBucket(): AudioBucket {
    const removalPolicy = this.statefulRemovalPolicy;
    const autoDeleteObjects = this.config.removalPolicy === 'destroy';
    const accessLogs = new AccessLogsBucket(this, 'AudioAccessLogs', {
      logsOf: 'the audio bucket',
      expiration: Duration.days(90),
      removalPolicy,
      autoDeleteObjects,
    });
    return new AudioBucket(this, 'AudioBucket', { accessLogs, removalPolicy, autoDeleteObjects });
  }

  /** The code hook, sized from config and bound to everything it calls. */
  private createFulfillment(props: BotStackProps, audioBucket: AudioBucket): FulfillmentFunction {
    const { config } = this;
    const fn = new FulfillmentFunction(this, 'Fulfillment', {
      environmentName: config.name,
      vpc: props.vpc,
      securityGroup: props.lambdaSecurityGroup,
      subnets: props.orders?.subnets,
      memorySize: config.lambda.memoryMb,
      timeout: Duration.seconds(config.lambda.timeoutSeconds),
      reservedConcurrency: config.lambda.reservedConcurrency,
      logRetention: this.logRetention,
    });
    fn.bindConversationTable(props.conversationTable, { ttlDays: config.dynamodb.ttlDays });
    fn.bindEventStream(props.eventStream, { transcripts: config.bot.streamTranscripts });
    fn.bindSessionStore(props.redis, { sessionTtlSeconds: config.redis.sessionTtlSeconds });
    fn.bindLanguageServices({ timeoutMs: 800 });
    fn.bindAudioBucket(audioBucket);
    fn.bindKnowledge(
      {
        knowledgeBases: props.knowledge.knowledgeBases,
        model: generationModel(config.knowledge, config.region, config.account, this.partition),
        guardrail: this.guardrail,
      },
      { timeoutMs: config.knowledge.timeoutMs },
    );
    if (props.tickets) fn.bindTickets(props.tickets.queue, props.tickets.supportDesk);
    if (props.orders?.source) fn.bindOrders(props.orders.source);
    return fn;
  }

  /** ApiUrl and LoadTestInvokerRoleArn (both read by the pipeline's load tests), BotId and BotAliasId. */
  private addOutputs(): { apiUrl: CfnOutput; invokerRoleArn: CfnOutput } {
    const apiUrl = new CfnOutput(this, 'ApiUrl', {
      value: this.channelApi.url,
      description: 'Channel API base URL (POST v1/conversations/{id}/messages, GET v1/health)',
    });
    const invokerRoleArn = new CfnOutput(this, 'LoadTestInvokerRoleArn', {
      value: this.channelApi.loadTestInvokerRole.roleArn,
      description: 'Role a load test assumes to call the channel API (LOADTEST_ROLE_ARN)',
    });
    if (this.channelApi.supportDeskRole) {
      new CfnOutput(this, 'SupportDeskRoleArn', {
        value: this.channelApi.supportDeskRole.roleArn,
        description: 'Role the support desk assumes to call POST/GET/PATCH v1/tickets (SigV4)',
      });
    }
    new CfnOutput(this, 'BotId', { value: this.lexBot.bot.attrId });
    new CfnOutput(this, 'BotAliasId', { value: this.lexBot.alias.attrBotAliasId });
    new CfnOutput(this, 'GuardrailId', { value: this.guardrail.guardrailId });
    new CfnOutput(this, 'GuardrailVersion', { value: this.guardrail.guardrailVersion });
    return { apiUrl, invokerRoleArn };
  }

  /** What the monitoring stack watches. */
  get resources(): BotResources {
    return {
      fulfillmentFunction: this.fulfillment,
      fulfillmentReservedConcurrency: this.fulfillment.reservedConcurrency,
      channelFunction: this.channelApi.handler,
      api: this.channelApi.api,
    };
  }

  /** See PINNED. */
  private pinLegacyLogicalIds(): void {
    const { lexBot, channelApi } = this;
    pinLogicalId(lexBot.conversationLogKey, PINNED.conversationLogKey);
    pinLogicalId(lexBot.conversationLogs, PINNED.conversationLogs);
    pinLogicalId(lexBot.alias, PINNED.liveAlias);
    pinLogicalId(lexBot.version, PINNED.botVersion(lexBot.modelHash));
    pinLogicalId(channelApi.stage, PINNED.apiStage);
    pinLogicalId(channelApi.accessLogs, PINNED.apiAccessLogs);
    pinLogicalId(channelApi.handler.logGroup, PINNED.channelLogs);
    pinLogicalId(channelApi.loadTestInvokerRole, PINNED.loadTestInvokerRole);
  }
}
