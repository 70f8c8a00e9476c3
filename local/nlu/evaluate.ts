/**
 * Scores the local NLU on a labelled, held-out set of utterances (test/fixtures/nlu/<locale>.json):
 * accuracy per intent and locale, and a confusion table (expected x predicted).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BotModel, LocaleId } from '../../contracts/bot-model/types';
import type { LocalNlu } from './local-nlu';
import { normalize } from './text';

export interface LabelledUtterance {
  readonly text: string;
  readonly intent: string;
}

export interface EvalSet {
  readonly locale: LocaleId;
  readonly utterances: readonly LabelledUtterance[];
}

export interface Score {
  total: number;
  correct: number;
  accuracy: number;
}

export interface LocaleReport {
  readonly locale: LocaleId;
  readonly overall: Score;
  readonly perIntent: Record<string, Score>;
  /** confusion[expected][predicted] = count */
  readonly confusion: Record<string, Record<string, number>>;
  readonly errors: { text: string; expected: string; predicted: string; confidence: number | undefined }[];
}

export interface EvalReport {
  readonly overall: Score;
  readonly locales: LocaleReport[];
}

export const FIXTURE_DIR = join(__dirname, '..', '..', 'test', 'fixtures', 'nlu');

export function loadEvalSet(locale: LocaleId, dir = FIXTURE_DIR): EvalSet {
  const raw = JSON.parse(readFileSync(join(dir, `${locale}.json`), 'utf8')) as EvalSet;
  if (raw.locale !== locale || !Array.isArray(raw.utterances))
    throw new Error(`${locale}.json is not an evaluation set`);
  return raw;
}

/** Utterances of the set that are also sample utterances of the model (must be none). */
export function overlapWithModel(model: BotModel, set: EvalSet): string[] {
  const training = new Set<string>();
  for (const intent of model.intents) {
    for (const u of intent.utterances[set.locale]) training.add(normalize(u.replace(/\{\w+\}/g, '')));
  }
  return set.utterances.map((u) => u.text).filter((t) => training.has(normalize(t)));
}

const score = (correct: number, total: number): Score => ({
  total,
  correct,
  accuracy: total ? Math.round((correct / total) * 10_000) / 10_000 : 0,
});

export async function evaluate(nlu: LocalNlu, sets: readonly EvalSet[]): Promise<EvalReport> {
  const locales: LocaleReport[] = [];
  let total = 0;
  let correct = 0;
  for (const set of sets) {
    const perIntent: Record<string, { total: number; correct: number }> = {};
    const confusion: Record<string, Record<string, number>> = {};
    const errors: LocaleReport['errors'] = [];
    for (const u of set.utterances) {
      const result = await nlu.classify(u.text, set.locale);
      const ok = result.intent === u.intent;
      const bucket = (perIntent[u.intent] ??= { total: 0, correct: 0 });
      bucket.total += 1;
      if (ok) bucket.correct += 1;
      const row = (confusion[u.intent] ??= {});
      row[result.intent] = (row[result.intent] ?? 0) + 1;
      if (!ok)
        errors.push({
          text: u.text,
          expected: u.intent,
          predicted: result.intent,
          confidence: result.confidence,
        });
    }
    const localeTotal = set.utterances.length;
    const localeCorrect = Object.values(perIntent).reduce((n, s) => n + s.correct, 0);
    total += localeTotal;
    correct += localeCorrect;
    locales.push({
      locale: set.locale,
      overall: score(localeCorrect, localeTotal),
      perIntent: Object.fromEntries(
        Object.entries(perIntent).map(([k, v]) => [k, score(v.correct, v.total)]),
      ),
      confusion,
      errors,
    });
  }
  return { overall: score(correct, total), locales };
}

const pct = (s: Score): string => `${(s.accuracy * 100).toFixed(1)}%`;

/** The report as plain-text tables (what `npm run nlu:eval` prints). */
export function formatReport(report: EvalReport, intents: readonly string[]): string {
  const lines: string[] = [];
  const localeNames = report.locales.map((l) => l.locale);
  const width = Math.max(14, ...intents.map((i) => i.length)) + 2;
  lines.push('Accuracy per intent and locale');
  lines.push(['intent'.padEnd(width), ...localeNames.map((l) => l.padStart(16))].join(''));
  for (const intent of intents) {
    const cells = report.locales.map((l) => {
      const s = l.perIntent[intent];
      return (s ? `${pct(s)} (${s.correct}/${s.total})` : '-').padStart(16);
    });
    lines.push([intent.padEnd(width), ...cells].join(''));
  }
  lines.push(
    [
      'all'.padEnd(width),
      ...report.locales.map((l) =>
        `${pct(l.overall)} (${l.overall.correct}/${l.overall.total})`.padStart(16),
      ),
    ].join(''),
  );
  lines.push('');
  lines.push(`Overall: ${pct(report.overall)} (${report.overall.correct}/${report.overall.total})`);
  for (const l of report.locales) {
    lines.push('');
    lines.push(`Confusion ${l.locale} (rows: expected, columns: predicted)`);
    const abbrev = intents.map((i) => i.slice(0, 9));
    const cw = Math.max(6, ...abbrev.map((a) => a.length)) + 1;
    lines.push(['expected \\ predicted'.padEnd(width), ...abbrev.map((a) => a.padStart(cw))].join(''));
    for (const expected of intents) {
      const row = l.confusion[expected] ?? {};
      lines.push([expected.padEnd(width), ...intents.map((p) => String(row[p] ?? 0).padStart(cw))].join(''));
    }
  }
  const errors = report.locales.flatMap((l) => l.errors.map((e) => ({ ...e, locale: l.locale })));
  if (errors.length) {
    lines.push('');
    lines.push('Misclassified');
    for (const e of errors) {
      const conf = e.confidence === undefined ? '' : ` ${e.confidence.toFixed(2)}`;
      lines.push(`  [${e.locale}] "${e.text}": expected ${e.expected}, got ${e.predicted}${conf}`);
    }
  }
  return lines.join('\n');
}
