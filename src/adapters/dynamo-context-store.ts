/**
 * Conversation context in DynamoDB: one item per turn, key (conversationId, turn), the TTL
 * attribute `expiresAt` (epoch seconds) on every write, and a conditional put so a retried
 * invocation of the same turn does not write it twice.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConversationTableSchema } from '../../contracts/runtime-env';
import type { ContextStore, TurnRecord } from '../ports';
import { abortAfter } from '../util/timeout';

const SECONDS_PER_DAY = 86_400;

export class DynamoContextStore implements ContextStore {
  private readonly tableName: string;
  private readonly ttlDays: number;
  private readonly now: () => number;
  private readonly timeoutMs?: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    opts: { tableName: string; ttlDays: number; now?: () => number; timeoutMs?: number },
  ) {
    if (!opts.tableName) throw new Error('tableName is required');
    if (!(opts.ttlDays > 0)) throw new Error('ttlDays must be > 0');
    this.tableName = opts.tableName;
    this.ttlDays = opts.ttlDays;
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs;
  }

  async putTurn(record: TurnRecord): Promise<'written' | 'duplicate'> {
    const { partitionKey, sortKey, ttlAttribute } = ConversationTableSchema;
    const expiresAt = Math.floor(this.now() / 1000) + Math.round(this.ttlDays * SECONDS_PER_DAY);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...record,
            [partitionKey]: record.conversationId,
            [sortKey]: record.turn,
            [ttlAttribute]: expiresAt,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': partitionKey },
        }),
        abortAfter(this.timeoutMs),
      );
      return 'written';
    } catch (err) {
      if (
        err instanceof ConditionalCheckFailedException ||
        (err as Error).name === 'ConditionalCheckFailedException'
      ) {
        return 'duplicate';
      }
      throw err;
    }
  }
}
