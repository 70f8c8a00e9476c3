import { CAPACITY_PLAN, PLANNED_SIZING } from './capacity/plan';
import { AppConfig, CostAllocationConfig, EnvironmentConfig, PipelineConfig } from './types';

/**
 * Documented defaults. The account ids are placeholders (never real accounts): set the real
 * ones through cdk.json context or environment variables (see `load.ts` and the README).
 */
export const DEFAULT_REGION = 'us-east-1';

const sharedAlarms = {
  intentRecognitionRateMin: 0.8,
  fulfillmentP99Ms: 1500,
  lambdaErrors: 5,
  dynamoThrottles: 1,
  dynamoSystemErrors: 1,
  redisCpuPercent: 75,
  redisMemoryPercent: 80,
  redisEvictions: 1,
  redisReplicationLagSeconds: 5,
  kinesisIteratorAgeMs: 60_000,
  kinesisPutFailedRecords: 1,
  firehoseFreshnessSeconds: 900,
  firehoseDeliverySuccessMin: 1,
  api5xx: 5,
  apiP99Ms: 2000,
  turnDefects: 1,
  invalidEvents: 1,
  channelDurationP99Ms: 1800,
  channelLatencyP99Ms: 1800,
  channelThrottled: 5,
  channelServerErrors: 5,
  feedbackHelpfulRateMin: 0.6,
} as const;

/**
 * Placeholder recipient of staging's and prod's alarms (example.com is never a real mailbox): set
 * the real addresses with `stagingAlarmEmail` / `prodAlarmEmail` (load.ts); until then a deploy of
 * the pipeline is refused like for a placeholder account.
 */
export const PLACEHOLDER_ALARM_EMAIL = 'platform-alarms@example.com';

/**
 * Tickets everywhere: the queue shape the issue specifies (60 s visibility = 6 x the worker's
 * 10 s timeout, 14 days, DLQ after 3 receives), the desk's hours as the bot states them, and the
 * webhook example off. The desk principal is the environment's own account until
 * `tickets.deskPrincipal` names the desk's account or role.
 */
const sharedTickets = {
  maxReceives: 3,
  visibilityTimeoutSeconds: 60,
  workerTimeoutSeconds: 10,
  retentionDays: 14,
  batchSize: 10,
  maxBatchingWindowSeconds: 1,
  workerMaxConcurrency: 5,
  oldestMessageAlarmSeconds: 300,
  supportDesk: {
    hours: {
      en_US: 'Monday to Friday, 8:00 to 18:00 (Eastern Time)',
      es_US: 'de lunes a viernes, de 8:00 a 18:00 (hora del Este)',
    },
    firstResponseHours: 24,
    contact: {
      en_US: 'write to support@example.com',
      es_US: 'escriba a support@example.com',
    },
  },
  webhook: { enabled: false },
} as const;

/**
 * The cost-allocation tags' project and cost centre (docs/deployment.md, "Cost-allocation tags"):
 * set your finance cost centre here; an environment, or the pipeline, billed elsewhere overrides it.
 */
export const COST_ALLOCATION: CostAllocationConfig = {
  project: 'conversational-platform',
  costCentre: 'customer-support',
};

/** No order system configured: the sample orders (set `privatelink` or `nat` per environment). */
const sampleOrders = { source: 'sample', timeoutMs: 1200 } as const;

export const DEV: EnvironmentConfig = {
  name: 'dev',
  account: '111111111111',
  region: DEFAULT_REGION,
  network: { maxAzs: 2, natGateways: 0 },
  redis: {
    nodeType: 'cache.t4g.small',
    replicasPerNodeGroup: 0,
    multiAz: false,
    snapshotRetentionDays: 1,
    port: 6390,
    sessionTtlSeconds: 1800,
  },
  dynamodb: { pointInTimeRecovery: true, deletionProtection: false, ttlDays: 7 },
  kinesis: { mode: 'PROVISIONED', shardCount: 1, retentionHours: 24 },
  lambda: { memoryMb: 1024, reservedConcurrency: 20, timeoutSeconds: 10 },
  bot: { nluConfidenceThreshold: 0.4, idleSessionTtlSeconds: 900, streamTranscripts: false },
  api: { throttleRateLimit: 50, throttleBurstLimit: 100, perIdentityRate: 1, perIdentityBurst: 10 },
  alarms: { ...sharedAlarms, intentRecognitionRateMin: 0.7 },
  alarmNotifications: { emails: [] },
  knowledge: {
    embeddingModelId: 'amazon.titan-embed-text-v2:0',
    embeddingDimensions: 1024,
    generationModelId: 'amazon.nova-lite-v1:0',
    crossRegionInference: true,
    chunking: { maxTokens: 512, overlapPercentage: 10 },
    shareOfTurns: 0.1,
    timeoutMs: 6000,
    noAnswerRateMax: 0.5,
    noncurrentVersionDays: 30,
  },
  logRetentionDays: 14,
  analytics: { archiveAfterDays: 30, expireAfterDays: 120 },
  removalPolicy: 'destroy',
  loadTest: { profile: 'smoke', workers: 0 },
  tickets: sharedTickets,
  orders: sampleOrders,
  web: {
    frameAncestors: [],
    allowedOrigins: [],
    wafRateLimit: 1000,
    userPool: false,
    welcome: {
      en_US: 'Hi! How can I help you today?',
      es_US: '¡Hola! ¿En qué puedo ayudarte hoy?',
    },
    developerToggle: true,
  },
  // developers and the smoke load test after each deploy (about 200 turns)
  traffic: { conversationsPerDay: 2_000 },
  cost: { monthlyBudgetUsd: 1_500 },
  costAllocation: COST_ALLOCATION,
};

export const STAGING: EnvironmentConfig = {
  ...DEV,
  name: 'staging',
  account: '222222222222',
  redis: {
    ...DEV.redis,
    nodeType: 'cache.r7g.large',
    replicasPerNodeGroup: 1,
    multiAz: true,
    snapshotRetentionDays: 3,
  },
  dynamodb: { pointInTimeRecovery: true, deletionProtection: true, ttlDays: 30 },
  kinesis: { mode: 'ON_DEMAND', retentionHours: 48 },
  lambda: {
    memoryMb: 1024,
    reservedConcurrency: PLANNED_SIZING.fulfillmentReservedConcurrency,
    timeoutSeconds: 10,
  },
  api: {
    throttleRateLimit: PLANNED_SIZING.apiThrottleRateLimit,
    throttleBurstLimit: PLANNED_SIZING.apiThrottleBurstLimit,
    perIdentityRate: 1,
    perIdentityBurst: 10,
  },
  alarms: sharedAlarms,
  alarmNotifications: { emails: [PLACEHOLDER_ALARM_EMAIL] },
  logRetentionDays: 30,
  analytics: { archiveAfterDays: 30, expireAfterDays: 365 },
  removalPolicy: 'retain',
  loadTest: { profile: 'capacity', workers: 10 },
  tickets: { ...sharedTickets, workerMaxConcurrency: PLANNED_SIZING.ticketWorkerMaxConcurrency },
  web: { ...DEV.web, developerToggle: false },
  // The capacity load test after each deploy: 10 min at the planned peak plus a 3 min ramp is about
  // 1.4 M turns (240,000 conversations of 6 turns); ~20 deploys a month average 160,000 a day.
  traffic: { conversationsPerDay: 160_000 },
  cost: { monthlyBudgetUsd: 70_000 },
};

export const PROD: EnvironmentConfig = {
  ...STAGING,
  name: 'prod',
  account: '333333333333',
  network: { maxAzs: 3, natGateways: 0 },
  redis: {
    ...STAGING.redis,
    nodeType: 'cache.r7g.xlarge',
    replicasPerNodeGroup: 2,
    snapshotRetentionDays: 7,
  },
  dynamodb: { pointInTimeRecovery: true, deletionProtection: true, ttlDays: 90 },
  kinesis: { mode: 'PROVISIONED', shardCount: PLANNED_SIZING.kinesisShardCount, retentionHours: 168 },
  // lambda and api: staging's, which carry the planned peak already
  logRetentionDays: 90,
  analytics: { archiveAfterDays: 90, expireAfterDays: 730 },
  loadTest: { workers: 0 },
  // the product requirement the capacity model sizes for
  traffic: { conversationsPerDay: CAPACITY_PLAN.inputs.conversationsPerDay },
  cost: { monthlyBudgetUsd: 4_000_000 },
};

export const PIPELINE: PipelineConfig = {
  account: '444444444444',
  region: DEFAULT_REGION,
  connectionArn:
    'arn:aws:codeconnections:us-east-1:444444444444:connection/00000000-0000-0000-0000-000000000000',
  repository: 'example-org/conversational-platform',
  branch: 'main',
  costAllocation: COST_ALLOCATION,
};

export const DEFAULT_CONFIG: AppConfig = {
  pipeline: PIPELINE,
  environments: { dev: DEV, staging: STAGING, prod: PROD },
};
