/**
 * The Bedrock knowledge adapter against both SDK clients mocked at the `send` level
 * (aws-sdk-client-mock): what it sends to Retrieve and Converse, and how it reads what comes back
 * (answer with citations, no answer, guardrail interventions at input and output, failures).
 */
import {
  BedrockAgentRuntimeClient,
  RetrieveCommand,
  type RetrieveCommandOutput,
} from '@aws-sdk/client-bedrock-agent-runtime';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import {
  BedrockKnowledgeBase,
  type BedrockKnowledgeOptions,
  knowledgeOptionsFromEnv,
  linkOf,
  NO_ANSWER,
  plainText,
  titleOf,
} from '../../../src/adapters/bedrock-knowledge';
import * as knowledgeChunk from '../../../src/chunks/knowledge';
import { ConfigError } from '../../../src/env';
import { passage } from '../../support/bedrock-retrieval';

const agentRuntime = mockClient(BedrockAgentRuntimeClient);
const runtime = mockClient(BedrockRuntimeClient);

beforeEach(() => {
  agentRuntime.reset();
  runtime.reset();
});

const OPTIONS: BedrockKnowledgeOptions = {
  knowledgeBaseIds: { en_US: 'KBEN123456', es_US: 'KBES123456' },
  modelId: 'us.amazon.nova-lite-v1:0',
  guardrail: { id: 'gr-abc123', version: '3' },
  languages: { en_US: 'en', es_US: 'es' },
  documentsUrl: 'https://chat.example.com/docs/',
};

function adapter(over: Partial<BedrockKnowledgeOptions> = {}, load = jest.fn(async () => knowledgeChunk)) {
  const kb = new BedrockKnowledgeBase(
    {
      agentRuntime: (mod) => new mod.BedrockAgentRuntimeClient({ region: 'us-east-1' }),
      runtime: (mod) => new mod.BedrockRuntimeClient({ region: 'us-east-1' }),
      load,
    },
    { ...OPTIONS, ...over },
  );
  return { kb, load };
}

const RETRIEVED: Partial<RetrieveCommandOutput> = {
  retrievalResults: [
    passage(
      'Returns are accepted within 30 days of delivery.   Items must be unused.',
      0.81,
      's3://docs-bucket/en/returns-policy.md',
    ),
    passage(
      'Refunds reach your card in 5 to 7 business days.',
      0.74,
      's3://docs-bucket/en/returns-policy.md',
    ),
    passage('<b>Shipping</b> is free over $50.', 0.62, 's3://docs-bucket/en/shipping.md', {
      title: 'Shipping & delivery',
    }),
    passage('Our stores open at 9 am.', 0.21, 's3://docs-bucket/en/stores.md'),
  ],
};

const answered = (text: string): Partial<ConverseCommandOutput> => ({
  stopReason: 'end_turn',
  output: { message: { role: 'assistant', content: [{ text }] } },
});

const intervened = (
  trace: NonNullable<ConverseCommandOutput['trace']>['guardrail'],
  text = 'Sorry, the model cannot answer this question.',
): Partial<ConverseCommandOutput> => ({
  stopReason: 'guardrail_intervened',
  output: { message: { role: 'assistant', content: [{ text }] } },
  trace: { guardrail: trace },
});

describe('BedrockKnowledgeBase: an answer', () => {
  test('GIVEN passages above the threshold WHEN asked THEN the model answer with one citation per document, best first', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    runtime.on(ConverseCommand).resolves(answered('You can return items within 30 days.'));
    const { kb } = adapter();

    const out = await kb.answer('  can I return something?  ', 'en_US');

    expect(out).toEqual({
      kind: 'answer',
      text: 'You can return items within 30 days.',
      citations: [
        {
          title: 'Returns policy',
          link: 'https://chat.example.com/docs/en/returns-policy.md',
          snippet: 'Returns are accepted within 30 days of delivery. Items must be unused.',
        },
        {
          title: 'Shipping & delivery',
          link: 'https://chat.example.com/docs/en/shipping.md',
          snippet: 'Shipping is free over $50.',
        },
      ],
    });
  });

  test('GIVEN a question WHEN asked THEN Retrieve gets the locale knowledge base, top 4 and the guardrail on the question', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    runtime.on(ConverseCommand).resolves(answered('ok'));

    await adapter().kb.answer('can I return something?', 'en_US');

    expect(agentRuntime.commandCalls(RetrieveCommand)[0]!.args[0].input).toEqual({
      knowledgeBaseId: 'KBEN123456',
      retrievalQuery: { text: 'can I return something?' },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 4 } },
      guardrailConfiguration: { guardrailId: 'gr-abc123', guardrailVersion: '3' },
    });
  });

  test('GIVEN passages WHEN the model is called THEN the passages are the grounding source, the question the query, with the guardrail traced', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    runtime.on(ConverseCommand).resolves(answered('ok'));

    await adapter().kb.answer('can I return something?', 'en_US');

    const input = runtime.commandCalls(ConverseCommand)[0]!.args[0].input as ConverseCommandInput;
    expect(input.modelId).toBe('us.amazon.nova-lite-v1:0');
    expect(input.guardrailConfig).toEqual({
      guardrailIdentifier: 'gr-abc123',
      guardrailVersion: '3',
      trace: 'enabled',
    });
    expect(input.inferenceConfig).toEqual({ maxTokens: 300, temperature: 0 });
    const guarded = input.messages![0]!.content!.flatMap((b) =>
      b.guardContent?.text ? [b.guardContent.text] : [],
    );
    expect(guarded).toHaveLength(2);
    expect(guarded[0]!.qualifiers).toEqual(['grounding_source']);
    // the three passages above 0.4, numbered, best first; the one below is not sent
    expect(guarded[0]!.text).toMatch(/^\[1\] Returns policy: Returns are accepted/);
    expect(guarded[0]!.text).toContain('[3] Shipping & delivery: Shipping is free');
    expect(guarded[0]!.text).not.toContain('stores open');
    expect(guarded[1]).toEqual({ text: 'can I return something?', qualifiers: ['query'] });
    expect(input.system![0]!.text).toContain('Always answer in English');
    expect(input.system![0]!.text).toContain(NO_ANSWER);
  });

  test('GIVEN a question of 1,024 characters WHEN the model is called THEN the grounding query is cut to its 1,000-character limit', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    runtime.on(ConverseCommand).resolves(answered('ok'));
    const long = 'why '.repeat(256);

    await adapter().kb.answer(long, 'en_US');

    const input = runtime.commandCalls(ConverseCommand)[0]!.args[0].input as ConverseCommandInput;
    const query = input.messages![0]!.content!.find((b) =>
      b.guardContent?.text?.qualifiers?.includes('query'),
    );
    expect(query!.guardContent!.text!.text).toBe(long.trim().slice(0, 1000));
  });

  test('GIVEN an es_US question WHEN asked THEN the Spanish knowledge base and a prompt that answers in Spanish', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    runtime.on(ConverseCommand).resolves(answered('Puedes devolver artículos dentro de 30 días.'));

    const out = await adapter().kb.answer('¿puedo devolver algo?', 'es_US');

    expect(out).toMatchObject({ kind: 'answer', text: 'Puedes devolver artículos dentro de 30 días.' });
    expect(agentRuntime.commandCalls(RetrieveCommand)[0]!.args[0].input.knowledgeBaseId).toBe('KBES123456');
    const input = runtime.commandCalls(ConverseCommand)[0]!.args[0].input as ConverseCommandInput;
    expect(input.system![0]!.text).toContain('Always answer in Spanish');
  });

  test('GIVEN the SDK not loaded yet WHEN the adapter is built THEN nothing is loaded until the first question', async () => {
    agentRuntime.on(RetrieveCommand).resolves({ retrievalResults: [] });
    const { kb, load } = adapter();
    expect(load).not.toHaveBeenCalled();

    await kb.answer('a question', 'en_US');
    await kb.answer('another question', 'en_US');

    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe('BedrockKnowledgeBase: no answer', () => {
  test('GIVEN no passage reaches the threshold WHEN asked THEN no-answer and the model is not called', async () => {
    agentRuntime.on(RetrieveCommand).resolves({
      retrievalResults: [passage('Our stores open at 9 am.', 0.39, 's3://docs-bucket/en/stores.md')],
    });

    const out = await adapter().kb.answer('what is the meaning of life?', 'en_US');

    expect(out).toEqual({ kind: 'no-answer', reason: 'no-passages' });
    expect(runtime.commandCalls(ConverseCommand)).toHaveLength(0);
  });

  test('GIVEN the model says NO_ANSWER WHEN asked THEN no-answer (declined), never its text', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    runtime.on(ConverseCommand).resolves(answered(`${NO_ANSWER}`));

    expect(await adapter().kb.answer('do you sell cars?', 'en_US')).toEqual({
      kind: 'no-answer',
      reason: 'declined',
    });
  });

  test('GIVEN a locale without a knowledge base WHEN asked THEN no-answer without any call', async () => {
    const out = await adapter({ knowledgeBaseIds: { en_US: 'KBEN123456' } }).kb.answer('hola', 'es_US');

    expect(out).toEqual({ kind: 'no-answer', reason: 'no-passages' });
    expect(agentRuntime.calls()).toHaveLength(0);
  });

  test('GIVEN the answer fails the grounding check only WHEN asked THEN no-answer (not grounded)', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    runtime.on(ConverseCommand).resolves(
      intervened({
        inputAssessment: { 'gr-abc123': {} },
        outputAssessments: {
          'gr-abc123': [
            {
              contextualGroundingPolicy: {
                filters: [
                  { type: 'GROUNDING', threshold: 0.75, score: 0.2, action: 'BLOCKED' },
                  { type: 'RELEVANCE', threshold: 0.75, score: 0.9, action: 'NONE' },
                ],
              },
            },
          ],
        },
      }),
    );

    expect(await adapter().kb.answer('how long is the warranty?', 'en_US')).toEqual({
      kind: 'no-answer',
      reason: 'not-grounded',
    });
  });
});

describe('BedrockKnowledgeBase: guardrail interventions', () => {
  test('GIVEN Retrieve says the guardrail intervened WHEN asked THEN blocked at input and the model is not called', async () => {
    agentRuntime.on(RetrieveCommand).resolves({ retrievalResults: [], guardrailAction: 'INTERVENED' });

    const out = await adapter().kb.answer('what is the admin password?', 'en_US');

    expect(out).toEqual({ kind: 'blocked', stage: 'input' });
    expect(runtime.commandCalls(ConverseCommand)).toHaveLength(0);
  });

  test('GIVEN Converse blocks on a denied topic in the input WHEN asked THEN blocked at input, no text', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    runtime.on(ConverseCommand).resolves(
      intervened({
        inputAssessment: {
          'gr-abc123': {
            topicPolicy: { topics: [{ name: 'credentials', type: 'DENY', action: 'BLOCKED' }] },
          },
        },
      }),
    );

    expect(await adapter().kb.answer('tell me the root password', 'en_US')).toEqual({
      kind: 'blocked',
      stage: 'input',
    });
  });

  test('GIVEN the output blocked by a content or PII policy WHEN asked THEN blocked at output, the model text dropped', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    runtime.on(ConverseCommand).resolves(
      intervened({
        modelOutput: ['SECRET MODEL OUTPUT'],
        inputAssessment: { 'gr-abc123': {} },
        outputAssessments: {
          'gr-abc123': [
            {
              sensitiveInformationPolicy: {
                piiEntities: [{ match: 'x', type: 'PASSWORD', action: 'BLOCKED' }],
                regexes: [],
              },
              contextualGroundingPolicy: {
                filters: [{ type: 'GROUNDING', threshold: 0.75, score: 0.9, action: 'NONE' }],
              },
            },
          ],
        },
      }),
    );

    const out = await adapter().kb.answer('what does the doc say?', 'en_US');

    expect(out).toEqual({ kind: 'blocked', stage: 'output' });
    expect(JSON.stringify(out)).not.toContain('SECRET');
  });

  test('GIVEN an intervention without a trace WHEN asked THEN blocked at output (never shown)', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    runtime
      .on(ConverseCommand)
      .resolves({ stopReason: 'guardrail_intervened', output: answered('x').output });

    expect(await adapter().kb.answer('q?', 'en_US')).toEqual({ kind: 'blocked', stage: 'output' });
  });
});

describe('BedrockKnowledgeBase: failures reach the caller', () => {
  test('GIVEN Retrieve throttled WHEN asked THEN it rejects with the SDK error (the turn answers honestly)', async () => {
    agentRuntime
      .on(RetrieveCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(adapter().kb.answer('a question', 'en_US')).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });

  test('GIVEN the abort signal of the turn WHEN the calls are sent THEN each carries it', async () => {
    agentRuntime.on(RetrieveCommand).resolves(RETRIEVED);
    runtime.on(ConverseCommand).resolves(answered('ok'));
    const controller = new AbortController();

    await adapter().kb.answer('a question', 'en_US', { signal: controller.signal });

    expect((agentRuntime.commandCalls(RetrieveCommand)[0]!.args as unknown[])[1]).toEqual({
      abortSignal: controller.signal,
    });
    expect((runtime.commandCalls(ConverseCommand)[0]!.args as unknown[])[1]).toEqual({
      abortSignal: controller.signal,
    });
  });
});

describe('citations: titles, links, plain snippets', () => {
  test.each([
    [{ title: 'Warranty <b>terms</b>' }, 's3://b/en/x.md', 'Warranty terms'],
    [{}, 's3://b/en/getting_started-guide.txt', 'Getting started guide'],
    [{}, 's3://b/en/Garant%C3%ADa%20extendida.md', 'Garantía extendida'],
    [{}, '', 'Document'],
  ])('GIVEN metadata %j and URI %s WHEN titled THEN %s', (metadata, uri, title) => {
    expect(titleOf(metadata, uri)).toBe(title);
  });

  test.each([
    [
      's3://b/es/garantía extendida.md',
      'https://x.example/docs',
      'https://x.example/docs/es/garant%C3%ADa%20extendida.md',
    ],
    ['s3://b/en/a.md', undefined, ''],
    ['https://help.example.com/a', 'https://x.example/docs', 'https://help.example.com/a'],
    ['javascript:alert(1)', undefined, ''],
  ])('GIVEN %s and documents URL %s WHEN linked THEN %j', (uri, base, link) => {
    expect(linkOf(uri, base)).toBe(link);
  });

  test('GIVEN no documents URL WHEN the document has https url metadata THEN that is the link', () => {
    expect(linkOf('s3://b/en/a.md', undefined, { url: 'https://help.example.com/returns' })).toBe(
      'https://help.example.com/returns',
    );
    expect(linkOf('s3://b/en/a.md', undefined, { url: 'http://insecure.example/a' })).toBe('');
  });

  test('GIVEN a passage with HTML, a script and control characters WHEN made plain THEN text only', () => {
    expect(plainText('<script>alert(1)</script>Hello\u0007\n\n<i>world</i>')).toBe('alert(1) Hello world');
  });
});

describe('knowledgeOptionsFromEnv', () => {
  const languages = { en_US: 'en', es_US: 'es' } as const;
  const env = {
    KNOWLEDGE_BASE_IDS: '{"en_US":"KBEN123456","es_US":"KBES123456"}',
    KNOWLEDGE_MODEL_ID: 'us.amazon.nova-lite-v1:0',
    GUARDRAIL_ID: 'gr-abc123',
    GUARDRAIL_VERSION: '3',
  };

  test('GIVEN no knowledge base ids WHEN read THEN the feature is off', () => {
    expect(knowledgeOptionsFromEnv({}, languages)).toBeUndefined();
  });

  test('GIVEN the four variables WHEN read THEN the options', () => {
    expect(knowledgeOptionsFromEnv(env, languages)).toEqual({
      knowledgeBaseIds: { en_US: 'KBEN123456', es_US: 'KBES123456' },
      modelId: 'us.amazon.nova-lite-v1:0',
      guardrail: { id: 'gr-abc123', version: '3' },
      languages,
    });
  });

  test.each([
    [{ KNOWLEDGE_BASE_IDS: 'KBEN123456' }, /KNOWLEDGE_BASE_IDS is not JSON/],
    [{ KNOWLEDGE_BASE_IDS: '["KBEN123456"]' }, /KNOWLEDGE_BASE_IDS must be a JSON object/],
    [{ KNOWLEDGE_BASE_IDS: '{"fr_FR":"KBFR123456"}' }, /KNOWLEDGE_BASE_IDS .*: fr_FR/],
    [{ GUARDRAIL_VERSION: '' }, /GUARDRAIL_VERSION is not set/],
    [{ KNOWLEDGE_MODEL_ID: undefined }, /KNOWLEDGE_MODEL_ID is not set/],
    [{ KNOWLEDGE_DOCUMENTS_URL: 'http://insecure.example' }, /KNOWLEDGE_DOCUMENTS_URL must be an https URL/],
  ])('GIVEN %j WHEN read THEN a config error naming the variable', (over, message) => {
    const read = () => knowledgeOptionsFromEnv({ ...env, ...over }, languages);
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(message);
  });
});
