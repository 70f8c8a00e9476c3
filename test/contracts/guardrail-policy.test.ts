import { LOCALES } from '../../contracts/bot-model/types';
import {
  GUARDRAIL_POLICY,
  guardrailPolicyErrors,
  toBedrockGuardrail,
  type GuardrailPolicy,
} from '../../contracts/guardrail-policy';
import { REDACTED } from '../../src/redact';

describe('guardrail policy', () => {
  it('GIVEN the policy WHEN checked against the Bedrock limits THEN it breaks none', () => {
    expect(guardrailPolicyErrors(GUARDRAIL_POLICY)).toEqual([]);
  });

  it('GIVEN the redactor WHEN the policy is read THEN every kind of PII it knows has exactly one rule', () => {
    const kinds = GUARDRAIL_POLICY.sensitiveInformation.map((r) => r.redactor).sort();
    expect(kinds).toEqual(Object.keys(REDACTED).sort());
  });

  it('GIVEN the required topics (credentials split in two) WHEN the policy is read THEN each has examples in every locale', () => {
    expect(GUARDRAIL_POLICY.deniedTopics.map((t) => t.id)).toEqual([
      'credentials',
      'account-access',
      'unreleased',
      'competitors',
    ]);
    for (const topic of GUARDRAIL_POLICY.deniedTopics)
      for (const locale of LOCALES) expect(topic.examples[locale].length).toBeGreaterThanOrEqual(3);
  });

  it('GIVEN a definition over 200 characters and a sixth example WHEN checked THEN each is one error naming the field', () => {
    const [first, ...rest] = GUARDRAIL_POLICY.deniedTopics;
    const broken: GuardrailPolicy = {
      ...GUARDRAIL_POLICY,
      deniedTopics: [
        {
          ...first!,
          definition: { ...first!.definition, en_US: 'x'.repeat(201) },
          examples: { ...first!.examples, es_US: [...first!.examples.es_US, 'uno más'] },
        },
        ...rest,
      ],
    };
    expect(guardrailPolicyErrors(broken)).toEqual([
      'deniedTopics[0] (credentials).definition.en_US: 1-200 characters, has 201',
      'deniedTopics[0] (credentials).examples.es_US: 1-5 examples, has 6',
    ]);
    expect(() => toBedrockGuardrail(broken)).toThrow(/^guardrail policy: deniedTopics\[0\]/);
  });

  it('GIVEN a topic name with an accent WHEN checked THEN the Bedrock name pattern is named', () => {
    const [first, ...rest] = GUARDRAIL_POLICY.deniedTopics;
    const broken = { ...GUARDRAIL_POLICY, deniedTopics: [{ ...first!, name: 'Contraseñas' }, ...rest] };
    expect(guardrailPolicyErrors(broken)[0]).toMatch(
      /deniedTopics\[0\] \(credentials\)\.name: "Contraseñas en_US"/,
    );
  });

  it('GIVEN the policy WHEN the Bedrock guardrail is generated THEN topics are per locale and PII, words and grounding follow it', () => {
    const g = toBedrockGuardrail();
    const competitors = GUARDRAIL_POLICY.deniedTopics.find((t) => t.id === 'competitors')!;
    expect(g.topicPolicyConfig.topicsConfig).toHaveLength(
      GUARDRAIL_POLICY.deniedTopics.length * LOCALES.length,
    );
    expect(g.topicPolicyConfig.topicsConfig).toContainEqual(
      expect.objectContaining({
        name: 'Disparaging competitors es_US',
        definition: competitors.definition.es_US,
        examples: competitors.examples.es_US,
        type: 'DENY',
        inputAction: 'BLOCK',
        outputAction: 'BLOCK',
      }),
    );
    expect(g.sensitiveInformationPolicyConfig.piiEntitiesConfig.map((p) => [p.type, p.action])).toEqual([
      ['AWS_ACCESS_KEY', 'BLOCK'],
      ['AWS_SECRET_KEY', 'BLOCK'],
      ['PASSWORD', 'BLOCK'],
      ['CREDIT_DEBIT_CARD_NUMBER', 'BLOCK'],
      ['EMAIL', 'ANONYMIZE'],
      ['PHONE', 'ANONYMIZE'],
    ]);
    expect(g.wordPolicyConfig.wordsConfig.map((w) => w.text)).toEqual(GUARDRAIL_POLICY.words.custom);
    expect(g.wordPolicyConfig.managedWordListsConfig).toEqual([
      expect.objectContaining({ type: 'PROFANITY' }),
    ]);
    expect(g.contextualGroundingPolicyConfig.filtersConfig).toEqual([
      { type: 'GROUNDING', threshold: 0.75, action: 'BLOCK', enabled: true },
      { type: 'RELEVANCE', threshold: 0.75, action: 'BLOCK', enabled: true },
    ]);
    expect(g.blockedInputMessaging).toBe(
      `${GUARDRAIL_POLICY.messages.blockedInput.en_US} / ${GUARDRAIL_POLICY.messages.blockedInput.es_US}`,
    );
    expect([...g.blockedOutputsMessaging].length).toBeLessThanOrEqual(500);
  });
});
