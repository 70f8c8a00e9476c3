import { AppConfig, EnvironmentConfig, PipelineConfig } from './types';

/** Thrown for a configuration value that cannot be deployed; the message names the field. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`invalid config ${field}: ${message}`);
    this.name = 'ConfigError';
  }
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const LOG_RETENTION_DAYS = new Set([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]);

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

/** Validates one environment; throws a ConfigError naming the first bad field. */
export function validateEnvironment(env: EnvironmentConfig): EnvironmentConfig {
  const f = (field: string) => `${env.name}.${field}`;
  check(ACCOUNT.test(env.account), f('account'), `must be a 12-digit AWS account id, got '${env.account}'`);
  check(REGION.test(env.region), f('region'), `must be an AWS region such as us-east-1, got '${env.region}'`);
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
        `must be zones of ${env.region} such as ${env.region}a, got '${zone}'`,
      );
    }
  }
  check(
    /^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(env.redis.nodeType),
    f('redis.nodeType'),
    `must look like cache.r7g.large, got '${env.redis.nodeType}'`,
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
  checkRatio(env.alarms.intentRecognitionRateMin, f('alarms.intentRecognitionRateMin'));
  checkInt(env.alarms.dynamoSystemErrors, f('alarms.dynamoSystemErrors'), 1);
  checkInt(env.alarms.kinesisPutFailedRecords, f('alarms.kinesisPutFailedRecords'), 1);
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
  return env;
}

export function validatePipeline(p: PipelineConfig): PipelineConfig {
  check(ACCOUNT.test(p.account), 'pipeline.account', `must be a 12-digit AWS account id, got '${p.account}'`);
  check(REGION.test(p.region), 'pipeline.region', `must be an AWS region, got '${p.region}'`);
  check(
    /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[\w-]+$/.test(
      p.connectionArn,
    ),
    'pipeline.connectionArn',
    `must be a CodeConnections connection ARN, got '${p.connectionArn}'`,
  );
  check(
    /^[\w.-]+\/[\w.-]+$/.test(p.repository),
    'pipeline.repository',
    `must be owner/name, got '${p.repository}'`,
  );
  check(p.branch.length > 0, 'pipeline.branch', 'must not be empty');
  return p;
}

/** Validates the whole app config: each environment, the pipeline, and distinct target accounts. */
export function validateConfig(config: AppConfig): AppConfig {
  validatePipeline(config.pipeline);
  const envs = Object.values(config.environments);
  envs.forEach(validateEnvironment);
  const accounts = new Set(envs.map((e) => e.account));
  check(
    accounts.size === envs.length,
    'environments.*.account',
    'dev, staging and prod must be different accounts',
  );
  return config;
}
