/**
 * The conversation's recent turns, as the context table keeps them (src/adapters/
 * dynamo-context-store.ts: one item per turn, key conversationId + turn; intent, redacted slots,
 * sentiment, language, timestamps, and the redacted text only when transcripts are allowed).
 * The ticket worker's transcript: a Query, newest first, read consistently, then oldest first.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConversationTableSchema } from '../../contracts/runtime-env';
import type { ConversationHistory, TurnRecord } from '../ports';
import { abortAfter } from '../util/timeout';

export class DynamoConversationHistory implements ConversationHistory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly opts: { tableName: string; timeoutMs?: number },
  ) {
    if (!opts.tableName) throw new Error('tableName is required');
  }

  async recentTurns(conversationId: string, limit: number): Promise<readonly TurnRecord[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.opts.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': ConversationTableSchema.partitionKey },
        ExpressionAttributeValues: { ':pk': conversationId },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: Math.max(1, Math.trunc(limit)),
      }),
      abortAfter(this.opts.timeoutMs),
    );
    return ((out.Items ?? []) as TurnRecord[]).reverse();
  }
}
