/**
 * KnowledgeBase owns the knowledge bases the fulfillment retrieves answers from: ONE Bedrock
 * knowledge base per bot locale (docs/decisions/knowledge-base.md: Spanish questions search
 * Spanish documents only, and each index serves half the queries), each with
 *   - its vector index in one S3 Vectors bucket (docs/decisions/vector-store.md: no fixed cost,
 *     nothing to operate), float32, `embeddingDimensions`, cosine, encrypted with the knowledge key;
 *   - its data source: the locale's folder of the documents bucket (`en_US/`), fixed-size chunking
 *     from config, transient ingestion data encrypted with the knowledge key;
 *   - its own service role, scoped to that index, that folder, the key and the embedding model.
 * The fulfillment reads the ids as KNOWLEDGE_BASE_IDS (a JSON object locale -> id); the knowledge
 * sync reads the data source ids as KNOWLEDGE_DATA_SOURCES.
 */
import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3vectors from 'aws-cdk-lib/aws-s3vectors';
import { Construct } from 'constructs';
import { LOCALES, type LocaleId } from '../../contracts/bot-model/types';
import { embeddingModelArn } from '../config/bedrock-models';
import { acknowledge } from '../nag';
import { KnowledgeDocumentsBucket } from './knowledge-documents-bucket';
import { logicalIdOf } from './logical-ids';

export interface KnowledgeBaseProps {
  /** The environment's name, part of each knowledge base's name. */
  readonly environmentName: string;
  /** The documents, one folder per locale. */
  readonly documents: KnowledgeDocumentsBucket;
  /** The key of the documents, the vectors and the ingestion's transient data. */
  readonly encryptionKey: kms.IKey;
  /** Bedrock foundation model id of the embeddings, e.g. amazon.titan-embed-text-v2:0. */
  readonly embeddingModelId: string;
  /** Dimensions of the embeddings (and of each vector index). */
  readonly embeddingDimensions: number;
  /** Fixed-size chunking of the documents. */
  readonly chunking: { readonly maxTokens: number; readonly overlapPercentage: number };
  /**
   * What happens to the vector bucket and indexes when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** One locale's knowledge base and what the fulfillment and the sync need of it. */
export interface LocaleKnowledgeBase {
  readonly knowledgeBase: bedrock.CfnKnowledgeBase;
  readonly dataSource: bedrock.CfnDataSource;
  readonly index: s3vectors.CfnIndex;
  readonly role: iam.Role;
  readonly knowledgeBaseId: string;
  readonly knowledgeBaseArn: string;
  readonly dataSourceId: string;
}

/**
 * Metadata Bedrock writes with each vector that S3 Vectors must not make filterable: the chunk's
 * text and Bedrock's own metadata exceed the 2 KB of filterable metadata a vector may carry
 * (S3 Vectors limits), and ingestion then fails. Fixed when the index is created.
 */
export const NON_FILTERABLE_METADATA_KEYS = ['AMAZON_BEDROCK_TEXT', 'AMAZON_BEDROCK_METADATA'];

/** The S3 Vectors actions a knowledge base performs on its index (Bedrock KB permissions). */
export const VECTOR_INDEX_ACTIONS = [
  's3vectors:GetIndex',
  's3vectors:PutVectors',
  's3vectors:GetVectors',
  's3vectors:DeleteVectors',
  's3vectors:QueryVectors',
];

/** `en_US` -> `en-us`: index names allow lower-case letters, digits, hyphens and dots only. */
const indexName = (locale: LocaleId): string => `documents-${locale.toLowerCase().replace('_', '-')}`;

const positiveInteger = (value: number, what: string, max: number): void => {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new Error(`${what} must be an integer in [1, ${max}], got ${value}`);
};

/** The knowledge bases of the bot's locales (see the file comment). */
export class KnowledgeBase extends Construct {
  readonly vectorBucket: s3vectors.CfnVectorBucket;
  readonly locales: Readonly<Record<LocaleId, LocaleKnowledgeBase>>;

  constructor(scope: Construct, id: string, props: KnowledgeBaseProps) {
    super(scope, id);
    positiveInteger(props.embeddingDimensions, 'knowledge base embeddingDimensions', 4096);
    positiveInteger(props.chunking.maxTokens, 'knowledge base chunking maxTokens', 8192);
    positiveInteger(props.chunking.overlapPercentage, 'knowledge base chunking overlapPercentage', 99);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.vectorBucket = new s3vectors.CfnVectorBucket(this, 'VectorBucket', {
      encryptionConfiguration: { sseType: 'aws:kms', kmsKeyArn: props.encryptionKey.keyArn },
    });
    this.vectorBucket.applyRemovalPolicy(removalPolicy);
    this.allowIndexingService(props.encryptionKey);

    this.locales = Object.fromEntries(
      LOCALES.map((locale) => [locale, this.createLocale(locale, props, removalPolicy)]),
    ) as Record<LocaleId, LocaleKnowledgeBase>;
  }

  /** Knowledge base ids by locale: the value of KNOWLEDGE_BASE_IDS (a JSON object). */
  get knowledgeBaseIds(): Record<LocaleId, string> {
    return mapLocales(this.locales, (kb) => kb.knowledgeBaseId);
  }

  /** Knowledge base and data source ids by locale: the value of KNOWLEDGE_DATA_SOURCES. */
  get dataSources(): Record<LocaleId, { knowledgeBaseId: string; dataSourceId: string }> {
    return mapLocales(this.locales, (kb) => ({
      knowledgeBaseId: kb.knowledgeBaseId,
      dataSourceId: kb.dataSourceId,
    }));
  }

  /**
   * S3 Vectors maintains a KMS-encrypted index in the background as its indexing service, which
   * must be able to decrypt with the key: only for vector buckets of this account and Region.
   */
  private allowIndexingService(key: kms.IKey): void {
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowS3VectorsIndexing',
        principals: [new iam.ServicePrincipal('indexing.s3vectors.amazonaws.com')],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:s3vectors:${Aws.REGION}:${Aws.ACCOUNT_ID}:bucket/*`,
          },
        },
      }),
    );
  }

  private createLocale(
    locale: LocaleId,
    props: KnowledgeBaseProps,
    removalPolicy: RemovalPolicy,
  ): LocaleKnowledgeBase {
    const scope = new Construct(this, locale);
    const index = new s3vectors.CfnIndex(scope, 'Index', {
      vectorBucketArn: this.vectorBucket.attrVectorBucketArn,
      indexName: indexName(locale),
      dataType: 'float32',
      dimension: props.embeddingDimensions,
      distanceMetric: 'cosine',
      metadataConfiguration: { nonFilterableMetadataKeys: NON_FILTERABLE_METADATA_KEYS },
    });
    index.applyRemovalPolicy(removalPolicy);

    const role = this.createRole(scope, locale, props, index);
    const knowledgeBase = new bedrock.CfnKnowledgeBase(scope, 'KnowledgeBase', {
      name: `conversational-platform-${props.environmentName}-${locale}`,
      description: `Company documents in ${locale} (${props.documents.prefixes[locale]} of the documents bucket)`,
      roleArn: role.roleArn,
      knowledgeBaseConfiguration: {
        type: 'VECTOR',
        vectorKnowledgeBaseConfiguration: {
          embeddingModelArn: embeddingModelArn(props.embeddingModelId, Stack.of(this).region, Aws.PARTITION),
          embeddingModelConfiguration: {
            bedrockEmbeddingModelConfiguration: {
              dimensions: props.embeddingDimensions,
              embeddingDataType: 'FLOAT32',
            },
          },
        },
      },
      storageConfiguration: {
        type: 'S3_VECTORS',
        s3VectorsConfiguration: {
          vectorBucketArn: this.vectorBucket.attrVectorBucketArn,
          indexName: indexName(locale),
        },
      },
    });
    // Bedrock checks the role's access to the index when it creates the knowledge base.
    knowledgeBase.node.addDependency(index);
    knowledgeBase.node.addDependency(role);

    const dataSource = new bedrock.CfnDataSource(scope, 'DataSource', {
      knowledgeBaseId: knowledgeBase.attrKnowledgeBaseId,
      name: `documents-${locale}`,
      description: `The ${props.documents.prefixes[locale]} folder of the documents bucket`,
      dataDeletionPolicy: 'DELETE',
      dataSourceConfiguration: {
        type: 'S3',
        s3Configuration: {
          bucketArn: props.documents.bucketArn,
          inclusionPrefixes: [props.documents.prefixes[locale]],
          bucketOwnerAccountId: Aws.ACCOUNT_ID,
        },
      },
      serverSideEncryptionConfiguration: { kmsKeyArn: props.encryptionKey.keyArn },
      vectorIngestionConfiguration: {
        chunkingConfiguration: {
          chunkingStrategy: 'FIXED_SIZE',
          fixedSizeChunkingConfiguration: {
            maxTokens: props.chunking.maxTokens,
            overlapPercentage: props.chunking.overlapPercentage,
          },
        },
      },
    });

    return {
      knowledgeBase,
      dataSource,
      index,
      role,
      knowledgeBaseId: knowledgeBase.attrKnowledgeBaseId,
      knowledgeBaseArn: knowledgeBase.attrKnowledgeBaseArn,
      dataSourceId: dataSource.attrDataSourceId,
    };
  }

  /**
   * The knowledge base's service role: assumed by Bedrock for this account's knowledge bases
   * only; embeds with the one model, reads the locale's folder, uses the knowledge key, and
   * reads and writes its own vector index.
   */
  private createRole(
    scope: Construct,
    locale: LocaleId,
    props: KnowledgeBaseProps,
    index: s3vectors.CfnIndex,
  ): iam.Role {
    const { documents, encryptionKey } = props;
    const region = Stack.of(this).region;
    const role = new iam.Role(scope, 'ServiceRole', {
      description: `Bedrock knowledge base of the ${locale} documents`,
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:bedrock:${region}:${Aws.ACCOUNT_ID}:knowledge-base/*`,
          },
        },
      }),
    });
    const documentsArn = documents.arnForObjects(`${documents.prefixes[locale]}*`);
    const statements = [
      new iam.PolicyStatement({
        sid: 'EmbedWithTheModel',
        actions: ['bedrock:InvokeModel'],
        resources: [embeddingModelArn(props.embeddingModelId, region, Aws.PARTITION)],
      }),
      new iam.PolicyStatement({
        sid: 'ListTheDocuments',
        actions: ['s3:ListBucket'],
        resources: [documents.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'ReadTheLocaleFolder',
        actions: ['s3:GetObject'],
        resources: [documentsArn],
      }),
      new iam.PolicyStatement({
        sid: 'UseTheKnowledgeKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [encryptionKey.keyArn],
      }),
      new iam.PolicyStatement({
        sid: 'ItsVectorIndex',
        actions: VECTOR_INDEX_ACTIONS,
        resources: [index.attrIndexArn],
      }),
    ];
    for (const statement of statements) role.addToPolicy(statement);
    acknowledge(
      role,
      `Documents of the ${locale} folder only: ingestion reads every document under it, whose keys are not known at deploy time.`,
      `AwsSolutions-IAM5[Resource::<${logicalIdOf(documents)}.Arn>/${documents.prefixes[locale]}*]`,
    );
    return role;
  }
}

function mapLocales<T>(
  locales: Readonly<Record<LocaleId, LocaleKnowledgeBase>>,
  fn: (kb: LocaleKnowledgeBase) => T,
): Record<LocaleId, T> {
  return Object.fromEntries(LOCALES.map((l) => [l, fn(locales[l])])) as Record<LocaleId, T>;
}
