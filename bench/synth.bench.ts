/**
 * Wall time of `cdk synth` of the whole app (pipeline + every stage, nag included, handler
 * bundles built with esbuild), into a scratch output directory, median of 3 runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = 3;

export async function run(): Promise<Record<string, unknown>> {
  const root = join(__dirname, '..');
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = mkdtempSync(join(tmpdir(), 'synth-bench-'));
    const started = process.hrtime.bigint();
    execFileSync('npx', ['cdk', 'synth', '--quiet', '--output', out], { cwd: root, stdio: 'pipe' });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    rmSync(out, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return {
    runs: RUNS,
    medianMs: Math.round(times[Math.floor(RUNS / 2)]),
    minMs: Math.round(times[0]),
    maxMs: Math.round(times[RUNS - 1]),
  };
}
