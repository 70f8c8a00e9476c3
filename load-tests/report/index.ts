/**
 * Writes reports/<profile>-<timestamp>.{json,html,md} from Artillery's --output JSON.
 * CLI (rebuild a report from a saved run):
 *   tsx load-tests/report/index.ts <artillery-output.json> --profile smoke [--env local] [--out reports]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildReport, type LoadTestReport, type ReportMeta } from './build';
import { renderHtml } from './render-html';
import { renderMarkdown } from './render-markdown';
import type { ArtilleryOutput } from './types';

export interface WrittenReport {
  readonly report: LoadTestReport;
  readonly markdown: string;
  readonly files: { readonly json: string; readonly html: string; readonly md: string };
}

/** `2026-11-23T18-05-02Z`: sortable, safe in file names. */
export function fileTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}

export function readArtilleryOutput(file: string): ArtilleryOutput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read artillery output ${file}: ${(err as Error).message}`);
  }
  const o = parsed as Partial<ArtilleryOutput>;
  if (!o || typeof o !== 'object' || !o.aggregate || !Array.isArray(o.intermediate))
    throw new Error(`${file} is not an artillery --output report (no aggregate/intermediate)`);
  return o as ArtilleryOutput;
}

export function writeReport(
  output: ArtilleryOutput,
  meta: ReportMeta,
  opts: { outDir: string; now?: Date },
): WrittenReport {
  const report = buildReport(output, meta);
  const markdown = renderMarkdown(report);
  mkdirSync(opts.outDir, { recursive: true });
  const base = join(resolve(opts.outDir), `${meta.profile.name}-${fileTimestamp(opts.now ?? new Date())}`);
  const files = { json: `${base}.json`, html: `${base}.html`, md: `${base}.md` };
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.html, renderHtml(report));
  writeFileSync(files.md, markdown);
  return { report, markdown, files };
}
