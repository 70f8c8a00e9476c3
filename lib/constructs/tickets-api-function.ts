/**
 * TicketsApiFunction owns the support desk's ticket API handler (src/handlers/tickets-api.ts over
 * src/tickets-api/): a PlatformFunction behind the channel API's three ticket routes (IAM
 * authorization, the SupportDeskRole only: lib/constructs/channel-api.ts `addTicketRoutes`).
 *
 * Least privilege: GetItem/PutItem/UpdateItem on the tickets table and Query on its indexes
 * (`byExternalId` finds a conflicting external id), with the table's key. The ticket carries its
 * conversation context (redacted transcript, intents, sentiment trend) as the worker wrote it, so
 * the API never reads the conversation table. Outside the VPC, like the channel function.
 */
import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { absolute, HANDLERS } from '../../bundling/index';
import { TICKETS_API_SERVICE } from '../../contracts/metrics';
import { TicketsApiEnv } from '../../contracts/runtime-env';
import { acknowledge } from '../nag';
import { logicalIdOf } from './logical-ids';
import { PlatformFunction } from './platform-function';
import { TicketsTable } from './tickets-table';

/** What the ticket API may do on the tickets table (and Query on its indexes). */
export const TICKETS_API_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
] as const;

export interface TicketsApiFunctionProps {
  readonly environmentName: string;
  readonly table: TicketsTable;
  readonly logRetention: logs.RetentionDays;
}

/** The ticket API's function (see the file comment). */
export class TicketsApiFunction extends PlatformFunction {
  constructor(scope: Construct, id: string, props: TicketsApiFunctionProps) {
    super(scope, id, {
      entry: absolute(HANDLERS['tickets-api'].entry),
      chunks: HANDLERS['tickets-api'].chunks,
      serviceName: TICKETS_API_SERVICE,
      description: 'Support desk ticket API: POST/GET/PATCH /v1/tickets',
      memorySize: 512,
      timeout: Duration.seconds(10),
      logRetention: props.logRetention,
      environment: {
        [TicketsApiEnv.ENVIRONMENT]: props.environmentName,
        [TicketsApiEnv.TICKETS_TABLE_NAME]: props.table.tableName,
      },
    });
    props.table.grantItems(this, TICKETS_API_TABLE_ACTIONS, { indexes: true });
    acknowledge(
      this.role!,
      'Query on the indexes of the one tickets table (byExternalId finds a conflicting external id; byStatus/byCustomer list tickets): the * is the index name, on this table only.',
      `AwsSolutions-IAM5[Resource::<${logicalIdOf(props.table.table)}.Arn>/index/*]`,
    );
  }
}
