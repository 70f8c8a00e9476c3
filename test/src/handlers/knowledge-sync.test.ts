/** The knowledge sync entry point: environment read on first use, the client built at module scope. */
import { BedrockAgentClient, StartIngestionJobCommand } from '@aws-sdk/client-bedrock-agent';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { KnowledgeSyncEnv } from '../../../contracts/runtime-env';

const ORIGINAL_ENV = { ...process.env };
afterEach(() => {
  process.env = { ...ORIGINAL_ENV };
  jest.resetModules();
  jest.restoreAllMocks();
});

const event: SQSEvent = {
  Records: [
    {
      messageId: 'm1',
      body: JSON.stringify({
        source: 'aws.s3',
        'detail-type': 'Object Created',
        detail: { bucket: { name: 'docs' }, object: { key: 'es_US/envios.md' } },
      }),
    } as SQSEvent['Records'][number],
  ],
};

describe('src/handlers/knowledge-sync.ts', () => {
  test('GIVEN the sync env WHEN a batch arrives THEN StartIngestionJob on the data source of the changed locale', async () => {
    const agent = mockClient(BedrockAgentClient);
    agent.on(StartIngestionJobCommand).resolves({ ingestionJob: { ingestionJobId: 'JOB0000001' } as never });
    Object.assign(process.env, {
      [KnowledgeSyncEnv.DOCUMENTS_BUCKET]: 'docs',
      [KnowledgeSyncEnv.DATA_SOURCES]: JSON.stringify({
        es_US: { knowledgeBaseId: 'KBESUS0001', dataSourceId: 'DSESUS0001' },
      }),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { handler } = await import('../../../src/handlers/knowledge-sync');

    await expect(handler(event)).resolves.toEqual({ batchItemFailures: [] });
    expect(agent).toHaveReceivedCommandWith(StartIngestionJobCommand, {
      knowledgeBaseId: 'KBESUS0001',
      dataSourceId: 'DSESUS0001',
    });
  });

  test('GIVEN no data sources in the env WHEN a batch arrives THEN it fails naming the variable', async () => {
    Object.assign(process.env, { [KnowledgeSyncEnv.DOCUMENTS_BUCKET]: 'docs', AWS_REGION: 'us-east-1' });
    delete process.env[KnowledgeSyncEnv.DATA_SOURCES];
    const { handler } = await import('../../../src/handlers/knowledge-sync');
    await expect(handler(event)).rejects.toThrow(/KNOWLEDGE_DATA_SOURCES is not set/);
  });
});
