/**
 * Every CloudFormation resource type the app synthesizes, and how the cost model treats it: priced
 * (the price entries its lines use) or free (no charge of its own, with the reason). A type the
 * stages or the pipeline synthesize that is in neither list fails test/lib/cost/coverage.test.ts,
 * so a new billable resource cannot slip out of the model.
 */
import type { PriceId } from './prices';

export type Coverage = { readonly priced: readonly PriceId[] } | { readonly free: string };

const free = (reason: string): Coverage => ({ free: reason });
const priced = (...ids: PriceId[]): Coverage => ({ priced: ids });

export const RESOURCE_TYPE_COVERAGE: Readonly<Record<string, Coverage>> = {
  'AWS::ApiGatewayV2::Api': priced('httpApiRequest'),
  'AWS::ApiGatewayV2::Integration': free('part of the API: billed per API request'),
  'AWS::ApiGatewayV2::Route': free('part of the API: billed per API request'),
  'AWS::ApiGatewayV2::Stage': free('part of the API: billed per API request'),
  'AWS::Bedrock::DataSource': free(
    'ingestion jobs have no charge of their own: their embeddings are priced on the knowledge base',
  ),
  'AWS::Bedrock::Guardrail': priced(
    'guardrailContentUnit',
    'guardrailTopicUnit',
    'guardrailPiiUnit',
    'guardrailGroundingUnit',
  ),
  'AWS::Bedrock::GuardrailVersion': free('a version of the guardrail: billed per text unit on the guardrail'),
  'AWS::Bedrock::KnowledgeBase': priced('titanEmbedV2Token', 'novaLiteInputToken', 'novaLiteOutputToken'),
  'AWS::CloudFront::Distribution': priced('cloudFrontRequest', 'cloudFrontTransferGb'),
  'AWS::CloudFront::OriginAccessControl': free('configuration of the distribution'),
  'AWS::CloudFront::ResponseHeadersPolicy': free('configuration of the distribution'),
  'AWS::CloudWatch::Alarm': priced('cloudWatchAlarmMetric'),
  'AWS::CloudWatch::Dashboard': priced('cloudWatchDashboard'),
  'AWS::CodeBuild::Project': priced('codeBuildMediumMinute'),
  'AWS::CodePipeline::Pipeline': priced('codePipelineActionMinute', 'fargateVcpuHour', 'fargateGbHour'),
  'AWS::CodeStarNotifications::NotificationRule': free('notification rules have no charge (SNS delivers)'),
  'AWS::Cognito::IdentityPool': free('Cognito identity pools (federated identities) have no charge'),
  'AWS::Cognito::IdentityPoolRoleAttachment': free('configuration of the identity pool'),
  'AWS::DynamoDB::GlobalTable': priced('dynamoWriteUnit', 'dynamoReadUnit', 'dynamoStorage', 'dynamoPitr'),
  'AWS::DynamoDB::Table': priced('dynamoWriteUnit', 'dynamoReadUnit', 'dynamoStorage', 'dynamoPitr'),
  'AWS::EC2::FlowLog': priced('logsIngestGb', 'logsStorageGbMonth'),
  'AWS::EC2::RouteTable': free('VPC configuration has no charge'),
  'AWS::EC2::SecurityGroup': free('VPC configuration has no charge'),
  'AWS::EC2::SecurityGroupEgress': free('VPC configuration has no charge'),
  'AWS::EC2::SecurityGroupIngress': free('VPC configuration has no charge'),
  'AWS::EC2::Subnet': free('VPC configuration has no charge'),
  'AWS::EC2::SubnetRouteTableAssociation': free('VPC configuration has no charge'),
  'AWS::EC2::VPC': free('a VPC has no charge (no NAT gateway in these stages)'),
  'AWS::EC2::VPCEndpoint': priced('interfaceEndpointAzHour', 'interfaceEndpointDataGb'),
  'AWS::ElastiCache::ReplicationGroup': priced('elastiCacheNodeHour'),
  'AWS::ElastiCache::SubnetGroup': free('configuration of the replication group'),
  'AWS::Events::Archive': priced('eventBridgeArchiveGb'),
  'AWS::Events::EventBus': priced('eventBridgeCustomEvent'),
  'AWS::Events::Rule': free('rules and AWS service events (S3 to the default bus) have no charge'),
  'AWS::IAM::Policy': free('IAM has no charge'),
  'AWS::IAM::Role': free('IAM has no charge'),
  'AWS::KMS::Alias': free('aliases have no charge'),
  'AWS::KMS::Key': priced('kmsKey', 'kmsRequest'),
  'AWS::Kinesis::Stream': priced(
    'kinesisShardHour',
    'kinesisPutPayloadUnit',
    'kinesisExtendedRetentionShardHour',
    'kinesisOnDemandStreamHour',
    'kinesisOnDemandIngestGb',
    'kinesisOnDemandRetrievalGb',
    'kinesisOnDemandExtendedRetentionGbMonth',
  ),
  'AWS::KinesisFirehose::DeliveryStream': priced('firehoseIngestGb', 's3PutRequest'),
  'AWS::Lambda::Alias': free('an alias has no charge'),
  'AWS::Lambda::EventSourceMapping': free('SQS polling is billed as SQS requests, invocations as Lambda'),
  'AWS::Lambda::Function': priced('lambdaRequest', 'lambdaArmGbSecond', 'lambdaX86GbSecond'),
  'AWS::Lambda::LayerVersion': free('layers have no charge (their storage is within the free code storage)'),
  'AWS::Lambda::Permission': free('a resource policy has no charge'),
  'AWS::Lambda::Version': free('a version has no charge'),
  'AWS::Lex::Bot': priced('lexTextRequest', 'lexSpeechRequest'),
  'AWS::Lex::BotAlias': free('billed per request on the bot'),
  'AWS::Lex::BotVersion': free('billed per request on the bot'),
  'AWS::Logs::LogGroup': priced('logsIngestGb', 'logsStorageGbMonth'),
  'AWS::Logs::LogStream': free('billed per GB on its log group'),
  'AWS::S3::Bucket': priced(
    's3StandardGbMonth',
    's3GlacierIrGbMonth',
    's3PutRequest',
    's3GetRequest',
    's3GlacierIrTransition',
  ),
  'AWS::S3::BucketPolicy': free('a bucket policy has no charge'),
  'AWS::S3Vectors::Index': priced('s3VectorsQuery', 's3VectorsQueryDataTb'),
  'AWS::S3Vectors::VectorBucket': priced('s3VectorsStorageGbMonth'),
  'AWS::SNS::Subscription': free('a subscription has no charge'),
  'AWS::SNS::Topic': free(
    'a topic has no charge; alarm notifications (a few hundred a month) cost under $0.01',
  ),
  'AWS::SNS::TopicPolicy': free('a topic policy has no charge'),
  'AWS::SQS::Queue': priced('sqsRequest'),
  'AWS::SQS::QueuePolicy': free('a queue policy has no charge'),
  'AWS::SecretsManager::Secret': priced('secret'),
  'AWS::WAFv2::WebACL': priced('wafWebAcl', 'wafRule', 'wafRequest'),
  'Custom::CDKBucketDeployment': free('runs its Lambda at deployment only (a few invocations a deploy)'),
  'Custom::S3AutoDeleteObjects': free('runs its Lambda at stack deletion only'),
  'Custom::S3BucketNotifications': free('runs its Lambda at deployment only'),
  'Custom::VpcRestrictDefaultSG': free('runs its Lambda at deployment only'),
};

/** The types in `types` that are neither priced nor listed as free. */
export function uncoveredTypes(types: Iterable<string>): string[] {
  return [...new Set(types)].filter((type) => !(type in RESOURCE_TYPE_COVERAGE)).sort();
}
