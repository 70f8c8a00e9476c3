/**
 * Feedback kept with the turn it rates: the conversation table's item (conversationId, turn)
 * gains a `feedback` attribute, written once (the item must exist and have none yet). A refused
 * write is told apart with one read: no item -> 'no-such-turn', an item with feedback ->
 * 'duplicate'. The turn item's TTL applies to its feedback too.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConversationTableSchema } from '../../contracts/runtime-env';
import type { FeedbackStore, StoredFeedback } from '../ports';
import { abortAfter } from '../util/timeout';

export const FEEDBACK_ATTRIBUTE = 'feedback';

export class DynamoFeedbackStore implements FeedbackStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly opts: { tableName: string; timeoutMs?: number },
  ) {
    if (!opts.tableName) throw new Error('tableName is required');
  }

  async attach(
    conversationId: string,
    turn: number,
    feedback: StoredFeedback,
  ): Promise<'stored' | 'no-such-turn' | 'duplicate'> {
    const { partitionKey, sortKey } = ConversationTableSchema;
    const Key = { [partitionKey]: conversationId, [sortKey]: turn };
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.opts.tableName,
          Key,
          UpdateExpression: 'SET #fb = :fb',
          ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#fb)',
          ExpressionAttributeNames: { '#pk': partitionKey, '#fb': FEEDBACK_ATTRIBUTE },
          ExpressionAttributeValues: { ':fb': feedback },
        }),
        abortAfter(this.opts.timeoutMs),
      );
      return 'stored';
    } catch (err) {
      const refused =
        err instanceof ConditionalCheckFailedException ||
        (err as Error).name === 'ConditionalCheckFailedException';
      if (!refused) throw err;
    }
    const existing = await this.doc.send(
      new GetCommand({
        TableName: this.opts.tableName,
        Key,
        ProjectionExpression: '#pk',
        ExpressionAttributeNames: { '#pk': partitionKey },
      }),
      abortAfter(this.opts.timeoutMs),
    );
    return existing.Item ? 'duplicate' : 'no-such-turn';
  }
}
