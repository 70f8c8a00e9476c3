import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { FulfillmentEnv } from '../../../contracts/runtime-env';
import { AccessLogsBucket } from '../../../lib/constructs/access-logs-bucket';
import { AudioBucket } from '../../../lib/constructs/audio-bucket';
import { generationModel } from '../../../lib/config/bedrock-models';
import {
  FulfillmentFunction,
  FulfillmentFunctionProps,
  KnowledgeBinding,
  secretResourceArn,
} from '../../../lib/constructs/fulfillment-function';
import { TicketQueue } from '../../../lib/constructs/ticket-queue';
import { constructStack } from '../../support/construct-stack';
import { listAcknowledgements } from '../../support/nag-doc';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Two locales' knowledge bases, Nova Lite through the us. profile, and a guardrail version. */
const KNOWLEDGE: KnowledgeBinding = {
  knowledgeBases: {
    en_US: {
      knowledgeBaseId: 'KBENUS0001',
      knowledgeBaseArn: 'arn:aws:bedrock:us-east-1:111111111111:knowledge-base/KBENUS0001',
    },
    es_US: {
      knowledgeBaseId: 'KBESUS0001',
      knowledgeBaseArn: 'arn:aws:bedrock:us-east-1:111111111111:knowledge-base/KBESUS0001',
    },
  },
  model: generationModel(
    { generationModelId: 'amazon.nova-lite-v1:0', crossRegionInference: true },
    'us-east-1',
    '111111111111',
  ),
  guardrail: {
    guardrailId: 'gr0123456789',
    guardrailArn: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/gr0123456789',
    guardrailVersion: '3',
  },
};

/** A stack with everything the function binds to, and the function (unbound). */
function fixture(overrides: Partial<FulfillmentFunctionProps> = {}) {
  const stack = constructStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const securityGroup = new ec2.SecurityGroup(stack, 'LambdaSg', { vpc, allowAllOutbound: false });
  const table = new dynamodb.TableV2(stack, 'Table', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryptionV2.customerManagedKey(new kms.Key(stack, 'TableKey')),
  });
  const stream = new kinesis.Stream(stack, 'Stream', {
    encryption: kinesis.StreamEncryption.KMS,
    encryptionKey: new kms.Key(stack, 'StreamKey'),
  });
  const authSecret = new secretsmanager.Secret(stack, 'RedisAuth');
  const audio = new AudioBucket(stack, 'Audio', {
    accessLogs: new AccessLogsBucket(stack, 'AudioLogs', {
      logsOf: 'the audio bucket',
      expiration: Duration.days(1),
    }),
  });
  const fn = new FulfillmentFunction(stack, 'Fulfillment', {
    environmentName: 'test',
    vpc,
    securityGroup,
    memorySize: 1024,
    timeout: Duration.seconds(10),
    reservedConcurrency: 50,
    logRetention: logs.RetentionDays.ONE_WEEK,
    ...overrides,
  });
  /** Everything but the knowledge. */
  const bindOthers = () => {
    fn.bindConversationTable(table, { ttlDays: 30 });
    fn.bindEventStream(stream, { transcripts: false });
    fn.bindSessionStore({ host: 'redis.internal', port: 6379, authSecret }, { sessionTtlSeconds: 1800 });
    fn.bindLanguageServices({ timeoutMs: 700 });
    fn.bindAudioBucket(audio);
  };
  const bindAll = () => {
    bindOthers();
    fn.bindKnowledge(KNOWLEDGE, { timeoutMs: 6000 });
  };
  return { stack, fn, audio, bindAll, bindOthers };
}

const functionProps = (t: Template): Json => {
  const fns = t.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } });
  const [id] = Object.keys(fns).filter((k) => k.startsWith('Fulfillment'));
  return fns[id].Properties as Json;
};

const statements = (t: Template): Json[] =>
  Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes('FulfillmentServiceRole'))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]);

const actionsOf = (st: Json): string[] => ([] as string[]).concat(st.Action);

describe('FulfillmentFunction', () => {
  let stack: Stack;
  let fn: FulfillmentFunction;
  let audio: AudioBucket;
  let template: Template;
  beforeAll(() => {
    const f = fixture();
    f.bindAll();
    ({ stack, fn, audio } = f);
    template = Template.fromStack(stack);
  });

  it('GIVEN its props WHEN synthesized THEN it runs Node.js 24 on arm64 with active tracing, reserved concurrency, memory and timeout from them', () => {
    expect(functionProps(template)).toEqual(
      expect.objectContaining({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: 1024,
        ReservedConcurrentExecutions: 50,
        Timeout: 10,
      }),
    );
    expect(fn.reservedConcurrency).toBe(50);
  });

  it('GIVEN a VPC and a security group WHEN synthesized THEN it runs in the isolated subnets with that security group', () => {
    const { VpcConfig } = functionProps(template);
    expect(VpcConfig.SubnetIds).toHaveLength(2);
    expect(JSON.stringify(VpcConfig.SecurityGroupIds)).toContain('LambdaSg');
  });

  it('GIVEN every dependency bound WHEN synthesized THEN it gets each dependency through the environment its bind sets', () => {
    const env = functionProps(template).Environment.Variables;
    expect(
      Object.keys(env)
        .filter((k) => !k.startsWith('POWERTOOLS_'))
        .sort(),
    ).toEqual(
      [
        FulfillmentEnv.ENVIRONMENT,
        FulfillmentEnv.BOT_LOCALES,
        FulfillmentEnv.TABLE_NAME,
        FulfillmentEnv.TTL_DAYS,
        FulfillmentEnv.STREAM_NAME,
        FulfillmentEnv.STREAM_TRANSCRIPTS,
        FulfillmentEnv.REDIS_HOST,
        FulfillmentEnv.REDIS_PORT,
        FulfillmentEnv.REDIS_TLS,
        FulfillmentEnv.REDIS_AUTH_SECRET_ARN,
        FulfillmentEnv.SESSION_TTL_SECONDS,
        FulfillmentEnv.DEPENDENCY_TIMEOUT_MS,
        FulfillmentEnv.AUDIO_BUCKET,
        FulfillmentEnv.KNOWLEDGE_BASE_IDS,
        FulfillmentEnv.KNOWLEDGE_MODEL_ID,
        FulfillmentEnv.GUARDRAIL_ID,
        FulfillmentEnv.GUARDRAIL_VERSION,
        FulfillmentEnv.KNOWLEDGE_TIMEOUT_MS,
      ].sort(),
    );
    expect(env).toEqual(
      expect.objectContaining({
        [FulfillmentEnv.ENVIRONMENT]: 'test',
        [FulfillmentEnv.BOT_LOCALES]: 'en_US,es_US',
        [FulfillmentEnv.TTL_DAYS]: '30',
        [FulfillmentEnv.STREAM_TRANSCRIPTS]: 'false',
        [FulfillmentEnv.REDIS_HOST]: 'redis.internal',
        [FulfillmentEnv.REDIS_PORT]: '6379',
        [FulfillmentEnv.REDIS_TLS]: 'true',
        [FulfillmentEnv.SESSION_TTL_SECONDS]: '1800',
        [FulfillmentEnv.DEPENDENCY_TIMEOUT_MS]: '700',
        [FulfillmentEnv.KNOWLEDGE_MODEL_ID]: 'us.amazon.nova-lite-v1:0',
        [FulfillmentEnv.GUARDRAIL_ID]: 'gr0123456789',
        [FulfillmentEnv.GUARDRAIL_VERSION]: '3',
        [FulfillmentEnv.KNOWLEDGE_TIMEOUT_MS]: '6000',
      }),
    );
    expect(JSON.parse(env[FulfillmentEnv.KNOWLEDGE_BASE_IDS])).toEqual({
      en_US: 'KBENUS0001',
      es_US: 'KBESUS0001',
    });
  });

  it('GIVEN every dependency bound WHEN synthesized THEN it is granted exactly what each bind needs: no wildcard action, Resource * only for services without resources', () => {
    const st = statements(template);
    const find = (action: string) => st.find((s) => actionsOf(s).includes(action))!;
    expect(actionsOf(find('dynamodb:PutItem'))).toEqual(['dynamodb:PutItem']);
    expect(find('dynamodb:PutItem').Resource).not.toEqual('*');
    expect(actionsOf(find('kms:Encrypt')).sort()).toEqual(
      ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'].sort(),
    );
    expect(actionsOf(find('kinesis:PutRecords'))).toEqual(['kinesis:PutRecords']);
    expect(find('secretsmanager:GetSecretValue').Resource).not.toEqual('*');
    expect(find('s3:PutObject')).toEqual(
      expect.objectContaining({
        Sid: 'VoiceAudio',
        Resource: { 'Fn::Join': ['', [expect.anything(), '/audio/*']] },
      }),
    );
    expect(find('comprehend:DetectSentiment').Sid).toBe('LanguageServices');
    const wildcard = st.filter((s) => s.Resource === '*').flatMap(actionsOf);
    expect(wildcard.sort()).toEqual(
      [
        'comprehend:DetectDominantLanguage',
        'comprehend:DetectSentiment',
        'polly:SynthesizeSpeech',
        'translate:TranslateText',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    expect(st.some((s) => actionsOf(s).some((a) => a.endsWith('*')))).toBe(false);
  });

  it("GIVEN the knowledge bound WHEN synthesized THEN Bedrock is granted only Retrieve on the locales' knowledge bases, InvokeModel on the one generation model and ApplyGuardrail on the one guardrail", () => {
    const bedrock = statements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('bedrock:')));
    expect(bedrock).toEqual([
      expect.objectContaining({
        Sid: 'RetrieveFromKnowledgeBases',
        Action: 'bedrock:Retrieve',
        Resource: [
          KNOWLEDGE.knowledgeBases.en_US.knowledgeBaseArn,
          KNOWLEDGE.knowledgeBases.es_US.knowledgeBaseArn,
        ],
      }),
      expect.objectContaining({
        Sid: 'GenerateAnswers',
        Action: 'bedrock:InvokeModel',
        Resource: [
          'arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0',
          'arn:aws:bedrock:us-east-1:111111111111:inference-profile/us.amazon.nova-lite-v1:0',
        ],
      }),
      expect.objectContaining({
        Sid: 'ApplyTheGuardrail',
        Action: 'bedrock:ApplyGuardrail',
        Resource: KNOWLEDGE.guardrail.guardrailArn,
      }),
    ]);
    // the one region wildcard (the profile's destination Regions) is acknowledged, naming the model
    const ids = listAcknowledgements(fn.role!).map((a) => a.id.replace(/^Annotation::/, ''));
    expect(ids).toContain(
      'AwsSolutions-IAM5[Resource::arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0]',
    );
  });

  it("GIVEN the model called without an inference profile WHEN bound THEN InvokeModel names the Region's foundation model only, and no wildcard is acknowledged for it", () => {
    const f = fixture();
    f.bindOthers();
    f.fn.bindKnowledge(
      {
        ...KNOWLEDGE,
        model: generationModel(
          { generationModelId: 'amazon.nova-lite-v1:0', crossRegionInference: false },
          'us-east-1',
          '111111111111',
        ),
      },
      { timeoutMs: 5000 },
    );
    const generate = Object.values(Template.fromStack(f.stack).findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
      .find((st) => st.Sid === 'GenerateAnswers')!;
    expect(generate.Resource).toBe('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0');
    const ids = listAcknowledgements(f.fn.role!).map((a) => a.id);
    expect(ids.filter((id) => id.includes('foundation-model'))).toEqual([]);
  });

  it('GIVEN the audio bucket bound WHEN synthesized THEN the audio/ prefix wildcard is acknowledged on its role, naming the bucket by its logical id', () => {
    const ids = listAcknowledgements(fn.role!).map((a) => a.id.replace(/^Annotation::/, ''));
    const bucketId = stack.getLogicalId(audio.node.defaultChild as s3.CfnBucket);
    expect(ids).toContain(`AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/audio/*]`);
  });

  it('GIVEN a dependency never bound WHEN synthesized THEN synth fails, naming it', () => {
    const { stack: s, fn: unbound } = fixture();
    unbound.bindConversationTable(dynamodb.TableV2.fromTableName(s, 'Other', 'other'), { ttlDays: 1 });
    expect(() => Template.fromStack(s)).toThrow(
      /fulfillment function is not bound to its event stream, session store, language services, audio bucket, knowledge/,
    );
  });

  it('GIVEN a bound dependency WHEN bound again THEN it is refused', () => {
    const f = fixture();
    f.fn.bindLanguageServices();
    expect(() => f.fn.bindLanguageServices()).toThrow(/already bound to its language services/);
  });

  it('GIVEN invalid props or bind options WHEN created or bound THEN they are refused early', () => {
    expect(() => fixture({ memorySize: 64 })).toThrow(/memory must be 128-10240 MB, got 64/);
    expect(() => fixture({ reservedConcurrency: 0 })).toThrow(
      /reserved concurrency must be a positive integer, got 0/,
    );
    expect(() => fixture({ timeout: Duration.minutes(20) })).toThrow(
      /timeout must be 1-900 seconds, got 1200/,
    );
    const f = fixture();
    expect(() => f.fn.bindLanguageServices({ timeoutMs: 0 })).toThrow(/timeoutMs must be a positive integer/);
  });
});

describe('FulfillmentFunction: tickets and the order source', () => {
  const SECRET = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:orders-api';
  const DESK = {
    hours: { en_US: 'Mon-Fri 8-18', es_US: 'lun-vie 8-18' },
    firstResponseHours: 24,
  };
  function bound() {
    const f = fixture();
    f.bindAll();
    const queue = new TicketQueue(f.stack, 'TicketQueue', {
      environmentName: 'test',
      visibilityTimeout: Duration.seconds(60),
      retentionPeriod: Duration.days(14),
    });
    f.fn.bindTickets(queue, DESK);
    f.fn.bindOrders({ url: 'https://orders.example.com/v2', secretArn: SECRET, timeoutMs: 1200 });
    return { ...f, queue, t: Template.fromStack(f.stack) };
  }

  it('GIVEN the ticket queue WHEN bound THEN the handler gets its URL and the desk as JSON, and may only SendMessage on it (with its key)', () => {
    const { stack, queue, t } = bound();
    const env = functionProps(t).Environment.Variables as Json;
    expect(env[FulfillmentEnv.TICKET_QUEUE_URL]).toEqual({
      Ref: stack.getLogicalId(queue.queue.node.defaultChild as never),
    });
    expect(JSON.parse(env[FulfillmentEnv.SUPPORT_DESK] as string)).toEqual(DESK);
    const sqsStatements = statements(t).filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    expect(sqsStatements.map((s) => s.Action)).toEqual(['sqs:SendMessage']);
    expect(statements(t)).toContainEqual(
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(queue.key.node.defaultChild as never), 'Arn'] },
      }),
    );
  });

  it('GIVEN an order source WHEN bound THEN the handler gets its URL, secret ARN and timeout, and may read that one secret only', () => {
    const { t } = bound();
    const env = functionProps(t).Environment.Variables as Json;
    expect([env.ORDER_SOURCE_URL, env.ORDER_SOURCE_SECRET_ARN, env.ORDER_TIMEOUT_MS]).toEqual([
      'https://orders.example.com/v2',
      SECRET,
      '1200',
    ]);
    expect(
      statements(t).filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue')),
    ).toContainEqual(
      expect.objectContaining({ Sid: 'OrderSourceCredentials', Resource: `${SECRET}-??????` }),
    );
  });

  it('GIVEN a complete or partial secret ARN WHEN named for IAM THEN a partial one matches its 6-character suffix', () => {
    expect(secretResourceArn(`${SECRET}-AbCdEf`)).toBe(`${SECRET}-AbCdEf`);
    expect(secretResourceArn(SECRET)).toBe(`${SECRET}-??????`);
  });

  it('GIVEN an order source over http WHEN bound THEN it is refused; GIVEN tickets bound twice THEN refused', () => {
    const f = fixture();
    expect(() =>
      f.fn.bindOrders({ url: 'http://orders.example.com', secretArn: SECRET, timeoutMs: 1000 }),
    ).toThrow('order source url must be https://');
    const queue = new TicketQueue(f.stack, 'Q', {
      environmentName: 'test',
      visibilityTimeout: Duration.seconds(60),
      retentionPeriod: Duration.days(1),
    });
    f.fn.bindTickets(queue, DESK);
    expect(() => f.fn.bindTickets(queue, DESK)).toThrow('already bound to its ticket queue');
  });
});
