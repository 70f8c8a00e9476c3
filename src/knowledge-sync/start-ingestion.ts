/**
 * Starting one ingestion job for a locale's data source, and what a refusal means.
 *
 * A job re-scans the whole data source (the locale's folder): it adds, updates and removes the
 * vectors of every document created, changed or deleted since the last job. So the changes of a
 * batch are synced by ONE job started AFTER them. When a job is already running it may have
 * listed the folder before the change: the change is not lost but deferred (the queue message is
 * returned and comes back after the visibility timeout) until a job starts after it.
 *
 * "A job is already running": Bedrock allows one running job per data source and knowledge base
 * (quotas). The API reference lists ConflictException ("There was a conflict performing an
 * operation") for StartIngestionJob; the exact wording for a running job could not be confirmed,
 * so a ConflictException of any wording, and a ValidationException worded like one (ongoing / in
 * progress / already running / concurrent), count as "already running". Throttling and quota
 * refusals (StartIngestionJob: 0.1 requests per second, not adjustable) are deferred the same way.
 */
import { type BedrockAgentClient, StartIngestionJobCommand } from '@aws-sdk/client-bedrock-agent';
import type { DataSource } from './data-sources';

export type SyncOutcome =
  | { readonly status: 'started'; readonly ingestionJobId: string }
  | { readonly status: 'deferred'; readonly reason: 'job already running' | 'throttled' }
  | { readonly status: 'failed'; readonly errorName: string };

const RUNNING_WORDING = /ongoing|in progress|already running|concurrent|currently running/i;

/** Is `error` Bedrock refusing a job because one is already running for the data source? */
export function isJobAlreadyRunning(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return (
    name === 'ConflictException' || (name === 'ValidationException' && RUNNING_WORDING.test(message ?? ''))
  );
}

/** Is `error` a rate or quota refusal that a later attempt gets past? */
export function isThrottled(error: unknown): boolean {
  const { name } = (error ?? {}) as { name?: string };
  return name === 'ThrottlingException' || name === 'ServiceQuotaExceededException';
}

/** Starts a job for `dataSource`; never throws (the outcome says what happened). */
export async function startIngestion(
  client: BedrockAgentClient,
  dataSource: DataSource,
  description: string,
): Promise<SyncOutcome> {
  try {
    const { ingestionJob } = await client.send(
      new StartIngestionJobCommand({
        knowledgeBaseId: dataSource.knowledgeBaseId,
        dataSourceId: dataSource.dataSourceId,
        description: description.slice(0, 200),
      }),
    );
    return { status: 'started', ingestionJobId: ingestionJob?.ingestionJobId ?? 'unknown' };
  } catch (error) {
    if (isJobAlreadyRunning(error)) return { status: 'deferred', reason: 'job already running' };
    if (isThrottled(error)) return { status: 'deferred', reason: 'throttled' };
    return { status: 'failed', errorName: (error as Error)?.name ?? 'Error' };
  }
}
