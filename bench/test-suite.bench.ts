/**
 * Wall time of the whole test suite as CI runs it (`npm test`: type-check + jest), once.
 * Needs Redis on 127.0.0.1:6379 like the suite itself.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export async function run(): Promise<Record<string, unknown>> {
  const started = process.hrtime.bigint();
  const result = spawnSync('npm', ['test', '--silent'], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  const wallMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  const summary = /Tests:\s+(.*)/.exec(`${result.stdout}\n${result.stderr}`)?.[1] ?? 'no jest summary';
  if (result.status !== 0) throw new Error(`npm test failed (${summary})`);
  return { wallMs, tests: summary };
}
