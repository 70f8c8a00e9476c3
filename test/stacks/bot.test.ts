import { Match, Template } from 'aws-cdk-lib/assertions';
import { BOT_MODEL } from '../../contracts/bot-model';
import { BotModel } from '../../contracts/bot-model/types';
import { DEV, PROD } from '../../lib/config/environments';
import { ChannelEnv, FulfillmentEnv } from '../../contracts/runtime-env';
import { nagPlugins } from '../../lib/nag';
import { loadTestInvokerRoleName } from '../../lib/stacks/bot-stack';
import { ConversationalPlatformStage } from '../../lib/stages/conversational-platform-stage';
import { REQUIRED_INTENTS } from '../bot-model/required-intents';
import { testApp } from '../helpers/app';

const INTENTS = REQUIRED_INTENTS;
const TOOLING_ACCOUNT = '444444444444';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(config = DEV, botModel?: BotModel) {
  const stage = new ConversationalPlatformStage(testApp(), 'Dev', {
    config,
    loadTestAccount: TOOLING_ACCOUNT,
    botModel,
  });
  return { stage, template: Template.fromStack(stage.bot) };
}

function only(template: Template, type: string): Json {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0].Properties as Json;
}

describe('BotStack', () => {
  let stage: ConversationalPlatformStage;
  let template: Template;
  beforeAll(() => ({ stage, template } = build()));

  describe('Lex V2 bot', () => {
    it('has both locales, every intent in each, and the three custom slot types', () => {
      const bot = only(template, 'AWS::Lex::Bot');
      expect(bot.BotLocales.map((l: Json) => l.LocaleId).sort()).toEqual(['en_US', 'es_US']);
      for (const locale of bot.BotLocales) {
        expect(locale.Intents.map((i: Json) => i.Name).sort()).toEqual([...INTENTS].sort());
        expect(locale.SlotTypes.map((s: Json) => s.Name).sort()).toEqual([
          'IssueCategory',
          'OrderNumber',
          'ProductType',
        ]);
        expect(locale.NluConfidenceThreshold).toBe(DEV.bot.nluConfidenceThreshold);
        expect(locale.VoiceSettings).toEqual(expect.objectContaining({ Engine: 'neural' }));
      }
    });

    it('gives every locale a FallbackIntent with the AMAZON.FallbackIntent parent', () => {
      for (const locale of only(template, 'AWS::Lex::Bot').BotLocales) {
        const fallback = locale.Intents.find((i: Json) => i.Name === 'FallbackIntent');
        expect(fallback.ParentIntentSignature).toBe('AMAZON.FallbackIntent');
      }
    });

    it('sets slot priorities on every intent with slots, and code hooks', () => {
      for (const locale of only(template, 'AWS::Lex::Bot').BotLocales) {
        for (const intent of locale.Intents) {
          if ((intent.Slots ?? []).length > 0)
            expect(intent.SlotPriorities).toHaveLength(intent.Slots.length);
        }
        const order = locale.Intents.find((i: Json) => i.Name === 'CheckOrderStatus');
        expect(order.FulfillmentCodeHook).toEqual(expect.objectContaining({ Enabled: true }));
        expect(order.DialogCodeHook).toEqual({ Enabled: true });
      }
    });

    it('has idle session TTL, data privacy and a role Lex assumes', () => {
      template.hasResourceProperties('AWS::Lex::Bot', {
        IdleSessionTTLInSeconds: DEV.bot.idleSessionTtlSeconds,
        DataPrivacy: { ChildDirected: false },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('BotRole'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'lexv2.amazonaws.com' } })],
        },
      });
    });

    it('versions both locales from DRAFT and points the live alias at that version with the code hook per locale', () => {
      const version = only(template, 'AWS::Lex::BotVersion');
      expect(version.BotVersionLocaleSpecification).toEqual([
        { LocaleId: 'en_US', BotVersionLocaleDetails: { SourceBotVersion: 'DRAFT' } },
        { LocaleId: 'es_US', BotVersionLocaleDetails: { SourceBotVersion: 'DRAFT' } },
      ]);
      const versionId = Object.keys(template.findResources('AWS::Lex::BotVersion'))[0];
      const alias = only(template, 'AWS::Lex::BotAlias');
      expect(alias.BotAliasName).toBe('live');
      expect(alias.BotVersion).toEqual({ 'Fn::GetAtt': [versionId, 'BotVersion'] });
      expect(alias.BotAliasLocaleSettings).toHaveLength(2);
      for (const setting of alias.BotAliasLocaleSettings) {
        expect(setting.BotAliasLocaleSetting.CodeHookSpecification.LambdaCodeHook).toEqual({
          CodeHookInterfaceVersion: '1.0',
          LambdaArn: { 'Fn::GetAtt': [expect.stringMatching(/^Fulfillment/), 'Arn'] },
        });
      }
    });

    it("asks Lex for its own sentiment (the capacity model's answer to Comprehend's quota)", () => {
      const alias = only(template, 'AWS::Lex::BotAlias');
      expect(alias.SentimentAnalysisSettings).toEqual({ DetectSentiment: true });
    });

    it('logs conversation text to a KMS-encrypted log group', () => {
      const alias = only(template, 'AWS::Lex::BotAlias');
      const logGroupArn =
        alias.ConversationLogSettings.TextLogSettings[0].Destination.CloudWatch.CloudWatchLogGroupArn;
      const logGroupId = logGroupArn['Fn::GetAtt'][0];
      expect(template.toJSON().Resources[logGroupId].Properties.KmsKeyId).toBeDefined();
    });

    it('lets only lexv2.amazonaws.com invoke the fulfillment function, through the live alias', () => {
      const aliasId = Object.keys(template.findResources('AWS::Lex::BotAlias'))[0];
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'lexv2.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [aliasId, 'Arn'] },
      });
    });

    it('creates a new bot version (new logical id) when the bot model changes', () => {
      const changed: BotModel = {
        ...BOT_MODEL,
        intents: BOT_MODEL.intents.map((i) =>
          i.name === 'Greeting'
            ? { ...i, utterances: { ...i.utterances, en_US: [...i.utterances.en_US, 'hiya there friend'] } }
            : i,
        ),
      };
      const versionOf = (t: Template) => Object.keys(t.findResources('AWS::Lex::BotVersion'))[0];
      const same = build(DEV).template;
      const other = build(DEV, changed).template;
      expect(versionOf(template)).toMatch(/^BotVersion[0-9a-f]{12}$/);
      expect(versionOf(same)).toBe(versionOf(template));
      expect(versionOf(other)).not.toBe(versionOf(template));
    });
  });

  describe('fulfillment function', () => {
    const fulfillment = () => {
      const fns = template.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('^Lex V2 code hook') },
      });
      expect(Object.keys(fns)).toHaveLength(1);
      return fns[Object.keys(fns)[0]].Properties as Json;
    };

    it('runs Node.js 24 on arm64 with active tracing, reserved concurrency and memory from config', () => {
      expect(fulfillment()).toEqual(
        expect.objectContaining({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          MemorySize: DEV.lambda.memoryMb,
          ReservedConcurrentExecutions: DEV.lambda.reservedConcurrency,
          Timeout: DEV.lambda.timeoutSeconds,
        }),
      );
    });

    it('runs in the isolated subnets with the Lambda security group', () => {
      const vpcConfig = fulfillment().VpcConfig;
      expect(vpcConfig.SubnetIds).toHaveLength(DEV.network.maxAzs);
      expect(JSON.stringify(vpcConfig.SecurityGroupIds)).toContain('LambdaSecurityGroup');
    });

    it('gets the table, Redis, stream, audio bucket and locale settings through its environment', () => {
      const env = fulfillment().Environment.Variables;
      for (const name of [
        FulfillmentEnv.TABLE_NAME,
        FulfillmentEnv.REDIS_HOST,
        FulfillmentEnv.REDIS_PORT,
        FulfillmentEnv.REDIS_AUTH_SECRET_ARN,
        FulfillmentEnv.STREAM_NAME,
        FulfillmentEnv.AUDIO_BUCKET,
      ]) {
        expect(env[name]).toBeDefined();
      }
      expect(env[FulfillmentEnv.REDIS_TLS]).toBe('true');
      expect(env[FulfillmentEnv.REDIS_PORT]).toBe(String(DEV.redis.port));
      expect(env[FulfillmentEnv.TTL_DAYS]).toBe(String(DEV.dynamodb.ttlDays));
      expect(env[FulfillmentEnv.BOT_LOCALES]).toBe('en_US,es_US');
      expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe('ConversationalPlatform');
    });

    it('is granted exactly the data actions it needs, scoped to the resources', () => {
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles).includes('FulfillmentServiceRole'))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]);
      const find = (action: string) =>
        statements.find((st) => ([] as string[]).concat(st.Action).includes(action));
      expect(find('dynamodb:PutItem')!.Resource).not.toEqual('*');
      // the handler only writes turns: no read, scan, update or delete of the table
      expect(([] as string[]).concat(find('dynamodb:PutItem')!.Action)).toEqual(['dynamodb:PutItem']);
      expect(find('kinesis:PutRecords')!.Resource).not.toEqual('*');
      expect(([] as string[]).concat(find('kinesis:PutRecords')!.Action)).toEqual(['kinesis:PutRecords']);
      expect(find('secretsmanager:GetSecretValue')!.Resource).not.toEqual('*');
      expect(find('s3:PutObject')!.Resource).toEqual({
        'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^AudioBucket/), 'Arn'] }, '/audio/*']],
      });
      // Only the language services and X-Ray, which have no resource-level permissions, use '*'.
      const wildcard = statements
        .filter((st) => st.Resource === '*')
        .flatMap((st) => ([] as string[]).concat(st.Action));
      expect(wildcard.sort()).toEqual(
        [
          'comprehend:DetectDominantLanguage',
          'comprehend:DetectSentiment',
          'polly:SynthesizeSpeech',
          'translate:TranslateText',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ].sort(),
      );
      expect(statements.some((st) => ([] as string[]).concat(st.Action).some((a) => a.endsWith('*')))).toBe(
        false,
      );
    });
  });

  describe('channel API', () => {
    it('routes POST messages (IAM auth) and GET health (no auth) to the channel Lambda', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'POST /v1/conversations/{conversationId}/messages',
        AuthorizationType: 'AWS_IAM',
      });
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'GET /v1/health',
        AuthorizationType: 'NONE',
      });
      template.resourceCountIs('AWS::ApiGatewayV2::Route', 2);
    });

    it('throttles and access-logs the default stage from config', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: DEV.api.throttleRateLimit,
          ThrottlingBurstLimit: DEV.api.throttleBurstLimit,
        },
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
      });
    });

    it('lets the channel Lambda call RecognizeText on the live alias only', () => {
      const aliasId = Object.keys(template.findResources('AWS::Lex::BotAlias'))[0];
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            { Action: 'lex:RecognizeText', Effect: 'Allow', Resource: { 'Fn::GetAtt': [aliasId, 'Arn'] } },
          ]),
        },
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            [ChannelEnv.BOT_ALIAS_ID]: { 'Fn::GetAtt': [aliasId, 'BotAliasId'] },
          }),
        },
      });
    });

    it('gives the pipeline account a fixed-name invoker role allowed to call the API routes only', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: loadTestInvokerRoleName('dev'),
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { AWS: `arn:aws:iam::${TOOLING_ACCOUNT}:root` },
            }),
          ],
        },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [Match.objectLike({ Action: 'execute-api:Invoke' })] },
        Roles: [{ Ref: Match.stringLikeRegexp('LoadTestInvokerRole') }],
      });
      template.hasOutput('ApiUrl', {});
    });
  });

  it('gives every platform function (fulfillment and channel) Node.js 24, arm64, active tracing and a log group with retention', () => {
    const fns = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: Match.anyValue() } } },
      }),
    ).map((r) => r.Properties as Json);
    expect(fns.map((f) => f.Environment.Variables.POWERTOOLS_SERVICE_NAME).sort()).toEqual([
      'channel',
      'fulfillment',
    ]);
    for (const fn of fns) {
      expect(fn).toEqual(
        expect.objectContaining({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: expect.objectContaining({ LogFormat: 'JSON', LogGroup: expect.anything() }),
        }),
      );
      // No NODE_OPTIONS (e.g. --enable-source-maps): the cold-start bench loads the bundles
      // without any, so it measures what these functions run.
      expect(Object.keys(fn.Environment.Variables)).not.toContain('NODE_OPTIONS');
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('access-logs the API as JSON with request id, route, status and latency, and no request body', () => {
    const stage = only(template, 'AWS::ApiGatewayV2::Stage');
    const format = JSON.parse(stage.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toEqual(
      expect.objectContaining({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
      }),
    );
    expect(stage.AccessLogSettings.Format).not.toMatch(/body/i);
  });

  it('has zero unacknowledged nag findings in dev and prod', () => {
    const prod = build(PROD).stage;
    for (const s of [stage, prod]) {
      for (const plugin of nagPlugins()) {
        const findings = plugin
          .validateScope(s.bot)
          .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`));
        expect(findings).toEqual([]);
      }
    }
  });
});
