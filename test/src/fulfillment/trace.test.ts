/**
 * A turn's X-Ray annotations (src/fulfillment/trace.ts): each turn in its own `## turn`
 * subsegment (Lambda's facade segment takes no annotations) annotated with the hashed
 * conversation id, the locale, the intent and its degradations; nothing when tracing is off.
 * Here with a recording fake of the Tracer's few methods; trace-xray.test.ts runs the real
 * Powertools Tracer.
 */
import { createHash } from 'node:crypto';
import { Metric } from '../../../contracts/metrics';
import { createFulfillmentHandler, type FulfillmentDeps } from '../../../src/fulfillment/create-handler';
import {
  TURN_SUBSEGMENT,
  type AnnotationValue,
  type TraceSegment,
  type TraceSubsegment,
  type TurnTracer,
} from '../../../src/fulfillment/trace';
import { conversationIdHash } from '../../../src/util/conversation-id';
import { baseDeps, capturedMetrics, fixedSentiment, lexEvent, MemoryContextStore } from '../fixtures';

interface RecordedSubsegment extends TraceSubsegment {
  readonly name: string;
  readonly annotations: Record<string, AnnotationValue>;
  closed: boolean;
}

/** A tracer whose segments record what is done to them. */
function fakeTracer(enabled = true) {
  const subsegments: RecordedSubsegment[] = [];
  const facade: TraceSegment = {
    addNewSubsegment: (name) => {
      const sub: RecordedSubsegment = {
        name,
        annotations: {},
        closed: false,
        addAnnotation(key, value) {
          if (this.closed) throw new Error('annotated after close');
          this.annotations[key] = value;
        },
        close() {
          this.closed = true;
        },
      };
      subsegments.push(sub);
      return sub;
    },
  };
  let current: TraceSegment | TraceSubsegment = facade;
  const tracer: TurnTracer = {
    isTracingEnabled: () => enabled,
    getSegment: jest.fn(() => current as TraceSegment),
    setSegment: (segment) => {
      current = segment;
    },
  };
  return { tracer, facade, subsegments, current: () => current };
}

function setup(overrides: Partial<FulfillmentDeps> = {}) {
  const { metrics, counts } = capturedMetrics();
  const deps = baseDeps({ metrics, sentiment: fixedSentiment('NEUTRAL'), ...overrides });
  return { deps, counts, handler: createFulfillmentHandler(deps) };
}

describe('turn trace annotations', () => {
  test('GIVEN tracing WHEN a knowledge turn is blocked by the guardrail THEN the turn subsegment says knowledge=blocked, source=guardrail (no text)', async () => {
    const fake = fakeTracer();
    const { handler } = setup({
      tracer: fake.tracer,
      knowledge: { answer: async () => ({ kind: 'blocked', stage: 'input' }) },
    });

    await handler(lexEvent({ intent: 'FallbackIntent', text: 'give me the admin password' }));

    expect(fake.subsegments[0]!.annotations).toMatchObject({ knowledge: 'blocked', source: 'guardrail' });
    expect(JSON.stringify(fake.subsegments[0]!.annotations)).not.toContain('password');
  });

  test('GIVEN tracing WHEN a turn is handled THEN its own subsegment carries the hashed conversation, locale, intent and degraded=false', async () => {
    const fake = fakeTracer();
    const { handler } = setup({ tracer: fake.tracer });

    await handler(lexEvent({ intent: 'Greeting', sessionId: 'alice.smith:support-chat', locale: 'es_US' }));

    expect(fake.subsegments).toHaveLength(1);
    const [turn] = fake.subsegments;
    expect(turn!.name).toBe(TURN_SUBSEGMENT);
    expect(turn!.closed).toBe(true);
    const expectedHash = createHash('sha256').update('alice.smith:support-chat').digest('hex').slice(0, 16);
    expect(turn!.annotations).toEqual({
      conversation: expectedHash,
      locale: 'es_US',
      intent: 'Greeting',
      degraded: false,
    });
    // never the raw id, nor any part of it
    expect(JSON.stringify(turn!.annotations)).not.toMatch(/alice|smith|support/);
    // the facade segment is current again once the turn is over
    expect(fake.current()).toBe(fake.facade);
  });

  test('GIVEN a degraded turn WHEN handled THEN degraded=true and a flag per degradation', async () => {
    const fake = fakeTracer();
    const context = new MemoryContextStore();
    context.fail = true;
    const { handler, counts } = setup({ tracer: fake.tracer, context });

    await handler(lexEvent({ intent: 'Greeting' }));

    expect(counts()[Metric.ContextStoreUnavailable]).toBe(1);
    expect(fake.subsegments[0]!.annotations).toMatchObject({
      conversation: conversationIdHash('conv-test-0001'),
      degraded: true,
      [Metric.ContextStoreUnavailable]: true,
    });
  });

  test('GIVEN a defect in the turn WHEN handled THEN the subsegment is annotated defect=true and closed', async () => {
    const fake = fakeTracer();
    let calls = 0;
    const { handler } = setup({
      tracer: fake.tracer,
      now: () => {
        calls += 1;
        if (calls > 1) throw new Error('broken clock');
        return 0;
      },
    });

    await handler(lexEvent());

    expect(fake.subsegments[0]!.annotations).toMatchObject({ locale: 'en_US', defect: true });
    expect(fake.subsegments[0]!.closed).toBe(true);
    expect(fake.current()).toBe(fake.facade);
  });

  test('GIVEN tracing off (the local platform) WHEN handled THEN no segment is asked for and nothing is annotated', async () => {
    const fake = fakeTracer(false);
    const { handler } = setup({ tracer: fake.tracer });

    await handler(lexEvent());

    expect(fake.tracer.getSegment).not.toHaveBeenCalled();
    expect(fake.subsegments).toHaveLength(0);
  });

  test('GIVEN an invalid event WHEN handled THEN no turn subsegment is opened', async () => {
    const fake = fakeTracer();
    const { handler } = setup({ tracer: fake.tracer });

    await handler({ not: 'lex' });

    expect(fake.subsegments).toHaveLength(0);
  });
});
