/**
 * `npm run cost [-- --env dev|staging|prod --traffic <conversations/day> --voice-share <0..1>
 *   --knowledge-share <0..1> --json [--out <file>]]`
 * Synthesizes the app in-process and prices every environment (lib/cost/, docs/cost.md): the
 * monthly cost at its configured traffic, per 1,000 conversations, the top drivers and the budget.
 * Always writes the machine-readable summary to cost-report.json (or --out); --json prints it too.
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../lib/config/load';
import { ENVIRONMENT_NAMES, type AppConfig, type EnvironmentName } from '../lib/config/types';
import {
  PRICES_REGION,
  cdkJsonContext,
  costSummary,
  formatSummary,
  synthesizeApp,
  type CostSummary,
  type SynthesizedApp,
  type TrafficOverrides,
} from '../lib/cost';

export interface CostArgs {
  readonly environments?: readonly EnvironmentName[];
  readonly overrides: TrafficOverrides;
  readonly json: boolean;
  readonly out: string;
}

export const DEFAULT_OUT = 'cost-report.json';

function share(flag: string, raw: string | undefined): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new Error(`${flag} needs a share between 0 and 1, got ${raw ?? 'nothing'}`);
  }
  return value;
}

/** Parses the command line; throws naming the flag on a bad value. */
export function parseCostArgs(argv: readonly string[]): CostArgs {
  const environments: EnvironmentName[] = [];
  let overrides: TrafficOverrides = {};
  let json = false;
  let out = DEFAULT_OUT;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--json':
        json = true;
        break;
      case '--out': {
        const file = value();
        if (!file) throw new Error('--out needs a file name');
        out = file;
        break;
      }
      case '--env': {
        const name = value();
        if (!ENVIRONMENT_NAMES.includes(name as EnvironmentName)) {
          throw new Error(`--env must be one of ${ENVIRONMENT_NAMES.join(', ')}, got ${name ?? 'nothing'}`);
        }
        environments.push(name as EnvironmentName);
        break;
      }
      case '--traffic': {
        const raw = value();
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 1)
          throw new Error(`--traffic needs conversations/day (a positive integer), got ${raw ?? 'nothing'}`);
        overrides = { ...overrides, conversationsPerDay: n };
        break;
      }
      case '--voice-share':
        overrides = { ...overrides, voiceShare: share(flag, value()) };
        break;
      case '--knowledge-share':
        overrides = { ...overrides, knowledgeShare: share(flag, value()) };
        break;
      default:
        throw new Error(
          `unknown option ${flag} (known: --env, --traffic, --voice-share, --knowledge-share, --json, --out)`,
        );
    }
  }
  return { ...(environments.length > 0 ? { environments } : {}), overrides, json, out };
}

/** Where `runCost` writes: progress on stderr, the table or JSON on stdout, the summary file. */
export interface CostIo {
  readonly progress: (line: string) => void;
  readonly print: (text: string) => void;
  readonly writeFile: (path: string, text: string) => void;
}

const PROCESS_IO: CostIo = {
  progress: (line) => process.stderr.write(`${line}\n`),
  print: (text) => console.log(text),
  writeFile: (path, text) => writeFileSync(path, text),
};

/** Synthesizes (with a progress line), prices, prints and writes the summary. */
export function runCost(
  args: CostArgs,
  config: AppConfig,
  synthesize: (config: AppConfig) => SynthesizedApp = synthesizeApp,
  io: CostIo = PROCESS_IO,
): CostSummary {
  const started = Date.now();
  io.progress('cost: synthesizing dev, staging, prod and the pipeline in-process (no bundling)...');
  const synthesized = synthesize(config);
  io.progress(
    `cost: synthesized ${synthesized.stageStacks} stacks a stage in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const summary = costSummary(config, synthesized, args);
  for (const e of summary.environments) {
    const region = config.environments[e.name as EnvironmentName].region;
    if (region !== PRICES_REGION) {
      io.progress(
        `cost: note: ${e.name} is in ${region}, priced at ${PRICES_REGION} list prices (lib/cost/prices.ts)`,
      );
    }
  }
  io.writeFile(args.out, `${JSON.stringify(summary, null, 2)}\n`);
  io.print(args.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
  io.progress(`cost: summary written to ${args.out}`);
  return summary;
}

if (require.main === module) {
  try {
    // cdk.json's context as `cdk synth` reads it (accounts, regions), then the environment variables
    const context = cdkJsonContext();
    runCost(
      parseCostArgs(process.argv.slice(2)),
      loadConfig((key) => context[key], process.env),
    );
  } catch (err) {
    console.error(`cost: ${(err as Error).message}`);
    process.exit(2);
  }
}
