import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AccessLogsBucket } from '../../../lib/constructs/access-logs-bucket';
import {
  KnowledgeBase,
  KnowledgeBaseProps,
  NON_FILTERABLE_METADATA_KEYS,
  VECTOR_INDEX_ACTIONS,
} from '../../../lib/constructs/knowledge-base';
import { KnowledgeDocumentsBucket } from '../../../lib/constructs/knowledge-documents-bucket';
import { constructStack } from '../../support/construct-stack';
import { listAcknowledgements } from '../../support/nag-doc';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(overrides: Partial<KnowledgeBaseProps> = {}) {
  const stack = constructStack();
  const key = new kms.Key(stack, 'Key');
  const documents = new KnowledgeDocumentsBucket(stack, 'Documents', {
    encryptionKey: key,
    accessLogs: new AccessLogsBucket(stack, 'Logs', {
      logsOf: 'the documents',
      expiration: Duration.days(1),
    }),
    noncurrentVersionDays: 30,
  });
  const kb = new KnowledgeBase(stack, 'KnowledgeBase', {
    environmentName: 'test',
    documents,
    encryptionKey: key,
    embeddingModelId: 'amazon.titan-embed-text-v2:0',
    embeddingDimensions: 1024,
    chunking: { maxTokens: 300, overlapPercentage: 20 },
    ...overrides,
  });
  return { stack, key, documents, kb, t: Template.fromStack(stack) };
}

const idOf = (stack: Stack, c: { node: { defaultChild?: unknown } } | object): string =>
  stack.getLogicalId(
    ('node' in c && (c as { node: { defaultChild?: unknown } }).node.defaultChild
      ? (c as { node: { defaultChild: unknown } }).node.defaultChild
      : c) as never,
  );

describe('KnowledgeBase', () => {
  let f: ReturnType<typeof build>;
  beforeAll(() => (f = build()));

  it('GIVEN the knowledge key WHEN synthesized THEN one S3 Vectors bucket encrypted with it holds one float32 cosine index per locale, sized to the embeddings, with the text non-filterable', () => {
    const { stack, key, kb, t } = f;
    t.resourceCountIs('AWS::S3Vectors::VectorBucket', 1);
    t.hasResourceProperties('AWS::S3Vectors::VectorBucket', {
      EncryptionConfiguration: { SseType: 'aws:kms', KmsKeyArn: { 'Fn::GetAtt': [idOf(stack, key), 'Arn'] } },
    });
    const indexes = Object.values(t.findResources('AWS::S3Vectors::Index')).map((r) => r.Properties as Json);
    expect(indexes).toEqual(
      ['documents-en-us', 'documents-es-us'].map((name) => ({
        IndexName: name,
        VectorBucketArn: { 'Fn::GetAtt': [stack.getLogicalId(kb.vectorBucket), 'VectorBucketArn'] },
        DataType: 'float32',
        Dimension: 1024,
        DistanceMetric: 'cosine',
        MetadataConfiguration: { NonFilterableMetadataKeys: NON_FILTERABLE_METADATA_KEYS },
      })),
    );
    // the indexing service may decrypt, for this account's vector buckets only
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'indexing.s3vectors.amazonaws.com' },
            Action: 'kms:Decrypt',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
  });

  it('GIVEN the embedding model WHEN synthesized THEN each locale has its own vector knowledge base on its own index, embedding with that model at those dimensions', () => {
    const { stack, kb, t } = f;
    const kbs = Object.values(t.findResources('AWS::Bedrock::KnowledgeBase')).map(
      (r) => r.Properties as Json,
    );
    expect(kbs.map((p) => p.Name)).toEqual([
      'conversational-platform-test-en_US',
      'conversational-platform-test-es_US',
    ]);
    for (const [i, locale] of (['en_US', 'es_US'] as const).entries()) {
      expect(kbs[i].RoleArn).toEqual({ 'Fn::GetAtt': [idOf(stack, kb.locales[locale].role), 'Arn'] });
      expect(kbs[i].KnowledgeBaseConfiguration).toEqual({
        Type: 'VECTOR',
        VectorKnowledgeBaseConfiguration: {
          EmbeddingModelArn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0',
              ],
            ],
          },
          EmbeddingModelConfiguration: {
            BedrockEmbeddingModelConfiguration: { Dimensions: 1024, EmbeddingDataType: 'FLOAT32' },
          },
        },
      });
      expect(kbs[i].StorageConfiguration).toEqual({
        Type: 'S3_VECTORS',
        S3VectorsConfiguration: {
          VectorBucketArn: { 'Fn::GetAtt': [stack.getLogicalId(kb.vectorBucket), 'VectorBucketArn'] },
          IndexName: i === 0 ? 'documents-en-us' : 'documents-es-us',
        },
      });
    }
  });

  it('GIVEN the chunking WHEN synthesized THEN each data source ingests its locale folder only, fixed-size chunks of the given tokens and overlap, transient data under the knowledge key', () => {
    const { stack, key, documents, kb, t } = f;
    const sources = Object.values(t.findResources('AWS::Bedrock::DataSource')).map(
      (r) => r.Properties as Json,
    );
    expect(sources).toHaveLength(2);
    for (const [i, locale] of (['en_US', 'es_US'] as const).entries()) {
      expect(sources[i]).toEqual(
        expect.objectContaining({
          KnowledgeBaseId: {
            'Fn::GetAtt': [stack.getLogicalId(kb.locales[locale].knowledgeBase), 'KnowledgeBaseId'],
          },
          DataDeletionPolicy: 'DELETE',
          DataSourceConfiguration: {
            Type: 'S3',
            S3Configuration: {
              BucketArn: { 'Fn::GetAtt': [idOf(stack, documents), 'Arn'] },
              InclusionPrefixes: [`${locale}/`],
              BucketOwnerAccountId: { Ref: 'AWS::AccountId' },
            },
          },
          ServerSideEncryptionConfiguration: { KmsKeyArn: { 'Fn::GetAtt': [idOf(stack, key), 'Arn'] } },
          VectorIngestionConfiguration: {
            ChunkingConfiguration: {
              ChunkingStrategy: 'FIXED_SIZE',
              FixedSizeChunkingConfiguration: { MaxTokens: 300, OverlapPercentage: 20 },
            },
          },
        }),
      );
    }
  });

  it("GIVEN each knowledge base's role WHEN synthesized THEN Bedrock alone assumes it, for this account, and it is scoped to the model, the bucket, its locale folder, the key and its own index: no Resource *", () => {
    const { stack, key, documents, kb, t } = f;
    const roles = t.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'bedrock.amazonaws.com' } }] },
      },
    });
    expect(Object.keys(roles)).toHaveLength(2);
    for (const role of Object.values(roles)) {
      expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':bedrock:us-east-1:',
                { Ref: 'AWS::AccountId' },
                ':knowledge-base/*',
              ],
            ],
          },
        },
      });
    }
    const policyOf = (locale: 'en_US' | 'es_US'): Json[] => {
      const roleId = idOf(stack, kb.locales[locale].role);
      const policy = Object.values(t.findResources('AWS::IAM::Policy')).find((p) =>
        JSON.stringify(p.Properties.Roles).includes(roleId),
      )!;
      return policy.Properties.PolicyDocument.Statement as Json[];
    };
    for (const [locale, other] of [
      ['en_US', 'es_US'],
      ['es_US', 'en_US'],
    ] as const) {
      const statements = policyOf(locale);
      const bucketArn = { 'Fn::GetAtt': [idOf(stack, documents), 'Arn'] };
      expect(statements).toEqual([
        expect.objectContaining({ Sid: 'EmbedWithTheModel', Action: 'bedrock:InvokeModel' }),
        expect.objectContaining({ Sid: 'ListTheDocuments', Action: 's3:ListBucket', Resource: bucketArn }),
        expect.objectContaining({
          Sid: 'ReadTheLocaleFolder',
          Action: 's3:GetObject',
          Resource: { 'Fn::Join': ['', [bucketArn, `/${locale}/*`]] },
        }),
        expect.objectContaining({
          Sid: 'UseTheKnowledgeKey',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: { 'Fn::GetAtt': [idOf(stack, key), 'Arn'] },
        }),
        expect.objectContaining({
          Sid: 'ItsVectorIndex',
          Action: [...VECTOR_INDEX_ACTIONS].sort(),
          Resource: { 'Fn::GetAtt': [stack.getLogicalId(kb.locales[locale].index), 'IndexArn'] },
        }),
      ]);
      expect(JSON.stringify(statements)).not.toContain(stack.getLogicalId(kb.locales[other].index));
      expect(statements.some((s) => s.Resource === '*')).toBe(false);
      // the folder wildcard is acknowledged on the role, naming the bucket and the folder
      const ids = listAcknowledgements(kb.locales[locale].role).map((a) => a.id.replace(/^Annotation::/, ''));
      expect(ids).toEqual([`AwsSolutions-IAM5[Resource::<${idOf(stack, documents)}.Arn>/${locale}/*]`]);
    }
  });

  it('GIVEN each knowledge base WHEN synthesized THEN it is created after its index and its role policy (Bedrock checks access on creation)', () => {
    const { stack, kb, t } = f;
    for (const locale of ['en_US', 'es_US'] as const) {
      const resource = t.toJSON().Resources[stack.getLogicalId(kb.locales[locale].knowledgeBase)];
      expect(resource.DependsOn).toEqual(
        expect.arrayContaining([
          stack.getLogicalId(kb.locales[locale].index),
          expect.stringMatching(/ServiceRoleDefaultPolicy/),
        ]),
      );
    }
    expect(Object.keys(kb.knowledgeBaseIds)).toEqual(['en_US', 'es_US']);
  });

  it.each([
    [{ embeddingDimensions: 0 }, /embeddingDimensions must be an integer in \[1, 4096\], got 0/],
    [
      { chunking: { maxTokens: 512, overlapPercentage: 100 } },
      /overlapPercentage must be an integer in \[1, 99\], got 100/,
    ],
    [
      { chunking: { maxTokens: 10_000, overlapPercentage: 10 } },
      /maxTokens must be an integer in \[1, 8192\], got 10000/,
    ],
  ])('GIVEN invalid props %j WHEN built THEN they are refused early', (overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});
