/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or the ones named on the command line),
 * each exporting `run(): Promise<Record<string, unknown>>`, and merges their figures into
 * bench/results.json under the file's name (hot-path.bench.ts -> "hotPath"), with the time
 * and machine they were measured on. Figures in results.json come from real runs only.
 */
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const RESULTS = join(__dirname, 'results.json');

function keyOf(file: string): string {
  return file.replace(/\.bench\.ts$/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark matches ${only.join(', ')}`);
  const results: Record<string, unknown> = existsSync(RESULTS)
    ? JSON.parse(readFileSync(RESULTS, 'utf8'))
    : {};
  for (const file of files) {
    const key = keyOf(file);
    process.stdout.write(`bench ${key} ...\n`);
    const started = Date.now();
    const mod = (await import(join(__dirname, file))) as { run: () => Promise<Record<string, unknown>> };
    const figures = await mod.run();
    results[key] = { ...figures, measuredAt: new Date().toISOString(), benchWallMs: Date.now() - started };
    process.stdout.write(`${key}: ${JSON.stringify(figures)}\n`);
    writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  }
  results.machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
