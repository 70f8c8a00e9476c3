/** Integration helpers: a real Redis (REDIS_URL) and an in-process dynalite with the conversation table. */
import { randomUUID } from 'node:crypto';
import { startLocalDynamo, type LocalDynamo } from '../../local/stores/dynamo';
import { deleteKeysWithPrefix } from '../../local/stores/redis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test (or helper) uses; every key under it is deleted afterwards. */
export const uniquePrefix = (): string => `test:${randomUUID().slice(0, 8)}:`;

export const deleteKeys = deleteKeysWithPrefix;

export type Dynalite = LocalDynamo;

/**
 * dynalite in-process on a free port with the conversation table created from the shared key
 * schema: the local platform's own DynamoDB (local/stores/dynamo.ts), a fresh table per call.
 */
export const startDynalite = (): Promise<Dynalite> =>
  startLocalDynamo(`conversations-${randomUUID().slice(0, 8)}`);
