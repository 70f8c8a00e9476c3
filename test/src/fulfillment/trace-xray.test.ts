/**
 * The turn's annotations through the real Powertools Tracer and X-Ray SDK, as in Lambda: the
 * environment of a traced invocation (a sampled trace id, the Lambda execution environment) and
 * a UDP socket standing in for the X-Ray daemon, which receives the `## turn` subsegment.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { conversationIdHash } from '../../../src/util/conversation-id';
import { baseDeps, capturedMetrics, fixedSentiment, lexEvent } from '../fixtures';

let daemon: Socket;
const received: string[] = [];
let tracer: Tracer;

beforeAll(async () => {
  daemon = createSocket('udp4');
  daemon.on('message', (message) => received.push(message.toString('utf8')));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  // a traced Lambda invocation's environment (this test file's own copy of process.env)
  Object.assign(process.env, {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    LAMBDA_TASK_ROOT: '/var/task',
    AWS_LAMBDA_FUNCTION_NAME: 'fulfillment',
    _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    POWERTOOLS_TRACE_ENABLED: 'true',
  });
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  tracer = new Tracer({ serviceName: 'fulfillment', captureHTTPsRequests: false });
});

afterAll(() => {
  daemon.close();
});

/** The subsegment documents the daemon received (each datagram: a header line, then the document). */
interface SubsegmentDocument {
  name: string;
  start_time: number;
  end_time: number;
  annotations?: Record<string, unknown>;
}

async function subsegments(count: number): Promise<SubsegmentDocument[]> {
  const deadline = Date.now() + 5000;
  while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return received.map((datagram) => JSON.parse(datagram.split('\n')[1]!) as SubsegmentDocument);
}

test('GIVEN a traced invocation WHEN a turn is handled THEN X-Ray receives its ## turn subsegment with the annotations', async () => {
  expect(tracer.isTracingEnabled()).toBe(true);
  const { createFulfillmentHandler } = await import('../../../src/fulfillment/create-handler');
  const { metrics } = capturedMetrics();
  const warn = jest.spyOn(console, 'warn');
  const handler = createFulfillmentHandler(
    baseDeps({ metrics, sentiment: fixedSentiment('NEUTRAL'), tracer }),
  );

  await handler(lexEvent({ intent: 'Greeting', sessionId: 'user-chosen-id-42' }));

  const [turn] = await subsegments(1);
  expect(turn).toMatchObject({
    name: '## turn',
    type: 'subsegment',
    parent_id: '53995c3f42cd8ad8',
    trace_id: '1-5759e988-bd862e3fe1be46a994272793',
    annotations: {
      conversation: conversationIdHash('user-chosen-id-42'),
      locale: 'en_US',
      intent: 'Greeting',
      degraded: false,
    },
  });
  expect(turn!.end_time).toBeGreaterThanOrEqual(turn!.start_time);
  expect(JSON.stringify(turn)).not.toContain('user-chosen-id-42');
  // no "cannot annotate the main segment" warning: the annotations went on the subsegment
  expect(warn).not.toHaveBeenCalled();
  warn.mockRestore();
});
