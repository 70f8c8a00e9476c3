/**
 * LexBot owns the Lex V2 bot generated from the bot model: the bot's runtime role, the KMS key
 * and log group of its conversation text logs, the `CfnBot` (every locale of the model, see
 * lex-bot-model.ts), one immutable bot version per model hash, the `live` alias that points at it
 * with the fulfillment code hook per locale, the same code hook on the console's test alias
 * (TSTALIASID, the draft bot), and the permissions for Lex to invoke that code hook through those
 * two aliases only. The model is validated (validateBotModel) before anything is created.
 */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lex from 'aws-cdk-lib/aws-lex';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { validateBotModel } from '../../contracts/bot-model';
import { BotModel, LOCALES } from '../../contracts/bot-model/types';
import { acknowledge } from '../nag';
import { botModelHash, LexGenerationOptions, toLexBotLocales } from './lex-bot-model';

export interface LexBotProps {
  /** The bot's name, unique in the account and region (Lex: letters, digits, `_` and `-`). */
  readonly botName: string;
  /** The bot model the bot is generated from; validated before anything is created. */
  readonly model: BotModel;
  /**
   * The code hook every locale of the live and test aliases calls: a published version or an
   * alias of the fulfillment function (not `$LATEST`), so a bot version and its code move together.
   */
  readonly fulfillment: lambda.IFunction;
  /** Below this NLU confidence Lex picks FallbackIntent (0..1). */
  readonly nluConfidenceThreshold: number;
  /** Seconds of silence after which Lex ends a session (60-86400). */
  readonly idleSessionTtlSeconds: number;
  /** Retention of the conversation text logs. */
  readonly logRetention: logs.RetentionDays;
  /**
   * What happens to the conversation log key and log group when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Shown in the conversation log key's description.
   * @default - the bot name
   */
  readonly environmentName?: string;
}

/** Lex V2 bot names. */
const BOT_NAME = /^([0-9a-zA-Z][_-]?){1,100}$/;
/** Characters of the model hash in the bot version's id and description. */
const HASH_LENGTH = 12;
/** The id Lex gives every bot's built-in test alias (the console's test window, on DRAFT). */
export const TEST_BOT_ALIAS_ID = 'TSTALIASID';

function validate(props: LexBotProps): BotModel {
  if (!BOT_NAME.test(props.botName))
    throw new Error(`lex bot name '${props.botName}' is not a valid lex name`);
  const { nluConfidenceThreshold: t, idleSessionTtlSeconds: ttl } = props;
  if (!(t >= 0 && t <= 1)) throw new Error(`lex nlu confidence threshold must be 0..1, got ${t}`);
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 86_400) {
    throw new Error(`lex idle session ttl must be 60-86400 seconds, got ${ttl}`);
  }
  return validateBotModel(props.model);
}

/** The code hook on every locale, enabled: the same for the live and the test alias. */
function codeHookPerLocale(fulfillment: lambda.IFunction) {
  return LOCALES.map((localeId) => ({
    localeId,
    botAliasLocaleSetting: {
      enabled: true,
      codeHookSpecification: {
        lambdaCodeHook: { codeHookInterfaceVersion: '1.0', lambdaArn: fulfillment.functionArn },
      },
    },
  }));
}

/** The Lex V2 bot (see the file comment). */
export class LexBot extends Construct {
  /** The bot; the construct's default child. */
  readonly bot: lex.CfnBot;
  /** The bot version of the current model (a new one, with a new logical id, per model hash). */
  readonly version: lex.CfnBotVersion;
  /** The `live` alias: what the channel API talks to. */
  readonly alias: lex.CfnBotAlias;
  /** The bot's runtime role (Polly speech, conversation logs). */
  readonly role: iam.Role;
  /** Encrypts the conversation text logs. */
  readonly conversationLogKey: kms.Key;
  /** The live alias's conversation text logs. */
  readonly conversationLogs: logs.LogGroup;
  /** The first characters of the hash of the model and the generation options. */
  readonly modelHash: string;

  constructor(scope: Construct, id: string, props: LexBotProps) {
    const model = validate(props); // before super: an invalid bot leaves nothing in the tree
    super(scope, id);
    const options: LexGenerationOptions = { nluConfidenceThreshold: props.nluConfidenceThreshold };
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.modelHash = botModelHash(model, options).slice(0, HASH_LENGTH);

    this.role = this.createRole();
    this.conversationLogKey = new kms.Key(this, 'ConversationLogKey', {
      description: `Lex conversation text logs (${props.environmentName ?? props.botName})`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.conversationLogKey.grantEncryptDecrypt(
      new iam.ServicePrincipal(`logs.${Stack.of(this).region}.amazonaws.com`),
    );
    this.conversationLogs = new logs.LogGroup(this, 'ConversationLogs', {
      retention: props.logRetention,
      encryptionKey: this.conversationLogKey,
      removalPolicy,
    });
    this.conversationLogs.grantWrite(this.role);

    // 'Default': the bot is this construct's default child, so its logical id is the construct's.
    this.bot = new lex.CfnBot(this, 'Default', {
      name: props.botName,
      description: model.description,
      roleArn: this.role.roleArn,
      dataPrivacy: { ChildDirected: false },
      idleSessionTtlInSeconds: props.idleSessionTtlSeconds,
      autoBuildBotLocales: true,
      botLocales: toLexBotLocales(model, options),
      // The console's test window (the draft bot) runs the real code hook too.
      testBotAliasSettings: {
        description: 'Console test window (draft bot): the same code hook as the live alias',
        botAliasLocaleSettings: codeHookPerLocale(props.fulfillment),
        sentimentAnalysisSettings: { DetectSentiment: true },
      },
    });
    this.version = this.createVersion();
    this.alias = this.createLiveAlias(props.fulfillment);
    this.allowInvoke(props.fulfillment, 'LexTestAliasInvoke', this.aliasArn(TEST_BOT_ALIAS_ID));
  }

  /** Lets `grantee` call RecognizeText on the live alias only (not on the draft or other aliases). */
  grantRecognizeText(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['lex:RecognizeText'],
      resourceArns: [this.alias.attrArn],
    });
  }

  /**
   * The bot's runtime role, assumable by Lex V2 only on behalf of a bot of this account and region
   * (aws:SourceAccount, aws:SourceArn: the confused-deputy guard). The bot's own ARN cannot be
   * named: the bot refers to the role, so the role referring to the bot would be a cycle.
   */
  private createRole(): iam.Role {
    const { account, region, partition } = Stack.of(this);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lexv2.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': account },
        ArnLike: { 'aws:SourceArn': `arn:${partition}:lex:${region}:${account}:bot/*` },
      }),
      description: 'Lex V2 bot runtime role: speech synthesis and conversation logs',
    });
    // Lex speaks its prompts with Polly (voice channels); SynthesizeSpeech has no resource to scope to.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['polly:SynthesizeSpeech'], resources: ['*'] }));
    acknowledge(
      role,
      "polly:SynthesizeSpeech's only resource type is a lexicon; the bot uses none, so the action cannot be scoped further.",
      'AwsSolutions-IAM5[Resource::*]',
    );
    return role;
  }

  /** ARN of one of this bot's aliases. */
  private aliasArn(aliasId: string): string {
    return Stack.of(this).formatArn({
      service: 'lex',
      resource: 'bot-alias',
      resourceName: `${this.bot.attrId}/${aliasId}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** Lets Lex V2 invoke the code hook on behalf of one alias of this bot (and this account) only. */
  private allowInvoke(fulfillment: lambda.IFunction, id: string, aliasArn: string): void {
    fulfillment.addPermission(id, {
      principal: new iam.ServicePrincipal('lexv2.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: aliasArn,
      sourceAccount: Stack.of(this).account,
    });
  }

  /**
   * A bot version never changes once created: one per model hash (a scope per hash, so a model
   * change creates a new version and moves the alias to it).
   */
  private createVersion(): lex.CfnBotVersion {
    const versions = new Construct(this, 'Versions');
    return new lex.CfnBotVersion(versions, this.modelHash, {
      botId: this.bot.attrId,
      description: `Bot model ${this.modelHash}`,
      botVersionLocaleSpecification: LOCALES.map((localeId) => ({
        localeId,
        botVersionLocaleDetails: { sourceBotVersion: 'DRAFT' },
      })),
    });
  }

  private createLiveAlias(fulfillment: lambda.IFunction): lex.CfnBotAlias {
    const alias = new lex.CfnBotAlias(this, 'LiveAlias', {
      botId: this.bot.attrId,
      botAliasName: 'live',
      botVersion: this.version.attrBotVersion,
      description: 'What the channel API talks to',
      botAliasLocaleSettings: codeHookPerLocale(fulfillment),
      conversationLogSettings: {
        textLogSettings: [
          {
            enabled: true,
            destination: {
              cloudWatch: { cloudWatchLogGroupArn: this.conversationLogs.logGroupArn, logPrefix: 'live/' },
            },
          },
        ],
      },
      // Lex's own sentiment arrives with each interpretation, so the handler does not call
      // Comprehend DetectSentiment per turn (2,083/s at peak against a default quota of ~20/s:
      // see lib/config/capacity.ts); Comprehend stays the fallback when Lex sends none.
      sentimentAnalysisSettings: { DetectSentiment: true },
    });
    // Lex may invoke the code hook only through the live alias (and the test alias, above).
    this.allowInvoke(fulfillment, 'LexLiveAliasInvoke', alias.attrArn);
    return alias;
  }
}
