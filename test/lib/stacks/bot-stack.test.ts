import { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BOT_MODEL } from '../../../contracts/bot-model';
import { BotModel } from '../../../contracts/bot-model/types';
import { DEV, PROD } from '../../../lib/config/environments';
import { FulfillmentEnv } from '../../../contracts/runtime-env';
import { nagPlugins } from '../../../lib/nag';
import { LOAD_TEST_INVOKER_ROLE_PATH } from '../../../lib/stacks/bot-stack';
import { ConversationalPlatformStage } from '../../../lib/stages/conversational-platform-stage';
import { testApp } from '../../helpers/app';

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

  // The bot itself (locales, intents, slot types, version, alias, logs, permission) is tested in
  // test/lib/constructs/lex-bot.test.ts; here, how the stack composes it.
  describe('Lex V2 bot', () => {
    it('GIVEN the dev config WHEN synthesized THEN the bot is generated with it: name, NLU threshold and idle session TTL', () => {
      const bot = only(template, 'AWS::Lex::Bot');
      expect(bot.Name).toBe('conversational-platform-dev');
      expect(bot.IdleSessionTTLInSeconds).toBe(DEV.bot.idleSessionTtlSeconds);
      for (const locale of bot.BotLocales) {
        expect(locale.NluConfidenceThreshold).toBe(DEV.bot.nluConfidenceThreshold);
      }
    });

    it("GIVEN the live and test aliases WHEN synthesized THEN they call the fulfillment's published version (its `live` alias, never $LATEST), which Lex alone may invoke", () => {
      const aliasId = Object.keys(template.findResources('AWS::Lex::BotAlias'))[0];
      const fulfillmentId = stage.bot.getLogicalId(stage.bot.fulfillment.node.defaultChild as CfnElement);
      // the Lambda alias `live` points at the version published from this deployment's code
      const lambdaAliases = template.findResources('AWS::Lambda::Alias');
      expect(Object.keys(lambdaAliases)).toHaveLength(1);
      const [lambdaAliasId, lambdaAlias] = Object.entries(lambdaAliases)[0];
      const versionId = lambdaAlias.Properties.FunctionVersion['Fn::GetAtt'][0];
      expect(lambdaAlias.Properties).toEqual(
        expect.objectContaining({
          Name: 'live',
          FunctionName: { Ref: fulfillmentId },
          FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] },
        }),
      );
      expect(template.toJSON().Resources[versionId]).toEqual(
        expect.objectContaining({
          Type: 'AWS::Lambda::Version',
          Properties: expect.objectContaining({ FunctionName: { Ref: fulfillmentId } }),
        }),
      );
      const lex = only(template, 'AWS::Lex::Bot');
      for (const setting of [
        ...only(template, 'AWS::Lex::BotAlias').BotAliasLocaleSettings,
        ...lex.TestBotAliasSettings.BotAliasLocaleSettings,
      ]) {
        expect(setting.BotAliasLocaleSetting.CodeHookSpecification.LambdaCodeHook.LambdaArn).toEqual({
          Ref: lambdaAliasId,
        });
      }
      // the invoke permissions are on the alias (what Lex calls), for the live and test aliases
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { Ref: lambdaAliasId },
        Principal: 'lexv2.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [aliasId, 'Arn'] },
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: { Ref: lambdaAliasId },
        Principal: 'lexv2.amazonaws.com',
        SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/TSTALIASID'])] }),
      });
      expect(JSON.stringify(template.findResources('AWS::Lambda::Permission'))).not.toContain(
        `"FunctionName":{"Fn::GetAtt":["${fulfillmentId}","Arn"]}`,
      );
    });

    it('GIVEN a changed bot model WHEN synthesized THEN a new bot version is created (new logical id)', () => {
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
      // the id the version had before the bot became a construct: BotVersion<model hash> (pinned)
      expect(versionOf(template)).toBe(`BotVersion${stage.bot.lexBot.modelHash}`);
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

    it('GIVEN the dev config WHEN synthesized THEN it runs Node.js 24 on arm64 with active tracing, reserved concurrency and memory from config', () => {
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

    it('GIVEN the network stack WHEN synthesized THEN it runs in the isolated subnets with the Lambda security group', () => {
      const vpcConfig = fulfillment().VpcConfig;
      expect(vpcConfig.SubnetIds).toHaveLength(DEV.network.maxAzs);
      expect(JSON.stringify(vpcConfig.SecurityGroupIds)).toContain('LambdaSecurityGroup');
    });

    it('GIVEN the data and analytics stacks WHEN synthesized THEN it gets the table, Redis, stream, audio bucket and locale settings through its environment', () => {
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

    it('GIVEN the data resources WHEN synthesized THEN it is granted exactly the data actions it needs, scoped to the resources', () => {
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

  // Routes, stage, access-log format and the channel function's bot access are tested in
  // test/lib/constructs/channel-api.test.ts; here, what the stack passes it and what it outputs.
  describe('channel API', () => {
    it('GIVEN the limits of the config WHEN synthesized THEN it throttles the $default stage with them', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        DefaultRouteSettings: {
          ThrottlingRateLimit: DEV.api.throttleRateLimit,
          ThrottlingBurstLimit: DEV.api.throttleBurstLimit,
        },
      });
    });

    it('GIVEN the pipeline account WHEN synthesized THEN it gets an invoker role (generated name, under the invoker path) allowed to call the API routes only', () => {
      const role = template.toJSON().Resources.LoadTestInvokerRole6DED5B95;
      expect(role.Properties.RoleName).toBeUndefined();
      template.hasResourceProperties('AWS::IAM::Role', {
        Path: LOAD_TEST_INVOKER_ROLE_PATH,
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

  it('GIVEN the dev stage WHEN synthesized THEN every platform function (fulfillment and channel) has Node.js 24, arm64, active tracing and a log group with retention', () => {
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

  it('GIVEN the dev stage WHEN synthesized THEN it outputs the API URL, the invoker role ARN and the bot and alias ids (the pipeline reads ApiUrl)', () => {
    const outputs = template.toJSON().Outputs as Record<string, Json>;
    expect(outputs.ApiUrl.Value).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': ['ChannelApi21104F2C', 'ApiEndpoint'] }, '/']],
    });
    expect(outputs.LoadTestInvokerRoleArn.Value).toEqual({
      'Fn::GetAtt': ['LoadTestInvokerRole6DED5B95', 'Arn'],
    });
    expect(outputs.BotId.Value).toEqual({ 'Fn::GetAtt': ['Bot', 'Id'] });
    expect(outputs.BotAliasId.Value).toEqual({ 'Fn::GetAtt': ['LiveAlias', 'BotAliasId'] });
    expect(stage.bot.apiUrlOutput.node.id).toBe('ApiUrl');
  });

  it('GIVEN the dev stage WHEN its resources are read THEN they are what the monitoring stack watches, as its components expose it', () => {
    const { resources } = stage.bot;
    expect(resources.fulfillmentFunction).toBe(stage.bot.fulfillment);
    expect(resources.fulfillmentReservedConcurrency).toBe(DEV.lambda.reservedConcurrency);
    expect(resources.channelFunction).toBe(stage.bot.channelApi.handler);
    expect(resources.api).toBe(stage.bot.channelApi.api);
  });

  it('GIVEN dev and prod WHEN nag checks the bot stack THEN it has zero unacknowledged findings', () => {
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
