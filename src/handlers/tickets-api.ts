/**
 * Lambda entry point of the support desk's ticket API (POST/GET/PATCH /v1/tickets on the channel
 * API, IAM-authorized for the SupportDeskRole only): the DynamoDB ticket store, then the routes of
 * src/tickets-api/routes.ts, and knowledge suggestions from Bedrock Retrieve on the ticket locale's
 * knowledge base when KNOWLEDGE_BASE_IDS is set. The clients are built at module scope (reused
 * by warm invocations).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { TICKETS_API_SERVICE } from '../../contracts/metrics';
import { TicketsApiEnv } from '../../contracts/runtime-env';
import {
  BedrockKnowledgeSuggestions,
  suggestionOptionsFromEnv,
} from '../adapters/bedrock-knowledge-suggestions';
import { DynamoTicketStore } from '../adapters/dynamo-ticket-store';
import { httpHandler } from '../adapters/http';
import { requireEnv } from '../env';
import { createTicketsApi, type HttpResult } from '../tickets-api/routes';

const logger = new Logger({ serviceName: process.env[TicketsApiEnv.SERVICE_NAME] ?? TICKETS_API_SERVICE });
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: httpHandler() }), {
  marshallOptions: { removeUndefinedValues: true },
});

const suggestionOptions = suggestionOptionsFromEnv(process.env);
const suggestions = suggestionOptions
  ? new BedrockKnowledgeSuggestions(
      new BedrockAgentRuntimeClient({ requestHandler: httpHandler(), maxAttempts: 1 }),
      RetrieveCommand,
      suggestionOptions,
    )
  : undefined;

let api: ((event: APIGatewayProxyEventV2) => Promise<HttpResult>) | undefined;

export const handler = async (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => {
  if (context) logger.addContext(context);
  api ??= createTicketsApi({
    store: new DynamoTicketStore(doc, {
      tableName: requireEnv(TicketsApiEnv.TICKETS_TABLE_NAME),
      timeoutMs: 3000,
    }),
    // the error's name only: its message may quote an item
    onError: (message, error) => logger.error(message, { errorName: (error as Error)?.name ?? 'Error' }),
    suggestions,
    // a flag and the error's name, never the query (the ticket's text)
    onSuggestionFailure: (failure, error) =>
      logger.warn('knowledge suggestions unavailable', {
        suggestionsFailure: failure,
        errorName: (error as Error)?.name ?? 'Error',
      }),
  });
  return api(event);
};
