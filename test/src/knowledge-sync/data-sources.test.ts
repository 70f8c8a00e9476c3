import { ConfigError } from '../../../src/env';
import { localePrefix, parseDataSources } from '../../../src/knowledge-sync/data-sources';

const NAME = 'KNOWLEDGE_DATA_SOURCES';

describe('parseDataSources', () => {
  it('GIVEN one data source per locale WHEN parsed THEN each locale maps to its knowledge base and data source', () => {
    const raw = JSON.stringify({
      en_US: { knowledgeBaseId: 'KBENUS0001', dataSourceId: 'DSENUS0001' },
      es_US: { knowledgeBaseId: 'KBESUS0001', dataSourceId: 'DSESUS0001' },
    });
    expect(parseDataSources(raw, NAME)).toEqual({
      en_US: { knowledgeBaseId: 'KBENUS0001', dataSourceId: 'DSENUS0001' },
      es_US: { knowledgeBaseId: 'KBESUS0001', dataSourceId: 'DSESUS0001' },
    });
    expect(localePrefix('es_US')).toBe('es_US/');
  });

  it.each([
    ['not JSON', '{en_US', /must be JSON/],
    ['an array', '[]', /must be a JSON object/],
    ['no locale', '{}', /names no locale/],
    [
      'an unknown locale',
      JSON.stringify({ fr_FR: { knowledgeBaseId: 'KBENUS0001', dataSourceId: 'DSENUS0001' } }),
      /unknown locale fr_FR/,
    ],
    [
      'a malformed id',
      JSON.stringify({ en_US: { knowledgeBaseId: 'kb-1', dataSourceId: 'DSENUS0001' } }),
      /en_US needs knowledgeBaseId and dataSourceId/,
    ],
  ])('GIVEN %s WHEN parsed THEN a config error names the variable', (_what, raw, message) => {
    expect(() => parseDataSources(raw, NAME)).toThrow(ConfigError);
    expect(() => parseDataSources(raw, NAME)).toThrow(new RegExp(`${NAME}.*|${message.source}`));
    expect(() => parseDataSources(raw, NAME)).toThrow(message);
  });
});
