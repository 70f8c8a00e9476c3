import { Logger } from '@aws-lambda-powertools/logger';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedbackEvent } from '../../../contracts/conversation-event';
import { Metric, type MetricName } from '../../../contracts/metrics';
import { startLocalDynamo, type LocalDynamo } from '../../../local/stores/dynamo';
import { DynamoContextStore } from '../../../src/adapters/dynamo-context-store';
import { DynamoFeedbackStore } from '../../../src/adapters/dynamo-feedback-store';
import { RequestError } from '../../../src/channel/http';
import { recordFeedback } from '../../../src/feedback/record';
import { parseFeedbackRequest } from '../../../src/feedback/request';
import type { FeedbackEvents, TurnRecord } from '../../../src/ports';
import { InvocationLog } from '../../../src/util/invocation-log';

const fieldOf = (body: unknown): string | undefined => {
  try {
    parseFeedbackRequest(typeof body === 'string' ? body : JSON.stringify(body));
    return undefined;
  } catch (err) {
    return err instanceof RequestError ? `${err.statusCode} ${err.code} ${err.field}` : String(err);
  }
};

describe('feedback request', () => {
  test('GIVEN a thumbs up with a rating and a comment WHEN parsed THEN it is kept as given (comment trimmed)', () => {
    expect(
      parseFeedbackRequest(JSON.stringify({ turn: 2, helpful: true, rating: 5, comment: '  great  ' })),
    ).toEqual({
      turn: 2,
      helpful: true,
      rating: 5,
      comment: 'great',
    });
    expect(parseFeedbackRequest(JSON.stringify({ turn: 1, helpful: false, comment: '  ' }))).toEqual({
      turn: 1,
      helpful: false,
    });
  });

  test.each([
    ['no turn', { helpful: true }, '400 INVALID_TURN turn'],
    ['turn 0', { turn: 0, helpful: true }, '400 INVALID_TURN turn'],
    ['fractional turn', { turn: 1.5, helpful: true }, '400 INVALID_TURN turn'],
    ['no helpful', { turn: 1 }, '400 INVALID_HELPFUL helpful'],
    ['helpful not a boolean', { turn: 1, helpful: 'yes' }, '400 INVALID_HELPFUL helpful'],
    ['rating 6', { turn: 1, helpful: true, rating: 6 }, '400 INVALID_RATING rating'],
    ['fractional rating', { turn: 1, helpful: true, rating: 2.5 }, '400 INVALID_RATING rating'],
    ['comment not a string', { turn: 1, helpful: true, comment: 7 }, '400 INVALID_COMMENT comment'],
    [
      'comment of 1,001 characters',
      { turn: 1, helpful: true, comment: 'x'.repeat(1001) },
      '400 COMMENT_TOO_LONG comment',
    ],
    ['malformed JSON', '{not json', '400 MALFORMED_JSON body'],
    ['an array', [1], '400 INVALID_BODY body'],
  ])('GIVEN %s WHEN parsed THEN refused naming the field', (_, body, expected) => {
    expect(fieldOf(body)).toBe(expected);
  });
});

describe('feedback recorded', () => {
  let dynamo: LocalDynamo;
  const table = `feedback-test-${process.pid}`;
  beforeAll(async () => {
    dynamo = await startLocalDynamo(table);
  });
  afterAll(async () => dynamo?.stop());

  const turnRecord = (conversationId: string, turn: number): TurnRecord =>
    ({
      conversationId,
      turn,
      locale: 'en_US',
      intent: 'Greeting',
      timestamp: new Date().toISOString(),
    }) as unknown as TurnRecord;

  function setup(events: FeedbackEvents = { put: async (e) => void written.push(...e) }) {
    const counted: [MetricName, number][] = [];
    const store = new DynamoFeedbackStore(dynamo.doc, { tableName: table });
    const deps = { store, events, count: (n: MetricName, v = 1) => void counted.push([n, v]) };
    const logged: string[] = [];
    const logger = new Logger({ serviceName: 'test', logLevel: 'INFO' });
    jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
      logged.push(String(line));
      return true;
    });
    return { deps, counted, logged, log: new InvocationLog(logger, { sessionId: 'x' }) };
  }
  let written: FeedbackEvent[] = [];
  beforeEach(() => {
    written = [];
  });
  afterEach(() => jest.restoreAllMocks());

  test('GIVEN a written turn WHEN feedback arrives THEN it is stored with the turn (comment redacted), counted and emitted without the comment', async () => {
    await new DynamoContextStore(dynamo.doc, { tableName: table, ttlDays: 1 }).putTurn(turnRecord('fb-1', 2));
    const { deps, counted, log, logged } = setup();

    const outcome = await recordFeedback(deps, log, {
      conversationId: 'fb-1',
      channel: 'web',
      request: { turn: 2, helpful: false, rating: 2, comment: 'call me at jane.doe@example.com' },
    });

    expect(outcome).toBe('accepted');
    const item = await dynamo.doc.send(
      new GetCommand({ TableName: table, Key: { conversationId: 'fb-1', turn: 2 } }),
    );
    expect(item.Item?.feedback).toMatchObject({ helpful: false, rating: 2 });
    expect(item.Item?.feedback.comment).not.toContain('jane.doe@example.com');
    expect(counted).toEqual([
      [Metric.FeedbackReceived, 1],
      [Metric.FeedbackNotHelpful, 1],
      [Metric.FeedbackRating, 2],
    ]);
    expect(written).toEqual([
      expect.objectContaining({
        type: 'feedback',
        conversationId: 'fb-1',
        turn: 2,
        helpful: false,
        rating: 2,
        hasComment: true,
      }),
    ]);
    expect(JSON.stringify(written)).not.toContain('jane');
    expect(logged.join('')).not.toContain('jane');
  });

  test('GIVEN feedback already given for a turn WHEN a second one arrives THEN duplicate, the first stays, nothing counted twice', async () => {
    await new DynamoContextStore(dynamo.doc, { tableName: table, ttlDays: 1 }).putTurn(turnRecord('fb-2', 1));
    const { deps, counted, log } = setup();
    const request = { conversationId: 'fb-2', channel: 'web' };
    await recordFeedback(deps, log, { ...request, request: { turn: 1, helpful: true } });
    const second = await recordFeedback(deps, log, { ...request, request: { turn: 1, helpful: false } });
    expect(second).toBe('duplicate');
    const item = await dynamo.doc.send(
      new GetCommand({ TableName: table, Key: { conversationId: 'fb-2', turn: 1 } }),
    );
    expect(item.Item?.feedback.helpful).toBe(true);
    expect(counted.filter(([n]) => n === Metric.FeedbackReceived)).toHaveLength(1);
  });

  test('GIVEN a turn that was never written WHEN feedback arrives THEN no-such-turn and nothing is created', async () => {
    const { deps, counted, log } = setup();
    const outcome = await recordFeedback(deps, log, {
      conversationId: 'fb-none',
      channel: 'web',
      request: { turn: 9, helpful: true },
    });
    expect(outcome).toBe('no-such-turn');
    const item = await dynamo.doc.send(
      new GetCommand({ TableName: table, Key: { conversationId: 'fb-none', turn: 9 } }),
    );
    expect(item.Item).toBeUndefined();
    expect(counted).toEqual([]);
  });

  test('GIVEN the event stream fails WHEN feedback is stored THEN it is still accepted (stored) and EventsFailed is counted', async () => {
    await new DynamoContextStore(dynamo.doc, { tableName: table, ttlDays: 1 }).putTurn(turnRecord('fb-3', 1));
    const { deps, counted, log } = setup({ put: () => Promise.reject(new Error('stream down')) });
    const outcome = await recordFeedback(deps, log, {
      conversationId: 'fb-3',
      channel: 'web',
      request: { turn: 1, helpful: true },
    });
    expect(outcome).toBe('accepted');
    expect(counted).toContainEqual([Metric.EventsFailed, 1]);
  });
});
