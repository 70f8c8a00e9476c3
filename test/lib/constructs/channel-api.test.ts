import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ChannelEnv } from '../../../contracts/runtime-env';
import { ChannelApi, ChannelApiProps } from '../../../lib/constructs/channel-api';
import { LexBot } from '../../../lib/constructs/lex-bot';
import { GATE, channelApiFixture } from '../../support/channel-api-fixture';
import { listAcknowledgements } from '../../support/nag-doc';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TOOLING_ACCOUNT = '444444444444';
const ROLE_PATH = '/test/load-test-invoker/';

function build(overrides: Partial<ChannelApiProps> = {}, bind = true) {
  return channelApiFixture(
    { loadTestInvoker: { account: TOOLING_ACCOUNT, path: ROLE_PATH }, ...overrides },
    bind,
  );
}

function only(template: Template, type: string): Json {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0].Properties as Json;
}

describe('ChannelApi', () => {
  let stack: Stack;
  let bot: LexBot;
  let api: ChannelApi;
  let template: Template;
  beforeAll(() => {
    ({ stack, bot, api } = build());
    template = Template.fromStack(stack);
  });

  it('GIVEN a channel API WHEN synthesized THEN it routes POST messages and feedback (IAM auth) and GET health (no auth) to the channel Lambda', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /v1/conversations/{conversationId}/messages',
      AuthorizationType: 'AWS_IAM',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /v1/conversations/{conversationId}/feedback',
      AuthorizationType: 'AWS_IAM',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /v1/health',
      AuthorizationType: 'NONE',
    });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 3);
    const integration = only(template, 'AWS::ApiGatewayV2::Integration');
    expect(integration.IntegrationUri).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(api.handler.node.defaultChild as never), 'Arn'],
    });
  });

  it('GIVEN the unauthenticated health route WHEN synthesized THEN AwsSolutions-APIG4 is acknowledged on that route only', () => {
    const apig4 = listAcknowledgements(stack).filter((a) => a.id.endsWith('AwsSolutions-APIG4'));
    expect([...new Set(apig4.map((a) => a.path))]).toEqual(['Test/ChannelApi/Default/GET--v1--health']);
  });

  it('GIVEN a channel API WHEN synthesized THEN it is named after its construct id, and the API (its default child) keeps the logical id it had at the stack level', () => {
    expect(only(template, 'AWS::ApiGatewayV2::Api')).toEqual(
      expect.objectContaining({
        Name: 'ChannelApi',
        Description: 'Conversational platform channel API (test)',
      }),
    );
    expect(api.node.defaultChild).toBe(api.api);
    expect(stack.resolve(api.api.apiId)).toEqual({ Ref: 'ChannelApi21104F2C' });
  });

  it('GIVEN its props WHEN synthesized THEN it throttles and access-logs the $default stage from them', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: {
        DestinationArn: {
          'Fn::GetAtt': [stack.getLogicalId(api.accessLogs.node.defaultChild as never), 'Arn'],
        },
        Format: Match.anyValue(),
      },
    });
  });

  it('GIVEN a channel API WHEN synthesized THEN it access-logs the API as JSON with request id, route, status and latency, and no request body', () => {
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

  it('GIVEN a bot WHEN synthesized THEN the channel Lambda may call RecognizeText on the live alias only, and is told the bot and alias ids', () => {
    const aliasId = stack.getLogicalId(bot.alias);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'lex:RecognizeText', Effect: 'Allow', Resource: { 'Fn::GetAtt': [aliasId, 'Arn'] } },
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description:
        'Channel API: validates a message, checks its owner and rate limit (Redis), sends it to Lex RecognizeText',
      MemorySize: 512,
      Timeout: 29,
      Environment: {
        Variables: Match.objectLike({
          [ChannelEnv.ENVIRONMENT]: 'test',
          [ChannelEnv.BOT_ID]: { 'Fn::GetAtt': ['Bot', 'Id'] },
          [ChannelEnv.BOT_ALIAS_ID]: { 'Fn::GetAtt': [aliasId, 'BotAliasId'] },
          [ChannelEnv.BOT_LOCALES]: 'en_US,es_US',
        }),
      },
    });
  });

  it('GIVEN a load-test account WHEN synthesized THEN it gets an invoker role (generated name, under its path) allowed to call the two routes on $default only', () => {
    const role =
      template.toJSON().Resources[stack.getLogicalId(api.loadTestInvokerRole.node.defaultChild as never)];
    // no fixed name: a replacement or a second copy in the same account never collides
    expect(role.Properties.RoleName).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Role', {
      Path: ROLE_PATH,
      MaxSessionDuration: 7200,
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { AWS: `arn:aws:iam::${TOOLING_ACCOUNT}:root` } })],
      },
    });
    const invoke = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('LoadTestInvokerRole'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]);
    expect(invoke).toHaveLength(1);
    expect(invoke[0].Action).toBe('execute-api:Invoke');
    const resources = JSON.stringify(stack.resolve(invoke[0].Resource));
    expect(resources).toContain('/$default/POST/v1/conversations/*/messages');
    expect(resources).toContain('/$default/GET/v1/health');
  });

  it('GIVEN a VPC and the Lambda security group WHEN synthesized THEN the channel function runs in the isolated subnets behind that group', () => {
    const fn = template.toJSON().Resources[stack.getLogicalId(api.handler.node.defaultChild as never)];
    const vpcConfig = stack.resolve(fn.Properties.VpcConfig);
    expect(vpcConfig.SecurityGroupIds).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^LambdaSg/), 'GroupId'] },
    ]);
    expect(vpcConfig.SubnetIds).toHaveLength(2);
    for (const subnet of vpcConfig.SubnetIds) expect(subnet.Ref).toMatch(/^VpcPrivateSubnet/);
  });

  it('GIVEN the conversation gate binding WHEN synthesized THEN the function is told Redis (TLS, AUTH secret) and the bucket and owner TTL, and may read that one secret only', () => {
    const fn = template.toJSON().Resources[stack.getLogicalId(api.handler.node.defaultChild as never)];
    const secretId = stack.getLogicalId(
      (stack.node.findChild('RedisAuth') as secretsmanager.Secret).node.defaultChild as never,
    );
    expect(fn.Properties.Environment.Variables).toEqual(
      expect.objectContaining({
        [ChannelEnv.REDIS_HOST]: 'redis.internal',
        [ChannelEnv.REDIS_PORT]: '6380',
        [ChannelEnv.REDIS_TLS]: 'true',
        [ChannelEnv.REDIS_AUTH_SECRET_ARN]: { Ref: secretId },
        [ChannelEnv.RATE_PER_IDENTITY]: '0.5',
        [ChannelEnv.BURST_PER_IDENTITY]: '8',
        [ChannelEnv.OWNER_TTL_SECONDS]: '1800',
      }),
    );
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) =>
        JSON.stringify(p.Properties.Roles).includes(
          stack.getLogicalId(api.handler.role!.node.defaultChild as never),
        ),
      )
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]);
    const secretReads = statements.filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'));
    expect(secretReads).toHaveLength(1);
    expect(secretReads[0].Resource).toEqual({ Ref: secretId });
  });

  it('GIVEN a channel API never bound to its gate WHEN synthesized THEN synth fails naming the binding', () => {
    const { stack: s } = build({}, false);
    expect(() => Template.fromStack(s)).toThrow(/channel api is not bound to its conversation gate/);
  });

  it.each([
    ['a zero rate', { ...GATE, ratePerSecond: 0 }, /rate must be positive, got 0/],
    ['a fractional burst', { ...GATE, burst: 2.5 }, /burst must be a positive integer, got 2\.5/],
    ['a zero owner TTL', { ...GATE, ownerTtlSeconds: 0 }, /owner ttl must be a positive integer, got 0/],
  ])('GIVEN %s WHEN the gate is bound THEN it is refused', (_, settings, message) => {
    const { api: unbound, authSecret } = build({}, false);
    expect(() => unbound.bindConversationGate({ host: 'h', port: 6380, authSecret }, settings)).toThrow(
      message,
    );
  });

  it('GIVEN a channel API WHEN its URL is read THEN it is the base URL with a trailing slash', () => {
    expect(stack.resolve(api.url)).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': ['ChannelApi21104F2C', 'ApiEndpoint'] }, '/']],
    });
  });

  describe('validates its props before creating anything', () => {
    const invalid: [string, Partial<ChannelApiProps>, RegExp][] = [
      ['a non-positive rate limit', { throttleRateLimit: 0 }, /throttle rate limit must be positive, got 0/],
      [
        'a fractional burst limit',
        { throttleBurstLimit: 1.5 },
        /burst limit must be a positive integer, got 1\.5/,
      ],
      [
        'a load-test account that is not 12 digits',
        { loadTestInvoker: { account: '123', path: ROLE_PATH } },
        /load-test account must be a 12-digit account id, got '123'/,
      ],
      [
        'a role path IAM rejects',
        { loadTestInvoker: { account: TOOLING_ACCOUNT, path: 'no/leading/slash/' } },
        /load-test role path 'no\/leading\/slash\/' is not a valid iam path/,
      ],
    ];
    it.each(invalid)('GIVEN %s WHEN created THEN it is refused', (_, overrides, message) => {
      expect(() => build(overrides)).toThrow(message);
    });

    it('GIVEN invalid props WHEN refused THEN nothing is left in the tree', () => {
      const { stack: s, bot: b, vpc, securityGroup } = build();
      expect(
        () =>
          new ChannelApi(s, 'Second', {
            bot: b,
            vpc,
            securityGroup,
            environmentName: 'test',
            throttleRateLimit: 0,
            throttleBurstLimit: 1,
            logRetention: logs.RetentionDays.ONE_WEEK,
            loadTestInvoker: { account: TOOLING_ACCOUNT, path: '/other/' },
          }),
      ).toThrow(/rate limit/);
      expect(s.node.tryFindChild('Second')).toBeUndefined();
    });
  });
});
