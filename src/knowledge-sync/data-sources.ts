/**
 * Which knowledge base and data source ingest which documents: the documents bucket holds one
 * folder per bot locale (`en_US/`, `es_US/`), each the data source (inclusion prefix) of that
 * locale's knowledge base. Read from KNOWLEDGE_DATA_SOURCES (contracts/runtime-env.ts).
 */
import { LOCALES, type LocaleId } from '../../contracts/bot-model/types';
import { ConfigError } from '../env';

export interface DataSource {
  readonly knowledgeBaseId: string;
  readonly dataSourceId: string;
}

export type DataSources = Readonly<Partial<Record<LocaleId, DataSource>>>;

/** Bedrock knowledge base and data source ids: 10 letters or digits. */
const ID = /^[0-9A-Za-z]{10}$/;

/** The key prefix of a locale's documents: `en_US/`. */
export const localePrefix = (locale: LocaleId): string => `${locale}/`;

/** Parses the JSON of `name`; throws a ConfigError naming the variable and what is wrong. */
export function parseDataSources(raw: string, name: string): DataSources {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`environment variable ${name} must be JSON, got "${raw.slice(0, 40)}"`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`environment variable ${name} must be a JSON object locale -> data source`);
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length === 0) throw new ConfigError(`environment variable ${name} names no locale`);
  const result: Partial<Record<LocaleId, DataSource>> = {};
  for (const [locale, value] of entries) {
    if (!(LOCALES as readonly string[]).includes(locale)) {
      throw new ConfigError(`environment variable ${name} has unknown locale ${locale}`);
    }
    const ds = value as Partial<DataSource> | null;
    if (!ds || !ID.test(String(ds.knowledgeBaseId)) || !ID.test(String(ds.dataSourceId))) {
      throw new ConfigError(
        `environment variable ${name}: ${locale} needs knowledgeBaseId and dataSourceId (10 letters or digits)`,
      );
    }
    result[locale as LocaleId] = { knowledgeBaseId: ds.knowledgeBaseId!, dataSourceId: ds.dataSourceId! };
  }
  return result;
}
