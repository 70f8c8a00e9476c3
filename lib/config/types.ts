/**
 * Typed configuration of one deployment environment (dev, staging, prod) and of the
 * pipeline's tooling account. Values come from `environments.ts`; accounts and regions
 * can be overridden from cdk.json context or environment variables (see `load.ts`).
 */
import type { LocaleId, Localized } from '../../contracts/bot-model/types';

export type EnvironmentName = 'dev' | 'staging' | 'prod';

export const ENVIRONMENT_NAMES: readonly EnvironmentName[] = ['dev', 'staging', 'prod'];

export interface NetworkConfig {
  /** Availability zones the VPC spans (2 in dev/staging, 3 in prod). */
  readonly maxAzs: number;
  /**
   * NAT gateways. 0 keeps every Lambda off the internet: all AWS APIs on the hot path are
   * reached through VPC endpoints.
   * @default 0
   */
  readonly natGateways: number;
  /**
   * Names of the availability zones the VPC uses (exactly `maxAzs` of them, in the region).
   * Synth never looks zones up from an account (docs/architecture.md, "Offline synth"); set this where an account lacks
   * one of the default letters (e.g. us-west-1 often has only b and c).
   * @default - `<region>a`, `<region>b`, ... (`maxAzs` of them)
   */
  readonly availabilityZones?: readonly string[];
}

export interface RedisConfig {
  /** ElastiCache node type, e.g. cache.r7g.large. */
  readonly nodeType: string;
  /** Read replicas per shard (0 = primary only). */
  readonly replicasPerNodeGroup: number;
  /** Multi-AZ with automatic failover; needs at least one replica. */
  readonly multiAz: boolean;
  /** Days of automatic snapshots kept. */
  readonly snapshotRetentionDays: number;
  /** TCP port: deliberately not the well-known 6379 (cdk-nag AwsSolutions-AEC5). */
  readonly port: number;
  /** Idle TTL of a session key, seconds. */
  readonly sessionTtlSeconds: number;
}

export interface DynamoDbConfig {
  readonly pointInTimeRecovery: boolean;
  readonly deletionProtection: boolean;
  /** Days a conversation turn lives before the TTL attribute expires it. */
  readonly ttlDays: number;
}

export interface KinesisConfig {
  /** ON_DEMAND scales by itself; PROVISIONED uses `shardCount` (from the capacity model). */
  readonly mode: 'ON_DEMAND' | 'PROVISIONED';
  /** Shards when PROVISIONED. */
  readonly shardCount?: number;
  /** Hours records are retained in the stream (24..8760). */
  readonly retentionHours: number;
}

export interface LambdaConfig {
  /** Fulfillment function memory, MB. */
  readonly memoryMb: number;
  /** Fulfillment reserved concurrency (from the capacity model outside dev). */
  readonly reservedConcurrency: number;
  /** Fulfillment timeout, seconds (Lex waits at most 30 s for a code hook). */
  readonly timeoutSeconds: number;
}

export interface AlarmThresholds {
  /** Alarm when recognized turns / all turns falls below this (0..1). */
  readonly intentRecognitionRateMin: number;
  /** Alarm when p99 fulfillment latency exceeds this, ms. */
  readonly fulfillmentP99Ms: number;
  /** Alarm when Lambda errors in 5 minutes exceed this. */
  readonly lambdaErrors: number;
  /** Alarm when DynamoDB read + write throttle events on the conversation table in 5 minutes reach this. */
  readonly dynamoThrottles: number;
  /**
   * Alarm when DynamoDB `SystemErrors` (HTTP 500s from DynamoDB itself) on the conversation table
   * in 5 minutes reach this count. An integer >= 1; 1 = alarm on the first one.
   */
  readonly dynamoSystemErrors: number;
  /** Redis engine CPU %, and memory %, above which to alarm. */
  readonly redisCpuPercent: number;
  readonly redisMemoryPercent: number;
  /** Redis evictions per 5 minutes. */
  readonly redisEvictions: number;
  /** Replica lag, seconds. */
  readonly redisReplicationLagSeconds: number;
  /** Kinesis GetRecords iterator age, ms. */
  readonly kinesisIteratorAgeMs: number;
  /**
   * Alarm when the records Kinesis rejected from PutRecords (`PutRecords.FailedRecords`, e.g.
   * throttled on a hot shard) in 5 minutes reach this count. An integer >= 1; 1 = the first one.
   */
  readonly kinesisPutFailedRecords: number;
  /** Firehose DeliveryToS3.DataFreshness, seconds. */
  readonly firehoseFreshnessSeconds: number;
  /**
   * Alarm when Firehose `DeliveryToS3.Success` (the share of S3 deliveries that succeeded,
   * averaged over 5 minutes) falls below this. In (0, 1]; 1 = alarm on any failed delivery.
   */
  readonly firehoseDeliverySuccessMin: number;
  /** API Gateway 5xx in 5 minutes. */
  readonly api5xx: number;
  /** API Gateway p99 latency, ms. */
  readonly apiP99Ms: number;
  /**
   * Alarm when turns that hit a defect of our own (`TurnDefects`: caught, answered with "sorry")
   * in one minute reach this count. An integer >= 1; 1 = alarm on the first one.
   */
  readonly turnDefects: number;
  /**
   * Alarm when code-hook events the fulfillment rejected as not Lex V2 (`InvalidEvents`) in 5
   * minutes reach this count. An integer >= 1.
   */
  readonly invalidEvents: number;
  /** Alarm when the channel function's p99 duration (AWS/Lambda `Duration`) exceeds this, ms. */
  readonly channelDurationP99Ms: number;
  /** Alarm when the channel's own p99 request latency (`ChannelLatency`, RecognizeText included) exceeds this, ms. */
  readonly channelLatencyP99Ms: number;
  /**
   * Alarm when channel requests answered 429/503 because Lex throttled us (`ChannelThrottled`) in
   * 5 minutes reach this count: the API's 5xx alarm does not see 429s. An integer >= 1.
   */
  readonly channelThrottled: number;
  /** Alarm when channel requests answered 5xx (`ChannelServerErrors`) in 5 minutes reach this count. An integer >= 1. */
  readonly channelServerErrors: number;
  /**
   * Alarm when answers rated helpful / all rated (thumbs) over an hour falls below this (0..1),
   * once at least 20 ratings came in that hour.
   */
  readonly feedbackHelpfulRateMin: number;
}

/**
 * Who hears the alarms: everything here is subscribed to the stage's alarm topic (ALARM and OK
 * of every alarm). Staging and prod need at least one recipient; dev may have none.
 */
export interface AlarmNotifications {
  /**
   * E-mail addresses subscribed to the alarm topic; each must confirm the subscription from the
   * e-mail SNS sends after the first deployment.
   */
  readonly emails: readonly string[];
  /**
   * An HTTPS endpoint subscribed to the alarm topic, e.g. an incident tool's SNS integration URL
   * (it must confirm the subscription, as those integrations do).
   * @default - none
   */
  readonly httpsEndpoint?: string;
  /**
   * A Slack channel AWS Chatbot posts the alarms to: the stack creates the Chatbot channel
   * configuration (no permissions: notifications only). The Slack workspace must first be
   * authorized once in the account, in the AWS Chatbot console, which shows its id.
   * @default - none
   */
  readonly slack?: {
    /** The Slack workspace (team) id, e.g. T07ABCDEF12. */
    readonly workspaceId: string;
    /** The Slack channel id, e.g. C07ABCDEF12 (the end of the channel's link). */
    readonly channelId: string;
  };
}

export interface BotConfig {
  /** Lex NLU confidence threshold: below it the fallback intent is chosen (0..1). */
  readonly nluConfidenceThreshold: number;
  /** Lex idle session TTL, seconds (60..86400). */
  readonly idleSessionTtlSeconds: number;
  /** Store raw transcripts in conversation events (off everywhere by default: PII). */
  readonly streamTranscripts: boolean;
}

export interface ApiConfig {
  /** Steady-state requests/s allowed by the HTTP API default stage. */
  readonly throttleRateLimit: number;
  /** Burst allowed by the HTTP API default stage. */
  readonly throttleBurstLimit: number;
  /**
   * Messages per second each Cognito identity (guest or signed-in customer) may send on average:
   * the refill rate of its token bucket in Redis (docs/web.md, "Rate limit and conversation
   * ownership"). IAM callers (the load-test role) have no bucket: the stage throttle bounds them.
   * @default DEFAULT_PER_IDENTITY_RATE (1)
   */
  readonly perIdentityRate?: number;
  /**
   * Messages an identity may send at once (its bucket's size, an integer >= 1); a caller over it
   * is answered 429 RATE_LIMITED with Retry-After.
   * @default DEFAULT_PER_IDENTITY_BURST (10)
   */
  readonly perIdentityBurst?: number;
}

/** Per-identity token bucket defaults (ApiConfig.perIdentityRate / perIdentityBurst). */
export const DEFAULT_PER_IDENTITY_RATE = 1;
export const DEFAULT_PER_IDENTITY_BURST = 10;

/**
 * Answers from the company's documents (Bedrock Knowledge Bases, one per bot locale, and a
 * guardrail): models, chunking, the share of turns that reach it, the answer budget and the
 * no-answer alarm (docs/decisions/knowledge-base.md, docs/decisions/vector-store.md).
 */
export interface KnowledgeConfig {
  /** Bedrock foundation model the knowledge bases embed documents and questions with. */
  readonly embeddingModelId: string;
  /** Vector dimensions of the embedding model (Titan Text Embeddings V2: 1024, 512 or 256). */
  readonly embeddingDimensions: number;
  /** Bedrock foundation model that writes the answers (Converse), e.g. amazon.nova-lite-v1:0. */
  readonly generationModelId: string;
  /**
   * Call the generation model through the cross-Region inference profile of the Region's
   * geography (`us.`, `eu.` or `apac.` + the model id) rather than the Region's on-demand model.
   */
  readonly crossRegionInference: boolean;
  /** Fixed-size chunking of the documents (cannot change once a data source exists). */
  readonly chunking: {
    /** Tokens per chunk (20..8192). */
    readonly maxTokens: number;
    /** Overlap between neighbouring chunks, percent (1..99). */
    readonly overlapPercentage: number;
  };
  /**
   * Share of turns that reach the knowledge base (0..1): the capacity model's Bedrock quotas
   * and the cost figures in docs/decisions/vector-store.md are computed from it.
   */
  readonly shareOfTurns: number;
  /** Total budget of one knowledge answer (Retrieve + Converse), ms; within the Lambda timeout. */
  readonly timeoutMs: number;
  /** Alarm when knowledge turns answered "I don't know" / all knowledge turns exceeds this (0..1). */
  readonly noAnswerRateMax: number;
  /** Days a replaced or deleted document's old version is kept in the documents bucket. */
  readonly noncurrentVersionDays: number;
}

export interface LoadTestConfig {
  /** Artillery profile run after this environment deploys; undefined = none. */
  readonly profile?: 'smoke' | 'capacity';
  /** Distributed Artillery workers (run-fargate) for the capacity profile; 0 = one process. */
  readonly workers: number;
}

/**
 * Tickets (docs/tickets.md): the SQS queue the fulfillment enqueues ticket requests on, the worker
 * that writes them, the support desk the bot describes and that calls the ticket API, and the
 * optional webhook integration on the ticket bus.
 */
export interface TicketsConfig {
  /** Receives of a message before SQS moves it to the dead-letter queue (1..1000). @default 3 */
  readonly maxReceives: number;
  /**
   * Visibility timeout of the queue, seconds: at least 6x `workerTimeoutSeconds` (AWS's guidance
   * for a Lambda event source, so Lambda can retry a throttled batch before a message reappears).
   */
  readonly visibilityTimeoutSeconds: number;
  /** Worker function timeout, seconds (at most visibilityTimeoutSeconds / 6). */
  readonly workerTimeoutSeconds: number;
  /** Days SQS keeps an unconsumed message, in both queues (1..14). */
  readonly retentionDays: number;
  /** Messages per worker invocation (1..10 without a batching window, else up to 10,000). */
  readonly batchSize: number;
  /** Seconds Lambda gathers messages before invoking the worker (0..300). */
  readonly maxBatchingWindowSeconds: number;
  /** Maximum concurrent worker invocations the queue may drive (2..1000, SQS event source `MaximumConcurrency`). */
  readonly workerMaxConcurrency: number;
  /** Alarm when the oldest message of the queue is older than this, seconds. */
  readonly oldestMessageAlarmSeconds: number;
  /** The support desk as the bot describes it (env `SUPPORT_DESK`): hours per locale, first response. */
  readonly supportDesk: {
    /** Opening hours in each locale's words, e.g. "Monday to Friday, 8:00-18:00 (ET)". */
    readonly hours: Localized;
    /** Hours within which the desk answers a new ticket: the answer promises exactly this. */
    readonly firstResponseHours: number;
    /** What to do when a ticket cannot be registered (e-mail/phone), per locale. @default - none */
    readonly contact?: Localized;
  };
  /**
   * Who may assume the SupportDeskRole (the only principal allowed the ticket routes): a 12-digit
   * account id (the desk's account; its administrators delegate) or an IAM role ARN.
   * @default - the environment's own account
   */
  readonly deskPrincipal?: string;
  /**
   * The documented example integration (docs/tickets.md): an EventBridge API destination that
   * POSTs every `TicketCreated` to a ticketing system's webhook. Off by default.
   */
  readonly webhook: {
    readonly enabled: boolean;
    /** The webhook's https:// URL (required when enabled). */
    readonly endpoint?: string;
    /**
     * Secrets Manager ARN of the API key the webhook expects (JSON `{"apiKey": "..."}` or plain
     * string), required when enabled; the connection sends it as the `x-api-key` header.
     */
    readonly secretArn?: string;
    /** Invocations/s the API destination may make (1..300). @default 10 */
    readonly rateLimitPerSecond?: number;
  };
}

/**
 * Where `CheckOrderStatus` reads orders from, and how the fulfillment (isolated subnets, no NAT)
 * reaches it (docs/deployment.md, "Order source"):
 * - `sample`: no order system; the local sample orders file (no network path is built).
 * - `privatelink`: an interface VPC endpoint to the order system's endpoint service.
 * - `nat`: an opt-in NAT gateway and egress subnets for the fulfillment only (acknowledged).
 */
export interface OrdersConfig {
  readonly source: 'sample' | 'privatelink' | 'nat';
  /** The order system's https:// base URL (required unless `sample`). */
  readonly url?: string;
  /** Secrets Manager ARN of the order system's credentials (required unless `sample`). */
  readonly secretArn?: string;
  /** Per-call timeout, ms (within the turn's budget: at most 3,000). */
  readonly timeoutMs: number;
  /** `privatelink` only: the endpoint service and how its name resolves. */
  readonly privateLink?: {
    /** The order system's endpoint service name, e.g. com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0. */
    readonly serviceName: string;
    /**
     * true: the service's private DNS name (the host of `url`) resolves to the endpoint inside
     * the VPC. false: the fulfillment calls the endpoint's own DNS name with `url`'s path (the
     * order system's certificate must cover that name).
     */
    readonly privateDns: boolean;
  };
  /** `nat` only: an explicit acknowledgement that this environment gets a route to the internet. */
  readonly nat?: {
    /** Must be true: the NAT's cost (hourly + per GB) and the egress path were reviewed. */
    readonly acknowledged: boolean;
    /** NAT gateways (1 = one AZ, cheaper; one per AZ for zonal resilience). @default 1 */
    readonly gateways?: number;
  };
}

/**
 * The stage's web chat (docs/web.md): where it may be embedded, which other sites may call the
 * channel API from a browser, an optional custom domain, the firewall's rate limit, signed-in
 * customers, and what the chat says first.
 */
export interface WebSettings {
  /**
   * Origins of the sites allowed to frame the chat (the loader embeds it in an iframe), e.g.
   * `https://www.example.com`: the CSP `frame-ancestors` besides `'self'`. Empty: only the chat's
   * own origin may frame it.
   */
  readonly frameAncestors: readonly string[];
  /**
   * Origins besides the chat's own (its CloudFront domain and `customDomain`) whose pages may call
   * the channel API from a browser (CORS), e.g. a site that runs its own client. Empty: none.
   */
  readonly allowedOrigins: readonly string[];
  /**
   * A domain name the distribution answers on, e.g. `chat.example.com` (its DNS record, a CNAME
   * or alias to the distribution, is the owner's to create). Set with `certificateArn`, or neither.
   * @default - the distribution's own `*.cloudfront.net` domain only
   */
  readonly customDomain?: string;
  /** ACM certificate (in us-east-1, as CloudFront requires) covering `customDomain`. */
  readonly certificateArn?: string;
  /** Requests per 5 minutes one IP address may make to the distribution before WAF blocks it. */
  readonly wafRateLimit: number;
  /** Create a Cognito user pool for signed-in customers (besides guests). */
  readonly userPool: boolean;
  /** The first message of a new conversation, per locale (plain text, every locale of the bot). */
  readonly welcome: Readonly<Record<LocaleId, string>>;
  /** Offer the widget's developer toggle (intent, confidence and slots of each answer). */
  readonly developerToggle: boolean;
}

/**
 * The traffic an environment carries, as `npm run cost` prices it (docs/cost.md): prod carries the
 * product requirement; dev and staging what their tests and users send.
 */
export interface TrafficConfig {
  /** Conversations a day (an average day; the capacity model's peak factor sizes the peak). */
  readonly conversationsPerDay: number;
}

/** What the environment may cost (docs/cost.md; the approval before prod checks it). */
export interface CostConfig {
  /** Monthly budget, USD: `npm run cost` prints whether the modelled month is within it. */
  readonly monthlyBudgetUsd: number;
}

/**
 * What the cost-allocation tags say about who pays (docs/deployment.md, "Cost-allocation tags"):
 * every taggable resource carries `project`, `environment`, `component`, `cost-centre` and
 * `managed-by` (lib/tags). Values are AWS tag values: 1 to 256 letters, digits, spaces and `_ . : / = + - @`.
 */
export interface CostAllocationConfig {
  /** The `project` tag: the project the resources belong to (the same in every environment). */
  readonly project: string;
  /** The `cost-centre` tag: the finance cost centre the resources' bill is charged to. */
  readonly costCentre: string;
}

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  /** 12-digit AWS account id. */
  readonly account: string;
  readonly region: string;
  readonly network: NetworkConfig;
  readonly redis: RedisConfig;
  readonly dynamodb: DynamoDbConfig;
  readonly kinesis: KinesisConfig;
  readonly lambda: LambdaConfig;
  readonly bot: BotConfig;
  readonly api: ApiConfig;
  readonly alarms: AlarmThresholds;
  /** Who the alarm topic notifies (at least one recipient outside dev). */
  readonly alarmNotifications: AlarmNotifications;
  /** Knowledge answers: models, chunking, share of turns, budget, no-answer alarm. */
  readonly knowledge: KnowledgeConfig;
  /** CloudWatch Logs retention, days (a value `logs.RetentionDays` accepts). */
  readonly logRetentionDays: number;
  /** Days analytics objects stay in S3 Standard before the archive tier, and before expiry. */
  readonly analytics: { readonly archiveAfterDays: number; readonly expireAfterDays: number };
  /** `destroy` in dev (stateful resources go with the stack), `retain` elsewhere. */
  readonly removalPolicy: 'destroy' | 'retain';
  readonly loadTest: LoadTestConfig;
  /** Tickets: queue, worker, support desk, webhook integration (docs/tickets.md). */
  readonly tickets: TicketsConfig;
  /** The order source and its network path (docs/deployment.md). */
  readonly orders: OrdersConfig;
  /** The web chat the stage serves (docs/web.md). */
  readonly web: WebSettings;
  /** The traffic the cost model prices this environment at. */
  readonly traffic: TrafficConfig;
  /** The monthly cost budget. */
  readonly cost: CostConfig;
  /** The project and cost centre the stage's cost-allocation tags name. */
  readonly costAllocation: CostAllocationConfig;
}

export interface PipelineConfig {
  /** Tooling account that hosts the pipeline. */
  readonly account: string;
  readonly region: string;
  /** CodeConnections (CodeStar Connections) ARN of the source repository connection. */
  readonly connectionArn: string;
  /** owner/name of the repository. */
  readonly repository: string;
  readonly branch: string;
  /** Optional e-mail subscribed to the pipeline notification topic. */
  readonly notificationEmail?: string;
  /** The project and cost centre the pipeline stack's cost-allocation tags name. */
  readonly costAllocation: CostAllocationConfig;
}

export interface AppConfig {
  readonly pipeline: PipelineConfig;
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentConfig>>;
}
