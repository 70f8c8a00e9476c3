import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TicketTableSchema } from '../../../contracts/tickets';
import { TicketsTable } from '../../../lib/constructs/tickets-table';
import { constructStack } from '../../support/construct-stack';

describe('TicketsTable', () => {
  function build(pointInTimeRecovery = true) {
    const stack = constructStack();
    const table = new TicketsTable(stack, 'Tickets', {
      environmentName: 'dev',
      pointInTimeRecovery,
      deletionProtection: true,
    });
    return {
      stack,
      table,
      get t() {
        return Template.fromStack(stack);
      },
    };
  }

  it('GIVEN the contract’s key schema WHEN synthesized THEN the table is keyed on ticketId with the three GSIs exactly as contracts/tickets.ts says', () => {
    const { t } = build();
    const { indexes: i } = TicketTableSchema;
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'ticketId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: i.byStatus.name,
          KeySchema: [
            { AttributeName: i.byStatus.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.byStatus.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: i.byCustomer.name,
          KeySchema: [
            { AttributeName: i.byCustomer.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.byCustomer.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: i.byExternalId.name,
          KeySchema: [{ AttributeName: i.byExternalId.partitionKey, KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('GIVEN PITR on WHEN synthesized THEN the replica has point-in-time recovery, deletion protection and the table’s own KMS key', () => {
    const { stack, table, t } = build();
    t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        {
          Region: 'us-east-1',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: {
            KMSMasterKeyId: {
              'Fn::GetAtt': [stack.getLogicalId(table.key.node.defaultChild as never), 'Arn'],
            },
          },
        },
      ],
    });
  });

  it('GIVEN PITR off WHEN synthesized THEN the replica says so', () => {
    build(false).t.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [{ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } }],
    });
  });

  it('GIVEN a grant of item actions WHEN synthesized THEN exactly those actions on the table (indexes only when asked) and the key’s data-key operations', () => {
    const { stack, table } = build();
    const role = new iam.Role(stack, 'Reader', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    table.grantItems(role, ['dynamodb:GetItem']);
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        (
          p as {
            Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } };
          }
        ).Properties.PolicyDocument.Statement,
    );
    expect(statements[0]).toEqual(
      expect.objectContaining({
        Action: 'dynamodb:GetItem',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(table.table.node.defaultChild as never), 'Arn'] },
      }),
    );
    expect(statements[1].Action).toEqual([
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
    ]);
    expect(() => table.grantItems(role, ['s3:GetObject'])).toThrow(
      'tickets table grants DynamoDB actions only',
    );
  });
});
