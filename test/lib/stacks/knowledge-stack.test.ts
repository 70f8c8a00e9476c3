import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FulfillmentEnv } from '../../../contracts/runtime-env';
import { DEV, PROD } from '../../../lib/config/environments';
import { EnvironmentConfig } from '../../../lib/config/types';
import { nagPlugins } from '../../../lib/nag';
import { ConversationalPlatformStage } from '../../../lib/stages/conversational-platform-stage';
import { testApp } from '../../helpers/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(config: EnvironmentConfig = DEV) {
  const stage = new ConversationalPlatformStage(testApp({}, { schemaValidation: false }), 'Dev', { config });
  return { stage, t: Template.fromStack(stage.knowledge), bot: Template.fromStack(stage.bot) };
}

describe('KnowledgeStack', () => {
  let f: ReturnType<typeof build>;
  beforeAll(() => (f = build()));

  it('GIVEN the dev config WHEN synthesized THEN it holds the documents bucket, one knowledge base and data source per locale on S3 Vectors, and the sync', () => {
    const { t } = f;
    t.resourceCountIs('AWS::Bedrock::KnowledgeBase', 2);
    t.resourceCountIs('AWS::Bedrock::DataSource', 2);
    t.resourceCountIs('AWS::S3Vectors::VectorBucket', 1);
    t.resourceCountIs('AWS::S3Vectors::Index', 2);
    t.resourceCountIs('AWS::Events::Rule', 1);
    t.resourceCountIs('AWS::SQS::Queue', 2);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.resourceCountIs('AWS::S3::Bucket', 2); // documents and their access logs
  });

  it("GIVEN the config's knowledge section WHEN synthesized THEN the chunking and the embedding model are the config's", () => {
    const { t } = f;
    for (const source of Object.values(t.findResources('AWS::Bedrock::DataSource'))) {
      expect(source.Properties.VectorIngestionConfiguration.ChunkingConfiguration).toEqual({
        ChunkingStrategy: 'FIXED_SIZE',
        FixedSizeChunkingConfiguration: {
          MaxTokens: DEV.knowledge.chunking.maxTokens,
          OverlapPercentage: DEV.knowledge.chunking.overlapPercentage,
        },
      });
    }
    expect(DEV.knowledge.chunking).toEqual({ maxTokens: 512, overlapPercentage: 10 }); // the documented default
    for (const kb of Object.values(t.findResources('AWS::Bedrock::KnowledgeBase'))) {
      expect(JSON.stringify(kb.Properties.KnowledgeBaseConfiguration)).toContain(
        `foundation-model/${DEV.knowledge.embeddingModelId}`,
      );
    }
  });

  it('GIVEN the stack WHEN synthesized THEN it outputs the bucket and, per locale, the knowledge base and data source ids the manual sync command takes', () => {
    const outputs = f.t.toJSON().Outputs as Json;
    expect(
      Object.keys(outputs)
        .filter((k) => !k.startsWith('ExportsOutput'))
        .sort(),
    ).toEqual(
      [
        'DataSourceIdEnUS',
        'DataSourceIdEsUS',
        'DocumentsBucketName',
        'KnowledgeBaseIdEnUS',
        'KnowledgeBaseIdEsUS',
      ].sort(),
    );
    expect(outputs.DataSourceIdEsUS.Value).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^KnowledgeBaseesUSDataSource/), 'DataSourceId'],
    });
  });

  it('GIVEN the stage WHEN synthesized THEN the fulfillment answers from these knowledge bases (imported), with the guardrail of the bot stack and the model of the Region', () => {
    const fn = Object.values(f.bot.findResources('AWS::Lambda::Function')).find(
      (r) => r.Properties.Environment?.Variables?.[FulfillmentEnv.KNOWLEDGE_BASE_IDS],
    )!;
    const env = fn.Properties.Environment.Variables as Json;
    expect(JSON.stringify(env[FulfillmentEnv.KNOWLEDGE_BASE_IDS])).toContain('Fn::ImportValue');
    expect(env[FulfillmentEnv.KNOWLEDGE_MODEL_ID]).toBe('us.amazon.nova-lite-v1:0');
    expect(env[FulfillmentEnv.KNOWLEDGE_TIMEOUT_MS]).toBe(String(DEV.knowledge.timeoutMs));
    expect(env[FulfillmentEnv.GUARDRAIL_VERSION]).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^GuardrailVersion/), 'Version'],
    });
    f.bot.resourceCountIs('AWS::Bedrock::Guardrail', 1);
    f.bot.resourceCountIs('AWS::Bedrock::GuardrailVersion', 1);
  });

  it('GIVEN a Region in Europe WHEN synthesized THEN the fulfillment calls the model through the eu. inference profile', () => {
    const { bot } = build({ ...PROD, region: 'eu-west-1' });
    const fn = Object.values(bot.findResources('AWS::Lambda::Function')).find(
      (r) => r.Properties.Environment?.Variables?.[FulfillmentEnv.KNOWLEDGE_MODEL_ID],
    )!;
    expect(fn.Properties.Environment.Variables[FulfillmentEnv.KNOWLEDGE_MODEL_ID]).toBe(
      'eu.amazon.nova-lite-v1:0',
    );
  });

  it('GIVEN the stack WHEN checked by the AwsSolutions and Serverless packs THEN nothing is unacknowledged, and no IAM statement grants a Resource * beyond X-Ray', () => {
    for (const plugin of nagPlugins()) {
      expect(plugin.validateScope(f.stage.knowledge as Stack).violations).toEqual([]);
    }
    const wildcard = Object.values(f.t.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')))
      .flatMap((s) => [].concat(s.Action));
    expect([...new Set(wildcard)].sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });
});
