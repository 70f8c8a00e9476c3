/**
 * TicketsApiFunction owns the support desk's ticket API handler (src/handlers/tickets-api.ts over
 * src/tickets-api/): a PlatformFunction behind the channel API's three ticket routes (IAM
 * authorization, the SupportDeskRole only: lib/constructs/channel-api.ts `addTicketRoutes`).
 *
 * Least privilege: GetItem/PutItem/UpdateItem on the tickets table and Query on its indexes
 * (`byExternalId` finds a conflicting external id), with the table's key. The ticket carries its
 * conversation context (redacted transcript, intents, sentiment trend) as the worker wrote it, so
 * the API never reads the conversation table. Outside the VPC, like the channel function.
 *
 * `bindKnowledge`: the knowledge suggestions of GET /v1/tickets/{id} (src/tickets-api/suggestions.ts)
 * retrieve from the stage's knowledge bases: their ids (KNOWLEDGE_BASE_IDS) and `bedrock:Retrieve`
 * on exactly their ARNs; no model, no guardrail. Outside the VPC it reaches Bedrock's public
 * endpoint, so it needs no interface endpoint.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { absolute, HANDLERS } from '../../bundling/index';
import type { LocaleId } from '../../contracts/bot-model/types';
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

/** The knowledge bases suggestions come from, per bot locale (the knowledge stack's resources). */
export interface TicketsKnowledgeBinding {
  readonly knowledgeBases: Readonly<
    Partial<Record<LocaleId, { readonly knowledgeBaseId: string; readonly knowledgeBaseArn: string }>>
  >;
}

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

  private knowledgeBound = false;

  /** Knowledge suggestions: the knowledge bases' ids, and Retrieve on exactly those (see the file comment). */
  bindKnowledge(knowledge: TicketsKnowledgeBinding): void {
    if (this.knowledgeBound) throw new Error('ticket API function is already bound to its knowledge bases');
    const entries = Object.entries(knowledge.knowledgeBases).filter(
      (e): e is [string, { knowledgeBaseId: string; knowledgeBaseArn: string }] => e[1] !== undefined,
    );
    if (entries.length === 0) throw new Error('knowledge binding needs at least one knowledge base');
    this.knowledgeBound = true;
    const ids = Object.fromEntries(entries.map(([locale, kb]) => [locale, kb.knowledgeBaseId]));
    this.addEnvironment(TicketsApiEnv.KNOWLEDGE_BASE_IDS, Stack.of(this).toJsonString(ids));
    this.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SuggestFromKnowledgeBases',
        actions: ['bedrock:Retrieve'],
        resources: entries.map(([, kb]) => kb.knowledgeBaseArn),
      }),
    );
  }
}
