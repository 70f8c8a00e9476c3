import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BOT_MODEL, validateBotModel } from '../../contracts/bot-model';
import { botModelHash, toLexBotLocales } from '../constructs/lex-bot-model';
import { BotModel, LOCALES } from '../../contracts/bot-model/types';
import { CHANNEL_SERVICE, FULFILLMENT_SERVICE } from '../../contracts/metrics';
import { ChannelEnv, FulfillmentEnv } from '../../contracts/runtime-env';
import { absolute, HANDLERS as HANDLER_BUNDLES } from '../../bundling/index';
import { PlatformFunction } from '../constructs/platform-function';
import { acknowledge } from '../nag';
import { RedisEndpoint } from './data-stack';
import { BotResources } from './monitoring-stack';
import { PlatformStack, PlatformStackProps } from './platform-stack';

export interface BotStackProps extends PlatformStackProps {
  readonly vpc: ec2.IVpc;
  readonly lambdaSecurityGroup: ec2.ISecurityGroup;
  readonly conversationTable: dynamodb.ITableV2;
  readonly redis: RedisEndpoint;
  readonly eventStream: kinesis.IStream;
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
}

/** Name of the role a load test assumes to call the channel API (fixed, so the pipeline can build its ARN). */
export function loadTestInvokerRoleName(environment: string): string {
  return `conversational-platform-${environment}-loadtest-invoker`;
}

/**
 * The conversation path: the Lex V2 bot generated from the bot model (en_US + es_US, custom slot
 * types, a version per model hash and a `live` alias), the fulfillment Lambda (VPC, every
 * service it calls granted explicitly), and the channel API (HTTP API, IAM auth) whose Lambda
 * calls Lex RecognizeText.
 */
export class BotStack extends PlatformStack {
  readonly fulfillmentFunction: PlatformFunction;
  readonly channelFunction: PlatformFunction;
  readonly api: apigwv2.HttpApi;
  readonly bot: lex.CfnBot;
  readonly botAlias: lex.CfnBotAlias;
  readonly audioBucket: s3.IBucket;
  readonly loadTestInvokerRole: iam.IRole;
  /** The channel API base URL, e.g. https://abc.execute-api.us-east-1.amazonaws.com/ */
  readonly apiUrlOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: BotStackProps) {
    super(scope, id, props);
    const { config } = props;
    // Validated here too, so a model passed in props is checked at synth like the default one.
    const model = validateBotModel(props.botModel ?? BOT_MODEL);

    this.audioBucket = this.createAudioBucket();
    this.fulfillmentFunction = this.createFulfillment(props);
    const { bot, alias } = this.createBot(model, this.fulfillmentFunction);
    this.bot = bot;
    this.botAlias = alias;
    this.channelFunction = this.createChannel(bot, alias);
    this.api = this.createApi(this.channelFunction);
    this.loadTestInvokerRole = this.createInvokerRole(props.loadTestAccount ?? config.account);

    this.apiUrlOutput = new CfnOutput(this, 'ApiUrl', {
      value: this.api.apiEndpoint + '/',
      description: 'Channel API base URL (POST v1/conversations/{id}/messages, GET v1/health)',
    });
    new CfnOutput(this, 'LoadTestInvokerRoleArn', { value: this.loadTestInvokerRole.roleArn });
    new CfnOutput(this, 'BotId', { value: bot.attrId });
    new CfnOutput(this, 'BotAliasId', { value: alias.attrBotAliasId });
  }

  /** What the monitoring stack watches. */
  get resources(): BotResources {
    return {
      fulfillmentFunction: this.fulfillmentFunction,
      channelFunction: this.channelFunction,
      api: this.api,
      fulfillmentReservedConcurrency: this.config.lambda.reservedConcurrency,
    };
  }

  /** Polly audio for voice channels: short-lived objects fetched through presigned URLs. */
  private createAudioBucket(): s3.Bucket {
    const logsBucket = new s3.Bucket(this, 'AudioAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED, // server access logs cannot be delivered to SSE-KMS buckets
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: this.statefulRemovalPolicy,
      autoDeleteObjects: this.config.removalPolicy === 'destroy',
    });
    acknowledge(
      logsBucket,
      'This is the server access log bucket of the audio bucket; logging it to itself would loop.',
      'AwsSolutions-S1',
    );
    return new s3.Bucket(this, 'AudioBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logsBucket,
      serverAccessLogsPrefix: 'audio/',
      // Synthesized speech is only needed while the client plays it.
      lifecycleRules: [
        { expiration: Duration.days(1), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: this.statefulRemovalPolicy,
      autoDeleteObjects: this.config.removalPolicy === 'destroy',
    });
  }

  private createFulfillment(props: BotStackProps): PlatformFunction {
    const { config, conversationTable, redis, eventStream } = props;
    const fn = new PlatformFunction(this, 'Fulfillment', {
      entry: absolute(HANDLER_BUNDLES.fulfillment.entry),
      chunks: HANDLER_BUNDLES.fulfillment.chunks,
      serviceName: FULFILLMENT_SERVICE,
      description: 'Lex V2 code hook: sessions, context, sentiment, translation, speech, events, metrics',
      memorySize: config.lambda.memoryMb,
      timeout: Duration.seconds(config.lambda.timeoutSeconds),
      reservedConcurrentExecutions: config.lambda.reservedConcurrency,
      logRetention: this.logRetention,
      vpc: props.vpc,
      vpcSubnets: {
        subnets: props.vpc.isolatedSubnets.length > 0 ? props.vpc.isolatedSubnets : props.vpc.privateSubnets,
      },
      securityGroups: [props.lambdaSecurityGroup],
      wildcardReason:
        'The fulfillment role also calls comprehend:DetectSentiment/DetectDominantLanguage and translate:TranslateText (no resource-level permissions) and polly:SynthesizeSpeech (resource type is a lexicon; the bot uses none).',
      environment: {
        [FulfillmentEnv.ENVIRONMENT]: config.name,
        [FulfillmentEnv.TABLE_NAME]: conversationTable.tableName,
        [FulfillmentEnv.TTL_DAYS]: String(config.dynamodb.ttlDays),
        [FulfillmentEnv.REDIS_HOST]: redis.host,
        [FulfillmentEnv.REDIS_PORT]: String(redis.port),
        [FulfillmentEnv.REDIS_TLS]: 'true',
        [FulfillmentEnv.REDIS_AUTH_SECRET_ARN]: redis.authSecret.secretArn,
        [FulfillmentEnv.SESSION_TTL_SECONDS]: String(config.redis.sessionTtlSeconds),
        [FulfillmentEnv.STREAM_NAME]: eventStream.streamName,
        [FulfillmentEnv.AUDIO_BUCKET]: this.audioBucket.bucketName,
        [FulfillmentEnv.BOT_LOCALES]: LOCALES.join(','),
        [FulfillmentEnv.STREAM_TRANSCRIPTS]: String(config.bot.streamTranscripts),
        [FulfillmentEnv.DEPENDENCY_TIMEOUT_MS]: '800',
      },
    });

    // Conversation context: one conditional PutItem per turn (a retry does not duplicate it).
    // The handler never reads the table back (session state travels in Redis and Lex session
    // attributes), so no GetItem, Query, Scan, Update or Delete.
    conversationTable.grant(fn, 'dynamodb:PutItem');
    // The table's customer-managed key, for exactly the data-key operations DynamoDB performs for the caller.
    conversationTable.encryptionKey?.grant(
      fn,
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:DescribeKey',
    );
    // Conversation events: PutRecords (batched) into the one stream, encrypted with its key.
    eventStream.grant(fn, 'kinesis:PutRecords');
    eventStream.encryptionKey?.grant(fn, 'kms:GenerateDataKey');
    // Redis AUTH token, read once per container.
    redis.authSecret.grantRead(fn);
    // Sentiment (Comprehend), language detection and translation (Translate), speech (Polly):
    // these APIs have no resource-level permissions for the calls made, hence Resource *.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'LanguageServices',
        actions: [
          'comprehend:DetectSentiment',
          'comprehend:DetectDominantLanguage',
          'translate:TranslateText',
          'polly:SynthesizeSpeech',
        ],
        resources: ['*'],
      }),
    );
    // Voice turns: write the synthesized audio and sign a GET URL for it (audio/ prefix only).
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'VoiceAudio',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [this.audioBucket.arnForObjects('audio/*')],
      }),
    );
    acknowledge(
      fn.role!,
      'Objects under the audio/ prefix of the one audio bucket: each voice turn writes a new object key and presigns a GET for it.',
      `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.audioBucket.node.defaultChild as s3.CfnBucket)}.Arn>/audio/*]`,
    );
    return fn;
  }

  private createBot(
    model: BotModel,
    fulfillment: PlatformFunction,
  ): { bot: lex.CfnBot; alias: lex.CfnBotAlias } {
    const { config } = this;

    const botRole = new iam.Role(this, 'BotRole', {
      assumedBy: new iam.ServicePrincipal('lexv2.amazonaws.com'),
      description: 'Lex V2 bot runtime role: speech synthesis and conversation logs',
    });
    // Lex speaks its prompts with Polly (voice channels); SynthesizeSpeech has no resource to scope to.
    botRole.addToPolicy(new iam.PolicyStatement({ actions: ['polly:SynthesizeSpeech'], resources: ['*'] }));
    acknowledge(
      botRole,
      "polly:SynthesizeSpeech's only resource type is a lexicon; the bot uses none, so the action cannot be scoped further.",
      'AwsSolutions-IAM5[Resource::*]',
    );

    const logKey = new kms.Key(this, 'ConversationLogKey', {
      description: `Lex conversation text logs (${config.name})`,
      enableKeyRotation: true,
      removalPolicy: this.statefulRemovalPolicy,
    });
    logKey.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`));
    const conversationLogs = new logs.LogGroup(this, 'ConversationLogs', {
      retention: this.logRetention,
      encryptionKey: logKey,
      removalPolicy: this.statefulRemovalPolicy,
    });
    conversationLogs.grantWrite(botRole);

    const bot = new lex.CfnBot(this, 'Bot', {
      name: `conversational-platform-${config.name}`,
      description: model.description,
      roleArn: botRole.roleArn,
      dataPrivacy: { ChildDirected: false },
      idleSessionTtlInSeconds: config.bot.idleSessionTtlSeconds,
      autoBuildBotLocales: true,
      botLocales: toLexBotLocales(model, { nluConfidenceThreshold: config.bot.nluConfidenceThreshold }),
    });

    // A bot version never changes once created: its logical id comes from the model (and the
    // threshold), so a model change creates a new version and moves the alias to it.
    const hash = botModelHash(model, { nluConfidenceThreshold: config.bot.nluConfidenceThreshold }).slice(
      0,
      12,
    );
    const version = new lex.CfnBotVersion(this, `BotVersion${hash}`, {
      botId: bot.attrId,
      description: `Bot model ${hash}`,
      botVersionLocaleSpecification: LOCALES.map((localeId) => ({
        localeId,
        botVersionLocaleDetails: { sourceBotVersion: 'DRAFT' },
      })),
    });

    const alias = new lex.CfnBotAlias(this, 'LiveAlias', {
      botId: bot.attrId,
      botAliasName: 'live',
      botVersion: version.attrBotVersion,
      description: 'What the channel API talks to',
      botAliasLocaleSettings: LOCALES.map((localeId) => ({
        localeId,
        botAliasLocaleSetting: {
          enabled: true,
          codeHookSpecification: {
            lambdaCodeHook: { codeHookInterfaceVersion: '1.0', lambdaArn: fulfillment.functionArn },
          },
        },
      })),
      conversationLogSettings: {
        textLogSettings: [
          {
            enabled: true,
            destination: {
              cloudWatch: { cloudWatchLogGroupArn: conversationLogs.logGroupArn, logPrefix: 'live/' },
            },
          },
        ],
      },
      // Lex's own sentiment arrives with each interpretation, so the handler does not call
      // Comprehend DetectSentiment per turn (2,083/s at peak against a default quota of ~20/s:
      // see lib/config/capacity.ts); Comprehend stays the fallback when Lex sends none.
      sentimentAnalysisSettings: { DetectSentiment: true },
    });

    // Lex may invoke the code hook only through the live alias.
    fulfillment.addPermission('LexLiveAliasInvoke', {
      principal: new iam.ServicePrincipal('lexv2.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: alias.attrArn,
      sourceAccount: this.account,
    });
    return { bot, alias };
  }

  private createChannel(bot: lex.CfnBot, alias: lex.CfnBotAlias): PlatformFunction {
    const fn = new PlatformFunction(this, 'Channel', {
      entry: absolute(HANDLER_BUNDLES.channel.entry),
      serviceName: CHANNEL_SERVICE,
      description: 'Channel API: validates a message and sends it to Lex RecognizeText',
      memorySize: 512,
      timeout: Duration.seconds(29), // the HTTP API's integration limit
      logRetention: this.logRetention,
      environment: {
        [ChannelEnv.ENVIRONMENT]: this.config.name,
        [ChannelEnv.BOT_ID]: bot.attrId,
        [ChannelEnv.BOT_ALIAS_ID]: alias.attrBotAliasId,
        [ChannelEnv.BOT_LOCALES]: LOCALES.join(','),
      },
    });
    // RecognizeText on the live alias only (not on the draft or other aliases).
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['lex:RecognizeText'], resources: [alias.attrArn] }),
    );
    return fn;
  }

  private createApi(channel: PlatformFunction): apigwv2.HttpApi {
    const { config } = this;
    const api = new apigwv2.HttpApi(this, 'ChannelApi', {
      description: `Conversational platform channel API (${config.name})`,
      createDefaultStage: false,
      defaultAuthorizer: new HttpIamAuthorizer(),
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: this.logRetention,
      removalPolicy: this.statefulRemovalPolicy,
    });
    new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.api.throttleRateLimit, burstLimit: config.api.throttleBurstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        // Structured (JSON) access logs; no request bodies, so no transcripts.
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            sourceIp: '$context.identity.sourceIp',
            caller: '$context.identity.caller',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('ChannelIntegration', channel);
    api.addRoutes({
      path: '/v1/conversations/{conversationId}/messages',
      methods: [apigwv2.HttpMethod.POST],
      integration,
    });
    const [health] = api.addRoutes({
      path: '/v1/health',
      methods: [apigwv2.HttpMethod.GET],
      integration,
      authorizer: new apigwv2.HttpNoneAuthorizer(),
    });
    Validations.of(health).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'GET /v1/health is deliberately unauthenticated for load balancers and the pipeline health check; it returns only {status} and touches no data.',
    });
    return api;
  }

  /** The role a load test (in the pipeline account) assumes to call the API as a client would. */
  private createInvokerRole(trustedAccount: string): iam.Role {
    const role = new iam.Role(this, 'LoadTestInvokerRole', {
      roleName: loadTestInvokerRoleName(this.config.name),
      assumedBy: new iam.AccountPrincipal(trustedAccount),
      description: 'Assumed by the pipeline load-test step to call the channel API with SigV4',
      maxSessionDuration: Duration.hours(2),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['execute-api:Invoke'],
        resources: [
          this.api.arnForExecuteApi('POST', '/v1/conversations/*/messages', '$default'),
          this.api.arnForExecuteApi('GET', '/v1/health', '$default'),
        ],
      }),
    );
    acknowledge(
      role,
      'The * is the {conversationId} path parameter of the one messages route: a client may post to any conversation, and only via POST on this API and stage.',
      `AwsSolutions-IAM5[Resource::arn:aws:execute-api:${this.region}:${this.account}:<${this.getLogicalId(this.api.node.defaultChild as apigwv2.CfnApi)}>/$default/POST/v1/conversations/*/messages]`,
    );
    return role;
  }
}
