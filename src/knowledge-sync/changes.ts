/**
 * The document changes in a batch of queue messages: each message is an EventBridge event of the
 * documents bucket (`Object Created` / `Object Deleted`, source `aws.s3`), grouped by the locale
 * folder the object is in. Messages that are not such an event, or name another bucket or a key
 * outside every locale folder, are ignored (nothing to sync for them).
 */
import type { SQSRecord } from 'aws-lambda';
import type { LocaleId } from '../../contracts/bot-model/types';
import { type DataSources, localePrefix } from './data-sources';

export type ChangeKind = 'created' | 'deleted';

export interface DocumentChange {
  /** The queue message it came in (what a batch item failure names). */
  readonly messageId: string;
  readonly kind: ChangeKind;
  readonly locale: LocaleId;
}

const KINDS: Readonly<Record<string, ChangeKind>> = {
  'Object Created': 'created',
  'Object Deleted': 'deleted',
};

interface S3Event {
  readonly source?: unknown;
  readonly 'detail-type'?: unknown;
  readonly detail?: {
    readonly bucket?: { readonly name?: unknown };
    readonly object?: { readonly key?: unknown };
  };
}

/** Why a message was ignored (logged as a count, never with the key). */
export type IgnoredReason = 'not an S3 object event' | 'another bucket' | 'outside the locale folders';

export type ParsedMessage =
  { readonly change: DocumentChange } | { readonly ignored: IgnoredReason; readonly messageId: string };

/** One queue message -> the change it carries, or why it is ignored. */
export function parseMessage(record: SQSRecord, bucket: string, dataSources: DataSources): ParsedMessage {
  const { messageId } = record;
  let event: S3Event;
  try {
    event = JSON.parse(record.body) as S3Event;
  } catch {
    return { ignored: 'not an S3 object event', messageId };
  }
  const kind = typeof event?.['detail-type'] === 'string' ? KINDS[event['detail-type']] : undefined;
  const key = event?.detail?.object?.key;
  if (event?.source !== 'aws.s3' || kind === undefined || typeof key !== 'string') {
    return { ignored: 'not an S3 object event', messageId };
  }
  if (event.detail?.bucket?.name !== bucket) return { ignored: 'another bucket', messageId };
  const locale = (Object.keys(dataSources) as LocaleId[]).find((l) => key.startsWith(localePrefix(l)));
  if (locale === undefined) return { ignored: 'outside the locale folders', messageId };
  return { change: { messageId, kind, locale } };
}

/** The batch's changes per locale (one ingestion job per locale covers all of them). */
export function groupByLocale(changes: readonly DocumentChange[]): Map<LocaleId, DocumentChange[]> {
  const groups = new Map<LocaleId, DocumentChange[]>();
  for (const change of changes) {
    const group = groups.get(change.locale) ?? [];
    group.push(change);
    groups.set(change.locale, group);
  }
  return groups;
}
