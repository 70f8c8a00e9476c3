/**
 * npm run loadtest -- --target <url> --profile <smoke|capacity|soak> [--env local|dev|staging|prod]
 *   [--distributed <workers>] [--rate <turns/s>] [--threshold 'metric<=n']... [--out <dir>]
 *   [--cost <cost-report.json>] [--dry-run] [--quiet] [--verbose]
 *
 * Runs Artillery (installed with the load-tests workspace by the root `npm ci`) with the
 * profile's phases and the environment's thresholds, showing one live progress line (progress.ts;
 * Artillery's metric dumps only with --verbose), writes its --output JSON, builds
 * reports/<profile>-<timestamp>.{json,html,md} (with the cost summary when there is one: --cost,
 * COST_SUMMARY_FILE or ./cost-report.json), prints the markdown and both verdicts, and exits
 * non-zero when a threshold fails or Artillery fails.
 * `--distributed N` runs on AWS Fargate (`artillery run-fargate --count N`); see docs/load-testing.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { buildSync } from 'esbuild';
import { ProgressLine } from './progress';
import {
  artilleryArgs,
  LOAD_TESTS_DIR,
  PROFILES,
  parseThreshold,
  profileFor,
  TARGET_ENVIRONMENTS,
  thresholdsFor,
  type ArtilleryRun,
  type ProfileName,
  type TargetEnvironment,
  type Threshold,
} from './profiles';
import { fileTimestamp, readArtilleryOutput, writeReport, type WrittenReport } from './report';
import { costSummaryFile, DEFAULT_COST_FILE, readCostSummary } from './report/cost';
import type { CostSummary } from './report/types';

export interface LoadTestOptions {
  readonly target: string;
  readonly profile: ProfileName;
  readonly env: TargetEnvironment;
  readonly workers: number;
  readonly rate?: number;
  readonly extraThresholds: readonly Threshold[];
  readonly outDir: string;
  readonly dryRun: boolean;
  readonly quiet: boolean;
  /** Artillery's own output (the metric dumps every 10 s) besides the progress line. */
  readonly verbose: boolean;
  /** The cost summary to show (the file `npm run cost` writes); else COST_SUMMARY_FILE or ./cost-report.json. */
  readonly costFile?: string;
}

export const USAGE =
  'usage: npm run loadtest -- --target <http(s) url> --profile <smoke|capacity|soak> [--env local|dev|staging|prod] [--distributed <workers>] [--rate <turns/s>] [--threshold "metric<=n"] [--out reports] [--cost cost-report.json] [--dry-run] [--quiet] [--verbose]';

export class UsageError extends Error {}

function validUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--target must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--target must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

/** `value` if it is one of `allowed`, else a usage error naming the option and the choices. */
function oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`unknown ${what} "${value}": use one of ${allowed.join(', ')}`);
  return value as T;
}

/** The options as read so far from the command line. */
interface ParsedArgs {
  target?: string;
  profile?: ProfileName;
  env: TargetEnvironment | undefined;
  workers: number;
  rate?: number;
  extraThresholds: Threshold[];
  outDir: string;
  dryRun: boolean;
  quiet: boolean;
  verbose: boolean;
  costFile?: string;
}

function workerCount(v: string): number {
  const workers = Number(v);
  if (!Number.isInteger(workers) || workers < 1 || workers > 100)
    throw new UsageError(`--distributed must be a whole number of workers (1-100), got "${v}"`);
  return workers;
}

function turnRate(v: string): number {
  const rate = Number(v);
  if (!Number.isFinite(rate) || rate <= 0)
    throw new UsageError(`--rate must be a positive number of turns/s, got "${v}"`);
  return rate;
}

function threshold(v: string): Threshold {
  try {
    return parseThreshold(v);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `--flag=value` as [flag, value]; anything else as [arg, undefined]. */
function splitInlineValue(arg: string): [string, string | undefined] {
  return arg.startsWith('--') && arg.includes('=')
    ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
    : [arg, undefined];
}

/** Applies option `flag` (given as `arg`) to `parsed`; `value()` reads its value, for the options that take one. */
function applyOption(parsed: ParsedArgs, flag: string, value: () => string, arg: string): void {
  switch (flag) {
    case '--target':
      parsed.target = validUrl(value());
      break;
    case '--profile':
      parsed.profile = oneOf('profile', value(), PROFILES);
      break;
    case '--env':
      parsed.env = oneOf('env', value(), TARGET_ENVIRONMENTS);
      break;
    case '--distributed':
      parsed.workers = workerCount(value());
      break;
    case '--rate':
      parsed.rate = turnRate(value());
      break;
    case '--threshold':
      parsed.extraThresholds.push(threshold(value()));
      break;
    case '--out':
      parsed.outDir = value();
      break;
    case '--dry-run':
      parsed.dryRun = true;
      break;
    case '--quiet':
      parsed.quiet = true;
      break;
    case '--verbose':
      parsed.verbose = true;
      break;
    case '--cost':
      parsed.costFile = value();
      break;
    default:
      throw new UsageError(`unknown option "${arg}"`);
  }
}

/** The options once every argument is read: checks the required ones and defaults the env from the target. */
function completeOptions(parsed: ParsedArgs): LoadTestOptions {
  const { target, profile, env, workers, rate, extraThresholds, outDir, dryRun, quiet, verbose, costFile } =
    parsed;
  if (!target) throw new UsageError('--target is required');
  if (!profile) throw new UsageError('--profile is required');
  if (quiet && verbose) throw new UsageError('--quiet and --verbose exclude each other: pick one');
  if (workers > 0 && target.startsWith('http://') && /\/\/(127\.|localhost|\[::1\])/.test(target))
    throw new UsageError('--distributed runs on AWS Fargate: it cannot reach a local target');
  return {
    target,
    profile,
    env: env ?? (/\/\/(127\.|localhost|\[::1\])/.test(target) ? 'local' : 'dev'),
    workers,
    ...(rate !== undefined ? { rate } : {}),
    extraThresholds,
    outDir,
    dryRun,
    quiet,
    verbose,
    ...(costFile !== undefined ? { costFile } : {}),
  };
}

/** Parses the command line; throws a UsageError naming the bad option. */
export function parseArgs(
  argv: readonly string[],
  defaults: { env?: TargetEnvironment } = {},
): LoadTestOptions {
  const parsed: ParsedArgs = {
    env: defaults.env,
    workers: 0,
    extraThresholds: [],
    outDir: 'reports',
    dryRun: false,
    quiet: false,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = splitInlineValue(arg);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new UsageError(`${flag} needs a value`);
      return v;
    };
    applyOption(parsed, flag, value, arg);
  }
  return completeOptions(parsed);
}

/**
 * Artillery's CLI, installed with the load-tests workspace by the root `npm ci`: in
 * load-tests/node_modules, or hoisted to the root's node_modules.
 */
export const ARTILLERY_BIN =
  [LOAD_TESTS_DIR, dirname(LOAD_TESTS_DIR)]
    .map((dir) => join(dir, 'node_modules', '.bin', 'artillery'))
    .find((bin) => existsSync(bin)) ?? join(LOAD_TESTS_DIR, 'node_modules', '.bin', 'artillery');

/**
 * Bundles processor.ts (and the bot model it imports) into one plain JS file for Artillery.
 * @returns the bundle's path relative to the script (what `config.processor` takes)
 */
export function bundleProcessor(fileName = 'processor.js'): string {
  const outfile = join(LOAD_TESTS_DIR, 'dist', fileName);
  mkdirSync(dirname(outfile), { recursive: true });
  buildSync({
    entryPoints: [join(LOAD_TESTS_DIR, 'processor.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return `./dist/${fileName}`;
}

function removeQuietly(file: string): void {
  rmSync(file, { force: true });
  try {
    rmdirSync(dirname(file)); // only when empty
  } catch {
    // another run still has its bundle there
  }
}

/** The run plan: profile, thresholds and Artillery's command line. */
export function planRun(opts: LoadTestOptions, outputFile: string): ArtilleryRun {
  const profile = profileFor(
    opts.profile,
    opts.env,
    opts.rate !== undefined ? { turnsPerSecond: opts.rate } : {},
  );
  const thresholds = [...thresholdsFor(profile, opts.env), ...opts.extraThresholds];
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  return {
    target: opts.target,
    profile,
    thresholds,
    outputFile,
    ...(opts.workers > 0
      ? {
          workers: opts.workers,
          ...(region ? { region } : {}),
          ...(process.env.LOADTEST_SUBNET_IDS ? { subnetIds: process.env.LOADTEST_SUBNET_IDS } : {}),
          ...(process.env.LOADTEST_SECURITY_GROUP_IDS
            ? { securityGroupIds: process.env.LOADTEST_SECURITY_GROUP_IDS }
            : {}),
          ...(process.env.LOADTEST_TASK_ROLE_NAME
            ? { taskRoleName: process.env.LOADTEST_TASK_ROLE_NAME }
            : {}),
        }
      : {}),
  };
}

/** Each line of `stream` to `onLine`; resolves when the stream ends. */
function eachLine(stream: Readable, onLine: (line: string) => void): Promise<void> {
  return new Promise((done) => {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', onLine);
    lines.on('close', done);
  });
}

/** How Artillery's output is shown: nothing (quiet), or through the progress line. */
type ArtilleryDisplay = { readonly quiet: true } | { readonly quiet: false; readonly progress: ProgressLine };

function runArtillery(args: readonly string[], display: ArtilleryDisplay): Promise<number> {
  if (!existsSync(ARTILLERY_BIN))
    throw new Error(
      'Artillery is not installed: run `npm ci` at the repository root (it installs load-tests/ too)',
    );
  return new Promise((resolveExit, reject) => {
    const child = spawn(ARTILLERY_BIN, args, {
      cwd: LOAD_TESTS_DIR,
      stdio: ['ignore', display.quiet ? 'ignore' : 'pipe', display.quiet ? 'inherit' : 'pipe'],
      env: {
        ...process.env,
        ARTILLERY_DISABLE_TELEMETRY: 'true',
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
        NODE_OPTIONS:
          `${process.env.NODE_OPTIONS ?? ''} --require ${join(LOAD_TESTS_DIR, 'no-telemetry.cjs')}`.trim(),
      },
    });
    const streams: Promise<void>[] = [];
    if (!display.quiet) {
      const { progress } = display;
      progress.start();
      streams.push(eachLine(child.stdout!, (line) => progress.line(line)));
      streams.push(eachLine(child.stderr!, (line) => progress.aside(line, process.stderr)));
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      void Promise.all(streams).then(() => {
        if (!display.quiet) display.progress.finish();
        resolveExit(code ?? (signal ? 128 : 1));
      });
    });
  });
}

export interface LoadTestResult {
  readonly exitCode: number;
  readonly artilleryExitCode: number;
  readonly written?: WrittenReport;
}

/**
 * The dotenv file for the Fargate workers, which sign with the invoker role too: it hands them its
 * ARN and the Region. Written unless `dryRun`. @returns its path
 */
function writeFargateDotenv(outDir: string, started: Date, dryRun: boolean): string {
  const dotenvFile = join(outDir, `.fargate-${fileTimestamp(started)}.env`);
  const lines = ['LOADTEST_ROLE_ARN', 'AWS_REGION']
    .filter((k) => process.env[k])
    .map((k) => `${k}=${process.env[k]}`);
  if (!dryRun) writeFileSync(dotenvFile, `${lines.join('\n')}\n`);
  return dotenvFile;
}

/** One bundle per run: concurrent runs never share (or delete) each other's processor. */
function processorBundleName(started: Date): string {
  return `processor-${process.pid}-${started.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}.js`;
}

/**
 * Bundles the processor as `bundleName`, runs Artillery, then removes the bundle and the dotenv file.
 * @returns Artillery's exit code
 */
async function runArtilleryOnce(
  args: readonly string[],
  bundleName: string,
  dotenvFile: string | undefined,
  display: ArtilleryDisplay,
): Promise<number> {
  bundleProcessor(bundleName);
  try {
    return await runArtillery(args, display);
  } finally {
    removeQuietly(join(LOAD_TESTS_DIR, 'dist', bundleName));
    if (dotenvFile) rmSync(dotenvFile, { force: true });
  }
}

/** Writes the report from Artillery's output, prints it (unless quiet) and the failures. */
function reportRun(
  opts: LoadTestOptions,
  run: ArtilleryRun,
  artilleryExitCode: number,
  { outDir, started, cost }: { outDir: string; started: Date; cost: CostSummary | undefined },
): LoadTestResult {
  const written = writeReport(
    readArtilleryOutput(run.outputFile),
    {
      profile: run.profile,
      environment: opts.env,
      target: opts.target,
      thresholds: run.thresholds,
      workers: Math.max(1, run.workers ?? 1),
      artilleryExitCode,
      outputFile: run.outputFile,
      ...(cost ? { cost } : {}),
    },
    { outDir, now: started },
  );
  if (!opts.quiet) {
    console.log(`\n${written.markdown}`);
    console.log(`Report: ${written.files.md}\n        ${written.files.html}\n        ${written.files.json}`);
    console.log(verdictLines(written));
  }
  const failedThresholds = written.report.thresholds.filter((t) => !t.passed);
  for (const t of failedThresholds)
    console.error(`threshold failed: ${t.expression} (measured ${t.value === null ? 'missing' : t.value})`);
  if (artilleryExitCode !== 0) console.error(`artillery exited with ${artilleryExitCode}`);
  return { exitCode: written.report.passed ? 0 : 1, artilleryExitCode, written };
}

/** Both verdicts, the last lines a run prints. */
export function verdictLines({ report }: Pick<WrittenReport, 'report'>): string {
  const { thresholds: t, capacity: c } = report.verdicts;
  return [
    `Thresholds: ${t.passed ? '✅' : '❌'} ${t.word} (${t.detail.replace(/\.$/, '')})`,
    `Capacity for ${c.requirement}: ${c.demonstrated ? '✅' : '⚠️'} ${c.word} (${(c.shareOfPeak * 100).toFixed(1)}% of the model's peak)`,
  ].join('\n');
}

/**
 * The cost summary to show: an explicit file (--cost, COST_SUMMARY_FILE) must read; the default
 * ./cost-report.json is skipped with a warning when it does not.
 */
export function loadCostSummary(
  opts: Pick<LoadTestOptions, 'costFile'>,
  repoRoot: string,
): CostSummary | undefined {
  const file = costSummaryFile(opts.costFile, repoRoot);
  if (!file) return undefined;
  const explicit = opts.costFile !== undefined || !!process.env.COST_SUMMARY_FILE;
  try {
    return readCostSummary(file);
  } catch (err) {
    if (explicit) throw err;
    console.error(
      `loadtest: ${(err as Error).message}; the report shows no cost (fix or remove ${DEFAULT_COST_FILE})`,
    );
    return undefined;
  }
}

/** The profile's phases added up, seconds. */
const plannedSeconds = (run: ArtilleryRun): number => run.profile.phases.reduce((n, p) => n + p.duration, 0);

/** Runs the load test and writes the report. */
export async function runLoadTest(opts: LoadTestOptions): Promise<LoadTestResult> {
  const started = new Date();
  const outDir = resolve(opts.outDir);
  mkdirSync(outDir, { recursive: true });
  const outputFile = join(outDir, `${opts.profile}-${fileTimestamp(started)}.artillery.json`);
  const run = planRun(opts, outputFile);
  const cost = loadCostSummary(opts, dirname(LOAD_TESTS_DIR));
  const dotenvFile = run.workers ? writeFargateDotenv(outDir, started, opts.dryRun) : undefined;
  const bundleName = processorBundleName(started);
  const args = artilleryArgs({
    ...run,
    processorBundle: `./dist/${bundleName}`,
    ...(dotenvFile ? { dotenvFile } : {}),
  });
  if (!opts.quiet)
    console.log(
      `Load test: profile ${run.profile.name} (${run.profile.description}), env ${opts.env}, target ${opts.target}, ${run.workers ? `${run.workers} Fargate workers` : 'one process'}; aiming at ${run.profile.targetTurnsPerSecond} turns/s`,
    );
  if (opts.dryRun) {
    console.log(['artillery', ...args.map((a) => (/[\s"'{}]/.test(a) ? `'${a}'` : a))].join(' '));
    return { exitCode: 0, artilleryExitCode: 0 };
  }
  const display: ArtilleryDisplay = opts.quiet
    ? { quiet: true }
    : {
        quiet: false,
        progress: new ProgressLine({
          profile: run.profile.name,
          plannedSeconds: plannedSeconds(run),
          targetTurnsPerSecond: run.profile.targetTurnsPerSecond,
          out: process.stdout,
          verbose: opts.verbose,
        }),
      };
  const artilleryExitCode = await runArtilleryOnce(args, bundleName, dotenvFile, display);
  if (!existsSync(outputFile)) {
    console.error(`Artillery exited with ${artilleryExitCode} and wrote no output (${outputFile})`);
    return { exitCode: artilleryExitCode || 1, artilleryExitCode };
  }
  return reportRun(opts, run, artilleryExitCode, { outDir, started, cost });
}

export async function main(
  argv: readonly string[],
  defaults: { env?: TargetEnvironment } = {},
): Promise<number> {
  let opts: LoadTestOptions;
  try {
    opts = parseArgs(argv, defaults);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`loadtest: ${err.message}\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  return (await runLoadTest(opts)).exitCode;
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(`loadtest: ${(err as Error).message}`);
      process.exit(1);
    });
}
