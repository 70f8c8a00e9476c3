/**
 * The Bedrock knowledge suggestions adapter against the Knowledge Bases runtime mocked at the
 * `send` level (aws-sdk-client-mock): one Retrieve on the locale's knowledge base, no model, and
 * the passages read as the answer adapter reads them (score threshold, one per document, titles,
 * links, plain-text snippets).
 */
import {
  BedrockAgentRuntimeClient,
  RetrieveCommand,
  type RetrieveCommandOutput,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BedrockKnowledgeSuggestions,
  suggestionOptionsFromEnv,
} from '../../../src/adapters/bedrock-knowledge-suggestions';
import { ConfigError } from '../../../src/env';
import { passage } from '../../support/bedrock-retrieval';

const agentRuntime = mockClient(BedrockAgentRuntimeClient);
const runtime = mockClient(BedrockRuntimeClient);

beforeEach(() => {
  agentRuntime.reset();
  runtime.reset();
});

const adapter = (documentsUrl?: string) =>
  new BedrockKnowledgeSuggestions(new BedrockAgentRuntimeClient({ region: 'us-east-1' }), RetrieveCommand, {
    knowledgeBaseIds: { en_US: 'KBEN123456', es_US: 'KBES123456' },
    ...(documentsUrl ? { documentsUrl } : {}),
  });

const RETRIEVED: Partial<RetrieveCommandOutput> = {
  retrievalResults: [
    passage('Refunds reach your card in 5 to 7 business days.', 0.74, 's3://docs/en_US/returns-policy.md'),
    passage('Returns are accepted within <i>30 days</i>.', 0.81, 's3://docs/en_US/returns-policy.md'),
    passage('Shipping is free over $50.', 0.62, 's3://docs/en_US/shipping.md', {
      title: 'Shipping & delivery',
    }),
    passage('Gift cards never expire.', 0.55, 's3://docs/en_US/gift-cards.md'),
    passage('Store hours are 9 to 5.', 0.2, 's3://docs/en_US/store-hours.md'),
  ],
};

describe('BedrockKnowledgeSuggestions', () => {
  it('GIVEN passages WHEN suggesting THEN one Retrieve on the locale’s knowledge base, one citation per document above the score threshold, best first, up to the limit', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    const items = await adapter('https://chat.example.com/docs').suggest('refund for my return', 'en_US', {
      limit: 2,
    });
    expect(items).toEqual([
      {
        title: 'Returns policy',
        link: 'https://chat.example.com/docs/en_US/returns-policy.md',
        snippet: 'Returns are accepted within 30 days .',
      },
      {
        title: 'Shipping & delivery',
        link: 'https://chat.example.com/docs/en_US/shipping.md',
        snippet: 'Shipping is free over $50.',
      },
    ]);
    const calls = agentRuntime.commandCalls(RetrieveCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      knowledgeBaseId: 'KBEN123456',
      retrievalQuery: { text: 'refund for my return' },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 6 } },
    });
    expect(runtime.calls()).toHaveLength(0); // retrieval only: no model
  });

  it('GIVEN only passages below the threshold WHEN suggesting THEN none', async () => {
    agentRuntime.on(RetrieveCommand).resolves({ retrievalResults: [RETRIEVED.retrievalResults![4]!] });
    expect(await adapter().suggest('opening hours', 'es_US', { limit: 3 })).toEqual([]);
    expect(agentRuntime.commandCalls(RetrieveCommand)[0]!.args[0].input.knowledgeBaseId).toBe('KBES123456');
  });

  it('GIVEN a locale without a knowledge base or an empty query WHEN suggesting THEN none, without a call', async () => {
    const only = new BedrockKnowledgeSuggestions(
      new BedrockAgentRuntimeClient({ region: 'us-east-1' }),
      RetrieveCommand,
      { knowledgeBaseIds: { en_US: 'KBEN123456' } },
    );
    expect(await only.suggest('refund', 'es_US', { limit: 3 })).toEqual([]);
    expect(await only.suggest('   ', 'en_US', { limit: 3 })).toEqual([]);
    expect(agentRuntime.calls()).toHaveLength(0);
  });

  it('GIVEN a long query WHEN suggesting THEN Retrieve gets its first 1,000 characters', async () => {
    agentRuntime.on(RetrieveCommand).resolves({ retrievalResults: [] });
    await adapter().suggest('x'.repeat(1500), 'en_US', { limit: 3 });
    expect(agentRuntime.commandCalls(RetrieveCommand)[0]!.args[0].input.retrievalQuery!.text).toHaveLength(
      1000,
    );
  });

  it('GIVEN Retrieve failing WHEN suggesting THEN the error propagates (the route says unavailable)', async () => {
    agentRuntime
      .on(RetrieveCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(adapter().suggest('refund', 'en_US', { limit: 3 })).rejects.toThrow('slow down');
  });

  it('GIVEN a signal WHEN suggesting THEN Retrieve is sent with it (the route’s timeout aborts the call)', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    const abort = new AbortController();
    await adapter().suggest('refund', 'en_US', { limit: 3, signal: abort.signal });
    const sent = agentRuntime.commandCalls(RetrieveCommand)[0]!.args as unknown[];
    expect(sent[1]).toEqual({ abortSignal: abort.signal });
  });
});

describe('suggestionOptionsFromEnv', () => {
  it('GIVEN KNOWLEDGE_BASE_IDS WHEN read THEN the ids; unset THEN undefined (suggestions unavailable)', () => {
    expect(suggestionOptionsFromEnv({ KNOWLEDGE_BASE_IDS: '{"en_US":"KBEN123456"}' })).toEqual({
      knowledgeBaseIds: { en_US: 'KBEN123456' },
    });
    expect(suggestionOptionsFromEnv({})).toBeUndefined();
  });

  it.each([
    ['not JSON', '{oops', /is not JSON/],
    ['an array', '[]', /JSON object of locale -> id/],
    ['an unknown locale', '{"fr_FR":"KB1"}', /fr_FR/],
  ])(
    'GIVEN ids that are %s WHEN read THEN a ConfigError naming KNOWLEDGE_BASE_IDS',
    (_what, raw, message) => {
      expect(() => suggestionOptionsFromEnv({ KNOWLEDGE_BASE_IDS: raw })).toThrow(ConfigError);
      expect(() => suggestionOptionsFromEnv({ KNOWLEDGE_BASE_IDS: raw })).toThrow(message);
      expect(() => suggestionOptionsFromEnv({ KNOWLEDGE_BASE_IDS: raw })).toThrow(/KNOWLEDGE_BASE_IDS/);
    },
  );
});
