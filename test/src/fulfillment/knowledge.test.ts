/**
 * Knowledge turns through the whole fulfillment handler, with the real Bedrock adapter over both
 * SDK clients mocked (aws-sdk-client-mock) and the real Powertools Logger at INFO, its output
 * captured: the answer, its session attributes, the conversation event, the metrics, and that
 * neither a blocked question nor a blocked answer reaches a log line, an event or the response.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import * as v from 'valibot';
import { BOT_MODEL } from '../../../contracts/bot-model';
import type { Citation } from '../../../contracts/conversation-api';
import { Metric } from '../../../contracts/metrics';
import { BedrockKnowledgeBase, SOURCE_URI_KEY } from '../../../src/adapters/bedrock-knowledge';
import * as knowledgeChunk from '../../../src/chunks/knowledge';
import { createFulfillmentHandler, type FulfillmentDeps } from '../../../src/fulfillment/create-handler';
import type { LexV2CodeHookResponse } from '../../../src/lex/types';
import { LexV2ResponseSchema } from '../../../src/lex/response';
import { baseDeps, capturedMetrics, type EventOptions, lexEvent, scalar, TEST_CONFIG } from '../fixtures';

const agentRuntime = mockClient(BedrockAgentRuntimeClient);
const runtime = mockClient(BedrockRuntimeClient);

beforeEach(() => {
  agentRuntime.reset();
  runtime.reset();
});

function knowledgeBase(): BedrockKnowledgeBase {
  return new BedrockKnowledgeBase(
    {
      agentRuntime: (mod) => new mod.BedrockAgentRuntimeClient({ region: 'us-east-1' }),
      runtime: (mod) => new mod.BedrockRuntimeClient({ region: 'us-east-1' }),
      load: async () => knowledgeChunk,
    },
    {
      knowledgeBaseIds: { en_US: 'KBEN123456', es_US: 'KBES123456' },
      modelId: 'us.amazon.nova-lite-v1:0',
      guardrail: { id: 'gr-abc123', version: '1' },
      languages: { en_US: 'en', es_US: 'es' },
      documentsUrl: 'https://chat.example.com/docs',
    },
  );
}

type Line = Record<string, unknown>;

/** The handler with the real model, the knowledge base, an INFO logger; its log lines captured. */
function setup(over: Partial<FulfillmentDeps> = {}) {
  const { metrics, counts } = capturedMetrics();
  const deps = baseDeps({
    metrics,
    model: BOT_MODEL,
    knowledge: knowledgeBase(),
    logger: new Logger({ serviceName: 'fulfillment', logLevel: 'INFO' }),
    ...over,
  });
  const handler = createFulfillmentHandler(deps);
  const lines: Line[] = [];
  const run = async (o: EventOptions): Promise<LexV2CodeHookResponse> => {
    const capture = (chunk: unknown): boolean => {
      for (const text of String(chunk).split('\n'))
        if (text.startsWith('{')) lines.push(JSON.parse(text) as Line);
      return true;
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      return valid(await handler(lexEvent(o)));
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  };
  const turnLine = () => lines.find((l) => l.message === 'turn handled')!;
  return { deps, counts, run, lines, turnLine };
}

function valid(res: LexV2CodeHookResponse): LexV2CodeHookResponse {
  const parsed = v.safeParse(LexV2ResponseSchema, res);
  if (!parsed.success) throw new Error(`invalid Lex response:\n${v.summarize(parsed.issues)}`);
  return res;
}

const texts = (res: LexV2CodeHookResponse) =>
  (res.messages ?? []).filter((m) => m.contentType === 'PlainText').map((m) => m.content);
const cards = (res: LexV2CodeHookResponse) =>
  (res.messages ?? []).flatMap((m) => ('imageResponseCard' in m ? [m.imageResponseCard] : []));

const passage = (text: string, score: number, key: string) => ({
  content: { type: 'TEXT' as const, text },
  score,
  location: { type: 'S3' as const, s3Location: { uri: `s3://docs-bucket/${key}` } },
  metadata: { [SOURCE_URI_KEY]: `s3://docs-bucket/${key}` },
});

const answered = (text: string) => ({
  stopReason: 'end_turn' as const,
  output: { message: { role: 'assistant' as const, content: [{ text }] } },
});

const fallback = (text: string, o: EventOptions = {}): EventOptions => ({
  intent: 'FallbackIntent',
  text,
  ...o,
});

describe('GIVEN a question no intent covers', () => {
  const question = 'How long do refunds take to reach my card?';

  test('WHEN the documents answer it THEN the answer, its citations in the session attributes, source knowledge, KnowledgeAnswered', async () => {
    agentRuntime.on(RetrieveCommand).resolves({
      retrievalResults: [passage('Refunds reach your card in 5 to 7 business days.', 0.8, 'en/refunds.md')],
    });
    runtime.on(ConverseCommand).resolves(answered('Refunds reach your card in 5 to 7 business days.'));
    const { run, deps, counts, turnLine } = setup();

    const res = await run(fallback(question));

    expect(res.sessionState.dialogAction.type).toBe('Close');
    expect(res.sessionState.intent).toMatchObject({ name: 'FallbackIntent', state: 'Fulfilled' });
    expect(texts(res)).toEqual(['Refunds reach your card in 5 to 7 business days.']);
    expect(cards(res)).toEqual([]);
    const attrs = res.sessionState.sessionAttributes!;
    expect(attrs.answerSource).toBe('knowledge');
    expect(JSON.parse(attrs.citations!) as Citation[]).toEqual([
      {
        title: 'Refunds',
        link: 'https://chat.example.com/docs/en/refunds.md',
        snippet: 'Refunds reach your card in 5 to 7 business days.',
      },
    ]);
    expect(agentRuntime.commandCalls(RetrieveCommand)[0]!.args[0].input.retrievalQuery).toEqual({
      text: question,
    });
    expect(counts()[Metric.KnowledgeAnswered]).toBe(1);
    expect(counts()[Metric.KnowledgeNoAnswer]).toBeUndefined();
    expect(counts()[Metric.KnowledgeLatency]).toBeGreaterThanOrEqual(0);
    expect(deps.events.events[0]).toMatchObject({
      source: 'knowledge',
      knowledge: 'answered',
      fallback: true,
    });
    expect(deps.events.events[0]).not.toHaveProperty('guardrail');
    expect(turnLine()).toMatchObject({
      source: 'knowledge',
      knowledge: { outcome: 'answered', language: 'en', citations: 1 },
    });
  });

  test('WHEN asked in Spanish on es_US THEN the Spanish knowledge base answers in Spanish', async () => {
    agentRuntime.on(RetrieveCommand).resolves({
      retrievalResults: [passage('El reembolso llega en 5 a 7 días hábiles.', 0.8, 'es/reembolsos.md')],
    });
    runtime.on(ConverseCommand).resolves(answered('El reembolso llega a tu tarjeta en 5 a 7 días hábiles.'));
    const { run } = setup();

    const res = await run(fallback('¿Cuánto tarda el reembolso?', { locale: 'es_US' }));

    expect(texts(res)).toEqual(['El reembolso llega a tu tarjeta en 5 a 7 días hábiles.']);
    expect(agentRuntime.commandCalls(RetrieveCommand)[0]!.args[0].input.knowledgeBaseId).toBe('KBES123456');
    expect(runtime.commandCalls(ConverseCommand)[0]!.args[0].input.system![0]!.text).toContain(
      'Always answer in Spanish',
    );
    expect(JSON.parse(res.sessionState.sessionAttributes!.citations!)).toEqual([
      expect.objectContaining({
        title: 'Reembolsos',
        link: 'https://chat.example.com/docs/es/reembolsos.md',
      }),
    ]);
  });

  test.each([
    ['en_US', "I don't know that one", 'Talk to a person', 'talk to an agent'],
    ['es_US', 'Eso no lo sé', 'Hablar con una persona', 'hablar con un agente'],
  ] as const)(
    'WHEN nothing relevant is found (%s) THEN an honest "I don\'t know" and a card offering a person, KnowledgeNoAnswer',
    async (locale, says, button, utterance) => {
      agentRuntime.on(RetrieveCommand).resolves({
        retrievalResults: [passage('Our stores open at 9 am.', 0.1, 'en/stores.md')],
      });
      const { run, deps, counts, turnLine } = setup();

      const res = await run(fallback('what is the airspeed of a swallow', { locale }));

      expect(texts(res)).toEqual([expect.stringContaining(says)]);
      expect(cards(res)).toEqual([
        {
          title: BOT_MODEL.messages.knowledge.handOverTitle[locale],
          buttons: [{ text: button, value: utterance }],
        },
      ]);
      // the button's value is what the escalating intent understands in this locale
      expect(BOT_MODEL.intents.find((i) => i.name === 'TalkToAgent')!.utterances[locale]).toContain(
        utterance,
      );
      expect(runtime.commandCalls(ConverseCommand)).toHaveLength(0);
      expect(res.sessionState.sessionAttributes).toMatchObject({ answerSource: 'knowledge', citations: '' });
      expect(counts()[Metric.KnowledgeNoAnswer]).toBe(1);
      expect(counts()[Metric.KnowledgeAnswered]).toBeUndefined();
      expect(deps.events.events[0]).toMatchObject({ source: 'knowledge', knowledge: 'no-answer' });
      expect(turnLine()).toMatchObject({ knowledge: { outcome: 'no-answer', reason: 'no-passages' } });
    },
  );
});

describe('GIVEN a guardrail that intervenes', () => {
  const secretQuestion = 'what is the admin password for the billing system';
  const blockedOutput = 'The internal launch date of the X9 is March 3';

  test('WHEN it blocks the question THEN the polite fixed answer, source guardrail, GuardrailIntervened, and the question in no log line or event (transcripts on)', async () => {
    agentRuntime.on(RetrieveCommand).resolves({ retrievalResults: [], guardrailAction: 'INTERVENED' });
    const { run, deps, counts, lines, turnLine } = setup({
      config: { ...TEST_CONFIG, streamTranscripts: true },
    });

    const res = await run(fallback(secretQuestion));

    expect(texts(res)).toEqual([BOT_MODEL.messages.knowledge.blocked.en_US]);
    expect(cards(res)).toEqual([]);
    expect(res.sessionState.sessionAttributes).toMatchObject({ answerSource: 'guardrail', citations: '' });
    expect(counts()[Metric.GuardrailIntervened]).toBe(1);
    expect(deps.events.events[0]).toMatchObject({
      source: 'guardrail',
      knowledge: 'blocked',
      guardrail: 'input',
    });
    expect(deps.events.events[0]).not.toHaveProperty('text');
    expect(turnLine()).toMatchObject({
      source: 'guardrail',
      knowledge: { outcome: 'blocked', guardrail: 'input' },
    });
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain('admin password');
    expect(JSON.stringify(deps.events.events)).not.toContain('admin password');
  });

  test('WHEN it blocks the answer THEN the polite fixed answer in Spanish, and the blocked answer nowhere (response, logs, events)', async () => {
    agentRuntime.on(RetrieveCommand).resolves({
      retrievalResults: [passage('El X9 sale pronto.', 0.9, 'es/x9.md')],
    });
    runtime.on(ConverseCommand).resolves({
      stopReason: 'guardrail_intervened',
      output: { message: { role: 'assistant', content: [{ text: blockedOutput }] } },
      trace: {
        guardrail: {
          modelOutput: [blockedOutput],
          inputAssessment: { 'gr-abc123': {} },
          outputAssessments: {
            'gr-abc123': [
              { topicPolicy: { topics: [{ name: 'unreleased', type: 'DENY', action: 'BLOCKED' }] } },
            ],
          },
        },
      },
    });
    const { run, deps, counts, lines, turnLine } = setup({
      config: { ...TEST_CONFIG, streamTranscripts: true },
    });

    const res = await run(fallback('¿cuándo sale el X9?', { locale: 'es_US' }));

    expect(texts(res)).toEqual([BOT_MODEL.messages.knowledge.blocked.es_US]);
    expect(res.sessionState.sessionAttributes).toMatchObject({ answerSource: 'guardrail', citations: '' });
    expect(counts()[Metric.GuardrailIntervened]).toBe(1);
    expect(deps.events.events[0]).toMatchObject({ source: 'guardrail', guardrail: 'output' });
    expect(turnLine()).toMatchObject({ knowledge: { outcome: 'blocked', guardrail: 'output' } });
    for (const where of [JSON.stringify(res), JSON.stringify(lines), JSON.stringify(deps.events.events)]) {
      expect(where).not.toContain('March 3');
    }
  });
});

describe('GIVEN the knowledge base unavailable', () => {
  test('WHEN Bedrock throttles THEN the honest answer with the hand-over card, KnowledgeUnavailable counted and named degraded', async () => {
    agentRuntime.on(RetrieveCommand).rejects(
      Object.assign(new Error('Rate exceeded for KBEN123456 question text'), {
        name: 'ThrottlingException',
      }),
    );
    const { run, deps, counts, lines } = setup();

    const res = await run(fallback('how do I pair my headphones'));

    expect(texts(res)).toEqual([BOT_MODEL.messages.knowledge.unavailable.en_US]);
    expect(cards(res)).toHaveLength(1);
    expect(counts()[Metric.KnowledgeUnavailable]).toBe(1);
    expect(counts()[Metric.KnowledgeNoAnswer]).toBeUndefined();
    expect(deps.events.events[0]).toMatchObject({
      source: 'knowledge',
      knowledge: 'unavailable',
      degraded: [Metric.KnowledgeUnavailable],
    });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'knowledge degraded',
        errorName: 'ThrottlingException',
      }),
    );
    expect(JSON.stringify(lines)).not.toContain('pair my headphones');
  });

  test('WHEN the model does not answer within the knowledge budget THEN the turn answers honestly at the deadline', async () => {
    agentRuntime.on(RetrieveCommand).resolves({
      retrievalResults: [passage('Hold the button for 5 seconds.', 0.9, 'en/pairing.md')],
    });
    runtime.on(ConverseCommand).callsFake(
      () =>
        new Promise((resolve) => {
          setTimeout(() => resolve(answered('too late')), 3000).unref();
        }),
    );
    const { run, counts, deps } = setup({ config: { ...TEST_CONFIG, knowledgeTimeoutMs: 150 } });

    const started = Date.now();
    const res = await run(fallback('how do I pair my headphones'));

    expect(Date.now() - started).toBeLessThan(1500);
    expect(texts(res)).toEqual([BOT_MODEL.messages.knowledge.unavailable.en_US]);
    expect(counts()[Metric.KnowledgeUnavailable]).toBe(1);
    expect(deps.events.events[0]).toMatchObject({ knowledge: 'unavailable' });
  });
});

describe('GIVEN turns the intents answer', () => {
  test('WHEN a Greeting follows a knowledge answer THEN no Bedrock call, source intent, the old citations cleared', async () => {
    const { run, deps } = setup();

    const res = await run({
      intent: 'Greeting',
      text: 'hello',
      sessionAttributes: {
        turn: '1',
        answerSource: 'knowledge',
        citations: '[{"title":"Refunds","link":"/docs/en/refunds.md","snippet":"x"}]',
      },
    });

    expect(agentRuntime.calls()).toHaveLength(0);
    expect(runtime.calls()).toHaveLength(0);
    expect(res.sessionState.sessionAttributes).toMatchObject({ answerSource: 'intent', citations: '' });
    expect(deps.events.events[0]).toMatchObject({ source: 'intent' });
    expect(deps.events.events[0]).not.toHaveProperty('knowledge');
  });

  test.each([
    ['do you sell tablets', { ProductType: scalar('tablet') }],
    ['tablets', { ProductType: scalar('tablet') }],
    ['I want information about a laptop', { ProductType: scalar('laptop') }],
    [
      'headphones please',
      {
        ProductType: {
          shape: 'Scalar',
          value: {
            originalValue: 'headphones',
            interpretedValue: 'headphones',
            resolvedValues: ['headphones'],
          },
        },
      },
    ],
  ])(
    'WHEN ProductInfo hears "%s" (an utterance or a slot value) THEN the fixed answer, no Bedrock call',
    async (text, slots) => {
      const { run } = setup();

      const res = await run({ intent: 'ProductInfo', source: 'DialogCodeHook', text, slots });

      expect(agentRuntime.calls()).toHaveLength(0);
      expect(res.sessionState.sessionAttributes).toMatchObject({ answerSource: 'intent' });
    },
  );

  test('WHEN ProductInfo hears a question its fixed answers do not cover THEN the knowledge base answers it', async () => {
    agentRuntime.on(RetrieveCommand).resolves({
      retrievalResults: [passage('The T5 tablet battery lasts 12 hours.', 0.85, 'en/t5-tablet.md')],
    });
    runtime.on(ConverseCommand).resolves(answered('The T5 tablet battery lasts about 12 hours.'));
    const { run } = setup();

    const res = await run({
      intent: 'ProductInfo',
      source: 'DialogCodeHook',
      text: 'how many hours does the tablet battery last',
      slots: { ProductType: scalar('tablet') },
    });

    expect(texts(res)).toEqual(['The T5 tablet battery lasts about 12 hours.']);
    expect(res.sessionState.dialogAction.type).toBe('Close');
    expect(res.sessionState.intent).toMatchObject({ name: 'ProductInfo', state: 'Fulfilled' });
    expect(res.sessionState.sessionAttributes).toMatchObject({ answerSource: 'knowledge' });
  });

  test('WHEN the knowledge port is not given THEN a fallback turn gets the fallback answer as before', async () => {
    const { run } = setup({ knowledge: undefined });

    const res = await run(fallback('How long do refunds take?'));

    expect(texts(res)).toEqual([
      BOT_MODEL.intents.find((i) => i.name === 'FallbackIntent')!.responses.en_US[0],
    ]);
    expect(agentRuntime.calls()).toHaveLength(0);
    expect(res.sessionState.sessionAttributes).toMatchObject({ answerSource: 'intent', citations: '' });
  });
});
