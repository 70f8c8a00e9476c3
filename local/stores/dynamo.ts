/**
 * DynamoDB for the local platform: dynalite in-process (the real DynamoDB HTTP API, in
 * memory), listening on a free loopback port, with the conversation table created from the
 * same key schema as the data stack (`ConversationTableSchema`).
 *
 * dynalite has no UpdateTimeToLive: the TTL attribute is written on every item (by the real
 * DynamoContextStore) but nothing expires locally.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { ConversationTableSchema } from '../../contracts/runtime-env';
import { LOCAL_CREDENTIALS, loopbackClientConfig } from '../adapters/loopback-sdk';

export const LOCAL_TABLE_NAME = 'local-conversations';

/** Credentials dynalite accepts (it does not check signatures). */
export { LOCAL_CREDENTIALS };

export interface LocalDynamo {
  readonly endpoint: string;
  readonly tableName: string;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

export async function startLocalDynamo(tableName = LOCAL_TABLE_NAME): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  // unsigned, one keep-alive agent, middleware resolved once (local/adapters/loopback-sdk.ts)
  const client = new DynamoDBClient({ ...loopbackClientConfig(endpoint), maxAttempts: 2 });
  const { partitionKey, sortKey } = ConversationTableSchema;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: partitionKey, AttributeType: 'S' },
        { AttributeName: sortKey, AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
  await waitUntilTableExists(
    { client, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.2 },
    { TableName: tableName },
  );
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint,
    tableName,
    client,
    doc,
    async stop() {
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
