/**
 * The ticket worker's handler, with its ports injected: the Lambda entry point
 * (src/handlers/ticket-worker.ts: DynamoDB, EventBridge) and the local platform (local/tickets:
 * dynalite, an NDJSON bus file) compose the same function.
 *
 * An SQS batch through Powertools batch processing: each record is processed on its own
 * (processTicketRecord, one after the other), and the response lists the failed ones as
 * `batchItemFailures` (the event source has ReportBatchItemFailures), so only those return to
 * the queue and, after `maxReceives`, land in the dead-letter queue. A batch where every record
 * failed is answered the same way (not thrown), so the queue sees one shape.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { Metric, type MetricName } from '../../../contracts/metrics';
import { redact } from '../../redact';
import { errorName } from '../../fulfillment/turn/outcome';
import { processTicketRecord, type TicketWorkerDeps } from './process';

export type TicketWorkerPorts = Omit<TicketWorkerDeps, 'count' | 'logger'>;

export interface TicketWorkerRuntime {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export type TicketWorkerHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

export function createTicketWorkerHandler(
  ports: TicketWorkerPorts,
  { logger, metrics }: TicketWorkerRuntime,
): TicketWorkerHandler {
  const deps: TicketWorkerDeps = {
    ...ports,
    logger,
    count: (name: MetricName, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
  };

  const recordHandler = async (record: SQSRecord): Promise<void> => {
    try {
      await processTicketRecord(deps, record.body);
    } catch (err) {
      // The message id and the error's name and redacted message: never the body.
      logger.warn('ticket request failed; it will be redelivered', {
        messageId: record.messageId,
        receiveCount: record.attributes?.ApproximateReceiveCount,
        errorName: errorName(err),
        errorMessage: redact(err instanceof Error ? err.message : String(err)).slice(0, 300),
      });
      throw err;
    }
  };

  return async (event, context) => {
    if (context) logger.addContext(context);
    const processor = new BatchProcessor(EventType.SQS);
    try {
      const response = await processPartialResponse(event, recordHandler, processor, {
        ...(context ? { context } : {}),
        throwOnFullBatchFailure: false,
        // One record after the other: two deliveries of one request in a batch (a retried turn)
        // must not both find the ticket unpublished and both publish it.
        processInParallel: false,
      });
      const failures = response.batchItemFailures.length;
      if (failures > 0) deps.count(Metric.TicketWorkerFailures, failures);
      return response;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
