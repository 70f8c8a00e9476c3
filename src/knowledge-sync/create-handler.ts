/**
 * The knowledge sync: S3 (documents bucket, EventBridge notifications) -> EventBridge rule -> SQS
 * queue -> this function, in batches (the queue's batching window debounces an upload of many
 * documents into one job per locale). Steps: parse the messages, group the changes by locale,
 * start one ingestion job per locale, count and log each outcome (job id, never a document
 * key), and return the messages of deferred or failed locales as batch item failures so the
 * queue delivers them again (deferred: a job was running; docs/deployment.md "Knowledge sync").
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { LocaleId } from '../../contracts/bot-model/types';
import { Metric } from '../../contracts/metrics';
import { type DocumentChange, groupByLocale, type IgnoredReason, parseMessage } from './changes';
import type { DataSources } from './data-sources';
import { startIngestion, type SyncOutcome } from './start-ingestion';

export interface KnowledgeSyncDeps {
  readonly bedrockAgent: BedrockAgentClient;
  /** The documents bucket (events of other buckets are ignored). */
  readonly bucket: string;
  readonly dataSources: DataSources;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

const METRIC_OF: Readonly<Record<SyncOutcome['status'], string>> = {
  started: Metric.KnowledgeSyncStarted,
  deferred: Metric.KnowledgeSyncDeferred,
  failed: Metric.KnowledgeSyncFailed,
};

/** The job's description: what triggered it (counts only). */
export function describeChanges(locale: LocaleId, changes: readonly DocumentChange[]): string {
  const created = changes.filter((c) => c.kind === 'created').length;
  return `sync of ${locale}/ after ${created} upload(s) and ${changes.length - created} deletion(s)`;
}

export function createKnowledgeSyncHandler(
  deps: KnowledgeSyncDeps,
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  const { logger, metrics } = deps;

  return async function knowledgeSync(event: SQSEvent): Promise<SQSBatchResponse> {
    const changes: DocumentChange[] = [];
    const ignored = new Map<IgnoredReason, number>();
    for (const record of event.Records ?? []) {
      const parsed = parseMessage(record, deps.bucket, deps.dataSources);
      if ('change' in parsed) changes.push(parsed.change);
      else ignored.set(parsed.ignored, (ignored.get(parsed.ignored) ?? 0) + 1);
    }
    if (ignored.size > 0) logger.warn('messages ignored', { ignored: Object.fromEntries(ignored) });

    const retry: string[] = [];
    for (const [locale, group] of groupByLocale(changes)) {
      const outcome = await startIngestion(
        deps.bedrockAgent,
        deps.dataSources[locale]!,
        describeChanges(locale, group),
      );
      metrics.addMetric(METRIC_OF[outcome.status], MetricUnit.Count, 1);
      const context = { locale, changes: group.length, ...outcome };
      if (outcome.status === 'started') logger.info('ingestion job started', context);
      else if (outcome.status === 'deferred')
        logger.info('ingestion deferred: retried from the queue', context);
      else logger.error('ingestion job not started', context);
      if (outcome.status !== 'started') retry.push(...group.map((c) => c.messageId));
    }
    try {
      metrics.publishStoredMetrics();
    } catch (err) {
      logger.warn('metrics not published', { errorName: (err as Error)?.name });
    }
    return { batchItemFailures: retry.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
