/**
 * Lambda entry point of the knowledge sync (SQS batches of the documents bucket's S3 events ->
 * Bedrock StartIngestionJob per locale). The steps are in src/knowledge-sync/; the environment is
 * read on the first invocation (contracts/runtime-env.ts, KnowledgeSyncEnv).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { KNOWLEDGE_SYNC_SERVICE, METRIC_NAMESPACE } from '../../contracts/metrics';
import { KnowledgeSyncEnv } from '../../contracts/runtime-env';
import { httpHandler } from '../adapters/http';
import { requireEnv } from '../env';
import { createKnowledgeSyncHandler } from '../knowledge-sync/create-handler';
import { parseDataSources } from '../knowledge-sync/data-sources';

const serviceName = process.env[KnowledgeSyncEnv.SERVICE_NAME] ?? KNOWLEDGE_SYNC_SERVICE;
const logger = new Logger({ serviceName });
const metrics = new Metrics({
  namespace: process.env[KnowledgeSyncEnv.METRICS_NAMESPACE] ?? METRIC_NAMESPACE,
  serviceName,
});
const bedrockAgent = new BedrockAgentClient({ requestHandler: httpHandler() });

let sync: ((event: SQSEvent) => Promise<SQSBatchResponse>) | undefined;

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  if (context) logger.addContext(context);
  sync ??= createKnowledgeSyncHandler({
    bedrockAgent,
    bucket: requireEnv(KnowledgeSyncEnv.DOCUMENTS_BUCKET),
    dataSources: parseDataSources(requireEnv(KnowledgeSyncEnv.DATA_SOURCES), KnowledgeSyncEnv.DATA_SOURCES),
    logger,
    metrics,
  });
  return sync(event);
};
