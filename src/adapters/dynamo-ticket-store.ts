/**
 * The tickets table in DynamoDB (key schema `TicketTableSchema`, contracts/tickets.ts: partition
 * key `ticketId`; GSIs byStatus, byCustomer, byExternalId). Shared by the ticket worker (put if
 * absent, mark published), the desk's ticket API (get, update, find, list) and the local platform
 * (dynalite).
 *
 * - `putIfAbsent`: a conditional put on the ticket id, so a redelivered request never writes a
 *   second ticket or overwrites the first.
 * - `update`: optimistic concurrency on `version` (the condition compares it and the update
 *   increments it); a failed condition is told apart (not found / conflict) by a strong read.
 * - lists: newest first; the cursor is the page's LastEvaluatedKey, base64url JSON.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Ticket, TicketTableSchema, type TicketStatus } from '../../contracts/tickets';
import type { TicketListOptions, TicketPage, TicketStore, TicketUpdate, TicketUpdateResult } from '../ports';
import { abortAfter } from '../util/timeout';

/** Largest page a list returns. */
export const MAX_TICKET_PAGE = 100;
const DEFAULT_PAGE = 25;

/** A cursor that is not one this store gave out. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor() {
    super('cursor is not a valid page cursor');
  }
}

const isConditionFailure = (err: unknown): boolean =>
  err instanceof ConditionalCheckFailedException ||
  (err as Error | undefined)?.name === 'ConditionalCheckFailedException';

const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidCursorError();
    const ok = Object.values(value).every((v) => typeof v === 'string' || typeof v === 'number');
    if (!ok || Object.keys(value).length === 0 || Object.keys(value).length > 4)
      throw new InvalidCursorError();
    return value as Record<string, unknown>;
  } catch {
    throw new InvalidCursorError();
  }
}

export class DynamoTicketStore implements TicketStore {
  private readonly tableName: string;
  private readonly timeoutMs?: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    opts: { tableName: string; timeoutMs?: number },
  ) {
    if (!opts.tableName) throw new Error('tableName is required');
    this.tableName = opts.tableName;
    this.timeoutMs = opts.timeoutMs;
  }

  async putIfAbsent(ticket: Ticket): Promise<'created' | 'exists'> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...ticket },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TicketTableSchema.partitionKey },
        }),
        abortAfter(this.timeoutMs),
      );
      return 'created';
    } catch (err) {
      if (isConditionFailure(err)) return 'exists';
      throw err;
    }
  }

  async get(ticketId: string): Promise<Ticket | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [TicketTableSchema.partitionKey]: ticketId },
        ConsistentRead: true,
      }),
      abortAfter(this.timeoutMs),
    );
    return out.Item as Ticket | undefined;
  }

  async update(ticketId: string, change: TicketUpdate): Promise<TicketUpdateResult> {
    const names: Record<string, string> = { '#pk': TicketTableSchema.partitionKey, '#version': 'version' };
    const values: Record<string, unknown> = {
      ':expected': change.expectedVersion,
      ':one': 1,
      ':updatedAt': change.updatedAt,
    };
    const set = ['#version = #version + :one', 'updatedAt = :updatedAt'];
    const remove: string[] = [];
    if (change.status !== undefined) {
      names['#status'] = 'status';
      values[':status'] = change.status;
      set.push('#status = :status');
    }
    if (change.assignee !== undefined) {
      names['#assignee'] = 'assignee';
      if (change.assignee === '') remove.push('#assignee');
      else {
        values[':assignee'] = change.assignee;
        set.push('#assignee = :assignee');
      }
    }
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [TicketTableSchema.partitionKey]: ticketId },
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(#pk) AND #version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
        abortAfter(this.timeoutMs),
      );
      return { outcome: 'updated', ticket: out.Attributes as Ticket };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const current = await this.get(ticketId);
      return current ? { outcome: 'conflict', current } : { outcome: 'not-found' };
    }
  }

  async markPublished(ticketId: string, publishedAt: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [TicketTableSchema.partitionKey]: ticketId },
          UpdateExpression: 'SET publishedAt = :publishedAt',
          ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(publishedAt)',
          ExpressionAttributeNames: { '#pk': TicketTableSchema.partitionKey },
          ExpressionAttributeValues: { ':publishedAt': publishedAt },
        }),
        abortAfter(this.timeoutMs),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err; // already marked: nothing to do
    }
  }

  async findByExternalId(externalId: string): Promise<Ticket | undefined> {
    const index = TicketTableSchema.indexes.byExternalId;
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: { '#k': index.partitionKey },
        ExpressionAttributeValues: { ':k': externalId },
        Limit: 1,
      }),
      abortAfter(this.timeoutMs),
    );
    return out.Items?.[0] as Ticket | undefined;
  }

  listByStatus(status: TicketStatus, options: TicketListOptions = {}): Promise<TicketPage> {
    return this.list(TicketTableSchema.indexes.byStatus, status, options);
  }

  listByCustomer(customerId: string, options: TicketListOptions = {}): Promise<TicketPage> {
    return this.list(TicketTableSchema.indexes.byCustomer, customerId, options);
  }

  private async list(
    index: { name: string; partitionKey: string },
    value: string,
    options: TicketListOptions,
  ): Promise<TicketPage> {
    const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? DEFAULT_PAGE)), MAX_TICKET_PAGE);
    const start = decodeCursor(options.cursor);
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: { '#k': index.partitionKey },
        ExpressionAttributeValues: { ':k': value },
        ScanIndexForward: false,
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
      abortAfter(this.timeoutMs),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []) as Ticket[], ...(cursor ? { cursor } : {}) };
  }
}
