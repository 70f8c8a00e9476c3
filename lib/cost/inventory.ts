/**
 * What a stage's synthesized templates hold that the cost model counts: functions and their
 * memory, interface endpoints x AZs, Redis nodes, streams, tables, bucket lifecycles, alarms and
 * their metrics, keys, secrets, guardrail policies, web ACL rules... Read from the CloudFormation
 * JSON only (no CDK objects), so any cloud assembly can be priced.
 */

/** One CloudFormation resource, as a template holds it. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** A synthesized template (only `Resources` is read). */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
}

/** The role a function plays in the turn, from its logical id; `other` has no modelled traffic. */
export type FunctionRole =
  'fulfillment' | 'channel' | 'ticketWorker' | 'ticketsApi' | 'knowledgeSync' | 'other';

export interface FunctionInventory {
  readonly logicalId: string;
  readonly role: FunctionRole;
  readonly memoryMb: number;
  readonly arm64: boolean;
}

export interface BucketInventory {
  readonly logicalId: string;
  /** Days after which objects move to Glacier Instant Retrieval, if a rule says so. */
  readonly glacierIrAfterDays?: number;
  /** Days after which objects expire, if a rule says so. */
  readonly expireAfterDays?: number;
}

export interface TableInventory {
  readonly logicalId: string;
  readonly pointInTimeRecovery: boolean;
  readonly replicas: number;
  readonly globalSecondaryIndexes: number;
}

export interface StreamInventory {
  readonly mode: 'ON_DEMAND' | 'PROVISIONED';
  readonly shards: number;
  readonly retentionHours: number;
}

export interface Inventory {
  /** Every resource type with its count. */
  readonly types: ReadonlyMap<string, number>;
  readonly functions: readonly FunctionInventory[];
  /** Interface endpoints, and the endpoint-AZs they bill (one ENI per subnet). */
  readonly interfaceEndpoints: number;
  readonly interfaceEndpointAzs: number;
  readonly redisNodes: readonly { readonly nodeType: string; readonly count: number }[];
  readonly streams: readonly StreamInventory[];
  readonly tables: readonly TableInventory[];
  readonly buckets: readonly BucketInventory[];
  readonly alarms: number;
  /** Metrics the alarms watch (a metric-math alarm bills each metric it reads). */
  readonly alarmMetrics: number;
  readonly dashboards: number;
  readonly kmsKeys: number;
  readonly secrets: number;
  readonly logGroups: number;
  readonly queues: number;
  readonly eventBuses: number;
  readonly eventArchives: number;
  readonly httpApis: number;
  readonly lexBots: number;
  readonly knowledgeBases: number;
  readonly vectorIndexes: number;
  readonly deliveryStreams: number;
  readonly distributions: number;
  /** Rules per web ACL. */
  readonly webAclRules: readonly number[];
  /** Guardrails with each billed policy. */
  readonly guardrailPolicies: {
    readonly content: number;
    readonly topic: number;
    readonly pii: number;
    readonly grounding: number;
  };
}

const ROLE_BY_ID: readonly [RegExp, FunctionRole][] = [
  [/^Fulfillment[0-9A-F]{8}$/, 'fulfillment'],
  [/^ChannelApiHandler[0-9A-F]{8}$/, 'channel'],
  [/^TicketWorkerFunction[0-9A-F]{8}$/, 'ticketWorker'],
  [/^TicketsApi[0-9A-F]{8}$/, 'ticketsApi'],
  [/^SyncHandler[0-9A-F]{8}$/, 'knowledgeSync'],
];

type Props = Record<string, unknown>;
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);

function resourcesOf(templates: readonly CfnTemplate[]): [string, CfnResource][] {
  return templates.flatMap((t) => Object.entries(t.Resources ?? {}));
}

function ofType(all: readonly [string, CfnResource][], type: string): [string, Props][] {
  return all.filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties ?? {}]);
}

function functionsOf(all: readonly [string, CfnResource][]): FunctionInventory[] {
  return ofType(all, 'AWS::Lambda::Function').map(([logicalId, p]) => ({
    logicalId,
    role: ROLE_BY_ID.find(([pattern]) => pattern.test(logicalId))?.[1] ?? 'other',
    memoryMb: num(p.MemorySize, 128),
    arm64: arr(p.Architectures).includes('arm64'),
  }));
}

function redisNodesOf(all: readonly [string, CfnResource][]): Inventory['redisNodes'] {
  return ofType(all, 'AWS::ElastiCache::ReplicationGroup').map(([, p]) => ({
    nodeType: String(p.CacheNodeType),
    count:
      p.NumCacheClusters !== undefined
        ? num(p.NumCacheClusters, 1)
        : num(p.NumNodeGroups, 1) * (1 + num(p.ReplicasPerNodeGroup, 0)),
  }));
}

function streamsOf(all: readonly [string, CfnResource][]): StreamInventory[] {
  return ofType(all, 'AWS::Kinesis::Stream').map(([, p]) => {
    const mode =
      (p.StreamModeDetails as Props | undefined)?.StreamMode === 'ON_DEMAND' ? 'ON_DEMAND' : 'PROVISIONED';
    return {
      mode,
      shards: num(p.ShardCount, mode === 'ON_DEMAND' ? 0 : 1),
      retentionHours: num(p.RetentionPeriodHours, 24),
    };
  });
}

function tablesOf(all: readonly [string, CfnResource][]): TableInventory[] {
  const globals = ofType(all, 'AWS::DynamoDB::GlobalTable').map(([logicalId, p]) => {
    const replicas = arr(p.Replicas) as Props[];
    return {
      logicalId,
      pointInTimeRecovery: replicas.some(
        (r) => (r.PointInTimeRecoverySpecification as Props | undefined)?.PointInTimeRecoveryEnabled === true,
      ),
      replicas: Math.max(1, replicas.length),
      globalSecondaryIndexes: arr(p.GlobalSecondaryIndexes).length,
    };
  });
  const tables = ofType(all, 'AWS::DynamoDB::Table').map(([logicalId, p]) => ({
    logicalId,
    pointInTimeRecovery:
      (p.PointInTimeRecoverySpecification as Props | undefined)?.PointInTimeRecoveryEnabled === true,
    replicas: 1,
    globalSecondaryIndexes: arr(p.GlobalSecondaryIndexes).length,
  }));
  return [...globals, ...tables];
}

function bucketsOf(all: readonly [string, CfnResource][]): BucketInventory[] {
  return ofType(all, 'AWS::S3::Bucket').map(([logicalId, p]) => {
    const rules = arr((p.LifecycleConfiguration as Props | undefined)?.Rules) as Props[];
    const enabled = rules.filter((r) => r.Status === 'Enabled');
    const transition = enabled
      .flatMap((r) => arr(r.Transitions) as Props[])
      .find((t) => t.StorageClass === 'GLACIER_IR');
    const expiry = enabled.map((r) => r.ExpirationInDays).find((d): d is number => typeof d === 'number');
    return {
      logicalId,
      ...(transition ? { glacierIrAfterDays: num(transition.TransitionInDays, 0) } : {}),
      ...(expiry !== undefined ? { expireAfterDays: expiry } : {}),
    };
  });
}

/** A metric alarm watches one metric; a metric-math alarm each `MetricStat` it reads. */
function alarmMetricsOf(all: readonly [string, CfnResource][]): number {
  return ofType(all, 'AWS::CloudWatch::Alarm')
    .map(([, p]) => (p.Metrics ? (arr(p.Metrics) as Props[]).filter((m) => m.MetricStat).length : 1))
    .reduce((a, b) => a + b, 0);
}

function guardrailPoliciesOf(all: readonly [string, CfnResource][]): Inventory['guardrailPolicies'] {
  const guardrails = ofType(all, 'AWS::Bedrock::Guardrail').map(([, p]) => p);
  const count = (has: (p: Props) => boolean): number => guardrails.filter(has).length;
  return {
    content: count((p) => p.ContentPolicyConfig !== undefined),
    topic: count((p) => p.TopicPolicyConfig !== undefined),
    // regex filters are free; PII entity filters are billed
    pii: count(
      (p) => arr((p.SensitiveInformationPolicyConfig as Props | undefined)?.PiiEntitiesConfig).length > 0,
    ),
    grounding: count((p) => p.ContextualGroundingPolicyConfig !== undefined),
  };
}

/** The inventory of one stage (or the pipeline stack) from its templates. */
export function inventoryOf(templates: readonly CfnTemplate[]): Inventory {
  const all = resourcesOf(templates);
  const types = new Map<string, number>();
  for (const [, r] of all) types.set(r.Type, (types.get(r.Type) ?? 0) + 1);
  const count = (type: string): number => types.get(type) ?? 0;
  const interfaces = ofType(all, 'AWS::EC2::VPCEndpoint').filter(
    ([, p]) => p.VpcEndpointType === 'Interface',
  );
  return {
    types,
    functions: functionsOf(all),
    interfaceEndpoints: interfaces.length,
    interfaceEndpointAzs: interfaces.reduce((n, [, p]) => n + arr(p.SubnetIds).length, 0),
    redisNodes: redisNodesOf(all),
    streams: streamsOf(all),
    tables: tablesOf(all),
    buckets: bucketsOf(all),
    alarms: count('AWS::CloudWatch::Alarm'),
    alarmMetrics: alarmMetricsOf(all),
    dashboards: count('AWS::CloudWatch::Dashboard'),
    kmsKeys: count('AWS::KMS::Key'),
    secrets: count('AWS::SecretsManager::Secret'),
    logGroups: count('AWS::Logs::LogGroup'),
    queues: count('AWS::SQS::Queue'),
    eventBuses: count('AWS::Events::EventBus'),
    eventArchives: count('AWS::Events::Archive'),
    httpApis: count('AWS::ApiGatewayV2::Api'),
    lexBots: count('AWS::Lex::Bot'),
    knowledgeBases: count('AWS::Bedrock::KnowledgeBase'),
    vectorIndexes: count('AWS::S3Vectors::Index'),
    deliveryStreams: count('AWS::KinesisFirehose::DeliveryStream'),
    distributions: count('AWS::CloudFront::Distribution'),
    webAclRules: ofType(all, 'AWS::WAFv2::WebACL').map(([, p]) => arr(p.Rules).length),
    guardrailPolicies: guardrailPoliciesOf(all),
  };
}
