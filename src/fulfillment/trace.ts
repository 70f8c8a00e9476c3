/**
 * A turn's X-Ray annotations, so a turn can be found with a filter expression
 * (`annotation.conversation = "<hash>"`, `annotation.degraded = true`, `annotation.intent = ...`).
 * Annotations cannot go on the segment Lambda creates (a facade), so the turn runs in a
 * subsegment of its own (`## turn`), under which the traced SDK calls of the turn nest. With
 * tracing off (the local platform, tests) nothing is created and nothing is hashed.
 *
 * The tracer is the Powertools Tracer of src/handlers/fulfillment.ts, seen through the few
 * methods used here (so tests can pass a recording fake).
 */
import type { MetricName } from '../../contracts/metrics';
import { conversationIdHash } from '../util/conversation-id';

export type AnnotationValue = string | number | boolean;

export interface TraceSubsegment {
  addAnnotation(key: string, value: AnnotationValue): void;
  close(): void;
}

export interface TraceSegment {
  addNewSubsegment(name: string): TraceSubsegment;
}

/** What a turn needs of Powertools' Tracer. */
export interface TurnTracer {
  isTracingEnabled(): boolean;
  getSegment(): TraceSegment | undefined;
  setSegment(segment: TraceSegment | TraceSubsegment): void;
}

/** One turn's annotations; `enabled` is false when nothing would record them. */
export interface TurnTrace {
  readonly enabled: boolean;
  annotate(annotations: Readonly<Record<string, AnnotationValue>>): void;
}

export const NO_TRACE: TurnTrace = { enabled: false, annotate: () => undefined };

export const TURN_SUBSEGMENT = '## turn';

/**
 * Runs `fn` in a `## turn` subsegment of the current segment (set as the current one meanwhile,
 * then closed and the parent restored); without an active trace, `fn` gets NO_TRACE.
 */
export async function inTurnSubsegment<T>(
  tracer: TurnTracer | undefined,
  fn: (trace: TurnTrace) => Promise<T>,
): Promise<T> {
  const parent = tracer?.isTracingEnabled() ? tracer.getSegment() : undefined;
  if (!tracer || !parent) return fn(NO_TRACE);
  const subsegment = parent.addNewSubsegment(TURN_SUBSEGMENT);
  tracer.setSegment(subsegment);
  const trace: TurnTrace = {
    enabled: true,
    annotate: (annotations) => {
      for (const [key, value] of Object.entries(annotations)) subsegment.addAnnotation(key, value);
    },
  };
  try {
    return await fn(trace);
  } finally {
    subsegment.close();
    tracer.setSegment(parent);
  }
}

/** Who the turn is: the conversation (hashed, never the raw id) and the locale. */
export function annotateConversation(trace: TurnTrace, conversationId: string, locale: string): void {
  if (!trace.enabled) return;
  trace.annotate({ conversation: conversationIdHash(conversationId), locale });
}

/** What the turn was: the intent answered and whether (and by what) it was degraded. */
export function annotateOutcome(trace: TurnTrace, intent: string, degraded: readonly MetricName[]): void {
  if (!trace.enabled) return;
  const flags = Object.fromEntries(degraded.map((name) => [name, true]));
  trace.annotate({ intent, degraded: degraded.length > 0, ...flags });
}
