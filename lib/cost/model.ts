/**
 * The cost model of one stage: its inventory (what the templates hold), its traffic (config and
 * flags) and the capacity model's per-turn figures, priced from prices.ts. Each function returns
 * the lines of one group of services; `priceStage` is all of them.
 */
import { DEFAULT_CAPACITY_INPUTS, type CapacityInputs } from '../config/capacity/model';
import type { EnvironmentConfig } from '../config/types';
import { Metric } from '../../contracts/metrics';
import type { FunctionRole, Inventory } from './inventory';
import {
  EMBEDDING_MODEL_PRICES,
  GENERATION_MODEL_PRICES,
  PRICES,
  elastiCacheNodeHour,
  monthlyCost,
  type PriceId,
} from './prices';
import {
  DAYS_PER_MONTH,
  HOURS_PER_MONTH,
  SECONDS_PER_MONTH,
  USAGE,
  monthlyVolumes,
  type MonthlyVolumes,
  type Traffic,
} from './usage';

/** One priced quantity: `quantity` units of `price` a month, under a driver (what the summary ranks). */
export interface CostLine {
  readonly driver: string;
  readonly price: PriceId;
  readonly quantity: number;
  readonly monthlyUsd: number;
}

const GB = 1e9;
const TB = 1e12;

/** A line priced through the entry's tiers. */
function line(driver: string, price: PriceId, quantity: number): CostLine {
  return { driver, price, quantity, monthlyUsd: monthlyCost(PRICES[price], quantity) };
}

/** A line at an explicit unit price (ElastiCache node types). */
function lineAt(driver: string, price: PriceId, quantity: number, usd: number): CostLine {
  return { driver, price, quantity, monthlyUsd: quantity * usd };
}

interface Context {
  readonly inventory: Inventory;
  readonly env: EnvironmentConfig;
  readonly traffic: Traffic;
  readonly volumes: MonthlyVolumes;
  readonly capacity: CapacityInputs;
}

/** Whether the stage has a function of this role (Comprehend, Translate, Polly are called by the fulfillment). */
const hasFunction = (inventory: Inventory, role: FunctionRole): boolean =>
  inventory.functions.some((f) => f.role === role);

/** Lex: a request per turn, speech for the voice share. */
function lex({ volumes: v, inventory }: Context): CostLine[] {
  if (inventory.lexBots === 0) return [];
  return [
    line('Lex requests', 'lexTextRequest', v.turns - v.voiceTurns),
    line('Lex requests', 'lexSpeechRequest', v.voiceTurns),
  ];
}

/** Duration (ms a turn) and invocations of each function the turn or the tickets drive. */
function functionLoad(c: Context, role: string): { invocations: number; ms: number } {
  const v = c.volumes;
  const workerMs = c.capacity.tickets.workerMsPerInvocation;
  switch (role) {
    case 'channel':
      return { invocations: v.turns + v.feedback, ms: v.channelMsPerTurn };
    case 'fulfillment':
      return {
        invocations: v.codeHookInvocations,
        ms: v.fulfillmentMsPerTurn / c.capacity.perTurn.codeHookInvocationsPerTurn,
      };
    case 'ticketWorker':
      return { invocations: v.tickets / c.capacity.tickets.messagesPerInvocation, ms: workerMs };
    case 'ticketsApi':
      return { invocations: v.tickets * USAGE.ticketsApiCallsPerTicket, ms: USAGE.ticketsApiMs };
    case 'knowledgeSync':
      return { invocations: USAGE.knowledgeSyncInvocationsPerMonth, ms: USAGE.knowledgeSyncMs };
    default:
      return { invocations: 0, ms: 0 };
  }
}

/** Lambda: requests and GB-seconds at each function's memory and architecture. */
function lambda(c: Context): CostLine[] {
  let requests = 0;
  let armGbSeconds = 0;
  let x86GbSeconds = 0;
  for (const fn of c.inventory.functions) {
    const { invocations, ms } = functionLoad(c, fn.role);
    requests += invocations;
    const gbSeconds = invocations * (ms / 1000) * (fn.memoryMb / 1024);
    if (fn.arm64) armGbSeconds += gbSeconds;
    else x86GbSeconds += gbSeconds;
  }
  return [
    line('Lambda', 'lambdaRequest', requests),
    line('Lambda', 'lambdaArmGbSecond', armGbSeconds),
    line('Lambda', 'lambdaX86GbSecond', x86GbSeconds),
  ];
}

/** Comprehend (sentiment on every turn, language on some), Translate, Polly. */
function languageServices({ inventory, volumes: v, capacity }: Context): CostLine[] {
  if (!hasFunction(inventory, 'fulfillment')) return [];
  const t = capacity.perTurn;
  const comprehendCalls = v.turns * (t.comprehendSentimentCallsPerTurn + t.comprehendLanguageCallsPerTurn);
  return [
    line('Comprehend', 'comprehendUnit', comprehendCalls * USAGE.comprehendUnitsPerCall),
    line(
      'Translate',
      'translateCharacter',
      v.turns * t.translateCallsPerTurn * USAGE.translateCharactersPerCall,
    ),
    line('Polly', 'pollyNeuralCharacter', v.voiceTurns * USAGE.pollyCharactersPerVoiceTurn),
  ];
}

/** DynamoDB: the conversation table (a context item per turn, feedback) and the tickets table. */
function dynamodb({ inventory, env, volumes: v, capacity }: Context): CostLine[] {
  const t = capacity.perTurn;
  const conversation = inventory.tables.find((x) => x.logicalId.startsWith('ConversationTable'));
  const tickets = inventory.tables.find((x) => x.logicalId.startsWith('TicketsTable'));
  const lines: CostLine[] = [];
  if (conversation) {
    const itemBytes = t.dynamoItemBytes + USAGE.contextItemOverheadBytes;
    const writes =
      (v.turns * t.dynamoWritesPerTurn * Math.ceil(t.dynamoItemBytes / 1024) + v.feedback) *
      conversation.replicas;
    const storedGb = ((v.turns / DAYS_PER_MONTH) * env.dynamodb.ttlDays * itemBytes) / GB;
    lines.push(
      line('DynamoDB', 'dynamoWriteUnit', writes),
      line('DynamoDB', 'dynamoReadUnit', v.feedback + v.tickets * USAGE.historyReadUnitsPerTicket),
      line('DynamoDB', 'dynamoStorage', storedGb * conversation.replicas),
      line('DynamoDB', 'dynamoPitr', conversation.pointInTimeRecovery ? storedGb : 0),
    );
  }
  if (tickets) {
    const copies = 1 + tickets.globalSecondaryIndexes;
    const units = Math.ceil(USAGE.ticketItemBytes / 1024);
    const storedGb = (v.tickets * USAGE.ticketRetentionMonths * USAGE.ticketItemBytes * copies) / GB;
    lines.push(
      line('DynamoDB', 'dynamoWriteUnit', v.tickets * units * copies * tickets.replicas),
      line('DynamoDB', 'dynamoReadUnit', v.tickets * USAGE.ticketsApiCallsPerTicket),
      line('DynamoDB', 'dynamoStorage', storedGb * tickets.replicas),
      line('DynamoDB', 'dynamoPitr', tickets.pointInTimeRecovery ? storedGb : 0),
    );
  }
  return lines;
}

/** ElastiCache: every node of every replication group, all month. */
function elastiCache({ inventory }: Context): CostLine[] {
  return inventory.redisNodes.map((g) =>
    lineAt(
      `ElastiCache (${g.count} x ${g.nodeType})`,
      'elastiCacheNodeHour',
      g.count * HOURS_PER_MONTH,
      elastiCacheNodeHour(g.nodeType),
    ),
  );
}

/** Kinesis: provisioned shard-hours and PUT units, or on-demand stream-hours and GB; retention over 24 h. */
function kinesis({ inventory, volumes: v, capacity }: Context): CostLine[] {
  const t = capacity.perTurn;
  const records = v.turns * t.kinesisRecordsPerTurn;
  return inventory.streams.flatMap((s) => {
    const extended = s.retentionHours > 24;
    if (s.mode === 'PROVISIONED') {
      const shardHours = s.shards * HOURS_PER_MONTH;
      return [
        line('Kinesis', 'kinesisShardHour', shardHours),
        line('Kinesis', 'kinesisPutPayloadUnit', records * Math.ceil(t.kinesisRecordBytes / 25_600)),
        line('Kinesis', 'kinesisExtendedRetentionShardHour', extended ? shardHours : 0),
      ];
    }
    const ingestGb = (records * Math.ceil(t.kinesisRecordBytes / 1024) * 1024) / GB;
    return [
      line('Kinesis', 'kinesisOnDemandStreamHour', HOURS_PER_MONTH),
      line('Kinesis', 'kinesisOnDemandIngestGb', ingestGb),
      line('Kinesis', 'kinesisOnDemandRetrievalGb', (records * t.kinesisRecordBytes) / GB),
      line(
        'Kinesis',
        'kinesisOnDemandExtendedRetentionGbMonth',
        extended ? (ingestGb / DAYS_PER_MONTH) * ((s.retentionHours - 24) / 24) : 0,
      ),
    ];
  });
}

/** Firehose (records rounded up to 5 KB) and the analytics bucket's objects, storage by tier. */
function analytics({ inventory, volumes: v, capacity }: Context): CostLine[] {
  if (inventory.deliveryStreams === 0) return [];
  const t = capacity.perTurn;
  const records = v.turns * t.kinesisRecordsPerTurn;
  const rawGb = (records * t.kinesisRecordBytes) / GB;
  // a delivery every 300 s or 64 MB, whichever first
  const objects = inventory.deliveryStreams * Math.max(HOURS_PER_MONTH * 12, (rawGb * 1000) / 64);
  const lines = [
    line('Firehose', 'firehoseIngestGb', (records * Math.ceil(t.kinesisRecordBytes / 5120) * 5120) / GB),
    line('S3', 's3PutRequest', objects),
  ];
  const bucket = inventory.buckets.find((b) => b.logicalId.startsWith('AnalyticsBucket'));
  if (!bucket) return lines;
  const dailyGb = (rawGb * USAGE.analyticsCompression) / DAYS_PER_MONTH;
  const expire = bucket.expireAfterDays ?? 365;
  const standardDays = Math.min(bucket.glacierIrAfterDays ?? expire, expire);
  return [
    ...lines,
    line('S3', 's3StandardGbMonth', dailyGb * standardDays),
    line('S3', 's3GlacierIrGbMonth', dailyGb * (expire - standardDays)),
    line('S3', 's3GlacierIrTransition', bucket.glacierIrAfterDays === undefined ? 0 : objects),
  ];
}

/** The audio bucket: a voice answer written, read once and kept for its lifecycle's days. */
function audio({ inventory, volumes: v }: Context): CostLine[] {
  const bucket = inventory.buckets.find((b) => b.logicalId.startsWith('AudioBucket'));
  if (!bucket) return [];
  const dailyGb = ((v.voiceTurns / DAYS_PER_MONTH) * USAGE.audioBytesPerVoiceTurn) / GB;
  return [
    line('S3', 's3PutRequest', v.voiceTurns),
    line('S3', 's3GetRequest', v.voiceTurns),
    line('S3', 's3StandardGbMonth', dailyGb * (bucket.expireAfterDays ?? 30)),
  ];
}

/** Interface endpoints: every endpoint in every AZ all month, and the bytes the turns send through them. */
function endpoints({ inventory, volumes: v }: Context): CostLine[] {
  if (inventory.interfaceEndpoints === 0) return [];
  return [
    line(
      'VPC interface endpoints',
      'interfaceEndpointAzHour',
      inventory.interfaceEndpointAzs * HOURS_PER_MONTH,
    ),
    line('VPC interface endpoints', 'interfaceEndpointDataGb', (v.turns * USAGE.endpointBytesPerTurn) / GB),
  ];
}

/** CloudWatch: the platform's custom metrics, alarm metrics, dashboards, log ingestion and storage. */
function cloudWatch({ inventory, env, volumes: v }: Context): CostLine[] {
  const b = USAGE.logBytes;
  const invocations = v.turns + v.codeHookInvocations;
  const bytes =
    invocations * b.lambdaPlatformPerInvocation +
    v.turns * (b.channelPerTurn + b.apiAccessPerRequest + b.lexConversationPerTurn + b.flowLogPerTurn) +
    v.codeHookInvocations * b.fulfillmentPerInvocation;
  const ingestGb = bytes / GB;
  const storedGb = (ingestGb / DAYS_PER_MONTH) * env.logRetentionDays * USAGE.logCompression;
  return [
    line(
      'CloudWatch metrics, alarms, dashboards',
      'cloudWatchCustomMetric',
      inventory.functions.some((f) => f.role !== 'other') ? Object.keys(Metric).length : 0,
    ),
    line('CloudWatch metrics, alarms, dashboards', 'cloudWatchAlarmMetric', inventory.alarmMetrics),
    line('CloudWatch metrics, alarms, dashboards', 'cloudWatchDashboard', inventory.dashboards),
    line('CloudWatch Logs', 'logsIngestGb', inventory.logGroups > 0 ? ingestGb : 0),
    line('CloudWatch Logs', 'logsStorageGbMonth', inventory.logGroups > 0 ? storedGb : 0),
  ];
}

/** X-Ray: traces the default sampling rule records from the traced invocations. */
function xray({ inventory, volumes: v }: Context): CostLine[] {
  const traced =
    (hasFunction(inventory, 'channel') ? v.turns : 0) +
    (hasFunction(inventory, 'fulfillment') ? v.codeHookInvocations : 0) +
    (hasFunction(inventory, 'ticketWorker') ? v.tickets : 0);
  const reservoir = Math.min(traced, USAGE.xrayReservoirPerSecond * SECONDS_PER_MONTH);
  return [line('X-Ray', 'xrayTrace', reservoir + (traced - reservoir) * USAGE.xrayFixedRate)];
}

/** Bedrock: query embeddings, the generation model, the guardrail's policies, S3 Vectors. */
function knowledge({ inventory, env, volumes: v, capacity }: Context): CostLine[] {
  if (inventory.knowledgeBases === 0) return [];
  const k = capacity.knowledge;
  const model = GENERATION_MODEL_PRICES[env.knowledge.generationModelId];
  const embedding = EMBEDDING_MODEL_PRICES[env.knowledge.embeddingModelId];
  if (!model || !embedding) {
    const id = model ? env.knowledge.embeddingModelId : env.knowledge.generationModelId;
    throw new Error(`no price for Bedrock model ${id}: add it to lib/cost/prices.ts`);
  }
  const g = inventory.guardrailPolicies;
  const policyUnits =
    v.knowledgeTurns * k.questionTextUnits + v.modelTurns * (k.questionTextUnits + k.answerTextUnits);
  const groundingUnits =
    v.modelTurns * (k.groundingSourceTextUnits + k.questionTextUnits + k.answerTextUnits);
  const queryTb = (inventory.vectorIndexes > 0 ? USAGE.vectorsPerIndex * USAGE.vectorBytes : 0) / TB;
  return [
    line(
      'Bedrock model',
      embedding,
      v.knowledgeTurns * USAGE.knowledgeQueryTokens + USAGE.corpusTokens * USAGE.corpusChangedPerMonth,
    ),
    line('Bedrock model', model.input, v.modelTurns * k.inputTokens),
    line('Bedrock model', model.output, v.modelTurns * USAGE.knowledgeOutputTokens),
    line('Bedrock guardrail', 'guardrailContentUnit', g.content > 0 ? policyUnits : 0),
    line('Bedrock guardrail', 'guardrailTopicUnit', g.topic > 0 ? policyUnits : 0),
    line('Bedrock guardrail', 'guardrailPiiUnit', g.pii > 0 ? policyUnits : 0),
    line('Bedrock guardrail', 'guardrailGroundingUnit', g.grounding > 0 ? groundingUnits : 0),
    line('S3 Vectors', 's3VectorsQuery', inventory.vectorIndexes > 0 ? v.knowledgeTurns : 0),
    line('S3 Vectors', 's3VectorsQueryDataTb', v.knowledgeTurns * queryTb),
    line(
      'S3 Vectors',
      's3VectorsStorageGbMonth',
      (inventory.vectorIndexes * USAGE.vectorsPerIndex * USAGE.vectorBytes) / GB,
    ),
  ];
}

/** The web chat: CloudFront requests and bytes, WAF on them, the API's requests. */
function web({ inventory, volumes: v }: Context): CostLine[] {
  const pageLoads = v.conversations * USAGE.webChatShareOfConversations;
  const requests = pageLoads * USAGE.widgetRequestsPerConversation * inventory.distributions;
  return [
    line('API Gateway', 'httpApiRequest', inventory.httpApis > 0 ? v.turns + v.feedback : 0),
    line('CloudFront', 'cloudFrontRequest', requests),
    line(
      'CloudFront',
      'cloudFrontTransferGb',
      (pageLoads * USAGE.widgetBytesPerConversation * inventory.distributions) / GB,
    ),
    line('WAF', 'wafWebAcl', inventory.webAclRules.length),
    line(
      'WAF',
      'wafRule',
      inventory.webAclRules.reduce((a, b) => a + b, 0),
    ),
    line('WAF', 'wafRequest', inventory.webAclRules.length > 0 ? requests : 0),
  ];
}

/** Tickets: SQS requests (send, receive, delete, idle polls), EventBridge events and their archive. */
function tickets({ inventory, volumes: v, capacity }: Context): CostLine[] {
  const invocations = v.tickets / capacity.tickets.messagesPerInvocation;
  const sqs =
    inventory.queues > 0 ? v.tickets + 2 * invocations + USAGE.sqsIdlePollsPerSecond * SECONDS_PER_MONTH : 0;
  return [
    line('SQS and EventBridge', 'sqsRequest', sqs),
    line('SQS and EventBridge', 'eventBridgeCustomEvent', inventory.eventBuses > 0 ? v.tickets : 0),
    line(
      'SQS and EventBridge',
      'eventBridgeArchiveGb',
      inventory.eventArchives > 0 ? (v.tickets * USAGE.ticketEventBytes) / GB : 0,
    ),
  ];
}

/** KMS keys, and the data-key refreshes of the warm Lambda environments; Secrets Manager secrets. */
function keysAndSecrets({ inventory, volumes: v }: Context): CostLine[] {
  const busyMs =
    (hasFunction(inventory, 'channel') ? v.turns * v.channelMsPerTurn : 0) +
    (hasFunction(inventory, 'fulfillment') ? v.turns * v.fulfillmentMsPerTurn : 0);
  const warmEnvironments = busyMs / 1000 / SECONDS_PER_MONTH;
  return [
    line('KMS and Secrets Manager', 'kmsKey', inventory.kmsKeys),
    line(
      'KMS and Secrets Manager',
      'kmsRequest',
      warmEnvironments * USAGE.kmsRefreshesPerHour * USAGE.kmsHotPathKeys * HOURS_PER_MONTH,
    ),
    line('KMS and Secrets Manager', 'secret', inventory.secrets),
  ];
}

const GROUPS = [
  lex,
  lambda,
  languageServices,
  dynamodb,
  elastiCache,
  kinesis,
  analytics,
  audio,
  endpoints,
  cloudWatch,
  xray,
  knowledge,
  web,
  tickets,
  keysAndSecrets,
];

/** Every cost line of a stage at a traffic. */
export function priceStage(
  inventory: Inventory,
  env: EnvironmentConfig,
  traffic: Traffic,
  capacity: CapacityInputs = DEFAULT_CAPACITY_INPUTS,
): CostLine[] {
  const context: Context = { inventory, env, traffic, volumes: monthlyVolumes(traffic, capacity), capacity };
  return GROUPS.flatMap((group) => group(context));
}
