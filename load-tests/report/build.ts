/**
 * Builds the load-test report from Artillery's `--output` JSON: throughput, latency over time,
 * error and fallback rates, the per-endpoint breakdown, each threshold's verdict and the capacity
 * verdict against the model (verdict.ts). Owns the report's shape (`LoadTestReport`) and its
 * sections; reading Artillery's periods is periods.ts. Pure: rendering and files are elsewhere.
 */
import type { CapacityPlan } from '../../lib/config/capacity/model';
import { CAPACITY_PLAN } from '../../lib/config/capacity/plan';
import { STAGING } from '../../lib/config/environments';
import type { Profile, TargetEnvironment, Threshold } from '../profiles';
import { thresholdExpression } from '../profiles';
import { metricValue, num, periodsInOrder, ratio, sumPrefix, total } from './periods';
import type { ArtilleryOutput, ArtilleryPeriod, CostSummary } from './types';
import {
  capacityDemonstration,
  capacityVerdict,
  thresholdsVerdict,
  type CapacityDemonstration,
  type CapacityVerdict,
  type ThresholdsVerdict,
} from './verdict';

export const ENDPOINT_PREFIX = 'plugins.metrics-by-endpoint.';
/** Artillery's reporting window, ms. */
export const PERIOD_MS = 10_000;
/** Periods narrower than this (partial windows at the start/end) are left off the timeline. */
export const MIN_PERIOD_SECONDS = 1;

export interface ReportMeta {
  readonly profile: Profile;
  readonly environment: TargetEnvironment;
  readonly target: string;
  readonly thresholds: readonly Threshold[];
  /** Load generators: 1 locally, N with --distributed. */
  readonly workers: number;
  /** Artillery's exit code (non-zero when its own ensure checks failed or it crashed). */
  readonly artilleryExitCode: number;
  readonly outputFile?: string;
  /** The cost summary of `npm run cost -- --json`, shown beside the verdicts when present. */
  readonly cost?: CostSummary;
}

export interface TimelinePoint {
  /** Seconds since the first metric. */
  readonly t: number;
  readonly at: string;
  readonly widthSeconds: number;
  readonly turnsPerSecond: number;
  readonly conversationsPerSecond: number;
  readonly requestsPerSecond: number;
  readonly errors: number;
  /** Errors per turn sent in this period (0 when no turn was sent). */
  readonly errorRate: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

export interface EndpointRow {
  readonly name: string;
  readonly requests: number;
  readonly codes: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

export interface ThresholdResult {
  /** The rule as configured (the latency charts draw `http.response_time.*` maxima as lines). */
  readonly metric: string;
  readonly per?: string;
  readonly max?: number;
  readonly min?: number;
  readonly description: string;
  readonly expression: string;
  readonly value: number | null;
  readonly passed: boolean;
}

export interface LoadTestReport {
  readonly meta: {
    readonly profile: string;
    readonly profileDescription: string;
    readonly environment: TargetEnvironment;
    readonly target: string;
    readonly workers: number;
    readonly startedAt: string | null;
    readonly endedAt: string | null;
    readonly durationSeconds: number;
    readonly targetTurnsPerSecond: number;
    readonly artilleryExitCode: number;
    readonly outputFile?: string;
    readonly cost?: CostSummary;
  };
  /** The two headline verdicts, kept apart: the thresholds, and capacity against the model's peak. */
  readonly verdicts: {
    readonly thresholds: ThresholdsVerdict;
    readonly capacity: CapacityDemonstration;
  };
  readonly throughput: {
    readonly turns: number;
    readonly conversationsStarted: number;
    readonly conversationsCompleted: number;
    readonly requests: number;
    readonly turnsPerSecond: number;
    readonly conversationsPerSecond: number;
    /** Turns/s over the periods inside the hold phase (the figure the verdict uses). */
    readonly holdTurnsPerSecond: number;
    readonly holdConversationsPerSecond: number;
    readonly holdPeriods: number;
  };
  readonly latency: {
    readonly min: number | null;
    readonly mean: number | null;
    readonly p50: number | null;
    readonly p95: number | null;
    readonly p99: number | null;
    readonly max: number | null;
  };
  readonly errors: {
    readonly failedConversations: number;
    readonly failedConversationRate: number;
    readonly errors: number;
    /** Errors (transport + unexpected answers) per turn sent. */
    readonly errorRate: number;
    readonly byType: Readonly<Record<string, number>>;
    readonly statusCodes: Readonly<Record<string, number>>;
    readonly rejectedAsExpected: number;
  };
  readonly fallback: {
    readonly answered: number;
    readonly fallbacks: number;
    readonly expectedFallbacks: number;
    /** FallbackIntent answers per answered turn. */
    readonly fallbackRate: number;
    /** FallbackIntent answers to in-domain utterances per in-domain answered turn. */
    readonly unexpectedFallbackRate: number;
    readonly intentMatchRate: number | null;
    readonly slotFillRate: number | null;
    readonly intents: Readonly<Record<string, number>>;
    readonly locales: Readonly<Record<string, number>>;
    readonly templates: Readonly<Record<string, number>>;
  };
  readonly timeline: readonly TimelinePoint[];
  readonly endpoints: readonly EndpointRow[];
  readonly thresholds: readonly ThresholdResult[];
  readonly capacity: {
    readonly verdict: CapacityVerdict;
    readonly model: {
      readonly conversationsPerDay: number;
      readonly turnsPerConversation: number;
      readonly peakFactor: number;
      readonly peakTurnsPerSecond: number;
      readonly channelLambdaMs: number;
    };
  };
  /** The thresholds verdict (`verdicts.thresholds.passed`): what the exit code follows. */
  readonly passed: boolean;
}

export function evaluateThreshold(period: ArtilleryPeriod, t: Threshold): ThresholdResult {
  const lhs = metricValue(period, t.metric);
  const per = t.per === undefined ? 1 : metricValue(period, t.per);
  const value = lhs === null || per === null ? null : t.per === undefined ? lhs : ratio(lhs, per);
  const passed =
    value !== null &&
    (t.max !== undefined ? value <= t.max : true) &&
    (t.min !== undefined ? value >= t.min : true);
  return {
    metric: t.metric,
    ...(t.per !== undefined ? { per: t.per } : {}),
    ...(t.max !== undefined ? { max: t.max } : {}),
    ...(t.min !== undefined ? { min: t.min } : {}),
    description: t.description,
    expression: thresholdExpression(t),
    value,
    passed,
  };
}

/** The run's first and last metric, epoch ms (null when Artillery wrote none), and its length. */
interface RunWindow {
  readonly first: number | null;
  readonly last: number | null;
  readonly durationSeconds: number;
}

function runWindow(agg: ArtilleryPeriod): RunWindow {
  const first = num(agg.firstMetricAt) ?? num(agg.firstCounterAt) ?? null;
  const last = num(agg.lastMetricAt) ?? num(agg.lastCounterAt) ?? null;
  const durationSeconds = first !== null && last !== null ? Math.max(0.001, (last - first) / 1000) : 0;
  return { first, last, durationSeconds };
}

/** Rates and latency per reporting window, clipped to the run. */
function timelineOf(output: ArtilleryOutput, { first, last }: RunWindow): TimelinePoint[] {
  const periods = periodsInOrder(output);
  return periods.flatMap((p): TimelinePoint[] => {
    const windowStart = num(p.period) ?? num(p.firstMetricAt) ?? first ?? 0;
    const start = Math.max(windowStart, first ?? windowStart);
    const end = Math.min(windowStart + PERIOD_MS, last ?? windowStart + PERIOD_MS);
    const width = Math.max(0.001, (end - start) / 1000);
    // a sliver of a window at either end (the run started or ended inside it) says nothing about
    // a rate: its counts stay in the totals, not on the charts
    if (width < MIN_PERIOD_SECONDS && periods.length > 1) return [];
    const rt = p.summaries?.['http.response_time'];
    const turns = p.counters['conversation.turns'] ?? 0;
    const errors = total(sumPrefix(p.counters, 'errors.'));
    return [
      {
        t: Math.round(((start - (first ?? start)) / 1000) * 10) / 10,
        at: new Date(start).toISOString(),
        widthSeconds: Math.round(width * 1000) / 1000,
        turnsPerSecond: turns / width,
        conversationsPerSecond: (p.counters['conversation.started'] ?? 0) / width,
        requestsPerSecond: (p.counters['http.requests'] ?? 0) / width,
        errors,
        errorRate: ratio(errors, turns),
        p50: rt?.p50 ?? null,
        p95: rt?.p95 ?? null,
        p99: rt?.p99 ?? null,
      },
    ];
  });
}

type Throughput = LoadTestReport['throughput'];

/**
 * Turns and conversations/s over the timeline points wholly inside the profile's hold phase
 * (the whole run's rate when none is).
 */
function holdRates(
  timeline: readonly TimelinePoint[],
  profile: Profile,
  whole: { turns: number; started: number; durationSeconds: number },
): Pick<Throughput, 'holdTurnsPerSecond' | 'holdConversationsPerSecond' | 'holdPeriods'> {
  let offset = 0;
  let holdStart = 0;
  let holdEnd = 0;
  for (const ph of profile.phases) {
    if (ph.name === profile.holdPhase) {
      holdStart = offset;
      holdEnd = offset + ph.duration;
    }
    offset += ph.duration;
  }
  const inHold = timeline.filter((p) => p.t >= holdStart - 0.5 && p.t + p.widthSeconds <= holdEnd + 1.5);
  const holdSeconds = inHold.reduce((n, p) => n + p.widthSeconds, 0);
  const holdTurnsPerSecond = holdSeconds
    ? inHold.reduce((n, p) => n + p.turnsPerSecond * p.widthSeconds, 0) / holdSeconds
    : ratio(whole.turns, whole.durationSeconds);
  const holdConversationsPerSecond = holdSeconds
    ? inHold.reduce((n, p) => n + p.conversationsPerSecond * p.widthSeconds, 0) / holdSeconds
    : ratio(whole.started, whole.durationSeconds);
  return { holdTurnsPerSecond, holdConversationsPerSecond, holdPeriods: inHold.length };
}

/** One row per request name Artillery's metrics-by-endpoint plugin reported. */
function endpointRows(agg: ArtilleryPeriod): EndpointRow[] {
  const endpointCounters = sumPrefix(agg.counters, ENDPOINT_PREFIX);
  const names = new Set<string>();
  for (const k of Object.keys(endpointCounters)) {
    const m = /^(.+)\.(codes|errors)\.[^.]+$/.exec(k);
    if (m) names.add(m[1]!);
  }
  for (const k of Object.keys(agg.summaries ?? {}))
    if (k.startsWith(`${ENDPOINT_PREFIX}response_time.`))
      names.add(k.slice(`${ENDPOINT_PREFIX}response_time.`.length));
  return [...names].sort().map((name) => {
    const codes = sumPrefix(endpointCounters, `${name}.codes.`);
    const errs = sumPrefix(endpointCounters, `${name}.errors.`);
    const s = agg.summaries?.[`${ENDPOINT_PREFIX}response_time.${name}`];
    return {
      name,
      requests: total(codes),
      codes,
      errors: total(errs),
      p50: s?.p50 ?? null,
      p95: s?.p95 ?? null,
      p99: s?.p99 ?? null,
      max: s?.max ?? null,
    };
  });
}

function errorsOf(c: Readonly<Record<string, number>>, turns: number): LoadTestReport['errors'] {
  const byType = sumPrefix(c, 'errors.');
  const errors = total(byType);
  const failed = c['vusers.failed'] ?? 0;
  return {
    failedConversations: failed,
    failedConversationRate: ratio(failed, c['vusers.created'] ?? 0),
    errors,
    errorRate: ratio(errors, turns),
    byType,
    statusCodes: sumPrefix(c, 'http.codes.'),
    rejectedAsExpected: c['conversation.rejected_as_expected'] ?? 0,
  };
}

function fallbackOf(c: Readonly<Record<string, number>>): LoadTestReport['fallback'] {
  const answered = c['conversation.answered'] ?? 0;
  const fallbacks = c['conversation.fallback'] ?? 0;
  const expectedFallbacks = c['conversation.fallback_expected'] ?? 0;
  const match = c['conversation.intent_match'] ?? 0;
  const mismatch = c['conversation.intent_mismatch'] ?? 0;
  const filled = c['conversation.slot_filled'] ?? 0;
  const missed = c['conversation.slot_missed'] ?? 0;
  return {
    answered,
    fallbacks,
    expectedFallbacks,
    fallbackRate: ratio(fallbacks, answered),
    unexpectedFallbackRate: ratio(Math.max(0, fallbacks - expectedFallbacks), answered - expectedFallbacks),
    intentMatchRate: match + mismatch ? match / (match + mismatch) : null,
    slotFillRate: filled + missed ? filled / (filled + missed) : null,
    intents: sumPrefix(c, 'conversation.intent.'),
    locales: sumPrefix(c, 'conversation.locale.'),
    templates: sumPrefix(c, 'conversation.template.'),
  };
}

function metaOf(meta: ReportMeta, { first, last, durationSeconds }: RunWindow): LoadTestReport['meta'] {
  return {
    profile: meta.profile.name,
    profileDescription: meta.profile.description,
    environment: meta.environment,
    target: meta.target,
    workers: meta.workers,
    startedAt: first !== null ? new Date(first).toISOString() : null,
    endedAt: last !== null ? new Date(last).toISOString() : null,
    durationSeconds: Math.round(durationSeconds * 10) / 10,
    targetTurnsPerSecond: meta.profile.targetTurnsPerSecond,
    artilleryExitCode: meta.artilleryExitCode,
    ...(meta.outputFile ? { outputFile: meta.outputFile } : {}),
    ...(meta.cost ? { cost: meta.cost } : {}),
  };
}

function latencyOf(agg: ArtilleryPeriod): LoadTestReport['latency'] {
  const rt = agg.summaries?.['http.response_time'];
  return {
    min: rt?.min ?? null,
    mean: rt?.mean ?? null,
    p50: rt?.p50 ?? null,
    p95: rt?.p95 ?? null,
    p99: rt?.p99 ?? null,
    max: rt?.max ?? null,
  };
}

/** The verdict on the hold rate, and the model figures it was measured against. */
function capacityOf(
  measured: { holdTurnsPerSecond: number; errorRate: number; latency: LoadTestReport['latency'] },
  meta: ReportMeta,
  plan: CapacityPlan,
): LoadTestReport['capacity'] {
  const verdict = capacityVerdict(
    {
      turnsPerSecond: measured.holdTurnsPerSecond,
      targetTurnsPerSecond: meta.profile.targetTurnsPerSecond,
      meanTurnMs: measured.latency.mean ?? 0,
      p99TurnMs: measured.latency.p99 ?? 0,
      errorRate: measured.errorRate,
      workers: meta.workers,
    },
    plan,
  );
  return {
    verdict,
    model: {
      conversationsPerDay: plan.inputs.conversationsPerDay,
      turnsPerConversation: plan.inputs.turnsPerConversation,
      peakFactor: plan.inputs.peakFactor,
      peakTurnsPerSecond: plan.peakTurnsPerSecond,
      channelLambdaMs: plan.inputs.perTurn.channelLambdaMs,
    },
  };
}

export function buildReport(
  output: ArtilleryOutput,
  meta: ReportMeta,
  plan: CapacityPlan = CAPACITY_PLAN,
): LoadTestReport {
  const agg = output.aggregate;
  if (!agg || typeof agg !== 'object' || !agg.counters) throw new Error('artillery output has no aggregate');
  const c = agg.counters;
  const window = runWindow(agg);
  const turns = c['conversation.turns'] ?? 0;
  const started = c['conversation.started'] ?? 0;
  const timeline = timelineOf(output, window);
  const hold = holdRates(timeline, meta.profile, { turns, started, durationSeconds: window.durationSeconds });
  const latency = latencyOf(agg);
  const errors = errorsOf(c, turns);
  const thresholds = meta.thresholds.map((t) => evaluateThreshold(agg, t));
  const capacity = capacityOf(
    { holdTurnsPerSecond: hold.holdTurnsPerSecond, errorRate: errors.errorRate, latency },
    meta,
    plan,
  );
  const thresholdsHeadline = thresholdsVerdict(thresholds, meta.artilleryExitCode);
  return {
    meta: metaOf(meta, window),
    verdicts: {
      thresholds: thresholdsHeadline,
      capacity: capacityDemonstration(
        capacity.verdict,
        { holdTurnsPerSecond: hold.holdTurnsPerSecond, thresholdsPassed: thresholdsHeadline.passed },
        {
          environment: meta.environment,
          profile: meta.profile.name,
          workers: meta.workers,
          stagingWorkers: STAGING.loadTest.workers,
        },
        plan,
      ),
    },
    throughput: {
      turns,
      conversationsStarted: started,
      conversationsCompleted: c['conversation.completed'] ?? 0,
      requests: c['http.requests'] ?? 0,
      turnsPerSecond: ratio(turns, window.durationSeconds),
      conversationsPerSecond: ratio(started, window.durationSeconds),
      ...hold,
    },
    latency,
    errors,
    fallback: fallbackOf(c),
    timeline,
    endpoints: endpointRows(agg),
    thresholds,
    capacity,
    passed: thresholdsHeadline.passed,
  };
}
