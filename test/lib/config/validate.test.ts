import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG, DEV, PIPELINE, PROD, STAGING } from '../../../lib/config/environments';
import { AppConfig, EnvironmentConfig } from '../../../lib/config/types';
import {
  CONFIG_SETTINGS,
  ConfigError,
  describeField,
  validateConfig,
  validateEnvironment,
  validatePipeline,
} from '../../../lib/config/validate';
import { repoPath } from '../../support/paths';

type Patch = (env: EnvironmentConfig) => EnvironmentConfig;

/** A well-formed ACM certificate ARN in us-east-1 (placeholder account and id). */
const CERTIFICATE = 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('validateEnvironment', () => {
  it.each([DEV, STAGING, PROD])(
    'GIVEN the documented $name defaults WHEN validated THEN they are accepted',
    (env) => {
      expect(validateEnvironment(env)).toBe(env);
    },
  );

  const cases: Array<[string, EnvironmentConfig, Patch, string]> = [
    ['a 10-digit account', DEV, (e) => ({ ...e, account: '1234567890' }), 'dev.account'],
    ['a non-numeric account', PROD, (e) => ({ ...e, account: '12345678901a' }), 'prod.account'],
    ['a malformed region', DEV, (e) => ({ ...e, region: 'useast1' }), 'dev.region'],
    ['one AZ', DEV, (e) => ({ ...e, network: { ...e.network, maxAzs: 1 } }), 'dev.network.maxAzs'],
    [
      'zone names not matching maxAzs',
      DEV,
      (e) => ({ ...e, network: { ...e.network, availabilityZones: ['us-east-1a'] } }),
      'dev.network.availabilityZones',
    ],
    [
      'zone names of another region',
      DEV,
      (e) => ({ ...e, network: { ...e.network, availabilityZones: ['us-east-1a', 'eu-west-1b'] } }),
      'dev.network.availabilityZones',
    ],
    [
      'replicas < 1 with multi-AZ',
      STAGING,
      (e) => ({ ...e, redis: { ...e.redis, replicasPerNodeGroup: 0, multiAz: true } }),
      'staging.redis.replicasPerNodeGroup',
    ],
    [
      'single-AZ Redis in prod',
      PROD,
      (e) => ({ ...e, redis: { ...e.redis, multiAz: false } }),
      'prod.redis.multiAz',
    ],
    [
      'a node type that is not an ElastiCache type',
      DEV,
      (e) => ({ ...e, redis: { ...e.redis, nodeType: 'r7g.large' } }),
      'dev.redis.nodeType',
    ],
    ['a privileged port', DEV, (e) => ({ ...e, redis: { ...e.redis, port: 80 } }), 'dev.redis.port'],
    [
      'snapshots kept longer than ElastiCache allows',
      DEV,
      (e) => ({ ...e, redis: { ...e.redis, snapshotRetentionDays: 36 } }),
      'dev.redis.snapshotRetentionDays',
    ],
    ['TTL days 0', DEV, (e) => ({ ...e, dynamodb: { ...e.dynamodb, ttlDays: 0 } }), 'dev.dynamodb.ttlDays'],
    [
      'negative TTL days',
      PROD,
      (e) => ({ ...e, dynamodb: { ...e.dynamodb, ttlDays: -3 } }),
      'prod.dynamodb.ttlDays',
    ],
    [
      'fractional TTL days',
      DEV,
      (e) => ({ ...e, dynamodb: { ...e.dynamodb, ttlDays: 1.5 } }),
      'dev.dynamodb.ttlDays',
    ],
    [
      'PROVISIONED without shards',
      DEV,
      (e) => ({ ...e, kinesis: { mode: 'PROVISIONED', retentionHours: 24 } }),
      'dev.kinesis.shardCount',
    ],
    [
      'ON_DEMAND with shards',
      DEV,
      (e) => ({ ...e, kinesis: { mode: 'ON_DEMAND', shardCount: 2, retentionHours: 24 } }),
      'dev.kinesis.shardCount',
    ],
    [
      'stream retention under 24 h',
      DEV,
      (e) => ({ ...e, kinesis: { ...e.kinesis, retentionHours: 12 } }),
      'dev.kinesis.retentionHours',
    ],
    [
      'a Lambda timeout Lex cannot wait for',
      DEV,
      (e) => ({ ...e, lambda: { ...e.lambda, timeoutSeconds: 31 } }),
      'dev.lambda.timeoutSeconds',
    ],
    [
      'no reserved concurrency',
      DEV,
      (e) => ({ ...e, lambda: { ...e.lambda, reservedConcurrency: 0 } }),
      'dev.lambda.reservedConcurrency',
    ],
    [
      'a recognition-rate threshold above 1',
      DEV,
      (e) => ({ ...e, alarms: { ...e.alarms, intentRecognitionRateMin: 1.2 } }),
      'dev.alarms.intentRecognitionRateMin',
    ],
    [
      'a negative alarm threshold',
      DEV,
      (e) => ({ ...e, alarms: { ...e.alarms, redisCpuPercent: -1 } }),
      'dev.alarms.redisCpuPercent',
    ],
    [
      'zero DynamoDB system errors (an alarm that is always on)',
      PROD,
      (e) => ({ ...e, alarms: { ...e.alarms, dynamoSystemErrors: 0 } }),
      'prod.alarms.dynamoSystemErrors',
    ],
    [
      'a fractional DynamoDB system-error count',
      DEV,
      (e) => ({ ...e, alarms: { ...e.alarms, dynamoSystemErrors: 1.5 } }),
      'dev.alarms.dynamoSystemErrors',
    ],
    [
      'zero Kinesis put failures',
      STAGING,
      (e) => ({ ...e, alarms: { ...e.alarms, kinesisPutFailedRecords: 0 } }),
      'staging.alarms.kinesisPutFailedRecords',
    ],
    [
      'a fractional Kinesis put-failure count',
      DEV,
      (e) => ({ ...e, alarms: { ...e.alarms, kinesisPutFailedRecords: 2.5 } }),
      'dev.alarms.kinesisPutFailedRecords',
    ],
    [
      'a Firehose delivery-success minimum above 1 (alarm always on)',
      DEV,
      (e) => ({ ...e, alarms: { ...e.alarms, firehoseDeliverySuccessMin: 1.01 } }),
      'dev.alarms.firehoseDeliverySuccessMin',
    ],
    [
      'a Firehose delivery-success minimum of 0 (alarm never fires)',
      PROD,
      (e) => ({ ...e, alarms: { ...e.alarms, firehoseDeliverySuccessMin: 0 } }),
      'prod.alarms.firehoseDeliverySuccessMin',
    ],
    [
      'a retention CloudWatch does not offer',
      DEV,
      (e) => ({ ...e, logRetentionDays: 10 }),
      'dev.logRetentionDays',
    ],
    [
      'expiry before the archive tier minimum',
      DEV,
      (e) => ({ ...e, analytics: { archiveAfterDays: 30, expireAfterDays: 60 } }),
      'dev.analytics.expireAfterDays',
    ],
    ['destroy outside dev', PROD, (e) => ({ ...e, removalPolicy: 'destroy' }), 'prod.removalPolicy'],
    [
      'an API burst below the rate',
      DEV,
      (e) => ({ ...e, api: { throttleRateLimit: 100, throttleBurstLimit: 50 } }),
      'dev.api.throttleBurstLimit',
    ],
    [
      "an API burst above API Gateway's account-level burst",
      PROD,
      (e) => ({ ...e, api: { throttleRateLimit: 2700, throttleBurstLimit: 5400 } }),
      'prod.api.throttleBurstLimit',
    ],
    [
      "an API rate above API Gateway's account-level rate",
      PROD,
      (e) => ({ ...e, api: { throttleRateLimit: 12_000, throttleBurstLimit: 12_000 } }),
      'prod.api.throttleRateLimit',
    ],
    [
      'a zero per-identity rate',
      DEV,
      (e) => ({ ...e, api: { ...e.api, perIdentityRate: 0 } }),
      'dev.api.perIdentityRate',
    ],
    [
      'a per-identity rate above the stage rate',
      DEV,
      (e) => ({ ...e, api: { ...e.api, perIdentityRate: 60 } }),
      'dev.api.perIdentityRate',
    ],
    [
      'a fractional per-identity burst',
      PROD,
      (e) => ({ ...e, api: { ...e.api, perIdentityBurst: 2.5 } }),
      'prod.api.perIdentityBurst',
    ],
    [
      'zero turn defects (an alarm that is always on)',
      PROD,
      (e) => ({ ...e, alarms: { ...e.alarms, turnDefects: 0 } }),
      'prod.alarms.turnDefects',
    ],
    [
      'a fractional channel-throttled count',
      DEV,
      (e) => ({ ...e, alarms: { ...e.alarms, channelThrottled: 0.5 } }),
      'dev.alarms.channelThrottled',
    ],
    [
      'a fractional rejected-event count',
      DEV,
      (e) => ({ ...e, alarms: { ...e.alarms, invalidEvents: 1.5 } }),
      'dev.alarms.invalidEvents',
    ],
    [
      'no conversations a day to price',
      DEV,
      (e) => ({ ...e, traffic: { conversationsPerDay: 0 } }),
      'dev.traffic.conversationsPerDay',
    ],
    [
      'a fractional number of conversations a day',
      PROD,
      (e) => ({ ...e, traffic: { conversationsPerDay: 1.5 } }),
      'prod.traffic.conversationsPerDay',
    ],
    [
      'a negative monthly budget',
      STAGING,
      (e) => ({ ...e, cost: { monthlyBudgetUsd: -1 } }),
      'staging.cost.monthlyBudgetUsd',
    ],
    [
      'a budget that is not a number',
      PROD,
      (e) => ({ ...e, cost: { monthlyBudgetUsd: NaN } }),
      'prod.cost.monthlyBudgetUsd',
    ],
    [
      'a helpful-rate floor above 1',
      STAGING,
      (e) => ({ ...e, alarms: { ...e.alarms, feedbackHelpfulRateMin: 1.5 } }),
      'staging.alarms.feedbackHelpfulRateMin',
    ],
    [
      'zero channel server errors',
      STAGING,
      (e) => ({ ...e, alarms: { ...e.alarms, channelServerErrors: 0 } }),
      'staging.alarms.channelServerErrors',
    ],
    [
      'a channel p99 duration of 0 ms',
      DEV,
      (e) => ({ ...e, alarms: { ...e.alarms, channelDurationP99Ms: 0 } }),
      'dev.alarms.channelDurationP99Ms',
    ],
    [
      'no alarm recipient in prod',
      PROD,
      (e) => ({ ...e, alarmNotifications: { emails: [] } }),
      'prod.alarmNotifications.emails',
    ],
    [
      'no alarm recipient in staging',
      STAGING,
      (e) => ({ ...e, alarmNotifications: { emails: [] } }),
      'staging.alarmNotifications.emails',
    ],
    [
      'an alarm e-mail that is not an address',
      DEV,
      (e) => ({ ...e, alarmNotifications: { emails: ['oncall'] } }),
      'dev.alarmNotifications.emails',
    ],
    [
      'the same alarm e-mail twice',
      PROD,
      (e) => ({ ...e, alarmNotifications: { emails: ['a@acme.io', 'a@acme.io'] } }),
      'prod.alarmNotifications.emails',
    ],
    [
      'an alarm endpoint over plain HTTP',
      PROD,
      (e) => ({ ...e, alarmNotifications: { emails: [], httpsEndpoint: 'http://hooks.acme.io/sns' } }),
      'prod.alarmNotifications.httpsEndpoint',
    ],
    [
      'a Slack workspace id in lower case',
      PROD,
      (e) => ({
        ...e,
        alarmNotifications: { emails: [], slack: { workspaceId: 't07abc', channelId: 'C07' } },
      }),
      'prod.alarmNotifications.slack.workspaceId',
    ],
    [
      'a Slack channel name for a channel id',
      PROD,
      (e) => ({
        ...e,
        alarmNotifications: { emails: [], slack: { workspaceId: 'T07ABC', channelId: '#alarms' } },
      }),
      'prod.alarmNotifications.slack.channelId',
    ],
    ...(
      [
        ['an embedding model that is not a model id', { embeddingModelId: 'Titan V2' }, 'embeddingModelId'],
        [
          'embedding dimensions Titan V2 does not offer',
          { embeddingDimensions: 1536 },
          'embeddingDimensions',
        ],
        [
          'a generation model given as an inference profile ARN',
          { generationModelId: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0' },
          'generationModelId',
        ],
        ['chunks of 10 tokens', { chunking: { maxTokens: 10, overlapPercentage: 10 } }, 'chunking.maxTokens'],
        [
          'a chunk overlap of 100 %',
          { chunking: { maxTokens: 512, overlapPercentage: 100 } },
          'chunking.overlapPercentage',
        ],
        ['every turn reaching the knowledge base (share 1)', { shareOfTurns: 1 }, 'shareOfTurns'],
        ['an answer budget leaving the turn no time', { timeoutMs: 9500 }, 'timeoutMs'],
        ['a no-answer alarm threshold of 0', { noAnswerRateMax: 0 }, 'noAnswerRateMax'],
        ['old document versions kept 0 days', { noncurrentVersionDays: 0 }, 'noncurrentVersionDays'],
      ] as const
    ).map(([what, knowledge, field]): [string, EnvironmentConfig, Patch, string] => [
      what,
      DEV,
      (e) => ({ ...e, knowledge: { ...e.knowledge, ...knowledge } }),
      `dev.knowledge.${field}`,
    ]),
    [
      'cross-Region inference in a Region without inference profiles',
      PROD,
      (e) => ({ ...e, region: 'ca-central-1' }),
      'prod.knowledge.crossRegionInference',
    ],
    [
      'a frame ancestor with a path',
      DEV,
      (e) => ({ ...e, web: { ...e.web, frameAncestors: ['https://www.example.com/shop'] } }),
      'dev.web.frameAncestors',
    ],
    [
      'a plain-http allowed origin',
      PROD,
      (e) => ({ ...e, web: { ...e.web, allowedOrigins: ['http://www.example.com'] } }),
      'prod.web.allowedOrigins',
    ],
    [
      'a repeated allowed origin',
      DEV,
      (e) => ({
        ...e,
        web: { ...e.web, allowedOrigins: ['https://a.example.com', 'https://a.example.com'] },
      }),
      'dev.web.allowedOrigins',
    ],
    [
      'a custom domain without its certificate',
      STAGING,
      (e) => ({ ...e, web: { ...e.web, customDomain: 'chat.example.com' } }),
      'staging.web.certificateArn',
    ],
    [
      'a certificate without its custom domain',
      STAGING,
      (e) => ({ ...e, web: { ...e.web, certificateArn: CERTIFICATE } }),
      'staging.web.customDomain',
    ],
    [
      'a custom domain with a scheme',
      PROD,
      (e) => ({
        ...e,
        web: { ...e.web, customDomain: 'https://chat.example.com', certificateArn: CERTIFICATE },
      }),
      'prod.web.customDomain',
    ],
    [
      'a certificate outside us-east-1',
      PROD,
      (e) => ({
        ...e,
        web: {
          ...e.web,
          customDomain: 'chat.example.com',
          certificateArn: CERTIFICATE.replace('us-east-1', 'eu-west-1'),
        },
      }),
      'prod.web.certificateArn',
    ],
    [
      'a WAF rate limit under the minimum',
      DEV,
      (e) => ({ ...e, web: { ...e.web, wafRateLimit: 9 } }),
      'dev.web.wafRateLimit',
    ],
    [
      'a locale without a welcome text',
      DEV,
      (e) => ({ ...e, web: { ...e.web, welcome: { ...e.web.welcome, es_US: ' ' } } }),
      'dev.web.welcome',
    ],
    [
      'a welcome text for a locale the bot lacks',
      DEV,
      (e) => ({
        ...e,
        web: { ...e.web, welcome: { ...e.web.welcome, fr_FR: 'Bonjour' } as typeof e.web.welcome },
      }),
      'dev.web.welcome',
    ],
  ];

  it.each(cases)(
    'GIVEN %s WHEN validated THEN it is rejected, naming the field',
    (_what, base, patch, field) => {
      // GIVEN a valid environment with one bad value WHEN validated
      const error = errorOf(() => validateEnvironment(patch(base)));
      // THEN the error names the field where the user sets it, on one line, in lowercase prose
      expect(error.field).toBe(field);
      expect(error.message.startsWith(`config error: ${describeField(field)} must `)).toBe(true);
      expect(error.message).not.toContain('\n');
    },
  );

  it('GIVEN a bad account WHEN validated THEN the error names its context key and environment variable, with the value it got', () => {
    expect(errorOf(() => validateEnvironment({ ...DEV, account: '12345' })).message).toBe(
      'config error: devAccount (CDK_DEV_ACCOUNT) must be a 12-digit AWS account id, got "12345"',
    );
    expect(errorOf(() => validateEnvironment({ ...PROD, region: 'Europe' })).message).toBe(
      'config error: prodRegion (CDK_PROD_REGION) must be an AWS region such as us-east-1, got "Europe"',
    );
  });

  it('GIVEN a bad value only environments.ts sets WHEN validated THEN the error names the file', () => {
    const error = errorOf(() => validateEnvironment({ ...DEV, redis: { ...DEV.redis, port: 80 } }));
    expect(error.message).toBe(
      'config error: dev.redis.port (lib/config/environments.ts) must be an integer in [1024, 65535], got 80',
    );
  });

  it("GIVEN a bad sandbox WHEN validated as the sandbox THEN the error names the sandbox's own settings", () => {
    expect(errorOf(() => validateEnvironment({ ...DEV, account: 'me' }, 'sandbox')).message).toBe(
      'config error: sandbox (CDK_SANDBOX_ACCOUNT) must be a 12-digit AWS account id, got "me"',
    );
    expect(errorOf(() => validateEnvironment({ ...DEV, region: 'x' }, 'sandbox')).message).toMatch(
      /^config error: sandboxRegion \(CDK_SANDBOX_REGION\) must /,
    );
  });

  it.each([
    ['an empty cost centre', { project: 'conversational-platform', costCentre: '' }, 'costCentre'],
    ['a cost centre with a comma', { project: 'conversational-platform', costCentre: 'CC,42' }, 'costCentre'],
    ['a cost centre over 256 characters', { project: 'p', costCentre: 'c'.repeat(257) }, 'costCentre'],
    [
      'a project with a trailing space',
      { project: 'conversational-platform ', costCentre: 'CC-42' },
      'project',
    ],
    ['no cost allocation at all', undefined, 'project'],
  ])(
    'GIVEN %s WHEN validated THEN the cost-allocation field is named in environments.ts',
    (_what, costAllocation, key) => {
      const error = errorOf(() => validateEnvironment({ ...STAGING, costAllocation } as EnvironmentConfig));
      expect(error.field).toBe(`staging.costAllocation.${key}`);
      expect(error.message).toMatch(
        new RegExp(
          `^config error: staging\\.costAllocation\\.${key} \\(lib/config/environments\\.ts\\) must be a tag value: `,
        ),
      );
    },
  );

  it('GIVEN a cost centre of letters, digits, spaces and the characters AWS allows WHEN validated THEN it is accepted', () => {
    const env = {
      ...PROD,
      costAllocation: { project: 'Plataforma Conversacional', costCentre: 'CC-4711/ops:eu+1@x=y_z.ñ' },
    };
    expect(validateEnvironment(env)).toBe(env);
  });

  it('GIVEN a value with a line break WHEN validated THEN the error keeps it on one line', () => {
    const message = errorOf(() => validateEnvironment({ ...DEV, account: '1234\n5678' })).message;
    expect(message).toBe(
      'config error: devAccount (CDK_DEV_ACCOUNT) must be a 12-digit AWS account id, got "1234\\n5678"',
    );
  });

  it('GIVEN the edges of the new alarm thresholds (counts of 1, a delivery-success minimum of 1 or just above 0) WHEN validated THEN they are accepted', () => {
    for (const alarms of [
      { ...DEV.alarms, dynamoSystemErrors: 1, kinesisPutFailedRecords: 1, firehoseDeliverySuccessMin: 1 },
      {
        ...DEV.alarms,
        dynamoSystemErrors: 10,
        kinesisPutFailedRecords: 50,
        firehoseDeliverySuccessMin: 0.01,
      },
    ]) {
      const env = { ...DEV, alarms };
      expect(validateEnvironment(env)).toBe(env);
    }
  });

  it('GIVEN no alarm recipient WHEN validated THEN one is required outside dev, in one line naming where to set one', () => {
    expect(errorOf(() => validateEnvironment({ ...PROD, alarmNotifications: { emails: [] } })).message).toBe(
      'config error: prodAlarmEmail (CDK_PROD_ALARM_EMAIL) must name at least one alarm recipient outside dev ' +
        '(or set prodAlarmEndpoint (CDK_PROD_ALARM_ENDPOINT) to an https:// URL, or ' +
        'prod.alarmNotifications.slack in lib/config/environments.ts)',
    );
    expect(DEV.alarmNotifications).toEqual({ emails: [] });
    expect(validateEnvironment(DEV)).toBe(DEV);
  });

  it('GIVEN any one kind of recipient in prod (an e-mail, an HTTPS endpoint or a Slack channel) WHEN validated THEN it is accepted', () => {
    for (const alarmNotifications of [
      { emails: ['oncall@acme.io', 'platform@acme.io'] },
      { emails: [], httpsEndpoint: 'https://events.pagerduty.com/integration/abc/enqueue' },
      { emails: [], slack: { workspaceId: 'T07ABCDEF12', channelId: 'C07ABCDEF12' } },
    ]) {
      const env = { ...PROD, alarmNotifications };
      expect(validateEnvironment(env)).toBe(env);
    }
  });

  it('GIVEN configured zone names of the region WHEN validated THEN they are accepted', () => {
    const env = { ...DEV, network: { ...DEV.network, availabilityZones: ['us-east-1b', 'us-east-1d'] } };
    expect(validateEnvironment(env)).toBe(env);
  });

  it('GIVEN a custom domain with its us-east-1 certificate and embedding origins WHEN validated THEN they are accepted, and a half-set pair is one line naming the missing one', () => {
    const web = {
      ...PROD.web,
      customDomain: 'chat.example.com',
      certificateArn: CERTIFICATE,
      frameAncestors: ['https://www.example.com', 'https://shop.example.com:8443'],
      allowedOrigins: ['https://app.example.com'],
    };
    expect(validateEnvironment({ ...PROD, web }).web).toBe(web);
    expect(
      errorOf(() => validateEnvironment({ ...PROD, web: { ...web, certificateArn: undefined } })).message,
    ).toBe(
      'config error: prodWebCertificateArn (CDK_PROD_WEB_CERTIFICATE_ARN) must be set together with web.customDomain ' +
        '(a custom domain needs its certificate, and a certificate its domain), or neither',
    );
    expect(
      errorOf(() =>
        validateEnvironment({
          ...PROD,
          web: { ...web, certificateArn: CERTIFICATE.replace('us-east-1', 'eu-west-1') },
        }),
      ).message,
    ).toContain('must be an ACM certificate ARN in us-east-1 (CloudFront uses no other region)');
  });

  it('GIVEN a single-node, destroyable dev WHEN validated THEN it is allowed', () => {
    expect(DEV.redis.multiAz).toBe(false);
    expect(DEV.removalPolicy).toBe('destroy');
    expect(() => validateEnvironment(DEV)).not.toThrow();
  });
});

describe('validatePipeline and validateConfig', () => {
  it('GIVEN the documented defaults WHEN validated THEN they are accepted', () => {
    expect(validateConfig(DEFAULT_CONFIG)).toBe(DEFAULT_CONFIG);
  });

  it.each([
    ['pipeline.account', 'pipelineAccount (CDK_PIPELINE_ACCOUNT)', { ...PIPELINE, account: '44' }],
    ['pipeline.region', 'pipelineRegion (CDK_PIPELINE_REGION)', { ...PIPELINE, region: 'moon' }],
    [
      'pipeline.connectionArn',
      'connectionArn (PIPELINE_CONNECTION_ARN)',
      { ...PIPELINE, connectionArn: 'arn:aws:s3:::bucket' },
    ],
    ['pipeline.repository', 'repository (PIPELINE_REPOSITORY)', { ...PIPELINE, repository: 'no-owner' }],
    ['pipeline.branch', 'branch (PIPELINE_BRANCH)', { ...PIPELINE, branch: '' }],
    [
      'pipeline.notificationEmail',
      'notificationEmail (PIPELINE_NOTIFICATION_EMAIL)',
      { ...PIPELINE, notificationEmail: 'ops at example.com' },
    ],
    [
      'pipeline.costAllocation.costCentre',
      'pipeline.costAllocation.costCentre (lib/config/environments.ts)',
      { ...PIPELINE, costAllocation: { ...PIPELINE.costAllocation, costCentre: '#tooling' } },
    ],
  ])('GIVEN a bad %s WHEN validated THEN it is rejected, named as %s', (field, named, pipeline) => {
    const error = errorOf(() => validatePipeline(pipeline));
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`config error: ${named} must `)).toBe(true);
  });

  it('GIVEN an approver e-mail address WHEN validated THEN it is accepted', () => {
    const pipeline = { ...PIPELINE, notificationEmail: 'platform-team@example.com' };
    expect(validatePipeline(pipeline)).toBe(pipeline);
  });

  it('GIVEN two environments in one account WHEN validated THEN they are rejected, naming both settings', () => {
    const config: AppConfig = {
      ...DEFAULT_CONFIG,
      environments: { ...DEFAULT_CONFIG.environments, staging: { ...STAGING, account: DEV.account } },
    };
    const error = errorOf(() => validateConfig(config));
    expect(error.field).toBe('environments.*.account');
    expect(error.message).toBe(
      'config error: devAccount and stagingAccount (CDK_DEV_ACCOUNT, CDK_STAGING_ACCOUNT) must be different ' +
        'accounts (dev, staging and prod each have their own), both are "111111111111"',
    );
  });

  it('GIVEN the config settings WHEN listed THEN each is there once, with a distinct context key and environment variable', () => {
    for (const key of ['field', 'contextKey', 'envVar'] as const) {
      const values = CONFIG_SETTINGS.map((s) => s[key]);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it("GIVEN docs/deployment.md's context table WHEN read THEN it documents every setting's context key and environment variable", () => {
    const doc = readFileSync(repoPath('docs', 'deployment.md'), 'utf8');
    const table = doc.split('\n').filter((line) => line.startsWith('| `'));
    for (const { contextKey, envVar } of CONFIG_SETTINGS) {
      const row = table.find((line) => line.includes(`\`${contextKey}\``));
      expect({ contextKey, envVar, documented: row?.includes(`\`${envVar}\``) }).toEqual({
        contextKey,
        envVar,
        documented: true,
      });
    }
  });

  it('GIVEN a bad value in prod WHEN the config is validated THEN every environment is validated, not just the first', () => {
    const config: AppConfig = {
      ...DEFAULT_CONFIG,
      environments: {
        ...DEFAULT_CONFIG.environments,
        prod: { ...PROD, dynamodb: { ...PROD.dynamodb, ttlDays: 0 } },
      },
    };
    expect(errorOf(() => validateConfig(config)).field).toBe('prod.dynamodb.ttlDays');
  });
});

describe('validateEnvironment: tickets and orders', () => {
  const secret = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:orders-api-AbCdEf';
  const privateLink: Patch = (e) => ({
    ...e,
    orders: {
      source: 'privatelink',
      url: 'https://orders.internal.example.com/v2',
      secretArn: secret,
      timeoutMs: 1200,
      privateLink: {
        serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0',
        privateDns: true,
      },
    },
  });
  const nat: Patch = (e) => ({
    ...e,
    orders: {
      source: 'nat',
      url: 'https://orders.example.com',
      secretArn: secret,
      timeoutMs: 1200,
      nat: { acknowledged: true },
    },
  });
  const tickets =
    (patch: Partial<EnvironmentConfig['tickets']>): Patch =>
    (e) => ({ ...e, tickets: { ...e.tickets, ...patch } });
  const webhook = (patch: Partial<EnvironmentConfig['tickets']['webhook']>): Patch =>
    tickets({ webhook: { ...DEV.tickets.webhook, ...patch } });

  it.each([
    ['a privatelink order source', privateLink],
    ['an acknowledged nat order source', nat],
    [
      'an enabled webhook with its endpoint and secret',
      webhook({ enabled: true, endpoint: 'https://desk.example.com/hooks/tickets', secretArn: secret }),
    ],
    ['a desk role ARN', tickets({ deskPrincipal: 'arn:aws:iam::999999999999:role/support-desk' })],
    ['a desk account', tickets({ deskPrincipal: '999999999999' })],
  ])('GIVEN %s WHEN validated THEN it is accepted', (_what, patch) => {
    expect(() => validateEnvironment(patch(DEV))).not.toThrow();
  });

  const cases: Array<[string, Patch, string, string]> = [
    [
      'a visibility timeout under 6x the worker timeout',
      tickets({ visibilityTimeoutSeconds: 59 }),
      'dev.tickets.visibilityTimeoutSeconds',
      'at least 6 x tickets.workerTimeoutSeconds (60',
    ],
    ['zero receives', tickets({ maxReceives: 0 }), 'dev.tickets.maxReceives', 'integer in [1, 1000]'],
    ['15 days of retention', tickets({ retentionDays: 15 }), 'dev.tickets.retentionDays', '[1, 14]'],
    [
      'a batch of 11 without a window',
      tickets({ batchSize: 11, maxBatchingWindowSeconds: 0 }),
      'dev.tickets.batchSize',
      '[1, 10]',
    ],
    [
      'a worker concurrency of 1 (SQS maximum concurrency starts at 2)',
      tickets({ workerMaxConcurrency: 1 }),
      'dev.tickets.workerMaxConcurrency',
      '[2, 1000]',
    ],
    [
      'desk hours missing a locale',
      tickets({ supportDesk: { ...DEV.tickets.supportDesk, hours: { en_US: '9-5' } as never } }),
      'dev.tickets.supportDesk.hours.es_US',
      'non-empty text',
    ],
    [
      'a desk principal that is a user ARN',
      tickets({ deskPrincipal: 'arn:aws:iam::999999999999:user/bob' }),
      'dev.tickets.deskPrincipal',
      'account id or an IAM role ARN',
    ],
    [
      'an enabled webhook without an endpoint',
      webhook({ enabled: true, secretArn: secret }),
      'dev.tickets.webhook.endpoint',
      'https:// URL when tickets.webhook.enabled',
    ],
    [
      'an enabled webhook over http',
      webhook({ enabled: true, endpoint: 'http://desk.example.com/hook', secretArn: secret }),
      'dev.tickets.webhook.endpoint',
      'https:// URL',
    ],
    [
      'an enabled webhook without its secret',
      webhook({ enabled: true, endpoint: 'https://desk.example.com/hook' }),
      'dev.tickets.webhook.secretArn',
      'Secrets Manager secret ARN',
    ],
    [
      'an unknown order source',
      (e) => ({ ...e, orders: { ...e.orders, source: 'internet' as never } }),
      'dev.orders.source',
      "'sample', 'privatelink' or 'nat'",
    ],
    [
      'an order source over http',
      (e) => {
        const p = privateLink(e);
        return { ...p, orders: { ...p.orders, url: 'http://orders.example.com' } };
      },
      'dev.orders.url',
      'https:// URL',
    ],
    [
      'an order source without its secret',
      (e) => {
        const p = nat(e);
        return { ...p, orders: { ...p.orders, secretArn: undefined } };
      },
      'dev.orders.secretArn',
      'Secrets Manager secret ARN',
    ],
    [
      'a privatelink source without a service name',
      (e) => {
        const p = privateLink(e);
        return { ...p, orders: { ...p.orders, privateLink: undefined } };
      },
      'dev.orders.privateLink.serviceName',
      'VPC endpoint service name',
    ],
    [
      'a nat source not acknowledged',
      (e) => {
        const p = nat(e);
        return { ...p, orders: { ...p.orders, nat: { acknowledged: false } } };
      },
      'dev.orders.nat.acknowledged',
      'must be true',
    ],
    [
      'a nat source in a VPC that already has NAT for every subnet',
      (e) => nat({ ...e, network: { ...e.network, natGateways: 1 } }),
      'dev.network.natGateways',
      "must be 0 when orders.source is 'nat'",
    ],
    [
      'a timeout beyond the turn budget',
      (e) => ({ ...e, orders: { ...e.orders, timeoutMs: 5000 } }),
      'dev.orders.timeoutMs',
      '[100, 3000]',
    ],
    [
      'a sample source with a NAT setting',
      (e) => ({ ...e, orders: { ...e.orders, nat: { acknowledged: true } } }),
      'dev.orders.nat',
      "unset when orders.source is 'sample'",
    ],
  ];

  it.each(cases)('GIVEN %s WHEN validated THEN one line names the field', (_what, patch, field, text) => {
    // GIVEN dev with one bad tickets/orders value WHEN validated
    const error = errorOf(() => validateEnvironment(patch(DEV)));
    // THEN the error names that field, on one line, saying what is expected
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`config error: ${describeField(field)} must `)).toBe(true);
    expect(error.message).toContain(text);
    expect(error.message).not.toContain('\n');
  });
});
