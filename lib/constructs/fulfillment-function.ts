/**
 * FulfillmentFunction owns the Lex V2 code hook: a PlatformFunction (the fulfillment handler
 * bundle and its chunks) in the VPC's private subnets behind the Lambda security group, with
 * reserved concurrency, its `live` alias over the current version (what Lex calls: a published
 * version, never $LATEST), and one `bind*` method per dependency (table, stream, session store,
 * language services, audio bucket). Each bind sets the handler's environment variables
 * (contracts/runtime-env.ts) AND grants exactly the actions the handler calls, in one call, as
 * Powertools for AWS Lambda's example app does; synth fails if a dependency was never bound.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { absolute, HANDLERS } from '../../bundling/index';
import { LOCALES, type LocaleId } from '../../contracts/bot-model/types';
import { FULFILLMENT_SERVICE } from '../../contracts/metrics';
import { FulfillmentEnv } from '../../contracts/runtime-env';
import type { GenerationModel } from '../config/bedrock-models';
import type { SupportDeskSettings } from '../../contracts/tickets';
import { acknowledge } from '../nag';
import { AUDIO_PREFIX, AudioBucket } from './audio-bucket';
import { logicalIdOf } from './logical-ids';
import { PlatformFunction, PlatformFunctionProps } from './platform-function';

export interface FulfillmentFunctionProps {
  /** The environment's name (dev, staging, prod), given to the handler as PLATFORM_ENVIRONMENT. */
  readonly environmentName: string;
  /** The VPC the function runs in: its isolated subnets, else its private ones. */
  readonly vpc: ec2.IVpc;
  /**
   * The subnets it runs in.
   * @default - the VPC's isolated subnets, else its private ones
   */
  readonly subnets?: ec2.SubnetSelection;
  /** The function's security group (the one Redis and the interface endpoints admit). */
  readonly securityGroup: ec2.ISecurityGroup;
  /** Memory, MB (128-10240). */
  readonly memorySize: number;
  /** Timeout (at most 15 minutes). */
  readonly timeout: Duration;
  /** Reserved concurrent executions (1+): the capacity model's number, alarmed at 80 %. */
  readonly reservedConcurrency: number;
  /** Retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
}

/** What the handler needs of the session store (DataStack's RedisEndpoint is one). */
export interface SessionStore {
  /** Primary endpoint address. */
  readonly host: string;
  readonly port: number;
  /** Secret holding the AUTH token (a plain string). */
  readonly authSecret: secretsmanager.ISecret;
}

/** What the handler needs to answer from the knowledge bases (KnowledgeStack and the bot's Guardrail). */
export interface KnowledgeBinding {
  /** Each bot locale's knowledge base. */
  readonly knowledgeBases: Readonly<
    Record<LocaleId, { readonly knowledgeBaseId: string; readonly knowledgeBaseArn: string }>
  >;
  /** The model Converse calls (lib/config/bedrock-models.ts, generationModel). */
  readonly model: GenerationModel;
  /** The guardrail Converse applies, and its published version. */
  readonly guardrail: {
    readonly guardrailId: string;
    readonly guardrailArn: string;
    readonly guardrailVersion: string;
  };
}

/** The dependencies a fulfillment function must be bound to before synth. */
const DEPENDENCIES = [
  'conversation table',
  'event stream',
  'session store',
  'language services',
  'audio bucket',
  'knowledge',
] as const;
/** Dependencies a stage binds when it has them (tickets, an order system); each at most once. */
type Dependency = (typeof DEPENDENCIES)[number] | 'ticket queue' | 'order source';

/** What the fulfillment needs of the ticket queue: its URL and the send grant (TicketQueue is one). */
export interface TicketRequestQueue {
  readonly queue: sqs.IQueue;
  grantSend(grantee: iam.IGrantable): void;
}

/** The company's order system, as config `orders` names it (docs/deployment.md, "Order source"). */
export interface OrderSource {
  /** https:// base URL the fulfillment calls (through the PrivateLink endpoint or the NAT). */
  readonly url: string;
  /** Secrets Manager ARN of the credentials (complete, or partial without the 6-character suffix). */
  readonly secretArn: string;
  /** Per-call timeout, ms. */
  readonly timeoutMs: number;
}

/** A secret ARN as IAM must name it: a partial ARN (no `-XXXXXX` suffix) matches its suffix with `-??????`. */
export function secretResourceArn(secretArn: string): string {
  if (secretArn.startsWith('${Token')) return secretArn;
  const name = secretArn.split(':secret:')[1] ?? '';
  return /-[A-Za-z0-9]{6}$/.test(name) ? secretArn : `${secretArn}-??????`;
}

const positiveInteger = (value: number, what: string): void => {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${what} must be a positive integer, got ${value}`);
};

function functionProps(props: FulfillmentFunctionProps): PlatformFunctionProps {
  const { vpc, memorySize, timeout, reservedConcurrency } = props;
  if (props.environmentName.trim() === '') throw new Error('fulfillment function needs an environment name');
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
    throw new Error(`fulfillment memory must be 128-10240 MB, got ${memorySize}`);
  }
  if (timeout.toSeconds() < 1 || timeout.toSeconds() > 900) {
    throw new Error(`fulfillment timeout must be 1-900 seconds, got ${timeout.toSeconds()}`);
  }
  positiveInteger(reservedConcurrency, 'fulfillment reserved concurrency');
  return {
    entry: absolute(HANDLERS.fulfillment.entry),
    chunks: HANDLERS.fulfillment.chunks,
    serviceName: FULFILLMENT_SERVICE,
    description: 'Lex V2 code hook: sessions, context, sentiment, translation, speech, events, metrics',
    memorySize,
    timeout,
    reservedConcurrentExecutions: reservedConcurrency,
    logRetention: props.logRetention,
    vpc,
    vpcSubnets: props.subnets ?? {
      subnets: vpc.isolatedSubnets.length > 0 ? vpc.isolatedSubnets : vpc.privateSubnets,
    },
    securityGroups: [props.securityGroup],
    wildcardReason:
      'The fulfillment role also calls comprehend:DetectSentiment/DetectDominantLanguage and translate:TranslateText (no resource-level permissions) and polly:SynthesizeSpeech (resource type is a lexicon; the bot uses none).',
    environment: {
      [FulfillmentEnv.ENVIRONMENT]: props.environmentName,
      [FulfillmentEnv.BOT_LOCALES]: LOCALES.join(','),
    },
  };
}

/** The Lex code hook (see the file comment). */
export class FulfillmentFunction extends PlatformFunction {
  /** Reserved concurrent executions (what the concurrency alarm is relative to). */
  readonly reservedConcurrency: number;
  /**
   * The `live` alias over the version published from this deployment's code and configuration
   * (`currentVersion`: a new version whenever either changes). The Lex alias's code hook calls
   * it, so a deployed bot version runs the code deployed with it, never a later `$LATEST`.
   */
  readonly liveAlias: lambda.Alias;
  private readonly bound = new Set<Dependency>();

  constructor(scope: Construct, id: string, props: FulfillmentFunctionProps) {
    super(scope, id, functionProps(props));
    this.reservedConcurrency = props.reservedConcurrency;
    this.liveAlias = new lambda.Alias(this, 'LiveAlias', {
      aliasName: 'live',
      version: this.currentVersion,
      description: 'What the Lex bot calls: the version published by the latest deployment',
    });
    this.node.addValidation({
      validate: () => {
        const missing = DEPENDENCIES.filter((d) => !this.bound.has(d));
        return missing.length > 0 ? [`fulfillment function is not bound to its ${missing.join(', ')}`] : [];
      },
    });
  }

  /**
   * Conversation context: one conditional PutItem per turn (a retry does not duplicate it), with
   * the table's customer-managed key for exactly the data-key operations DynamoDB performs for
   * the caller. The handler never reads the table back (session state travels in Redis and Lex
   * session attributes), so no GetItem, Query, Scan, Update or Delete.
   */
  bindConversationTable(table: dynamodb.ITableV2, options: { readonly ttlDays: number }): void {
    positiveInteger(options.ttlDays, 'conversation ttlDays');
    this.bind('conversation table');
    this.addEnvironment(FulfillmentEnv.TABLE_NAME, table.tableName);
    this.addEnvironment(FulfillmentEnv.TTL_DAYS, String(options.ttlDays));
    table.grant(this, 'dynamodb:PutItem');
    table.encryptionKey?.grant(this, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
  }

  /**
   * Conversation events: PutRecords (batched) into the one stream, encrypted with its key.
   * `transcripts` puts the (redacted) text of each turn into its event.
   */
  bindEventStream(stream: kinesis.IStream, options: { readonly transcripts: boolean }): void {
    this.bind('event stream');
    this.addEnvironment(FulfillmentEnv.STREAM_NAME, stream.streamName);
    this.addEnvironment(FulfillmentEnv.STREAM_TRANSCRIPTS, String(options.transcripts));
    stream.grant(this, 'kinesis:PutRecords');
    stream.encryptionKey?.grant(this, 'kms:GenerateDataKey');
  }

  /** Session state in Redis over TLS, with the AUTH token read once per container. */
  bindSessionStore(store: SessionStore, options: { readonly sessionTtlSeconds: number }): void {
    positiveInteger(store.port, 'session store port');
    positiveInteger(options.sessionTtlSeconds, 'sessionTtlSeconds');
    this.bind('session store');
    this.addEnvironment(FulfillmentEnv.REDIS_HOST, store.host);
    this.addEnvironment(FulfillmentEnv.REDIS_PORT, String(store.port));
    this.addEnvironment(FulfillmentEnv.REDIS_TLS, 'true');
    this.addEnvironment(FulfillmentEnv.REDIS_AUTH_SECRET_ARN, store.authSecret.secretArn);
    this.addEnvironment(FulfillmentEnv.SESSION_TTL_SECONDS, String(options.sessionTtlSeconds));
    store.authSecret.grantRead(this);
  }

  /**
   * Sentiment (Comprehend), language detection and translation (Translate), speech (Polly), each
   * call within `timeoutMs`. These APIs have no resource-level permissions for the calls made,
   * hence Resource * (acknowledged with the function's other wildcards).
   */
  bindLanguageServices(options: { readonly timeoutMs?: number } = {}): void {
    const { timeoutMs = 800 } = options;
    positiveInteger(timeoutMs, 'language services timeoutMs');
    this.bind('language services');
    this.addEnvironment(FulfillmentEnv.DEPENDENCY_TIMEOUT_MS, String(timeoutMs));
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'LanguageServices',
        actions: [
          'comprehend:DetectSentiment',
          'comprehend:DetectDominantLanguage',
          'translate:TranslateText',
          'polly:SynthesizeSpeech',
        ],
        resources: ['*'],
      }),
    );
  }

  /** Voice turns: write the synthesized audio and sign a GET URL for it (audio/ prefix only). */
  bindAudioBucket(bucket: AudioBucket): void {
    this.bind('audio bucket');
    this.addEnvironment(FulfillmentEnv.AUDIO_BUCKET, bucket.bucketName);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'VoiceAudio',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [bucket.audioObjectsArn],
      }),
    );
    acknowledge(
      this.role!,
      'Objects under the audio/ prefix of the one audio bucket: each voice turn writes a new object key and presigns a GET for it.',
      `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/${AUDIO_PREFIX}*]`,
    );
  }

  /**
   * Knowledge answers: `bedrock:Retrieve` on the locales' knowledge bases, `bedrock:InvokeModel`
   * (what Converse is authorized as) on the generation model (its inference profile and the
   * foundation model the profile routes to) and `bedrock:ApplyGuardrail` on the guardrail
   * Converse applies; nothing else of Bedrock. The answer's budget is `timeoutMs`.
   */
  bindKnowledge(knowledge: KnowledgeBinding, options: { readonly timeoutMs: number }): void {
    positiveInteger(options.timeoutMs, 'knowledge timeoutMs');
    this.bind('knowledge');
    const locales = Object.keys(knowledge.knowledgeBases) as LocaleId[];
    if (locales.length === 0) throw new Error('knowledge binding needs at least one knowledge base');
    const { model, guardrail } = knowledge;
    const ids = Object.fromEntries(locales.map((l) => [l, knowledge.knowledgeBases[l].knowledgeBaseId]));
    this.addEnvironment(FulfillmentEnv.KNOWLEDGE_BASE_IDS, Stack.of(this).toJsonString(ids));
    this.addEnvironment(FulfillmentEnv.KNOWLEDGE_MODEL_ID, model.modelId);
    this.addEnvironment(FulfillmentEnv.GUARDRAIL_ID, guardrail.guardrailId);
    this.addEnvironment(FulfillmentEnv.GUARDRAIL_VERSION, guardrail.guardrailVersion);
    this.addEnvironment(FulfillmentEnv.KNOWLEDGE_TIMEOUT_MS, String(options.timeoutMs));
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'RetrieveFromKnowledgeBases',
        actions: ['bedrock:Retrieve'],
        resources: locales.map((l) => knowledge.knowledgeBases[l].knowledgeBaseArn),
      }),
    );
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'GenerateAnswers',
        actions: ['bedrock:InvokeModel'],
        resources: [
          ...(model.inferenceProfileArn ? [model.inferenceProfileArn] : []),
          model.foundationModelArn,
        ],
      }),
    );
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ApplyTheGuardrail',
        actions: ['bedrock:ApplyGuardrail'],
        resources: [guardrail.guardrailArn],
      }),
    );
    if (model.inferenceProfileArn) {
      acknowledge(
        this.role!,
        `One foundation model (${model.modelId}) in any Region: its cross-Region inference profile routes each request to one of the profile's destination Regions, which the profile defines.`,
        `AwsSolutions-IAM5[Resource::${model.foundationModelArn.replace(/\$\{Token\[AWS\.Partition\.\d+\]\}/, '<AWS::Partition>')}]`,
      );
    }
  }

  /**
   * Tickets: SendMessage on the ticket queue (and the data-key operations on its key SQS needs for
   * a sender), its URL, and the support desk the answers describe (`SUPPORT_DESK`, JSON).
   */
  bindTickets(queue: TicketRequestQueue, supportDesk: SupportDeskSettings): void {
    positiveInteger(supportDesk.firstResponseHours, 'support desk firstResponseHours');
    this.bind('ticket queue');
    this.addEnvironment(FulfillmentEnv.TICKET_QUEUE_URL, queue.queue.queueUrl);
    this.addEnvironment(FulfillmentEnv.SUPPORT_DESK, JSON.stringify(supportDesk));
    queue.grantSend(this);
  }

  /**
   * The order system: its URL, per-call timeout and credentials (GetSecretValue on that one
   * secret, nothing else). The network path (PrivateLink endpoint or NAT) is the network stack's.
   */
  bindOrders(source: OrderSource): void {
    if (!/^https:\/\//.test(source.url))
      throw new Error(`order source url must be https://, got '${source.url}'`);
    if (!/^arn:aws[a-z-]*:secretsmanager:/.test(source.secretArn)) {
      throw new Error(`order source secret must be a Secrets Manager ARN, got '${source.secretArn}'`);
    }
    positiveInteger(source.timeoutMs, 'order source timeoutMs');
    this.bind('order source');
    this.addEnvironment(FulfillmentEnv.ORDER_SOURCE_URL, source.url);
    this.addEnvironment(FulfillmentEnv.ORDER_SOURCE_SECRET_ARN, source.secretArn);
    this.addEnvironment(FulfillmentEnv.ORDER_TIMEOUT_MS, String(source.timeoutMs));
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'OrderSourceCredentials',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secretResourceArn(source.secretArn)],
      }),
    );
  }

  private bind(dependency: Dependency): void {
    if (this.bound.has(dependency))
      throw new Error(`fulfillment function is already bound to its ${dependency}`);
    this.bound.add(dependency);
  }
}
