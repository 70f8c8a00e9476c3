import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BOT_MODEL } from '../../../contracts/bot-model';
import { DEV, PROD, STAGING } from '../../../lib/config/environments';
import { EnvironmentConfig } from '../../../lib/config/types';
import { botModelHash } from '../../../lib/constructs/lex-bot-model';
import { ConversationalPlatformStage } from '../../../lib/stages/conversational-platform-stage';
import { testApp } from '../../helpers/app';
import { repoPath } from '../../support/paths';

/**
 * CloudFormation knows a resource by its logical id: when an id changes, a deploy creates a new
 * resource and deletes the old one. test/fixtures/stateful-logical-ids.json lists, per stage and
 * stack, the ids that must never change that way (generated from the tree before the BotStack was
 * split into constructs): state, fixed physical names, and resources whose replacement breaks
 * something. A resource that moves into a construct keeps its id with `pinLogicalId`
 * (lib/constructs/logical-ids.ts) or by being the construct's `Default` child.
 */
const FIXTURE = repoPath('test', 'fixtures', 'stateful-logical-ids.json');
const EXPECTED = (
  JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
    stages: Record<string, Record<string, Record<string, string[]>>>;
  }
).stages;

/** What a replacement would do, per guarded type (in the failure message). */
const WHY: Record<string, string> = {
  'AWS::DynamoDB::GlobalTable': 'a new, empty table (the old one retained or deleted with its data)',
  'AWS::ElastiCache::ReplicationGroup': 'a failed deploy (fixed replication group id) or lost sessions',
  'AWS::SecretsManager::Secret': 'a new Redis AUTH token the running cluster does not know',
  'AWS::KMS::Key': 'a new key; data encrypted with the old one is unreadable once it is deleted',
  'AWS::Kinesis::Stream': 'a new, empty stream (events in flight lost)',
  'AWS::S3::Bucket': 'a new, empty bucket',
  'AWS::Logs::LogGroup': 'a new, empty log group (history lost)',
  'AWS::Lex::Bot': 'a failed deploy (fixed bot name) or a new bot id for every client',
  'AWS::Lex::BotAlias': 'a new alias id for the channel API and every client',
  'AWS::Lex::BotVersion': 'a second version of the same model',
  'AWS::ApiGatewayV2::Api': 'a new API endpoint URL for every client',
  'AWS::ApiGatewayV2::Stage': 'a failed deploy ($default stage exists)',
  'AWS::ApiGatewayV2::Route': 'a failed deploy (the route key exists)',
  'AWS::IAM::Role': 'a new role ARN that callers holding the old one can no longer assume',
  'AWS::S3::BucketPolicy': "the bucket's policy deleted when the old policy resource is removed",
  'Custom::S3AutoDeleteObjects': 'the bucket emptied when the old custom resource is deleted',
  'AWS::CloudWatch::Alarm': 'a failed deploy or a lost alarm (fixed alarm name)',
  'AWS::CloudWatch::Dashboard': 'a lost dashboard (fixed dashboard name)',
  'AWS::S3Vectors::VectorBucket': "a new, empty vector bucket: every document's vectors to ingest again",
  'AWS::S3Vectors::Index': 'a new, empty vector index: no answers until the documents are ingested again',
  'AWS::Bedrock::KnowledgeBase':
    'a failed deploy (fixed name) or a new knowledge base id for the fulfillment, ingested from scratch',
  'AWS::Bedrock::DataSource': 'a new data source id for the sync, its documents ingested again',
  'AWS::SQS::Queue':
    'a new, empty queue (document changes waiting to be synced, ticket requests in flight, or dead letters awaiting redrive, lost)',
  'AWS::Bedrock::Guardrail': 'a failed deploy (fixed guardrail name)',
  'AWS::Events::EventBus': 'a failed deploy (fixed bus name) or subscribers left on a deleted bus',
  'AWS::Events::Archive': 'a new, empty archive (the ticket events kept for replay lost)',
};

const CONFIGS: Record<string, EnvironmentConfig> = { Dev: DEV, Staging: STAGING, Prod: PROD };

/** The fixture's `BotVersion{modelHash}`: the id of the current model's bot version. */
function expectedId(id: string, config: EnvironmentConfig): string {
  const hash = botModelHash(BOT_MODEL, { nluConfidenceThreshold: config.bot.nluConfidenceThreshold });
  return id.replace('{modelHash}', hash.slice(0, 12));
}

/** The logical ids of `types` in `stack`'s template, per type. */
function logicalIds(stack: Stack, types: readonly string[]): Record<string, string[]> {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
  const ids: Record<string, string[]> = Object.fromEntries(types.map((t) => [t, []]));
  for (const [id, resource] of Object.entries(resources)) ids[resource.Type]?.push(id);
  return ids;
}

/** One line per guarded id that changed or disappeared, telling the developer what a deploy would do. */
function problems(
  where: string,
  expected: Record<string, string[]>,
  actual: Record<string, string[]>,
): string[] {
  return Object.entries(expected).flatMap(([type, ids]) => {
    const gone = ids.filter((id) => !actual[type].includes(id));
    const unlisted = actual[type].filter((id) => !ids.includes(id));
    return gone.map(
      (id) =>
        `${where}: ${type} ${id} changed or disappeared${unlisted.length > 0 ? ` (now: ${unlisted.join(', ')})` : ''}. ` +
        `A deploy would REPLACE the deployed resource: ${WHY[type] ?? 'a new resource'}. Keep the id ` +
        '(pinLogicalId in lib/constructs/logical-ids.ts); if replacing it is intended, update ' +
        'test/fixtures/stateful-logical-ids.json.',
    );
  });
}

describe('logical ids a deploy must not change', () => {
  it('GIVEN the fixture WHEN read THEN it covers the three stages and their eight stacks that hold state, and explains every type', () => {
    expect(Object.keys(EXPECTED)).toEqual(['Dev', 'Staging', 'Prod']);
    for (const stacks of Object.values(EXPECTED)) {
      expect(Object.keys(stacks)).toEqual([
        'Network',
        'Data',
        'Analytics',
        'Knowledge',
        'Tickets',
        'WebHosting',
        'Bot',
        'Monitoring',
      ]);
      for (const types of Object.values(stacks)) {
        for (const type of Object.keys(types))
          expect({ type, why: type in WHY }).toEqual({ type, why: true });
      }
    }
  });

  describe.each(Object.keys(CONFIGS))('GIVEN the %s stage', (stageId) => {
    let stage: ConversationalPlatformStage;
    beforeAll(() => {
      // GIVEN the stage as the pipeline builds it (asset bundling skipped: ids do not depend on it)
      stage = new ConversationalPlatformStage(testApp({}, { schemaValidation: false }), stageId, {
        config: CONFIGS[stageId],
      });
    });

    it.each(['Network', 'Data', 'Analytics', 'Knowledge', 'Tickets', 'WebHosting', 'Bot', 'Monitoring'])(
      'WHEN its %s stack is synthesized THEN it keeps them',
      (stackId) => {
        // WHEN the stack is synthesized
        const stack = stage.node.findChild(stackId) as Stack;
        const expected = Object.fromEntries(
          Object.entries(EXPECTED[stageId][stackId]).map(([type, ids]) => [
            type,
            ids.map((id) => expectedId(id, CONFIGS[stageId])),
          ]),
        );
        // THEN every guarded logical id is still there
        const found = problems(`${stageId}/${stackId}`, expected, logicalIds(stack, Object.keys(expected)));
        if (found.length > 0) throw new Error(found.join('\n'));
      },
    );
  });
});
