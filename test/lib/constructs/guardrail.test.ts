import { Template } from 'aws-cdk-lib/assertions';
import { LOCALES } from '../../../contracts/bot-model/types';
import {
  bedrockTopicName,
  GUARDRAIL_POLICY,
  type GuardrailPolicy,
  toBedrockGuardrail,
} from '../../../contracts/guardrail-policy';
import { Guardrail, guardrailPolicyHash } from '../../../lib/constructs/guardrail';
import { constructStack } from '../../support/construct-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(policy?: GuardrailPolicy) {
  const stack = constructStack();
  const guardrail = new Guardrail(stack, 'Guardrail', {
    guardrailName: 'conversational-platform-test',
    policy,
  });
  const t = Template.fromStack(stack);
  const only = (type: string): Json => {
    const found = Object.values(t.findResources(type));
    expect(found).toHaveLength(1);
    return found[0].Properties as Json;
  };
  return {
    stack,
    guardrail,
    t,
    props: only('AWS::Bedrock::Guardrail'),
    version: only('AWS::Bedrock::GuardrailVersion'),
  };
}

describe('Guardrail', () => {
  let f: ReturnType<typeof build>;
  beforeAll(() => (f = build()));

  it('GIVEN the policy definition WHEN synthesized THEN every denied topic is there in each locale, with its definition and examples, denied on input and output', () => {
    const topics = f.props.TopicPolicyConfig.TopicsConfig as Json[];
    expect(topics).toHaveLength(GUARDRAIL_POLICY.deniedTopics.length * LOCALES.length);
    for (const topic of GUARDRAIL_POLICY.deniedTopics) {
      for (const locale of LOCALES) {
        expect(topics).toContainEqual({
          Name: bedrockTopicName(topic, locale),
          Definition: topic.definition[locale],
          Examples: [...topic.examples[locale]],
          Type: 'DENY',
          InputAction: 'BLOCK',
          InputEnabled: true,
          OutputAction: 'BLOCK',
          OutputEnabled: true,
        });
      }
    }
  });

  it("GIVEN the policy's sensitive-information rules WHEN synthesized THEN each PII type the redactor knows is filtered with the rule's action (block or mask), in and out", () => {
    const pii = f.props.SensitiveInformationPolicyConfig.PiiEntitiesConfig as Json[];
    expect(pii).toEqual(
      GUARDRAIL_POLICY.sensitiveInformation.map((rule) =>
        expect.objectContaining({
          Type: rule.entity,
          Action: rule.action,
          InputAction: rule.action,
          OutputAction: rule.action,
          InputEnabled: true,
          OutputEnabled: true,
        }),
      ),
    );
    expect(new Set(pii.map((p) => p.Action))).toEqual(new Set(['BLOCK', 'ANONYMIZE']));
  });

  it("GIVEN the policy's words, content filters and grounding thresholds WHEN synthesized THEN the guardrail blocks those words and the profanity list, filters that content, and checks grounding and relevance at those thresholds", () => {
    const { props } = f;
    expect((props.WordPolicyConfig.WordsConfig as Json[]).map((w) => w.Text)).toEqual(
      GUARDRAIL_POLICY.words.custom,
    );
    expect(props.WordPolicyConfig.ManagedWordListsConfig).toEqual([
      expect.objectContaining({ Type: 'PROFANITY', InputAction: 'BLOCK', OutputAction: 'BLOCK' }),
    ]);
    expect(
      (props.ContentPolicyConfig.FiltersConfig as Json[]).map((c) => [
        c.Type,
        c.InputStrength,
        c.OutputStrength,
      ]),
    ).toEqual(GUARDRAIL_POLICY.contentFilters.map((c) => [c.type, c.inputStrength, c.outputStrength]));
    expect(props.ContextualGroundingPolicyConfig.FiltersConfig).toEqual([
      {
        Type: 'GROUNDING',
        Threshold: GUARDRAIL_POLICY.grounding.groundingThreshold,
        Action: 'BLOCK',
        Enabled: true,
      },
      {
        Type: 'RELEVANCE',
        Threshold: GUARDRAIL_POLICY.grounding.relevanceThreshold,
        Action: 'BLOCK',
        Enabled: true,
      },
    ]);
    for (const locale of LOCALES) {
      expect(props.BlockedInputMessaging).toContain(GUARDRAIL_POLICY.messages.blockedInput[locale]);
      expect(props.BlockedOutputsMessaging).toContain(GUARDRAIL_POLICY.messages.blockedOutput[locale]);
    }
    expect(props.Name).toBe('conversational-platform-test');
  });

  it("GIVEN the guardrail WHEN synthesized THEN a version of it is published, its description naming the generated policy's hash", () => {
    const { stack, guardrail, version } = f;
    expect(version).toEqual({
      GuardrailIdentifier: { 'Fn::GetAtt': [stack.getLogicalId(guardrail.guardrail), 'GuardrailId'] },
      Description: `Generated from contracts/guardrail-policy.ts, policy ${guardrailPolicyHash(toBedrockGuardrail())}`,
    });
    expect(stack.resolve(guardrail.guardrailVersion)).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(guardrail.version), 'Version'],
    });
  });

  it('GIVEN a changed policy WHEN synthesized THEN the version description changes (a new version is published), an unchanged one keeps it', () => {
    const changed: GuardrailPolicy = {
      ...GUARDRAIL_POLICY,
      grounding: { ...GUARDRAIL_POLICY.grounding, groundingThreshold: 0.8 },
    };
    expect(build(changed).version.Description).not.toBe(f.version.Description);
    expect(build({ ...GUARDRAIL_POLICY }).version.Description).toBe(f.version.Description);
    expect(build(changed).props.ContextualGroundingPolicyConfig.FiltersConfig[0].Threshold).toBe(0.8);
  });

  it('GIVEN a policy breaking a Bedrock limit or a bad name WHEN built THEN it is refused at synth, naming the problem', () => {
    const tooManyExamples: GuardrailPolicy = {
      ...GUARDRAIL_POLICY,
      deniedTopics: [
        {
          ...GUARDRAIL_POLICY.deniedTopics[0],
          examples: { en_US: ['a', 'b', 'c', 'd', 'e', 'f'], es_US: ['a'] },
        },
      ],
    };
    expect(() => build(tooManyExamples)).toThrow(/examples\.en_US: 1-5 examples, has 6/);
    expect(() => new Guardrail(constructStack(), 'G', { guardrailName: 'has spaces' })).toThrow(
      /guardrail name must be 1-50 letters/,
    );
  });
});
