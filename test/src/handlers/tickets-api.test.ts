/**
 * The ticket API's Lambda entry point: KNOWLEDGE_BASE_IDS wires Bedrock Retrieve into GET's
 * knowledge suggestions (unset: unavailable, no call); a failed Retrieve is logged as a flag and
 * the error's name, never the ticket's text. DynamoDB and Bedrock are mocked.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { TicketsApiEnv } from '../../../contracts/runtime-env';
import type { Ticket } from '../../../contracts/tickets';

const ORIGINAL_ENV = { ...process.env };
afterEach(() => {
  process.env = { ...ORIGINAL_ENV };
  jest.resetModules();
  jest.restoreAllMocks();
});

const TICKET: Ticket = {
  ticketId: 'T-ABCDEFGHJK',
  reference: 'T-ABCDEFGHJK',
  source: 'external',
  idempotencyKey: 'external#ZD-1',
  customerId: 'cust-1',
  category: 'other',
  priority: 'normal',
  transcript: [],
  intents: [],
  sentimentTrend: [],
  status: 'open',
  externalId: 'ZD-1',
  subject: 'Secret subject about a refund',
  channel: 'email',
  locale: 'es_US',
  createdAt: '2026-11-30T12:00:00.000Z',
  updatedAt: '2026-11-30T12:00:00.000Z',
  version: 1,
};

const GET = {
  routeKey: 'GET /v1/tickets/{ticketId}',
  pathParameters: { ticketId: TICKET.ticketId },
} as unknown as APIGatewayProxyEventV2;

async function load(env: Record<string, string>) {
  Object.assign(process.env, {
    [TicketsApiEnv.TICKETS_TABLE_NAME]: 'tickets',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    ...env,
  });
  // the handler's own module instances (the registry is reset between tests)
  jest.resetModules();
  const { DynamoDBDocumentClient, GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const { BedrockAgentRuntimeClient, RetrieveCommand } =
    await import('@aws-sdk/client-bedrock-agent-runtime');
  const doc = mockClient(DynamoDBDocumentClient);
  doc.on(GetCommand).resolves({ Item: TICKET });
  const bedrock = mockClient(BedrockAgentRuntimeClient);
  const out: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const { handler } = await import('../../../src/handlers/tickets-api');
  return { handler, bedrock, out, RetrieveCommand };
}

test('GIVEN KNOWLEDGE_BASE_IDS WHEN a ticket is read THEN Retrieve runs on its locale’s knowledge base and the documents are suggested', async () => {
  const { handler, bedrock, RetrieveCommand } = await load({
    [TicketsApiEnv.KNOWLEDGE_BASE_IDS]: '{"en_US":"KBEN123456","es_US":"KBES123456"}',
  });
  bedrock.on(RetrieveCommand).resolves({
    retrievalResults: [
      {
        content: { type: 'TEXT', text: 'Reembolsos en 5 días.' },
        score: 0.7,
        location: { type: 'S3', s3Location: { uri: 's3://docs/es_US/devoluciones.md' } },
        metadata: { title: 'Devoluciones' },
      },
    ],
  });
  const res = await handler(GET);
  expect(res.statusCode).toBe(200);
  expect(JSON.parse(res.body).context.knowledgeSuggestions).toEqual({
    status: 'ok',
    items: [{ title: 'Devoluciones', link: '', snippet: 'Reembolsos en 5 días.' }],
  });
  expect(bedrock.commandCalls(RetrieveCommand)[0]!.args[0].input.knowledgeBaseId).toBe('KBES123456');
});

test('GIVEN no KNOWLEDGE_BASE_IDS WHEN a ticket is read THEN suggestions are unavailable and Bedrock is not called', async () => {
  const { handler, bedrock } = await load({});
  const res = await handler(GET);
  expect(JSON.parse(res.body).context.knowledgeSuggestions).toEqual({
    status: 'unavailable',
    reason: 'no knowledge base is configured',
    items: [],
  });
  expect(bedrock.calls()).toHaveLength(0);
});

test('GIVEN Retrieve failing WHEN a ticket is read THEN 200, unavailable, and the log has the flag and error name but not the ticket’s text', async () => {
  const { handler, bedrock, out, RetrieveCommand } = await load({
    [TicketsApiEnv.KNOWLEDGE_BASE_IDS]: '{"es_US":"KBES123456"}',
  });
  bedrock
    .on(RetrieveCommand)
    .rejects(
      Object.assign(new Error('throttled: Secret subject about a refund'), { name: 'ThrottlingException' }),
    );
  const res = await handler(GET);
  expect(res.statusCode).toBe(200);
  expect(JSON.parse(res.body).context.knowledgeSuggestions.status).toBe('unavailable');
  const log = out.join('');
  expect(log).toContain('"suggestionsFailure":"error"');
  expect(log).toContain('ThrottlingException');
  expect(log).not.toContain('Secret subject');
});
