import { LOCALES } from '../../contracts/bot-model/types';
import { inferenceGeography } from './bedrock-models';
import { API_GATEWAY_ACCOUNT_QUOTAS } from './capacity/quotas';
import {
  AppConfig,
  CostAllocationConfig,
  ENVIRONMENT_NAMES,
  EnvironmentConfig,
  PipelineConfig,
} from './types';

/** A value the user sets: its field in the config, its context key (cdk.json or `-c`) and environment variable. */
export interface ConfigSetting {
  /** Path in the config, e.g. `dev.account`, `pipeline.repository`, `sandbox.account`. */
  readonly field: string;
  readonly contextKey: string;
  readonly envVar: string;
}

/**
 * Every setting read from context or the environment (the environment wins): `load.ts` reads the
 * first ones, `lib/pipeline/sandbox.ts` the sandbox's. Any other plain context key is refused.
 */
export const CONFIG_SETTINGS: readonly ConfigSetting[] = [
  ...ENVIRONMENT_NAMES.flatMap((name) => [
    { field: `${name}.account`, contextKey: `${name}Account`, envVar: `CDK_${name.toUpperCase()}_ACCOUNT` },
    { field: `${name}.region`, contextKey: `${name}Region`, envVar: `CDK_${name.toUpperCase()}_REGION` },
  ]),
  // Alarm recipients: comma-separated e-mail addresses, and an HTTPS endpoint.
  ...ENVIRONMENT_NAMES.flatMap((name) => [
    {
      field: `${name}.alarmNotifications.emails`,
      contextKey: `${name}AlarmEmail`,
      envVar: `CDK_${name.toUpperCase()}_ALARM_EMAIL`,
    },
    {
      field: `${name}.alarmNotifications.httpsEndpoint`,
      contextKey: `${name}AlarmEndpoint`,
      envVar: `CDK_${name.toUpperCase()}_ALARM_ENDPOINT`,
    },
  ]),
  // The web chat's site-specific values: the custom domain and its certificate, and the origins
  // (comma-separated) that may frame the chat or call the API.
  ...ENVIRONMENT_NAMES.flatMap((name) => {
    const NAME = name.toUpperCase();
    return [
      { field: `${name}.web.customDomain`, contextKey: `${name}WebDomain`, envVar: `CDK_${NAME}_WEB_DOMAIN` },
      {
        field: `${name}.web.certificateArn`,
        contextKey: `${name}WebCertificateArn`,
        envVar: `CDK_${NAME}_WEB_CERTIFICATE_ARN`,
      },
      {
        field: `${name}.web.frameAncestors`,
        contextKey: `${name}WebFrameAncestors`,
        envVar: `CDK_${NAME}_WEB_FRAME_ANCESTORS`,
      },
      {
        field: `${name}.web.allowedOrigins`,
        contextKey: `${name}WebAllowedOrigins`,
        envVar: `CDK_${NAME}_WEB_ALLOWED_ORIGINS`,
      },
    ];
  }),
  { field: 'pipeline.account', contextKey: 'pipelineAccount', envVar: 'CDK_PIPELINE_ACCOUNT' },
  { field: 'pipeline.region', contextKey: 'pipelineRegion', envVar: 'CDK_PIPELINE_REGION' },
  { field: 'pipeline.connectionArn', contextKey: 'connectionArn', envVar: 'PIPELINE_CONNECTION_ARN' },
  { field: 'pipeline.repository', contextKey: 'repository', envVar: 'PIPELINE_REPOSITORY' },
  { field: 'pipeline.branch', contextKey: 'branch', envVar: 'PIPELINE_BRANCH' },
  {
    field: 'pipeline.notificationEmail',
    contextKey: 'notificationEmail',
    envVar: 'PIPELINE_NOTIFICATION_EMAIL',
  },
  { field: 'sandbox.account', contextKey: 'sandbox', envVar: 'CDK_SANDBOX_ACCOUNT' },
  { field: 'sandbox.region', contextKey: 'sandboxRegion', envVar: 'CDK_SANDBOX_REGION' },
];

/**
 * How a message names a field: by what the user sets (`devAccount (CDK_DEV_ACCOUNT)`), or, for the
 * sizing that only `lib/config/environments.ts` sets, by its path there.
 */
export function describeField(field: string): string {
  const setting = CONFIG_SETTINGS.find((s) => s.field === field);
  return setting ? `${setting.contextKey} (${setting.envVar})` : `${field} (lib/config/environments.ts)`;
}

/**
 * A configuration the app cannot use. The message is one line, starting `config error:` and
 * naming what to change, e.g.
 * `config error: devAccount (CDK_DEV_ACCOUNT) must be a 12-digit AWS account id, got "12345"`.
 * bin/app.ts prints it alone (no stack trace) and exits 1.
 */
export class ConfigError extends Error {
  constructor(
    /** Path of the bad value in the config (`dev.account`), or `context` for an unknown context key. */
    readonly field: string,
    /** What is wrong, starting with `must` (or the whole sentence when `subject` is given). */
    readonly problem: string,
    /** What the message names first. @default describeField(field) */
    subject: string = describeField(field),
  ) {
    super(`config error: ${subject} ${problem}`.replace(/\s*\n\s*/g, ' '));
    this.name = 'ConfigError';
  }
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const LOG_RETENTION_DAYS = new Set([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]);

/** A value as the message shows it: in double quotes, escaped (a stray newline stays on the line). */
const quote = (value: string): string => JSON.stringify(value);

function check(condition: boolean, field: string, message: string): void {
  if (!condition) throw new ConfigError(field, message);
}

function checkInt(value: number, field: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  check(
    Number.isInteger(value) && value >= min && value <= max,
    field,
    `must be an integer in [${min}, ${max}], got ${value}`,
  );
}

function checkRatio(value: number, field: string): void {
  check(
    Number.isFinite(value) && value > 0 && value < 1,
    field,
    `must be between 0 and 1 (exclusive), got ${value}`,
  );
}

/** Prefixes a field with the environment's name, for the error message. */
type Field = (field: string) => string;

/** The account, the Region and the VPC layout. */
function validateNetwork(env: EnvironmentConfig, f: Field): void {
  check(
    ACCOUNT.test(env.account),
    f('account'),
    `must be a 12-digit AWS account id, got ${quote(env.account)}`,
  );
  check(
    REGION.test(env.region),
    f('region'),
    `must be an AWS region such as us-east-1, got ${quote(env.region)}`,
  );
  checkInt(env.network.maxAzs, f('network.maxAzs'), 2, 6);
  checkInt(env.network.natGateways, f('network.natGateways'), 0, env.network.maxAzs);
  const zones = env.network.availabilityZones;
  if (zones !== undefined) {
    check(
      zones.length === env.network.maxAzs && new Set(zones).size === zones.length,
      f('network.availabilityZones'),
      `must name exactly network.maxAzs (${env.network.maxAzs}) distinct zones, got ${zones.length}`,
    );
    for (const zone of zones) {
      check(
        new RegExp(`^${env.region}[a-z]$`).test(zone),
        f('network.availabilityZones'),
        `must be zones of ${env.region} such as ${env.region}a, got ${quote(zone)}`,
      );
    }
  }
}

/** The Redis replication group and the sessions it holds. */
function validateRedis(env: EnvironmentConfig, f: Field): void {
  check(
    /^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(env.redis.nodeType),
    f('redis.nodeType'),
    `must look like cache.r7g.large, got ${quote(env.redis.nodeType)}`,
  );
  checkInt(env.redis.replicasPerNodeGroup, f('redis.replicasPerNodeGroup'), 0, 5);
  check(
    !env.redis.multiAz || env.redis.replicasPerNodeGroup >= 1,
    f('redis.replicasPerNodeGroup'),
    'must be >= 1 when redis.multiAz is true (failover needs a replica)',
  );
  check(
    env.name === 'dev' || env.redis.multiAz,
    f('redis.multiAz'),
    'must be true outside dev (staging and prod run Multi-AZ with automatic failover)',
  );
  checkInt(env.redis.snapshotRetentionDays, f('redis.snapshotRetentionDays'), 0, 35);
  checkInt(env.redis.port, f('redis.port'), 1024, 65535);
  checkInt(env.redis.sessionTtlSeconds, f('redis.sessionTtlSeconds'), 60, 86_400);
}

/** The DynamoDB context table and the Kinesis stream. */
function validateStorage(env: EnvironmentConfig, f: Field): void {
  check(
    Number.isInteger(env.dynamodb.ttlDays) && env.dynamodb.ttlDays > 0,
    f('dynamodb.ttlDays'),
    `must be a positive integer, got ${env.dynamodb.ttlDays}`,
  );
  if (env.kinesis.mode === 'PROVISIONED') {
    checkInt(env.kinesis.shardCount ?? NaN, f('kinesis.shardCount'), 1, 10_000);
  } else {
    check(
      env.kinesis.shardCount === undefined,
      f('kinesis.shardCount'),
      'must be unset when kinesis.mode is ON_DEMAND',
    );
  }
  checkInt(env.kinesis.retentionHours, f('kinesis.retentionHours'), 24, 8760);
}

/** The Lambda functions, the bot and the channel API. */
function validateCompute(env: EnvironmentConfig, f: Field): void {
  checkInt(env.lambda.memoryMb, f('lambda.memoryMb'), 128, 10_240);
  checkInt(env.lambda.reservedConcurrency, f('lambda.reservedConcurrency'), 1, 10_000);
  checkInt(env.lambda.timeoutSeconds, f('lambda.timeoutSeconds'), 1, 30);
  checkRatio(env.bot.nluConfidenceThreshold, f('bot.nluConfidenceThreshold'));
  checkInt(env.bot.idleSessionTtlSeconds, f('bot.idleSessionTtlSeconds'), 60, 86_400);
  check(env.api.throttleRateLimit > 0, f('api.throttleRateLimit'), 'must be positive');
  check(
    env.api.throttleBurstLimit >= env.api.throttleRateLimit,
    f('api.throttleBurstLimit'),
    'must be >= api.throttleRateLimit',
  );
  if (env.api.perIdentityRate !== undefined) {
    const rate = env.api.perIdentityRate;
    check(
      Number.isFinite(rate) && rate > 0 && rate <= env.api.throttleRateLimit,
      f('api.perIdentityRate'),
      `must be positive and at most api.throttleRateLimit (${env.api.throttleRateLimit}), got ${rate}`,
    );
  }
  if (env.api.perIdentityBurst !== undefined) {
    checkInt(env.api.perIdentityBurst, f('api.perIdentityBurst'), 1, 1000);
  }
  const account = API_GATEWAY_ACCOUNT_QUOTAS;
  const raise =
    'request the increase, then raise API_GATEWAY_ACCOUNT_QUOTAS in lib/config/capacity/quotas.ts';
  check(
    env.api.throttleRateLimit <= account.requestsPerSecond,
    f('api.throttleRateLimit'),
    `must be at most ${account.requestsPerSecond} (API Gateway's account-level rate in a Region; ${raise}), got ${env.api.throttleRateLimit}`,
  );
  check(
    env.api.throttleBurstLimit <= account.burst,
    f('api.throttleBurstLimit'),
    `must be at most ${account.burst} (API Gateway's account-level burst in a Region caps every stage's; ${raise}), got ${env.api.throttleBurstLimit}`,
  );
}

/** Alarm thresholds: ratios in range, counts at least 1, everything positive. */
function validateAlarms(env: EnvironmentConfig, f: Field): void {
  checkRatio(env.alarms.intentRecognitionRateMin, f('alarms.intentRecognitionRateMin'));
  checkRatio(env.alarms.feedbackHelpfulRateMin, f('alarms.feedbackHelpfulRateMin'));
  checkInt(env.alarms.dynamoSystemErrors, f('alarms.dynamoSystemErrors'), 1);
  checkInt(env.alarms.kinesisPutFailedRecords, f('alarms.kinesisPutFailedRecords'), 1);
  for (const count of ['turnDefects', 'invalidEvents', 'channelThrottled', 'channelServerErrors'] as const) {
    checkInt(env.alarms[count], f(`alarms.${count}`), 1);
  }
  check(
    Number.isFinite(env.alarms.firehoseDeliverySuccessMin) &&
      env.alarms.firehoseDeliverySuccessMin > 0 &&
      env.alarms.firehoseDeliverySuccessMin <= 1,
    f('alarms.firehoseDeliverySuccessMin'),
    `must be in (0, 1] (share of deliveries that succeeded), got ${env.alarms.firehoseDeliverySuccessMin}`,
  );
  for (const [key, value] of Object.entries(env.alarms)) {
    check(Number.isFinite(value) && value > 0, f(`alarms.${key}`), `must be a positive number, got ${value}`);
  }
}

const EMAIL = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;

/** Who hears the alarms: well-formed recipients, and at least one outside dev. */
function validateAlarmNotifications(env: EnvironmentConfig, f: Field): void {
  const { emails, httpsEndpoint, slack } = env.alarmNotifications;
  for (const email of emails) {
    check(EMAIL.test(email), f('alarmNotifications.emails'), `must be e-mail addresses, got ${quote(email)}`);
  }
  check(
    new Set(emails).size === emails.length,
    f('alarmNotifications.emails'),
    `must not repeat an address, got ${quote(emails.join(','))}`,
  );
  if (httpsEndpoint !== undefined) {
    check(
      /^https:\/\/[^\s/?#]+\.[^\s/?#]+(\/\S*)?$/.test(httpsEndpoint),
      f('alarmNotifications.httpsEndpoint'),
      `must be an https:// URL, got ${quote(httpsEndpoint)}`,
    );
  }
  if (slack !== undefined) {
    check(
      /^[0-9A-Z]{1,255}$/.test(slack.workspaceId),
      f('alarmNotifications.slack.workspaceId'),
      `must be a Slack workspace id such as T07ABCDEF12, got ${quote(slack.workspaceId)}`,
    );
    check(
      /^[A-Za-z0-9]{1,255}$/.test(slack.channelId),
      f('alarmNotifications.slack.channelId'),
      `must be a Slack channel id such as C07ABCDEF12, got ${quote(slack.channelId)}`,
    );
  }
  const recipients = emails.length + (httpsEndpoint === undefined ? 0 : 1) + (slack === undefined ? 0 : 1);
  check(
    env.name === 'dev' || recipients > 0,
    f('alarmNotifications.emails'),
    `must name at least one alarm recipient outside dev (or set ${describeField(f('alarmNotifications.httpsEndpoint'))} ` +
      `to an https:// URL, or ${f('alarmNotifications.slack')} in lib/config/environments.ts)`,
  );
}

/** Bedrock model ids, as the Bedrock API writes them (provider.model-version[:n]). */
const BEDROCK_MODEL_ID = /^[a-z0-9-]+\.[a-z0-9.-]+(:\d+)?$/;

/** The knowledge base, its models and its budget (docs/decisions/knowledge-base.md). */
function validateKnowledge(env: EnvironmentConfig, f: Field): void {
  const k = env.knowledge;
  check(
    BEDROCK_MODEL_ID.test(k.embeddingModelId),
    f('knowledge.embeddingModelId'),
    `must be a Bedrock model id such as amazon.titan-embed-text-v2:0, got ${quote(k.embeddingModelId)}`,
  );
  check(
    [256, 512, 1024].includes(k.embeddingDimensions),
    f('knowledge.embeddingDimensions'),
    `must be 256, 512 or 1024 (Titan Text Embeddings V2), got ${k.embeddingDimensions}`,
  );
  check(
    BEDROCK_MODEL_ID.test(k.generationModelId),
    f('knowledge.generationModelId'),
    `must be a Bedrock foundation model id such as amazon.nova-lite-v1:0 (the inference profile prefix comes from knowledge.crossRegionInference), got ${quote(k.generationModelId)}`,
  );
  check(
    !k.crossRegionInference || inferenceGeography(env.region) !== undefined,
    f('knowledge.crossRegionInference'),
    `must be false in ${env.region}: cross-Region inference profiles exist for us-, eu- and ap- Regions only`,
  );
  checkInt(k.chunking.maxTokens, f('knowledge.chunking.maxTokens'), 20, 8192);
  checkInt(k.chunking.overlapPercentage, f('knowledge.chunking.overlapPercentage'), 1, 99);
  checkRatio(k.shareOfTurns, f('knowledge.shareOfTurns'));
  // The turn's other calls (sessions, context, events) need the rest of the Lambda's time.
  checkInt(k.timeoutMs, f('knowledge.timeoutMs'), 500, env.lambda.timeoutSeconds * 1000 - 2000);
  checkRatio(k.noAnswerRateMax, f('knowledge.noAnswerRateMax'));
  checkInt(k.noncurrentVersionDays, f('knowledge.noncurrentVersionDays'), 1, 3650);
}

/** Retention of logs and analytics, the removal policy and the load-test workers. */
function validateLifecycle(env: EnvironmentConfig, f: Field): void {
  check(
    LOG_RETENTION_DAYS.has(env.logRetentionDays),
    f('logRetentionDays'),
    `must be one of CloudWatch's retention values (${[...LOG_RETENTION_DAYS].join(', ')}), got ${env.logRetentionDays}`,
  );
  checkInt(env.analytics.archiveAfterDays, f('analytics.archiveAfterDays'), 30);
  check(
    env.analytics.expireAfterDays >= env.analytics.archiveAfterDays + 90,
    f('analytics.expireAfterDays'),
    'must be at least 90 days after analytics.archiveAfterDays (Glacier minimum storage)',
  );
  check(
    env.name === 'dev' || env.removalPolicy === 'retain',
    f('removalPolicy'),
    "must be 'retain' outside dev",
  );
  checkInt(env.loadTest.workers, f('loadTest.workers'), 0, 100);
}

/** The traffic the cost model prices and the monthly budget it is compared with. */
function validateTrafficAndCost(env: EnvironmentConfig, f: Field): void {
  checkInt(env.traffic.conversationsPerDay, f('traffic.conversationsPerDay'), 1, 1_000_000_000);
  check(
    Number.isFinite(env.cost.monthlyBudgetUsd) && env.cost.monthlyBudgetUsd > 0,
    f('cost.monthlyBudgetUsd'),
    `must be a positive number of US dollars, got ${env.cost.monthlyBudgetUsd}`,
  );
}

const HTTPS_URL = /^https:\/\/[^\s/?#:]+\.[^\s/?#:]+(:\d{1,5})?(\/[^\s]*)?$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const ENDPOINT_SERVICE = /^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]{8,17}$/;

/** The queue, the worker, the support desk and the webhook example. */
function validateTickets(env: EnvironmentConfig, f: Field): void {
  const t = env.tickets;
  checkInt(t.maxReceives, f('tickets.maxReceives'), 1, 1000);
  checkInt(t.workerTimeoutSeconds, f('tickets.workerTimeoutSeconds'), 1, 900);
  checkInt(t.visibilityTimeoutSeconds, f('tickets.visibilityTimeoutSeconds'), 0, 43_200);
  check(
    t.visibilityTimeoutSeconds >= 6 * t.workerTimeoutSeconds,
    f('tickets.visibilityTimeoutSeconds'),
    `must be at least 6 x tickets.workerTimeoutSeconds (${6 * t.workerTimeoutSeconds}: AWS's guidance for a Lambda event source), got ${t.visibilityTimeoutSeconds}`,
  );
  checkInt(t.retentionDays, f('tickets.retentionDays'), 1, 14);
  checkInt(t.maxBatchingWindowSeconds, f('tickets.maxBatchingWindowSeconds'), 0, 300);
  checkInt(t.batchSize, f('tickets.batchSize'), 1, t.maxBatchingWindowSeconds > 0 ? 10_000 : 10);
  checkInt(t.workerMaxConcurrency, f('tickets.workerMaxConcurrency'), 2, 1000);
  checkInt(t.oldestMessageAlarmSeconds, f('tickets.oldestMessageAlarmSeconds'), 60, t.retentionDays * 86_400);
  checkInt(t.supportDesk.firstResponseHours, f('tickets.supportDesk.firstResponseHours'), 1, 720);
  for (const [key, texts] of [
    ['hours', t.supportDesk.hours],
    ['contact', t.supportDesk.contact],
  ] as const) {
    if (texts === undefined) continue;
    for (const locale of LOCALES) {
      const text = texts[locale];
      check(
        typeof text === 'string' && text.trim().length > 0 && text.length <= 200,
        f(`tickets.supportDesk.${key}.${locale}`),
        `must be a non-empty text of at most 200 characters, got ${quote(String(text))}`,
      );
    }
  }
  if (t.deskPrincipal !== undefined) {
    check(
      ACCOUNT.test(t.deskPrincipal) || ROLE_ARN.test(t.deskPrincipal),
      f('tickets.deskPrincipal'),
      `must be a 12-digit account id or an IAM role ARN, got ${quote(t.deskPrincipal)}`,
    );
  }
  validateWebhook(env, f);
}

/** The EventBridge API destination example: off, or an https endpoint and its secret. */
function validateWebhook(env: EnvironmentConfig, f: Field): void {
  const { enabled, endpoint, secretArn, rateLimitPerSecond } = env.tickets.webhook;
  if (!enabled) return;
  check(
    endpoint !== undefined && HTTPS_URL.test(endpoint),
    f('tickets.webhook.endpoint'),
    `must be an https:// URL when tickets.webhook.enabled is true, got ${quote(String(endpoint))}`,
  );
  check(
    secretArn !== undefined && SECRET_ARN.test(secretArn),
    f('tickets.webhook.secretArn'),
    `must be a Secrets Manager secret ARN when tickets.webhook.enabled is true, got ${quote(String(secretArn))}`,
  );
  if (rateLimitPerSecond !== undefined)
    checkInt(rateLimitPerSecond, f('tickets.webhook.rateLimitPerSecond'), 1, 300);
}

/** The order source and its network path: sample, privatelink or an acknowledged NAT. */
function validateOrders(env: EnvironmentConfig, f: Field): void {
  const o = env.orders;
  check(
    ['sample', 'privatelink', 'nat'].includes(o.source),
    f('orders.source'),
    `must be 'sample', 'privatelink' or 'nat', got ${quote(String(o.source))}`,
  );
  checkInt(o.timeoutMs, f('orders.timeoutMs'), 100, 3000);
  if (o.source === 'sample') {
    check(
      o.privateLink === undefined,
      f('orders.privateLink'),
      "must be unset when orders.source is 'sample'",
    );
    check(o.nat === undefined, f('orders.nat'), "must be unset when orders.source is 'sample'");
    return;
  }
  check(
    o.url !== undefined && HTTPS_URL.test(o.url),
    f('orders.url'),
    `must be an https:// URL when orders.source is '${o.source}', got ${quote(String(o.url))}`,
  );
  check(
    o.secretArn !== undefined && SECRET_ARN.test(o.secretArn),
    f('orders.secretArn'),
    `must be a Secrets Manager secret ARN when orders.source is '${o.source}', got ${quote(String(o.secretArn))}`,
  );
  if (o.source === 'privatelink') {
    check(o.nat === undefined, f('orders.nat'), "must be unset when orders.source is 'privatelink'");
    check(
      o.privateLink !== undefined && ENDPOINT_SERVICE.test(o.privateLink.serviceName),
      f('orders.privateLink.serviceName'),
      `must be a VPC endpoint service name such as com.amazonaws.vpce.${env.region}.vpce-svc-0123456789abcdef0, got ${quote(String(o.privateLink?.serviceName))}`,
    );
    return;
  }
  check(o.privateLink === undefined, f('orders.privateLink'), "must be unset when orders.source is 'nat'");
  check(
    o.nat?.acknowledged === true,
    f('orders.nat.acknowledged'),
    "must be true when orders.source is 'nat' (this environment gets a NAT gateway and a route to the internet for the fulfillment: review its cost and egress first)",
  );
  check(
    env.network.natGateways === 0,
    f('network.natGateways'),
    "must be 0 when orders.source is 'nat' (orders.nat.gateways sizes the NAT for the fulfillment's egress subnets only)",
  );
  if (o.nat?.gateways !== undefined)
    checkInt(o.nat.gateways, f('orders.nat.gateways'), 1, env.network.maxAzs);
}

/** A browser origin: `https://host[:port]`, lowercase, no path and no trailing slash. */
const ORIGIN = /^https:\/\/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** CloudFront takes certificates from ACM in us-east-1 only. */
const CLOUDFRONT_CERTIFICATE = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
/** WAF's bounds of a rate-based rule's limit (requests per 5-minute window). */
const WAF_RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;

function checkOrigins(origins: readonly string[], field: string): void {
  for (const origin of origins) {
    check(
      ORIGIN.test(origin),
      field,
      `must be origins such as https://www.example.com (lowercase, no path, no trailing slash), got ${quote(origin)}`,
    );
  }
  check(
    new Set(origins).size === origins.length,
    field,
    `must not repeat an origin, got ${quote(origins.join(','))}`,
  );
}

/** The web chat: origins, the custom domain and its certificate, the firewall, the welcome text. */
function validateWeb(env: EnvironmentConfig, f: Field): void {
  const { web } = env;
  checkOrigins(web.frameAncestors, f('web.frameAncestors'));
  checkOrigins(web.allowedOrigins, f('web.allowedOrigins'));
  check(
    (web.customDomain === undefined) === (web.certificateArn === undefined),
    f(web.customDomain === undefined ? 'web.customDomain' : 'web.certificateArn'),
    'must be set together with ' +
      (web.customDomain === undefined ? 'web.certificateArn' : 'web.customDomain') +
      ' (a custom domain needs its certificate, and a certificate its domain), or neither',
  );
  if (web.customDomain !== undefined) {
    check(
      DOMAIN.test(web.customDomain),
      f('web.customDomain'),
      `must be a lowercase domain name such as chat.example.com, got ${quote(web.customDomain)}`,
    );
  }
  if (web.certificateArn !== undefined) {
    check(
      CLOUDFRONT_CERTIFICATE.test(web.certificateArn),
      f('web.certificateArn'),
      `must be an ACM certificate ARN in us-east-1 (CloudFront uses no other region), got ${quote(web.certificateArn)}`,
    );
  }
  checkInt(web.wafRateLimit, f('web.wafRateLimit'), WAF_RATE_LIMIT.min, WAF_RATE_LIMIT.max);
  const locales = Object.keys(web.welcome);
  for (const locale of LOCALES) {
    const text = web.welcome[locale] as string | undefined;
    check(
      typeof text === 'string' && text.trim().length > 0 && text.length <= 500,
      f('web.welcome'),
      `must give every bot locale (${LOCALES.join(', ')}) a welcome text of 1 to 500 characters, ${locale} has ${text === undefined ? 'none' : `${text.length}`}`,
    );
  }
  const unknown = locales.filter((l) => !(LOCALES as readonly string[]).includes(l));
  check(
    unknown.length === 0,
    f('web.welcome'),
    `must name only the bot's locales (${LOCALES.join(', ')}), got ${quote(unknown.join(','))}`,
  );
}

/** An AWS tag value as every service takes it: 1 to 256 letters, digits, spaces and `_ . : / = + - @`. */
const TAG_VALUE = /^[\p{L}\p{N} _.:/=+\-@]{1,256}$/u;

/** The project and cost centre the cost-allocation tags carry (lib/tags). */
function validateCostAllocation(c: CostAllocationConfig | undefined, f: Field): void {
  for (const key of ['project', 'costCentre'] as const) {
    const value: unknown = c?.[key];
    check(
      typeof value === 'string' && TAG_VALUE.test(value) && value.trim() === value,
      f(`costAllocation.${key}`),
      'must be a tag value: 1 to 256 letters, digits, spaces and _ . : / = + - @ (no leading or ' +
        `trailing space), got ${typeof value === 'string' ? quote(value) : String(value)}`,
    );
  }
}

/**
 * Validates one environment; throws a ConfigError naming the first bad field. `as` prefixes the
 * fields in messages: the environment's name, or `sandbox` for the sandbox stage (dev's settings
 * in another account), whose errors then name `sandbox (CDK_SANDBOX_ACCOUNT)`, not devAccount.
 */
export function validateEnvironment(env: EnvironmentConfig, as: string = env.name): EnvironmentConfig {
  const f: Field = (field) => `${as}.${field}`;
  validateNetwork(env, f);
  validateRedis(env, f);
  validateStorage(env, f);
  validateCompute(env, f);
  validateAlarms(env, f);
  validateAlarmNotifications(env, f);
  validateKnowledge(env, f);
  validateLifecycle(env, f);
  validateTickets(env, f);
  validateOrders(env, f);
  validateWeb(env, f);
  validateTrafficAndCost(env, f);
  validateCostAllocation(env.costAllocation, f);
  return env;
}

export function validatePipeline(p: PipelineConfig): PipelineConfig {
  check(
    ACCOUNT.test(p.account),
    'pipeline.account',
    `must be a 12-digit AWS account id, got ${quote(p.account)}`,
  );
  check(REGION.test(p.region), 'pipeline.region', `must be an AWS region, got ${quote(p.region)}`);
  check(
    /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[\w-]+$/.test(
      p.connectionArn,
    ),
    'pipeline.connectionArn',
    `must be a CodeConnections connection ARN, got ${quote(p.connectionArn)}`,
  );
  check(
    /^[\w.-]+\/[\w.-]+$/.test(p.repository),
    'pipeline.repository',
    `must be owner/name, got ${quote(p.repository)}`,
  );
  check(p.branch.length > 0, 'pipeline.branch', 'must not be empty');
  if (p.notificationEmail !== undefined) {
    check(
      /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p.notificationEmail),
      'pipeline.notificationEmail',
      `must be an e-mail address, got ${quote(p.notificationEmail)}`,
    );
  }
  validateCostAllocation(p.costAllocation, (field) => `pipeline.${field}`);
  return p;
}

/** Validates the whole app config: each environment, the pipeline, and distinct target accounts. */
export function validateConfig(config: AppConfig): AppConfig {
  validatePipeline(config.pipeline);
  const envs = Object.values(config.environments);
  envs.forEach((env) => validateEnvironment(env));
  for (const [i, a] of envs.entries()) {
    const b = envs.slice(i + 1).find((other) => other.account === a.account);
    if (b) {
      const [sa, sb] = [a, b].map((e) => CONFIG_SETTINGS.find((s) => s.field === `${e.name}.account`)!);
      throw new ConfigError(
        'environments.*.account',
        `must be different accounts (dev, staging and prod each have their own), both are ${quote(a.account)}`,
        `${sa.contextKey} and ${sb.contextKey} (${sa.envVar}, ${sb.envVar})`,
      );
    }
  }
  return config;
}
