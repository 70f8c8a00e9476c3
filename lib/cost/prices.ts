/**
 * The one price table of the cost model (`npm run cost`, docs/cost.md): AWS on-demand list prices,
 * USD, in PRICES_REGION, as known on PRICES_DATE. They were written down from the AWS pricing pages
 * as last read, without network access on that date: re-check each against its `source` before a
 * budget decision, then update `usd` (and `checked`) here; nothing else holds a price.
 *
 * No free tier is subtracted (Lambda's 1 M requests, CloudWatch's 10 metrics, the first 3
 * dashboards...): each environment is its own account, but the figures stay comparable.
 */

/** The Region every price below is for. */
export const PRICES_REGION = 'us-east-1';
/** The date the prices were recorded. */
export const PRICES_DATE = '2026-12-01';

/** A monthly volume band: `usd` per unit for the units up to `upTo` (cumulative; the last band has none). */
export interface PriceTier {
  readonly upTo?: number;
  readonly usd: number;
}

export interface PriceEntry {
  /** What is billed, e.g. "Lex text request". */
  readonly name: string;
  /** The unit `usd` is per, e.g. "request", "GB-second", "node-hour". */
  readonly unit: string;
  /** USD per unit (the first tier's when `tiers` is set). */
  readonly usd: number;
  /** Volume tiers per month, when the page has them. */
  readonly tiers?: readonly PriceTier[];
  readonly region: string;
  /** The AWS pricing page the price is from. */
  readonly source: string;
  /** The date the price was recorded (YYYY-MM-DD). */
  readonly checked: string;
}

type Entry = Omit<PriceEntry, 'region' | 'checked'>;
const at = (entry: Entry): PriceEntry => ({ ...entry, region: PRICES_REGION, checked: PRICES_DATE });
const perMillion = (usd: number): number => usd / 1_000_000;
const page = (path: string): string => `https://aws.amazon.com/${path}/pricing/`;

export const PRICES = {
  lexTextRequest: at({ name: 'Lex text request', unit: 'request', usd: 0.00075, source: page('lex') }),
  lexSpeechRequest: at({ name: 'Lex speech request', unit: 'request', usd: 0.004, source: page('lex') }),
  lambdaRequest: at({
    name: 'Lambda request',
    unit: 'request',
    usd: perMillion(0.2),
    source: page('lambda'),
  }),
  lambdaArmGbSecond: at({
    name: 'Lambda duration, arm64',
    unit: 'GB-second',
    usd: 0.0000133334,
    tiers: [{ upTo: 7.5e9, usd: 0.0000133334 }, { upTo: 18.75e9, usd: 0.0000120001 }, { usd: 0.0000106667 }],
    source: page('lambda'),
  }),
  lambdaX86GbSecond: at({
    name: 'Lambda duration, x86_64',
    unit: 'GB-second',
    usd: 0.0000166667,
    tiers: [{ upTo: 6e9, usd: 0.0000166667 }, { upTo: 15e9, usd: 0.000015 }, { usd: 0.0000133334 }],
    source: page('lambda'),
  }),
  dynamoWriteUnit: at({
    name: 'DynamoDB on-demand write request unit',
    unit: 'write request unit',
    usd: perMillion(0.625),
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  }),
  dynamoReadUnit: at({
    name: 'DynamoDB on-demand read request unit',
    unit: 'read request unit',
    usd: perMillion(0.125),
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  }),
  dynamoStorage: at({
    name: 'DynamoDB storage',
    unit: 'GB-month',
    usd: 0.25,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  }),
  dynamoPitr: at({
    name: 'DynamoDB point-in-time recovery',
    unit: 'GB-month',
    usd: 0.2,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  }),
  kinesisShardHour: at({
    name: 'Kinesis shard',
    unit: 'shard-hour',
    usd: 0.015,
    source: page('kinesis/data-streams'),
  }),
  kinesisPutPayloadUnit: at({
    name: 'Kinesis PUT payload unit (25 KB)',
    unit: 'PUT payload unit',
    usd: perMillion(0.014),
    source: page('kinesis/data-streams'),
  }),
  kinesisExtendedRetentionShardHour: at({
    name: 'Kinesis extended retention (up to 7 days)',
    unit: 'shard-hour',
    usd: 0.02,
    source: page('kinesis/data-streams'),
  }),
  kinesisOnDemandStreamHour: at({
    name: 'Kinesis on-demand stream',
    unit: 'stream-hour',
    usd: 0.04,
    source: page('kinesis/data-streams'),
  }),
  kinesisOnDemandIngestGb: at({
    name: 'Kinesis on-demand data in (1 KB per record minimum)',
    unit: 'GB',
    usd: 0.08,
    source: page('kinesis/data-streams'),
  }),
  kinesisOnDemandRetrievalGb: at({
    name: 'Kinesis on-demand data out',
    unit: 'GB',
    usd: 0.04,
    source: page('kinesis/data-streams'),
  }),
  kinesisOnDemandExtendedRetentionGbMonth: at({
    name: 'Kinesis on-demand extended retention',
    unit: 'GB-month',
    usd: 0.1,
    source: page('kinesis/data-streams'),
  }),
  firehoseIngestGb: at({
    name: 'Firehose ingestion (records rounded up to 5 KB)',
    unit: 'GB',
    usd: 0.029,
    source: page('kinesis/data-firehose'),
  }),
  s3StandardGbMonth: at({ name: 'S3 Standard storage', unit: 'GB-month', usd: 0.023, source: page('s3') }),
  s3GlacierIrGbMonth: at({
    name: 'S3 Glacier Instant Retrieval storage',
    unit: 'GB-month',
    usd: 0.004,
    source: page('s3'),
  }),
  s3PutRequest: at({ name: 'S3 PUT/POST request', unit: 'request', usd: 0.005 / 1000, source: page('s3') }),
  s3GetRequest: at({ name: 'S3 GET request', unit: 'request', usd: 0.0004 / 1000, source: page('s3') }),
  s3GlacierIrTransition: at({
    name: 'S3 lifecycle transition to Glacier Instant Retrieval',
    unit: 'request',
    usd: 0.02 / 1000,
    source: page('s3'),
  }),
  s3VectorsStorageGbMonth: at({
    name: 'S3 Vectors storage',
    unit: 'GB-month',
    usd: 0.06,
    source: page('s3'),
  }),
  s3VectorsQuery: at({
    name: 'S3 Vectors query call',
    unit: 'request',
    usd: perMillion(2.5),
    source: page('s3'),
  }),
  s3VectorsQueryDataTb: at({
    name: 'S3 Vectors query data processed',
    unit: 'TB',
    usd: 0.004,
    source: page('s3'),
  }),
  elastiCacheNodeHour: at({
    name: 'ElastiCache node (see ELASTICACHE_NODE_HOUR)',
    unit: 'node-hour',
    usd: 0.219,
    source: page('elasticache'),
  }),
  interfaceEndpointAzHour: at({
    name: 'Interface VPC endpoint, per AZ',
    unit: 'endpoint-AZ-hour',
    usd: 0.01,
    source: page('privatelink'),
  }),
  interfaceEndpointDataGb: at({
    name: 'Interface VPC endpoint data processed',
    unit: 'GB',
    usd: 0.01,
    source: page('privatelink'),
  }),
  cloudWatchCustomMetric: at({
    name: 'CloudWatch custom metric',
    unit: 'metric-month',
    usd: 0.3,
    source: page('cloudwatch'),
  }),
  cloudWatchAlarmMetric: at({
    name: 'CloudWatch alarm (standard resolution), per metric',
    unit: 'alarm-metric-month',
    usd: 0.1,
    source: page('cloudwatch'),
  }),
  cloudWatchDashboard: at({
    name: 'CloudWatch dashboard',
    unit: 'dashboard-month',
    usd: 3,
    source: page('cloudwatch'),
  }),
  logsIngestGb: at({ name: 'CloudWatch Logs ingestion', unit: 'GB', usd: 0.5, source: page('cloudwatch') }),
  logsStorageGbMonth: at({
    name: 'CloudWatch Logs storage (compressed)',
    unit: 'GB-month',
    usd: 0.03,
    source: page('cloudwatch'),
  }),
  xrayTrace: at({ name: 'X-Ray trace recorded', unit: 'trace', usd: perMillion(5), source: page('xray') }),
  comprehendUnit: at({
    name: 'Comprehend unit (100 characters, 3 units minimum a request)',
    unit: 'unit',
    usd: 0.0001,
    source: page('comprehend'),
  }),
  translateCharacter: at({
    name: 'Translate character',
    unit: 'character',
    usd: perMillion(15),
    source: page('translate'),
  }),
  pollyNeuralCharacter: at({
    name: 'Polly neural voice character',
    unit: 'character',
    usd: perMillion(16),
    source: page('polly'),
  }),
  kmsKey: at({ name: 'KMS customer managed key', unit: 'key-month', usd: 1, source: page('kms') }),
  kmsRequest: at({ name: 'KMS request', unit: 'request', usd: 0.03 / 10_000, source: page('kms') }),
  httpApiRequest: at({
    name: 'API Gateway HTTP API request',
    unit: 'request',
    usd: perMillion(1),
    tiers: [{ upTo: 300e6, usd: perMillion(1) }, { usd: perMillion(0.9) }],
    source: page('api-gateway'),
  }),
  secret: at({
    name: 'Secrets Manager secret',
    unit: 'secret-month',
    usd: 0.4,
    source: page('secrets-manager'),
  }),
  codePipelineActionMinute: at({
    name: 'CodePipeline V2 action execution',
    unit: 'action-minute',
    usd: 0.002,
    source: page('codepipeline'),
  }),
  codeBuildMediumMinute: at({
    name: 'CodeBuild general1.medium (Linux)',
    unit: 'build-minute',
    usd: 0.01,
    source: page('codebuild'),
  }),
  fargateVcpuHour: at({
    name: 'Fargate vCPU (Linux/x86)',
    unit: 'vCPU-hour',
    usd: 0.04048,
    source: page('fargate'),
  }),
  fargateGbHour: at({
    name: 'Fargate memory (Linux/x86)',
    unit: 'GB-hour',
    usd: 0.004445,
    source: page('fargate'),
  }),
  titanEmbedV2Token: at({
    name: 'Bedrock Titan Text Embeddings V2 input token',
    unit: 'token',
    usd: perMillion(0.02),
    source: page('bedrock'),
  }),
  novaLiteInputToken: at({
    name: 'Bedrock Nova Lite input token',
    unit: 'token',
    usd: perMillion(0.06),
    source: page('bedrock'),
  }),
  novaLiteOutputToken: at({
    name: 'Bedrock Nova Lite output token',
    unit: 'token',
    usd: perMillion(0.24),
    source: page('bedrock'),
  }),
  novaMicroInputToken: at({
    name: 'Bedrock Nova Micro input token',
    unit: 'token',
    usd: perMillion(0.035),
    source: page('bedrock'),
  }),
  novaMicroOutputToken: at({
    name: 'Bedrock Nova Micro output token',
    unit: 'token',
    usd: perMillion(0.14),
    source: page('bedrock'),
  }),
  guardrailContentUnit: at({
    name: 'Bedrock Guardrails content filter text unit (1,000 characters)',
    unit: 'text unit',
    usd: 0.15 / 1000,
    source: page('bedrock'),
  }),
  guardrailTopicUnit: at({
    name: 'Bedrock Guardrails denied topics text unit',
    unit: 'text unit',
    usd: 0.15 / 1000,
    source: page('bedrock'),
  }),
  guardrailPiiUnit: at({
    name: 'Bedrock Guardrails sensitive information (PII) text unit',
    unit: 'text unit',
    usd: 0.1 / 1000,
    source: page('bedrock'),
  }),
  guardrailGroundingUnit: at({
    name: 'Bedrock Guardrails contextual grounding text unit',
    unit: 'text unit',
    usd: 0.1 / 1000,
    source: page('bedrock'),
  }),
  cloudFrontRequest: at({
    name: 'CloudFront HTTPS request (United States)',
    unit: 'request',
    usd: 0.01 / 10_000,
    source: page('cloudfront'),
  }),
  cloudFrontTransferGb: at({
    name: 'CloudFront data transfer out (United States, first 10 TB)',
    unit: 'GB',
    usd: 0.085,
    source: page('cloudfront'),
  }),
  wafWebAcl: at({ name: 'WAF web ACL', unit: 'web-ACL-month', usd: 5, source: page('waf') }),
  wafRule: at({ name: 'WAF rule or rule group', unit: 'rule-month', usd: 1, source: page('waf') }),
  wafRequest: at({ name: 'WAF request', unit: 'request', usd: perMillion(0.6), source: page('waf') }),
  sqsRequest: at({
    name: 'SQS standard request (64 KB)',
    unit: 'request',
    usd: perMillion(0.4),
    source: page('sqs'),
  }),
  eventBridgeCustomEvent: at({
    name: 'EventBridge custom event published',
    unit: 'event',
    usd: perMillion(1),
    source: page('eventbridge'),
  }),
  eventBridgeArchiveGb: at({
    name: 'EventBridge archive processing',
    unit: 'GB',
    usd: 0.1,
    source: page('eventbridge'),
  }),
} as const satisfies Record<string, PriceEntry>;

export type PriceId = keyof typeof PRICES;

/** ElastiCache (Redis OSS) on-demand node-hour by node type; `elastiCacheNodeHour` is the page entry. */
export const ELASTICACHE_NODE_HOUR: Readonly<Record<string, number>> = {
  'cache.t4g.micro': 0.016,
  'cache.t4g.small': 0.032,
  'cache.t4g.medium': 0.065,
  'cache.m7g.large': 0.158,
  'cache.m7g.xlarge': 0.315,
  'cache.r7g.large': 0.219,
  'cache.r7g.xlarge': 0.437,
  'cache.r7g.2xlarge': 0.873,
  'cache.r7g.4xlarge': 1.747,
};

/** Bedrock generation models by foundation model id: their input and output token prices. */
export const GENERATION_MODEL_PRICES: Readonly<Record<string, { input: PriceId; output: PriceId }>> = {
  'amazon.nova-lite-v1:0': { input: 'novaLiteInputToken', output: 'novaLiteOutputToken' },
  'amazon.nova-micro-v1:0': { input: 'novaMicroInputToken', output: 'novaMicroOutputToken' },
};

/** Bedrock embedding models by id: their input token price. */
export const EMBEDDING_MODEL_PRICES: Readonly<Record<string, PriceId>> = {
  'amazon.titan-embed-text-v2:0': 'titanEmbedV2Token',
};

/** Cost of `units` of a price in one month, through its tiers when it has them. */
export function monthlyCost(price: PriceEntry, units: number): number {
  if (!price.tiers) return units * price.usd;
  let cost = 0;
  let from = 0;
  for (const tier of price.tiers) {
    const to = tier.upTo ?? Infinity;
    cost += Math.max(0, Math.min(units, to) - from) * tier.usd;
    if (units <= to) break;
    from = to;
  }
  return cost;
}

/** The ElastiCache node-hour price of a node type, or an error naming where to add it. */
export function elastiCacheNodeHour(nodeType: string): number {
  const usd = ELASTICACHE_NODE_HOUR[nodeType];
  if (usd === undefined) {
    throw new Error(
      `no price for ElastiCache node type ${nodeType}: add it to ELASTICACHE_NODE_HOUR in lib/cost/prices.ts`,
    );
  }
  return usd;
}
