import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { LOCALES, type LocaleId } from '../../contracts/bot-model/types';
import { AccessLogsBucket } from '../constructs/access-logs-bucket';
import { KnowledgeBase } from '../constructs/knowledge-base';
import { KnowledgeDocumentsBucket } from '../constructs/knowledge-documents-bucket';
import { KnowledgeSync } from '../constructs/knowledge-sync';
import { PlatformStack, PlatformStackProps } from './platform-stack';

export type KnowledgeStackProps = PlatformStackProps;

/** What the bot stack binds the fulfillment to, per bot locale. */
export interface KnowledgeResources {
  readonly knowledgeBases: Readonly<
    Record<LocaleId, { readonly knowledgeBaseId: string; readonly knowledgeBaseArn: string }>
  >;
}

/** `en_US` -> `EnUS`, for output ids (letters and digits only). */
const outputSuffix = (locale: LocaleId): string =>
  locale
    .split('_')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');

/**
 * The company documents the bot answers from: the knowledge key, the documents bucket (and the
 * bucket of its access logs), one Bedrock knowledge base per bot locale on S3 Vectors, and the
 * sync that starts an ingestion job when documents are uploaded or deleted. The guardrail lives
 * with its caller in the bot stack (its version changes with the policy; as an export it would
 * block the deploy that changes it). Outputs give the ids the manual sync command needs
 * (docs/deployment.md, "Knowledge sync").
 */
export class KnowledgeStack extends PlatformStack {
  readonly key: kms.Key;
  readonly documents: KnowledgeDocumentsBucket;
  readonly knowledgeBase: KnowledgeBase;
  readonly sync: KnowledgeSync;

  constructor(scope: Construct, id: string, props: KnowledgeStackProps) {
    super(scope, id, props);
    const { config } = this;
    const { knowledge } = config;
    const removalPolicy = this.statefulRemovalPolicy;
    const autoDeleteObjects = config.removalPolicy === 'destroy';

    this.key = new kms.Key(this, 'KnowledgeKey', {
      description: `Knowledge documents, vectors and sync queues (${config.name})`,
      enableKeyRotation: true,
      removalPolicy,
    });
    const accessLogs = new AccessLogsBucket(this, 'DocumentsAccessLogs', {
      logsOf: 'the knowledge documents bucket',
      expiration: Duration.days(90),
      removalPolicy,
      autoDeleteObjects,
    });
    this.documents = new KnowledgeDocumentsBucket(this, 'Documents', {
      encryptionKey: this.key,
      accessLogs,
      noncurrentVersionDays: knowledge.noncurrentVersionDays,
      removalPolicy,
      autoDeleteObjects,
    });
    this.knowledgeBase = new KnowledgeBase(this, 'KnowledgeBase', {
      environmentName: config.name,
      documents: this.documents,
      encryptionKey: this.key,
      embeddingModelId: knowledge.embeddingModelId,
      embeddingDimensions: knowledge.embeddingDimensions,
      chunking: knowledge.chunking,
      removalPolicy,
    });
    this.sync = new KnowledgeSync(this, 'Sync', {
      environmentName: config.name,
      documents: this.documents,
      knowledgeBase: this.knowledgeBase,
      encryptionKey: this.key,
      logRetention: this.logRetention,
    });
    this.addOutputs();
  }

  /** What the fulfillment is bound to. */
  get resources(): KnowledgeResources {
    return { knowledgeBases: this.knowledgeBase.locales };
  }

  /** The bucket to upload documents to, and each locale's knowledge base and data source ids. */
  private addOutputs(): void {
    new CfnOutput(this, 'DocumentsBucketName', {
      value: this.documents.bucketName,
      description: 'Upload documents under en_US/ or es_US/; each upload or deletion starts a sync',
    });
    for (const locale of LOCALES) {
      const kb = this.knowledgeBase.locales[locale];
      new CfnOutput(this, `KnowledgeBaseId${outputSuffix(locale)}`, {
        value: kb.knowledgeBaseId,
        description: `Knowledge base of the ${locale} documents (--knowledge-base-id)`,
      });
      new CfnOutput(this, `DataSourceId${outputSuffix(locale)}`, {
        value: kb.dataSourceId,
        description: `Data source of the ${locale}/ folder (--data-source-id)`,
      });
    }
  }
}
