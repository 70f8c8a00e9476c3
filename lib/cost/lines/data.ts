/**
 * Cost lines of the data path: DynamoDB, ElastiCache, Kinesis, Firehose and the analytics bucket,
 * the audio bucket, and the ticket queue and bus.
 */
import { elastiCacheNodeHour } from '../prices';
import { DAYS_PER_MONTH, HOURS_PER_MONTH, SECONDS_PER_MONTH, USAGE } from '../usage';
import { GB, line, lineAt, type Context, type CostLine } from './context';

/** DynamoDB: the conversation table (a context item per turn, feedback) and the tickets table. */
export function dynamodb({ inventory, env, volumes: v, capacity }: Context): CostLine[] {
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
export function elastiCache({ inventory }: Context): CostLine[] {
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
export function kinesis({ inventory, volumes: v, capacity }: Context): CostLine[] {
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
export function analytics({ inventory, volumes: v, capacity }: Context): CostLine[] {
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
export function audio({ inventory, volumes: v }: Context): CostLine[] {
  const bucket = inventory.buckets.find((b) => b.logicalId.startsWith('AudioBucket'));
  if (!bucket) return [];
  const dailyGb = ((v.voiceTurns / DAYS_PER_MONTH) * USAGE.audioBytesPerVoiceTurn) / GB;
  return [
    line('S3', 's3PutRequest', v.voiceTurns),
    line('S3', 's3GetRequest', v.voiceTurns),
    line('S3', 's3StandardGbMonth', dailyGb * (bucket.expireAfterDays ?? 30)),
  ];
}

/** Tickets: SQS requests (send, receive, delete, idle polls), EventBridge events and their archive. */
export function tickets({ inventory, volumes: v, capacity }: Context): CostLine[] {
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
