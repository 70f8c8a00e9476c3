/**
 * The tickets table in the local dynalite, created from the same key schema as the tickets
 * construct (`TicketTableSchema`, contracts/tickets.ts): partition key `ticketId`, GSIs byStatus
 * and byCustomer (sort key createdAt) and the sparse byExternalId, all projecting every attribute.
 */
import { CreateTableCommand, type DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { TicketTableSchema } from '../../contracts/tickets';

export const LOCAL_TICKETS_TABLE = 'local-tickets';

export async function createTicketsTable(
  client: DynamoDBClient,
  tableName = LOCAL_TICKETS_TABLE,
): Promise<string> {
  const { partitionKey, indexes } = TicketTableSchema;
  const attributes = new Set<string>([partitionKey]);
  const gsis = Object.values(indexes).map((index) => {
    attributes.add(index.partitionKey);
    if ('sortKey' in index) attributes.add(index.sortKey);
    return {
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        ...('sortKey' in index ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : []),
      ],
      Projection: { ProjectionType: 'ALL' as const },
    };
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map((name) => ({
        AttributeName: name,
        AttributeType: 'S' as const,
      })),
      KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: gsis,
    }),
  );
  await waitUntilTableExists(
    { client, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.2 },
    { TableName: tableName },
  );
  return tableName;
}
