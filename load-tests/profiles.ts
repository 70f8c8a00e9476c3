/**
 * Load-test profiles (phases, think times) and thresholds per environment, and the Artillery
 * command line they make. Pure: run.ts executes what `artilleryCommand` returns.
 */
import { join } from 'node:path';
import { CAPACITY_PLAN } from '../lib/config/capacity/plan';
import { meanTurnsPerConversation } from './conversations';

export const PROFILES = ['smoke', 'capacity', 'soak'] as const;
export type ProfileName = (typeof PROFILES)[number];
export const TARGET_ENVIRONMENTS = ['local', 'dev', 'staging', 'prod'] as const;
export type TargetEnvironment = (typeof TARGET_ENVIRONMENTS)[number];

export interface Phase {
  readonly name: string;
  readonly duration: number;
  readonly arrivalRate: number;
  readonly rampTo?: number;
  readonly maxVusers?: number;
}

export interface Profile {
  readonly name: ProfileName;
  readonly description: string;
  /** Turns/s the profile aims at while holding. */
  readonly targetTurnsPerSecond: number;
  /** Name of the phase whose periods measure the achieved rate. */
  readonly holdPhase: string;
  readonly phases: readonly Phase[];
  readonly thinkMinMs: number;
  readonly thinkMaxMs: number;
}

/**
 * A threshold on a metric Artillery always reports (a counter that may be 0, a rate, a summary),
 * optionally divided by another (a ratio). It becomes an `ensure` condition (Artillery's exit
 * code) and the report evaluates the same rule from the output JSON.
 */
export interface Threshold {
  readonly metric: string;
  readonly per?: string;
  readonly max?: number;
  readonly min?: number;
  readonly description: string;
}

/**
 * Local machines get a scaled-down capacity target: what this 2-core machine sustained with the
 * whole platform in-process at p99 < 100 ms (docs/load-testing.md, Local capacity).
 */
export const LOCAL_CAPACITY_TURNS_PER_SECOND = 60;

/** The rate a capacity run aims at: the model's peak in staging/prod, a scaled-down one locally. */
export function capacityTarget(env: TargetEnvironment): number {
  if (env === 'staging' || env === 'prod') return Math.ceil(CAPACITY_PLAN.peakTurnsPerSecond);
  if (env === 'dev') return 100;
  return LOCAL_CAPACITY_TURNS_PER_SECOND;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * Turns/s to whole-number arrivals/s and back. Artillery splits arrival rates across its local
 * workers and asserts they are whole numbers.
 */
interface Rates {
  readonly meanTurns: number;
  readonly deployed: boolean;
  /** Conversations/s (whole, at least 1) that make a turns/s rate. */
  arrival(turnsPerSecond: number): number;
  /** The turns/s the whole-number arrival rate really produces (what the report compares with). */
  planned(turnsPerSecond: number): number;
}

function smokeProfile(r: Rates, turnsPerSecond: number | undefined): Profile {
  const target = r.planned(turnsPerSecond ?? 8);
  return {
    name: 'smoke',
    description: 'Short check that every conversation shape works end to end (CI, dev): ~25 s',
    targetTurnsPerSecond: target,
    holdPhase: 'steady',
    phases: [
      { name: 'warm-up', duration: 5, arrivalRate: 1, rampTo: r.arrival(target) },
      { name: 'steady', duration: 20, arrivalRate: r.arrival(target) },
    ],
    thinkMinMs: 200,
    thinkMaxMs: 600,
  };
}

function capacityProfile(r: Rates, env: TargetEnvironment, turnsPerSecond: number | undefined): Profile {
  const target = r.planned(turnsPerSecond ?? capacityTarget(env));
  const think = r.deployed ? { thinkMinMs: 2000, thinkMaxMs: 6000 } : { thinkMinMs: 300, thinkMaxMs: 1000 };
  // vusers in flight ~ arrival x conversation length; cap at 3x that so an overload stops growing
  const convSeconds = (r.meanTurns * ((think.thinkMinMs + think.thinkMaxMs) / 2 + 500)) / 1000;
  const maxVusers = Math.ceil(r.arrival(target) * convSeconds * 3) + 10;
  return {
    name: 'capacity',
    description: r.deployed
      ? `Ramp to ${target} turns/s (the capacity model's peak) and hold it: staging sign-off`
      : `Ramp to ${target} turns/s (scaled down for one machine) and hold it`,
    targetTurnsPerSecond: target,
    holdPhase: 'hold',
    phases: r.deployed
      ? [
          { name: 'ramp', duration: 180, arrivalRate: 1, rampTo: r.arrival(target), maxVusers },
          { name: 'hold', duration: 600, arrivalRate: r.arrival(target), maxVusers },
        ]
      : [
          { name: 'ramp', duration: 15, arrivalRate: 1, rampTo: r.arrival(target), maxVusers },
          { name: 'hold', duration: 45, arrivalRate: r.arrival(target), maxVusers },
        ],
    ...think,
  };
}

/** The average (not peak) rate for hours: leaks, TTL expiry, connection churn, log volume. */
function soakProfile(r: Rates, turnsPerSecond: number | undefined): Profile {
  const target = r.planned(
    turnsPerSecond ?? (r.deployed ? Math.ceil(CAPACITY_PLAN.averageTurnsPerSecond) : 10),
  );
  return {
    name: 'soak',
    description: r.deployed
      ? `Hold the model's average rate (${target} turns/s) for 4 hours (not in CI)`
      : `Hold ${target} turns/s for 30 minutes (not in CI)`,
    targetTurnsPerSecond: target,
    holdPhase: 'soak',
    phases: [
      { name: 'ramp', duration: 60, arrivalRate: 1, rampTo: r.arrival(target) },
      { name: 'soak', duration: r.deployed ? 4 * 3600 : 1800, arrivalRate: r.arrival(target) },
    ],
    thinkMinMs: r.deployed ? 3000 : 500,
    thinkMaxMs: r.deployed ? 10000 : 2000,
  };
}

/** The profile for an environment; `turnsPerSecond` overrides the target. */
export function profileFor(
  name: ProfileName,
  env: TargetEnvironment,
  opts: { turnsPerSecond?: number } = {},
): Profile {
  const meanTurns = meanTurnsPerConversation();
  const arrival = (turnsPerSecond: number): number => Math.max(1, Math.round(turnsPerSecond / meanTurns));
  const rates: Rates = {
    meanTurns,
    deployed: env !== 'local',
    arrival,
    planned: (turnsPerSecond) => round2(arrival(turnsPerSecond) * meanTurns),
  };
  switch (name) {
    case 'smoke':
      return smokeProfile(rates, opts.turnsPerSecond);
    case 'capacity':
      return capacityProfile(rates, env, opts.turnsPerSecond);
    case 'soak':
      return soakProfile(rates, opts.turnsPerSecond);
  }
}

/** Thresholds per environment and profile (the capacity model, lib/config/capacity; the alarms' apiP99Ms is 2,000 ms). */
export function thresholdsFor(profile: Profile, env: TargetEnvironment): Threshold[] {
  const latency: Record<TargetEnvironment, { p95: number; p99: number }> = {
    // one shared 2-core machine runs the platform, the load generator and (in CI) other tests
    local: { p95: 1000, p99: 2000 },
    dev: { p95: 1000, p99: 2000 },
    staging: { p95: 800, p99: 1500 },
    prod: { p95: 800, p99: 1500 },
  };
  const { p95, p99 } = latency[env];
  const failed: Threshold =
    profile.name === 'smoke'
      ? {
          metric: 'vusers.failed',
          max: 0,
          description: 'no conversation fails (any contract violation is a bug)',
        }
      : {
          metric: 'vusers.failed',
          per: 'vusers.created',
          max: env === 'local' ? 0.01 : 0.005,
          description: 'failed conversations stay under the error budget',
        };
  // The aggregate request rate includes the ramp: ask for most of the planned rate over the run.
  const rampShare = profile.phases
    .filter((p) => p.name !== profile.holdPhase)
    .reduce((n, p) => n + p.duration, 0);
  const total = profile.phases.reduce((n, p) => n + p.duration, 0);
  const minRate = Math.floor(profile.targetTurnsPerSecond * (1 - rampShare / total) * 0.8 * 100) / 100;
  return [
    failed,
    { metric: 'http.response_time.p95', max: p95, description: `p95 latency under ${p95} ms` },
    { metric: 'http.response_time.p99', max: p99, description: `p99 latency under ${p99} ms` },
    {
      metric: 'http.request_rate',
      min: minRate,
      description: `the load generator reached its planned rate (>= ${minRate} requests/s over the run)`,
    },
  ];
}

/** `metric<=value`, `metric>=value`, `metric/other<=value`: extra thresholds from the command line. */
export function parseThreshold(spec: string): Threshold {
  const m = /^\s*([A-Za-z0-9_.-]+)(?:\s*\/\s*([A-Za-z0-9_.-]+))?\s*(<=|>=|<|>)\s*(-?[0-9.]+)\s*$/.exec(spec);
  if (!m) throw new Error(`threshold must look like metric<=number or metric/other>=number, got "${spec}"`);
  const value = Number(m[4]);
  if (!Number.isFinite(value)) throw new Error(`threshold value must be a number, got "${m[4]}"`);
  const upper = m[3]!.startsWith('<');
  return {
    metric: m[1]!,
    ...(m[2] ? { per: m[2] } : {}),
    ...(upper ? { max: value } : { min: value }),
    description: `command-line threshold ${spec.trim()}`,
  };
}

export function thresholdExpression(t: Threshold): string {
  const lhs = t.per ? `${t.metric} / ${t.per}` : t.metric;
  return t.max !== undefined ? `${lhs} <= ${t.max}` : `${lhs} >= ${t.min}`;
}

export interface ArtilleryRun {
  readonly target: string;
  readonly profile: Profile;
  readonly thresholds: readonly Threshold[];
  readonly outputFile: string;
  /** Distributed workers on AWS Fargate; undefined or 0 = one local process. */
  readonly workers?: number;
  readonly region?: string;
  /** dotenv file with the variables the Fargate workers need (LOADTEST_ROLE_ARN, AWS_REGION). */
  readonly dotenvFile?: string;
  readonly subnetIds?: string;
  readonly securityGroupIds?: string;
  readonly taskRoleName?: string;
  /** The bundled processor, relative to the script. @default PROCESSOR_BUNDLE */
  readonly processorBundle?: string;
}

export const LOAD_TESTS_DIR = __dirname;
export const SCRIPT_FILE = join(LOAD_TESTS_DIR, 'conversations.yml');
/**
 * The processor, bundled to plain JS by run.ts (Artillery's own TS bundler takes ~10 s); each
 * run writes its own file under dist/ and removes it afterwards.
 */
export const PROCESSOR_BUNDLE = './dist/processor.js';

/** The `--overrides` JSON: phases (split across workers: each Fargate worker runs them all), think times, ensure. */
export function artilleryOverrides(run: ArtilleryRun): Record<string, unknown> {
  const workers = Math.max(1, run.workers ?? 1);
  // whole numbers (Artillery asserts it); each Fargate worker runs every phase: split the rate
  const perWorker = (n: number): number => Math.max(1, Math.round(n / workers));
  const phases = run.profile.phases.map((p) => ({
    name: p.name,
    duration: p.duration,
    arrivalRate: perWorker(p.arrivalRate),
    ...(p.rampTo !== undefined ? { rampTo: perWorker(p.rampTo) } : {}),
    ...(p.maxVusers !== undefined ? { maxVusers: Math.ceil(p.maxVusers / workers) } : {}),
  }));
  return {
    config: {
      processor: run.processorBundle ?? PROCESSOR_BUNDLE,
      phases,
      variables: { thinkMinMs: run.profile.thinkMinMs, thinkMaxMs: run.profile.thinkMaxMs },
      plugins: {
        ensure: {
          conditions: run.thresholds.map((t) => ({ expression: thresholdExpression(t), strict: true })),
        },
      },
    },
  };
}

/** The Artillery command line (arguments after the binary). */
export function artilleryArgs(run: ArtilleryRun): string[] {
  const common = [
    '--target',
    run.target,
    '--overrides',
    JSON.stringify(artilleryOverrides(run)),
    '--output',
    run.outputFile,
  ];
  if (!run.workers) return ['run', SCRIPT_FILE, ...common];
  if (!Number.isInteger(run.workers) || run.workers < 1)
    throw new Error('workers must be a positive integer');
  return [
    'run-fargate',
    SCRIPT_FILE,
    '--count',
    String(run.workers),
    '--region',
    run.region ?? 'us-east-1',
    ...(run.subnetIds ? ['--subnet-ids', run.subnetIds] : []),
    ...(run.securityGroupIds ? ['--security-group-ids', run.securityGroupIds] : []),
    ...(run.taskRoleName ? ['--task-role-name', run.taskRoleName] : []),
    ...(run.dotenvFile ? ['--dotenv', run.dotenvFile] : []),
    ...common,
  ];
}
