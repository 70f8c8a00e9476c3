/**
 * TicketsTable owns the tickets: a DynamoDB table (on-demand) keyed exactly as
 * `TicketTableSchema` (contracts/tickets.ts) says, so the worker, the ticket API and the local
 * dynalite table agree: partition key `ticketId`, and three global secondary indexes projecting
 * all attributes: `byStatus` (status, createdAt) for the desk's queue views, `byCustomer`
 * (customerId, createdAt) for a customer's history, `byExternalId` (externalId; sparse: only
 * tickets from an external system carry it). Encrypted with its own customer-managed key, with
 * point-in-time recovery and deletion protection from config.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TicketTableSchema } from '../../contracts/tickets';

export interface TicketsTableProps {
  /** The environment's name (key description). */
  readonly environmentName: string;
  /** Point-in-time recovery (35 days of restores). */
  readonly pointInTimeRecovery: boolean;
  readonly deletionProtection: boolean;
  /** What happens to the table and its key when they leave the stack. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

const S = dynamodb.AttributeType.STRING;

/** The tickets table (see the file comment). */
export class TicketsTable extends Construct {
  readonly key: kms.Key;
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: TicketsTableProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const { partitionKey, indexes } = TicketTableSchema;
    this.key = new kms.Key(this, 'Key', {
      description: `Tickets table (${props.environmentName})`,
      enableKeyRotation: true,
      removalPolicy,
    });
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: partitionKey, type: S },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.pointInTimeRecovery },
      deletionProtection: props.deletionProtection,
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.key),
      removalPolicy,
      globalSecondaryIndexes: [
        {
          indexName: indexes.byStatus.name,
          partitionKey: { name: indexes.byStatus.partitionKey, type: S },
          sortKey: { name: indexes.byStatus.sortKey, type: S },
          projectionType: dynamodb.ProjectionType.ALL,
        },
        {
          indexName: indexes.byCustomer.name,
          partitionKey: { name: indexes.byCustomer.partitionKey, type: S },
          sortKey: { name: indexes.byCustomer.sortKey, type: S },
          projectionType: dynamodb.ProjectionType.ALL,
        },
        {
          indexName: indexes.byExternalId.name,
          partitionKey: { name: indexes.byExternalId.partitionKey, type: S },
          projectionType: dynamodb.ProjectionType.ALL,
        },
      ],
    });
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /**
   * Item actions on the table (and, for Query, its indexes) plus the data-key operations
   * DynamoDB performs with the table's key for the caller. `actions` are DynamoDB actions,
   * e.g. `dynamodb:PutItem`.
   */
  grantItems(grantee: iam.IGrantable, actions: readonly string[], options: { indexes?: boolean } = {}): void {
    if (actions.length === 0 || actions.some((a) => !/^dynamodb:[A-Za-z]+$/.test(a))) {
      throw new Error(`tickets table grants DynamoDB actions only, got ${actions.join(', ') || 'none'}`);
    }
    iam.Grant.addToPrincipal({
      grantee,
      actions: [...actions],
      resourceArns: [this.table.tableArn, ...(options.indexes ? [`${this.table.tableArn}/index/*`] : [])],
    });
    this.key.grant(grantee, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
  }
}
