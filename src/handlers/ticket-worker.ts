/**
 * Lambda entry point of the ticket worker (SQS event source with ReportBatchItemFailures). Thin:
 * reads the environment (contracts/runtime-env.ts `TicketWorkerEnv`), builds the DynamoDB and
 * EventBridge adapters and Powertools once per container, and composes them with
 * createTicketWorkerHandler (src/tickets/worker/handler.ts, which the local platform composes
 * too).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { METRIC_NAMESPACE, TICKET_WORKER_SERVICE } from '../../contracts/metrics';
import { TicketWorkerEnv as E } from '../../contracts/runtime-env';
import { DynamoConversationHistory } from '../adapters/dynamo-conversation-history';
import { DynamoTicketStore } from '../adapters/dynamo-ticket-store';
import { EventBridgeTicketEvents } from '../adapters/eventbridge-ticket-events';
import { httpHandler } from '../adapters/http';
import { numberEnv, requireEnv } from '../env';
import { DEFAULT_TRANSCRIPT_TURNS } from '../tickets/worker/build';
import { createTicketWorkerHandler } from '../tickets/worker/handler';

const serviceName = process.env[E.SERVICE_NAME] ?? TICKET_WORKER_SERVICE;
const logger = new Logger({ serviceName });
const metrics = new Metrics({ namespace: process.env[E.METRICS_NAMESPACE] ?? METRIC_NAMESPACE, serviceName });
const tracer = new Tracer({ serviceName, captureHTTPsRequests: false });

/** Per-call budget: the worker is not on a user's turn, but a hung call must not eat the timeout. */
const CALL_TIMEOUT_MS = 3000;
const requestHandler = () => httpHandler({ connectionTimeoutMs: 1000, requestTimeoutMs: CALL_TIMEOUT_MS });

const doc = DynamoDBDocumentClient.from(
  tracer.captureAWSv3Client(new DynamoDBClient({ maxAttempts: 3, requestHandler: requestHandler() })),
  { marshallOptions: { removeUndefinedValues: true } },
);
const eventBridge = tracer.captureAWSv3Client(
  new EventBridgeClient({ maxAttempts: 3, requestHandler: requestHandler() }),
);

export const handler = createTicketWorkerHandler(
  {
    store: new DynamoTicketStore(doc, { tableName: requireEnv(E.TICKETS_TABLE_NAME) }),
    events: new EventBridgeTicketEvents(eventBridge, { busName: requireEnv(E.TICKET_BUS_NAME) }),
    history: new DynamoConversationHistory(doc, { tableName: requireEnv(E.CONVERSATION_TABLE_NAME) }),
    transcriptTurns: Math.round(numberEnv(E.TRANSCRIPT_TURNS, DEFAULT_TRANSCRIPT_TURNS)),
  },
  { logger, metrics },
);
