/**
 * Names of the environment variables the bot stack sets and the handlers read.
 * Shared by `lib/stacks/bot-stack.ts` and `src/` so a rename cannot break one side.
 */
export const FulfillmentEnv = {
  TABLE_NAME: 'CONVERSATION_TABLE_NAME',
  /** Days a turn item lives (the TTL attribute is set from it on every write). */
  TTL_DAYS: 'CONVERSATION_TTL_DAYS',
  REDIS_HOST: 'REDIS_HOST',
  REDIS_PORT: 'REDIS_PORT',
  /** 'true' in AWS (ElastiCache transit encryption); 'false' for a local redis-server. */
  REDIS_TLS: 'REDIS_TLS',
  /** Secrets Manager ARN of the Redis AUTH token (unset locally: no AUTH). */
  REDIS_AUTH_SECRET_ARN: 'REDIS_AUTH_SECRET_ARN',
  /** Full redis:// URL, used instead of host/port by the local platform and tests. */
  REDIS_URL: 'REDIS_URL',
  SESSION_TTL_SECONDS: 'SESSION_TTL_SECONDS',
  STREAM_NAME: 'EVENT_STREAM_NAME',
  /** Bucket for Polly audio of voice turns (short lifecycle). */
  AUDIO_BUCKET: 'AUDIO_BUCKET_NAME',
  /** Comma-separated bot locales, e.g. en_US,es_US. */
  BOT_LOCALES: 'BOT_LOCALES',
  /** 'true' to include raw (redacted) text in conversation events. */
  STREAM_TRANSCRIPTS: 'STREAM_TRANSCRIPTS',
  /** Per-call timeout budget for Comprehend/Translate/Polly, ms. */
  DEPENDENCY_TIMEOUT_MS: 'DEPENDENCY_TIMEOUT_MS',
  /**
   * Knowledge answers (all unset: the feature is off). JSON object locale -> knowledge base id,
   * e.g. {"en_US":"KB123","es_US":"KB456"}; a locale without an id gets no knowledge answers.
   */
  KNOWLEDGE_BASE_IDS: 'KNOWLEDGE_BASE_IDS',
  /** Converse model id or inference profile id, e.g. us.amazon.nova-lite-v1:0. */
  KNOWLEDGE_MODEL_ID: 'KNOWLEDGE_MODEL_ID',
  /** Bedrock guardrail id and version applied to the question and the answer. */
  GUARDRAIL_ID: 'GUARDRAIL_ID',
  GUARDRAIL_VERSION: 'GUARDRAIL_VERSION',
  /** Total budget of one knowledge answer (Retrieve + Converse), ms; default 6000. */
  KNOWLEDGE_TIMEOUT_MS: 'KNOWLEDGE_TIMEOUT_MS',
  /**
   * Optional: https base URL the stage serves documents at; a citation's link is this URL plus
   * the document's key in the documents bucket (else the document's source URI metadata).
   */
  KNOWLEDGE_DOCUMENTS_URL: 'KNOWLEDGE_DOCUMENTS_URL',
  ENVIRONMENT: 'PLATFORM_ENVIRONMENT',
  METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
  SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
  /** The ticket queue's URL (unset: ticket turns answer that no ticket can be registered). */
  TICKET_QUEUE_URL: 'TICKET_QUEUE_URL',
  /** JSON `SupportDeskSettings` (contracts/tickets.ts): desk hours, first response, contact. */
  SUPPORT_DESK: 'SUPPORT_DESK',
  /** The order system's https:// base URL (unset: the sample orders, or none). */
  ORDER_SOURCE_URL: 'ORDER_SOURCE_URL',
  /** Secrets Manager ARN of the order system's credentials. */
  ORDER_SOURCE_SECRET_ARN: 'ORDER_SOURCE_SECRET_ARN',
  /** Per-call timeout of an order lookup, ms. */
  ORDER_TIMEOUT_MS: 'ORDER_TIMEOUT_MS',
} as const;

/** What the knowledge sync function (src/handlers/knowledge-sync.ts) reads. */
export const KnowledgeSyncEnv = {
  /**
   * JSON object locale -> the knowledge base and data source that ingest the documents under
   * `<locale>/` of the documents bucket, e.g. {"en_US":{"knowledgeBaseId":"KB1","dataSourceId":"DS1"}}.
   */
  DATA_SOURCES: 'KNOWLEDGE_DATA_SOURCES',
  /** The documents bucket: events of any other bucket are ignored. */
  DOCUMENTS_BUCKET: 'KNOWLEDGE_DOCUMENTS_BUCKET',
  ENVIRONMENT: 'PLATFORM_ENVIRONMENT',
  METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
  SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
} as const;

/** The ticket worker (src/handlers/ticket-worker.ts). */
export const TicketWorkerEnv = {
  TICKETS_TABLE_NAME: 'TICKETS_TABLE_NAME',
  TICKET_BUS_NAME: 'TICKET_BUS_NAME',
  /** Read (Query) for the ticket's transcript: the conversation table. */
  CONVERSATION_TABLE_NAME: 'CONVERSATION_TABLE_NAME',
  /** How many recent turns the transcript keeps (default 20). */
  TRANSCRIPT_TURNS: 'TICKET_TRANSCRIPT_TURNS',
  ENVIRONMENT: 'PLATFORM_ENVIRONMENT',
  METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
  SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
} as const;

/** The support desk's ticket API (src/handlers/tickets-api.ts). */
export const TicketsApiEnv = {
  TICKETS_TABLE_NAME: 'TICKETS_TABLE_NAME',
  /**
   * Knowledge suggestions on GET /v1/tickets/{id}: JSON object locale -> knowledge base id, as
   * for the fulfillment (unset: suggestions are `unavailable`).
   */
  KNOWLEDGE_BASE_IDS: 'KNOWLEDGE_BASE_IDS',
  ENVIRONMENT: 'PLATFORM_ENVIRONMENT',
  METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
  SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
} as const;

export const ChannelEnv = {
  BOT_ID: 'LEX_BOT_ID',
  BOT_ALIAS_ID: 'LEX_BOT_ALIAS_ID',
  BOT_LOCALES: 'BOT_LOCALES',
  /** The conversation gate's Redis (the session store's replication group), as for the fulfillment. */
  REDIS_HOST: 'REDIS_HOST',
  REDIS_PORT: 'REDIS_PORT',
  REDIS_TLS: 'REDIS_TLS',
  REDIS_AUTH_SECRET_ARN: 'REDIS_AUTH_SECRET_ARN',
  /** Full redis:// URL instead of host/port (the local platform, tests). */
  REDIS_URL: 'REDIS_URL',
  /** Per-identity token bucket: tokens per second, and its size (config api.perIdentityRate/Burst). */
  RATE_PER_IDENTITY: 'CHANNEL_RATE_PER_IDENTITY',
  BURST_PER_IDENTITY: 'CHANNEL_BURST_PER_IDENTITY',
  /** Seconds a conversation stays bound to its owner after its last turn. */
  OWNER_TTL_SECONDS: 'CHANNEL_OWNER_TTL_SECONDS',
  /** The gate's Redis command budget, ms (default 500; the local platform allows more). */
  GATE_TIMEOUT_MS: 'CHANNEL_GATE_TIMEOUT_MS',
  /** Prefix of the gate's Redis keys (unset in AWS; the local platform and tests set one). */
  GATE_KEY_PREFIX: 'CHANNEL_GATE_KEY_PREFIX',
  /** Feedback (both unset: no feedback route): the turns' table it is stored in, the stream it is emitted on. */
  CONVERSATION_TABLE_NAME: 'CONVERSATION_TABLE_NAME',
  EVENT_STREAM_NAME: 'EVENT_STREAM_NAME',
  ENVIRONMENT: 'PLATFORM_ENVIRONMENT',
  METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
  SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
} as const;

/** The conversation table's key schema: shared by the data stack and the local dynalite table. */
export const ConversationTableSchema = {
  partitionKey: 'conversationId',
  sortKey: 'turn',
  ttlAttribute: 'expiresAt',
} as const;
