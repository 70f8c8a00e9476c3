import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { TicketsApiFunction } from '../../../lib/constructs/tickets-api-function';
import { TicketsTable } from '../../../lib/constructs/tickets-table';
import { constructStack } from '../../support/construct-stack';

interface Statement {
  readonly Sid?: string;
  readonly Action: unknown;
  readonly Resource: unknown;
}

/** The tickets table and the function over it, in a fresh stack. */
function fixture() {
  const stack = constructStack();
  const table = new TicketsTable(stack, 'Tickets', {
    environmentName: 'dev',
    pointInTimeRecovery: true,
    deletionProtection: false,
  });
  const fn = new TicketsApiFunction(stack, 'Api', {
    environmentName: 'dev',
    table,
    logRetention: logs.RetentionDays.ONE_WEEK,
  });
  return { stack, table, fn };
}

/** Every statement of the template's IAM policies (those naming `roleId`, when given). */
function policyStatements(t: Template, roleId?: string): Statement[] {
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => roleId === undefined || JSON.stringify(p).includes(roleId))
    .flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
          .Statement,
    );
}

/** The environment variables of the template's one function. */
function functionEnv(t: Template): Record<string, unknown> {
  return (
    Object.values(t.findResources('AWS::Lambda::Function'))[0] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    }
  ).Properties.Environment.Variables;
}

describe('TicketsApiFunction', () => {
  it('GIVEN the tickets table WHEN synthesized THEN the API may get/put/update tickets and query the table’s indexes, with its key, and knows only the table name', () => {
    const { stack, table, fn } = fixture();
    const t = Template.fromStack(stack);
    const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(table.table.node.defaultChild as never), 'Arn'] };
    const roleId = stack.getLogicalId(fn.role!.node.defaultChild as never);
    const statements = policyStatements(t, roleId);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }],
      }),
    );
    expect(
      statements.flatMap((s) => s.Action as string[]).filter((a) => a.startsWith('dynamodb:')),
    ).toHaveLength(4);
    const env = functionEnv(t);
    expect(env.TICKETS_TABLE_NAME).toEqual({
      Ref: stack.getLogicalId(table.table.node.defaultChild as never),
    });
    expect(
      Object.keys(env)
        .filter((k) => !k.startsWith('POWERTOOLS_'))
        .sort(),
    ).toEqual(['PLATFORM_ENVIRONMENT', 'TICKETS_TABLE_NAME']);
  });

  it('GIVEN the knowledge bases WHEN bound THEN their ids are in KNOWLEDGE_BASE_IDS and bedrock:Retrieve is granted on exactly their ARNs, nothing else of Bedrock', () => {
    const { stack, fn } = fixture();
    const arn = (id: string) => `arn:aws:bedrock:us-east-1:123456789012:knowledge-base/${id}`;
    fn.bindKnowledge({
      knowledgeBases: {
        en_US: { knowledgeBaseId: 'KBEN123456', knowledgeBaseArn: arn('KBEN123456') },
        es_US: { knowledgeBaseId: 'KBES123456', knowledgeBaseArn: arn('KBES123456') },
      },
    });
    const t = Template.fromStack(stack);
    const statements = policyStatements(t);
    const bedrock = statements.filter((s) => JSON.stringify(s.Action).includes('bedrock:'));
    expect(bedrock).toEqual([
      expect.objectContaining({
        Sid: 'SuggestFromKnowledgeBases',
        Effect: 'Allow',
        Action: 'bedrock:Retrieve',
        Resource: [arn('KBEN123456'), arn('KBES123456')],
      }),
    ]);
    const env = functionEnv(t);
    expect(JSON.parse(env.KNOWLEDGE_BASE_IDS as string)).toEqual({
      en_US: 'KBEN123456',
      es_US: 'KBES123456',
    });
    expect(() => fn.bindKnowledge({ knowledgeBases: {} })).toThrow(/already bound/);
  });

  it('GIVEN no knowledge base WHEN bound THEN a clear error', () => {
    const { fn } = fixture();
    expect(() => fn.bindKnowledge({ knowledgeBases: {} })).toThrow(/at least one knowledge base/);
  });
});
