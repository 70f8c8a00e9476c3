import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { BOT_MODEL } from '../../../contracts/bot-model';
import { slotElicitationCard } from '../../../contracts/bot-model/quick-replies';
import { BotModel } from '../../../contracts/bot-model/types';
import { BotModelError } from '../../../contracts/bot-model/validate';
import { LexBot, LexBotProps } from '../../../lib/constructs/lex-bot';
import { REQUIRED_INTENTS } from '../../contracts/bot-model/required-intents';
import { constructStack, stubFunction } from '../../support/construct-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const THRESHOLD = 0.4;
const IDLE_TTL = 300;

function build(overrides: Partial<LexBotProps> = {}) {
  const stack = constructStack();
  const bot = new LexBot(stack, 'Bot', {
    botName: 'conversational-platform-test',
    model: BOT_MODEL,
    fulfillment: stubFunction(stack),
    nluConfidenceThreshold: THRESHOLD,
    idleSessionTtlSeconds: IDLE_TTL,
    logRetention: logs.RetentionDays.ONE_WEEK,
    environmentName: 'test',
    ...overrides,
  });
  return { stack, bot, template: Template.fromStack(stack) };
}

function only(template: Template, type: string): Json {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0].Properties as Json;
}

describe('LexBot', () => {
  let stack: Stack;
  let bot: LexBot;
  let template: Template;
  beforeAll(() => ({ stack, bot, template } = build()));

  it('GIVEN the bot model WHEN synthesized THEN the bot has both locales, every intent in each, and the three custom slot types', () => {
    const lexBot = only(template, 'AWS::Lex::Bot');
    expect(lexBot.BotLocales.map((l: Json) => l.LocaleId).sort()).toEqual(['en_US', 'es_US']);
    for (const locale of lexBot.BotLocales) {
      expect(locale.Intents.map((i: Json) => i.Name).sort()).toEqual([...REQUIRED_INTENTS].sort());
      expect(locale.SlotTypes.map((s: Json) => s.Name).sort()).toEqual([
        'IssueCategory',
        'OrderNumber',
        'ProductType',
      ]);
      expect(locale.NluConfidenceThreshold).toBe(THRESHOLD);
      expect(locale.VoiceSettings).toEqual(expect.objectContaining({ Engine: 'neural' }));
    }
  });

  it('GIVEN enumeration slots WHEN synthesized THEN their prompts carry the quick-reply card of the shared function after the text, with values the slot type resolves; pattern slots have the text only', () => {
    let cards = 0;
    for (const locale of only(template, 'AWS::Lex::Bot').BotLocales) {
      const typeOf = (name: string) => locale.SlotTypes.find((t: Json) => t.Name === name);
      for (const intent of locale.Intents) {
        for (const slot of intent.Slots ?? []) {
          const groups = slot.ValueElicitationSetting.PromptSpecification.MessageGroupsList;
          const expected = slotElicitationCard(BOT_MODEL, { slotType: slot.SlotTypeName }, locale.LocaleId);
          expect(groups[0].Message.PlainTextMessage.Value).toEqual(expect.any(String));
          if (!expected) {
            expect(groups).toHaveLength(1);
            continue;
          }
          cards += 1;
          expect(groups[1].Message.ImageResponseCard).toEqual({
            Title: expected.title,
            Buttons: expected.buttons.map((b) => ({ Text: b.text, Value: b.value })),
          });
          const names = typeOf(slot.SlotTypeName).SlotTypeValues.flatMap((v: Json) => [
            v.SampleValue.Value,
            ...(v.Synonyms ?? []).map((s: Json) => s.Value),
          ]);
          for (const b of expected.buttons) expect(names).toContain(b.value);
        }
      }
    }
    expect(cards).toBe(4); // IssueCategory and ProductType, in both locales
  });

  it('GIVEN the bot model WHEN synthesized THEN every locale has a FallbackIntent with the AMAZON.FallbackIntent parent', () => {
    for (const locale of only(template, 'AWS::Lex::Bot').BotLocales) {
      const fallback = locale.Intents.find((i: Json) => i.Name === 'FallbackIntent');
      expect(fallback.ParentIntentSignature).toBe('AMAZON.FallbackIntent');
    }
  });

  it('GIVEN the bot model WHEN synthesized THEN slot priorities are set on every intent with slots, and code hooks', () => {
    for (const locale of only(template, 'AWS::Lex::Bot').BotLocales) {
      for (const intent of locale.Intents) {
        if ((intent.Slots ?? []).length > 0) expect(intent.SlotPriorities).toHaveLength(intent.Slots.length);
      }
      const order = locale.Intents.find((i: Json) => i.Name === 'CheckOrderStatus');
      expect(order.FulfillmentCodeHook).toEqual(expect.objectContaining({ Enabled: true }));
      expect(order.DialogCodeHook).toEqual({ Enabled: true });
    }
  });

  it('GIVEN its props WHEN synthesized THEN the bot has its name, idle session TTL, data privacy and a role Lex assumes', () => {
    template.hasResourceProperties('AWS::Lex::Bot', {
      Name: 'conversational-platform-test',
      IdleSessionTTLInSeconds: IDLE_TTL,
      DataPrivacy: { ChildDirected: false },
      RoleArn: { 'Fn::GetAtt': [stack.getLogicalId(bot.role.node.defaultChild as iam.CfnRole), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lexv2.amazonaws.com' } })],
      },
    });
  });

  it('GIVEN the bot role WHEN synthesized THEN Lex may assume it only on behalf of a bot of this account and region (confused deputy)', () => {
    const roleId = stack.getLogicalId(bot.role.node.defaultChild as iam.CfnRole);
    expect(template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'lexv2.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111111111111' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:lex:us-east-1:111111111111:bot/*' },
        },
      },
    ]);
  });

  it("GIVEN a fulfillment function WHEN synthesized THEN the console's test window runs the real code hook: the test alias (TSTALIASID) calls it and may invoke it", () => {
    const settings = only(template, 'AWS::Lex::Bot').TestBotAliasSettings;
    expect(settings.BotAliasLocaleSettings.map((s: Json) => s.LocaleId)).toEqual(['en_US', 'es_US']);
    for (const setting of settings.BotAliasLocaleSettings) {
      expect(setting.BotAliasLocaleSetting).toEqual({
        Enabled: true,
        CodeHookSpecification: {
          LambdaCodeHook: {
            CodeHookInterfaceVersion: '1.0',
            LambdaArn: { 'Fn::GetAtt': [expect.stringMatching(/^Fulfillment/), 'Arn'] },
          },
        },
      });
    }
    expect(settings.SentimentAnalysisSettings).toEqual({ DetectSentiment: true });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'lexv2.amazonaws.com',
      SourceAccount: '111111111111',
      SourceArn: {
        'Fn::Join': [
          '',
          ['arn:aws:lex:us-east-1:111111111111:bot-alias/', { 'Fn::GetAtt': ['Bot', 'Id'] }, '/TSTALIASID'],
        ],
      },
    });
  });

  it('GIVEN a LexBot WHEN synthesized THEN the bot is the default child, so its logical id is the construct id', () => {
    expect(bot.node.defaultChild).toBe(bot.bot);
    expect(Object.keys(template.findResources('AWS::Lex::Bot'))).toEqual(['Bot']);
  });

  it('GIVEN the bot model WHEN synthesized THEN both locales are versioned from DRAFT and the live alias points at that version with the code hook per locale', () => {
    const version = only(template, 'AWS::Lex::BotVersion');
    expect(version.BotVersionLocaleSpecification).toEqual([
      { LocaleId: 'en_US', BotVersionLocaleDetails: { SourceBotVersion: 'DRAFT' } },
      { LocaleId: 'es_US', BotVersionLocaleDetails: { SourceBotVersion: 'DRAFT' } },
    ]);
    expect(version.Description).toBe(`Bot model ${bot.modelHash}`);
    const versionId = Object.keys(template.findResources('AWS::Lex::BotVersion'))[0];
    const alias = only(template, 'AWS::Lex::BotAlias');
    expect(alias.BotAliasName).toBe('live');
    expect(alias.BotVersion).toEqual({ 'Fn::GetAtt': [versionId, 'BotVersion'] });
    expect(alias.BotAliasLocaleSettings).toHaveLength(2);
    for (const setting of alias.BotAliasLocaleSettings) {
      expect(setting.BotAliasLocaleSetting.CodeHookSpecification.LambdaCodeHook).toEqual({
        CodeHookInterfaceVersion: '1.0',
        LambdaArn: { 'Fn::GetAtt': [expect.stringMatching(/^Fulfillment/), 'Arn'] },
      });
    }
  });

  it("GIVEN the live alias WHEN synthesized THEN it asks Lex for its own sentiment (the capacity model's answer to Comprehend's quota)", () => {
    const alias = only(template, 'AWS::Lex::BotAlias');
    expect(alias.SentimentAnalysisSettings).toEqual({ DetectSentiment: true });
  });

  it('GIVEN the live alias WHEN synthesized THEN it logs conversation text to a KMS-encrypted log group under live/', () => {
    const alias = only(template, 'AWS::Lex::BotAlias');
    const [text] = alias.ConversationLogSettings.TextLogSettings;
    expect(text.Destination.CloudWatch.LogPrefix).toBe('live/');
    const logGroupId = text.Destination.CloudWatch.CloudWatchLogGroupArn['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[logGroupId].Properties.KmsKeyId).toBeDefined();
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'Lex conversation text logs (test)',
      EnableKeyRotation: true,
    });
  });

  it('GIVEN a fulfillment function WHEN synthesized THEN only lexv2.amazonaws.com may invoke it, through the live alias', () => {
    const aliasId = Object.keys(template.findResources('AWS::Lex::BotAlias'))[0];
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'lexv2.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [aliasId, 'Arn'] },
      SourceAccount: '111111111111',
    });
  });

  it('GIVEN a caller role WHEN granted RecognizeText THEN the grant is on the live alias only', () => {
    const s = constructStack();
    const other = new LexBot(s, 'Bot', {
      botName: 'b',
      model: BOT_MODEL,
      fulfillment: stubFunction(s),
      nluConfidenceThreshold: THRESHOLD,
      idleSessionTtlSeconds: IDLE_TTL,
      logRetention: logs.RetentionDays.ONE_WEEK,
    });
    const caller = new iam.Role(s, 'Caller', { assumedBy: new iam.AccountPrincipal('111111111111') });
    other.grantRecognizeText(caller);
    Template.fromStack(s).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'lex:RecognizeText',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [s.getLogicalId(other.alias), 'Arn'] },
          },
        ],
      },
    });
  });

  it('GIVEN a changed model or threshold WHEN synthesized THEN a new bot version is created (new construct, so new logical id)', () => {
    const changed: BotModel = {
      ...BOT_MODEL,
      intents: BOT_MODEL.intents.map((i) =>
        i.name === 'Greeting'
          ? { ...i, utterances: { ...i.utterances, en_US: [...i.utterances.en_US, 'hiya there friend'] } }
          : i,
      ),
    };
    const versionOf = (t: Template) => Object.keys(t.findResources('AWS::Lex::BotVersion'))[0];
    expect(versionOf(build().template)).toBe(versionOf(template));
    expect(versionOf(build({ model: changed }).template)).not.toBe(versionOf(template));
    expect(versionOf(build({ nluConfidenceThreshold: 0.5 }).template)).not.toBe(versionOf(template));
    expect(bot.modelHash).toMatch(/^[0-9a-f]{12}$/);
    expect(bot.version.node.path).toBe(`Test/Bot/Versions/${bot.modelHash}`);
  });

  describe('validates its props before creating anything', () => {
    const invalid: [string, Partial<LexBotProps>, RegExp][] = [
      [
        'a bot name Lex rejects',
        { botName: 'no spaces allowed' },
        /lex bot name 'no spaces allowed' is not a valid lex name/,
      ],
      [
        'a threshold outside 0..1',
        { nluConfidenceThreshold: 1.5 },
        /nlu confidence threshold must be 0\.\.1, got 1\.5/,
      ],
      [
        'an idle TTL under a minute',
        { idleSessionTtlSeconds: 30 },
        /idle session ttl must be 60-86400 seconds, got 30/,
      ],
    ];
    it.each(invalid)('GIVEN %s WHEN created THEN it is refused', (_, overrides, message) => {
      expect(() => build(overrides)).toThrow(message);
    });

    it('GIVEN an invalid model WHEN created THEN it is refused (BotModelError) and no resource is created', () => {
      const s = constructStack();
      const fulfillment = stubFunction(s);
      const broken: BotModel = { ...BOT_MODEL, intents: [...BOT_MODEL.intents, BOT_MODEL.intents[0]] };
      expect(
        () =>
          new LexBot(s, 'Bot', {
            botName: 'b',
            model: broken,
            fulfillment,
            nluConfidenceThreshold: THRESHOLD,
            idleSessionTtlSeconds: IDLE_TTL,
            logRetention: logs.RetentionDays.ONE_WEEK,
          }),
      ).toThrow(BotModelError);
      expect(s.node.tryFindChild('Bot')).toBeUndefined();
    });
  });
});
