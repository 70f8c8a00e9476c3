import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLogsBucket } from '../../../lib/constructs/access-logs-bucket';
import {
  DOCUMENTS_ACCESS_LOG_PREFIX,
  KnowledgeDocumentsBucket,
} from '../../../lib/constructs/knowledge-documents-bucket';
import { constructStack } from '../../support/construct-stack';
import { listAcknowledgements } from '../../support/nag-doc';

describe('KnowledgeDocumentsBucket', () => {
  function build(noncurrentVersionDays = 30) {
    const stack = constructStack();
    const key = new kms.Key(stack, 'Key');
    const logs = new AccessLogsBucket(stack, 'Logs', {
      logsOf: 'the documents',
      expiration: Duration.days(90),
    });
    const documents = new KnowledgeDocumentsBucket(stack, 'Documents', {
      encryptionKey: key,
      accessLogs: logs,
      noncurrentVersionDays,
    });
    return { stack, key, logs, documents, t: Template.fromStack(stack) };
  }

  it('GIVEN a key and an access log bucket WHEN synthesized THEN the documents are KMS-encrypted with it, versioned, private, logged, and their changes reach EventBridge', () => {
    const { stack, key, logs, documents, t } = build();
    const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
    const bucket = t.toJSON().Resources[id(documents)].Properties;
    expect(bucket).toEqual(
      expect.objectContaining({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [id(key), 'Arn'] },
              },
            },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: id(logs) },
          LogFilePrefix: DOCUMENTS_ACCESS_LOG_PREFIX,
        },
      }),
    );
    // EventBridge notifications: CDK's notifications resource turns them on for this bucket
    t.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: id(documents) },
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
    // TLS only
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id(documents) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('GIVEN noncurrentVersionDays WHEN synthesized THEN replaced and deleted versions expire after that many days', () => {
    const { stack, documents, t } = build(45);
    const rules =
      t.toJSON().Resources[stack.getLogicalId(documents.node.defaultChild as s3.CfnBucket)].Properties
        .LifecycleConfiguration.Rules;
    expect(rules).toEqual([
      expect.objectContaining({
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: 45 },
        ExpiredObjectDeleteMarker: true,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      }),
    ]);
    expect(documents.prefixes).toEqual({ en_US: 'en_US/', es_US: 'es_US/' });
  });

  it('GIVEN the bucket WHEN built THEN the notifications handler CDK adds is acknowledged for its managed policy only', () => {
    const { stack } = build();
    const handler = stack.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'))!;
    const ids = listAcknowledgements(handler.node.findChild('Role')).map((a) =>
      a.id.replace(/^Annotation::/, ''),
    );
    expect(ids).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    ]);
  });

  it('GIVEN 0 days of old versions WHEN built THEN it is refused', () => {
    expect(() => build(0)).toThrow(/noncurrentVersionDays must be a whole number of days \(1\+\), got 0/);
  });
});
