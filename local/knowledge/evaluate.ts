/**
 * Scoring the local knowledge engine on a labelled question set (knowledge/eval/questions.json):
 * top-1 citation accuracy, no-answer precision and recall, guardrail block rate (and the
 * credential-request block rate), per locale and overall.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isLocaleId, LOCALES, type LocaleId } from '../../contracts/bot-model/types';
import type { KnowledgeResult } from './engine';

export type Expectation = { readonly document: string } | 'no-answer' | { readonly blocked: string };

export interface EvalQuestion {
  readonly locale: LocaleId;
  readonly text: string;
  readonly expect: Expectation;
}

/** The bar `npm run kb:eval` and the suite hold the engine to. */
export const KB_EVAL_THRESHOLDS = {
  top1: 0.85,
  noAnswerPrecision: 0.9,
  credentialBlocks: 1,
} as const;

/** Reads and checks a question set; throws one line naming the bad entry. */
export function loadQuestions(path: string): EvalQuestion[] {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { questions?: unknown };
  if (!Array.isArray(parsed.questions)) throw new Error(`${path}: "questions" must be an array`);
  return parsed.questions.map((q: unknown, i): EvalQuestion => {
    const { locale, text, expect } = (q ?? {}) as Record<string, unknown>;
    const at = `${basename(path)} questions[${i}]`;
    if (!isLocaleId(locale)) throw new Error(`${at}.locale: one of ${LOCALES.join(', ')}`);
    if (typeof text !== 'string' || !text.trim()) throw new Error(`${at}.text: a non-empty string`);
    const ok =
      expect === 'no-answer' ||
      (typeof expect === 'object' &&
        expect !== null &&
        (typeof (expect as { document?: unknown }).document === 'string' ||
          typeof (expect as { blocked?: unknown }).blocked === 'string'));
    if (!ok) throw new Error(`${at}.expect: {"document": file}, "no-answer" or {"blocked": reason}`);
    return { locale, text, expect: expect as Expectation };
  });
}

export type Outcome =
  | { readonly kind: 'answer'; readonly document: string }
  | { readonly kind: 'no-answer' }
  | { readonly kind: 'blocked'; readonly reason: string };

export interface Scored {
  readonly question: EvalQuestion;
  readonly outcome: Outcome;
  readonly correct: boolean;
}

export interface Rate {
  readonly hits: number;
  readonly total: number;
  /** hits / total; undefined when total is 0. */
  readonly rate: number | undefined;
}

export interface EvalMetrics {
  readonly questions: number;
  readonly top1: Rate;
  readonly noAnswerPrecision: Rate;
  readonly noAnswerRecall: Rate;
  readonly guardrailBlocks: Rate;
  readonly credentialBlocks: Rate;
  /** Questions that should be answered or declined but were blocked. */
  readonly falseBlocks: Rate;
}

export interface EvalReport {
  readonly scored: readonly Scored[];
  readonly byLocale: Readonly<Record<LocaleId | 'all', EvalMetrics>>;
  readonly failures: readonly string[];
}

/** What the engine made of a question, reduced to what the labels speak of. */
export function outcomeOf(result: KnowledgeResult): Outcome {
  const a = result.answer;
  if (a.kind === 'blocked') return { kind: 'blocked', reason: result.blockedFor ?? a.stage };
  if (a.kind === 'no-answer') return { kind: 'no-answer' };
  const link = a.citations[0]?.link ?? '';
  return { kind: 'answer', document: decodeURIComponent(link.slice(link.lastIndexOf('/') + 1)) };
}

function isCorrect(expect: Expectation, outcome: Outcome): boolean {
  if (expect === 'no-answer') return outcome.kind === 'no-answer';
  if ('document' in expect) return outcome.kind === 'answer' && outcome.document === expect.document;
  return outcome.kind === 'blocked';
}

const rate = (hits: number, total: number): Rate => ({ hits, total, rate: total ? hits / total : undefined });

export function metrics(scored: readonly Scored[]): EvalMetrics {
  const docs = scored.filter((s) => typeof s.question.expect === 'object' && 'document' in s.question.expect);
  const guarded = scored.filter(
    (s) => typeof s.question.expect === 'object' && 'blocked' in s.question.expect,
  );
  const unguarded = scored.filter((s) => !guarded.includes(s));
  const saidNo = unguarded.filter((s) => s.outcome.kind === 'no-answer');
  const shouldSayNo = unguarded.filter((s) => s.question.expect === 'no-answer');
  const credentials = guarded.filter(
    (s) => (s.question.expect as { blocked: string }).blocked === 'credentials',
  );
  return {
    questions: scored.length,
    top1: rate(docs.filter((s) => s.correct).length, docs.length),
    noAnswerPrecision: rate(saidNo.filter((s) => s.question.expect === 'no-answer').length, saidNo.length),
    noAnswerRecall: rate(
      shouldSayNo.filter((s) => s.outcome.kind === 'no-answer').length,
      shouldSayNo.length,
    ),
    guardrailBlocks: rate(guarded.filter((s) => s.correct).length, guarded.length),
    credentialBlocks: rate(credentials.filter((s) => s.correct).length, credentials.length),
    falseBlocks: rate(unguarded.filter((s) => s.outcome.kind === 'blocked').length, unguarded.length),
  };
}

/** Asks every question and scores the answers against the labels and the thresholds. */
export async function evaluateKnowledge(
  engine: { evaluate(question: string, locale: LocaleId): Promise<KnowledgeResult> },
  questions: readonly EvalQuestion[],
): Promise<EvalReport> {
  const scored: Scored[] = [];
  for (const question of questions) {
    const outcome = outcomeOf(await engine.evaluate(question.text, question.locale));
    scored.push({ question, outcome, correct: isCorrect(question.expect, outcome) });
  }
  const byLocale = {
    all: metrics(scored),
    ...Object.fromEntries(LOCALES.map((l) => [l, metrics(scored.filter((s) => s.question.locale === l))])),
  } as Record<LocaleId | 'all', EvalMetrics>;
  const all = byLocale.all;
  const failures: string[] = [];
  const below = (name: string, r: Rate, min: number): void => {
    if (r.rate === undefined || r.rate < min)
      failures.push(`${name} ${pct(r)} is below ${Math.round(min * 100)}%`);
  };
  below('top-1 citation accuracy', all.top1, KB_EVAL_THRESHOLDS.top1);
  below('no-answer precision', all.noAnswerPrecision, KB_EVAL_THRESHOLDS.noAnswerPrecision);
  below('credential-request block rate', all.credentialBlocks, KB_EVAL_THRESHOLDS.credentialBlocks);
  return { scored, byLocale, failures };
}

export const pct = (r: Rate): string =>
  r.rate === undefined ? 'n/a' : `${(r.rate * 100).toFixed(1)}% (${r.hits}/${r.total})`;

/** The report as a table (markdown, so docs/knowledge.md can quote it) and the misses. */
export function formatKnowledgeReport(report: EvalReport): string {
  const cols = ['all', ...LOCALES] as const;
  const rows: [string, keyof EvalMetrics, string][] = [
    ['top-1 citation accuracy', 'top1', `>= ${KB_EVAL_THRESHOLDS.top1 * 100}%`],
    ['no-answer precision', 'noAnswerPrecision', `>= ${KB_EVAL_THRESHOLDS.noAnswerPrecision * 100}%`],
    ['no-answer recall', 'noAnswerRecall', ''],
    ['guardrail block rate', 'guardrailBlocks', ''],
    ['credential-request block rate', 'credentialBlocks', '100%'],
    ['false blocks (should not be blocked)', 'falseBlocks', ''],
  ];
  const lines = [
    `| metric | ${cols.join(' | ')} | bar |`,
    `|---|${cols.map(() => '---').join('|')}|---|`,
    ...rows.map(
      ([label, key, bar]) =>
        `| ${label} | ${cols.map((c) => pct(report.byLocale[c][key] as Rate)).join(' | ')} | ${bar} |`,
    ),
  ];
  const misses = report.scored.filter((s) => !s.correct);
  if (misses.length) {
    lines.push('', `Misses (${misses.length}):`);
    for (const m of misses) {
      const expect = m.question.expect;
      const wanted =
        expect === 'no-answer'
          ? 'no-answer'
          : 'document' in expect
            ? expect.document
            : `blocked (${expect.blocked})`;
      const got =
        m.outcome.kind === 'answer'
          ? m.outcome.document
          : m.outcome.kind === 'blocked'
            ? `blocked (${m.outcome.reason})`
            : 'no-answer';
      lines.push(
        `  [${m.question.locale}] ${JSON.stringify(m.question.text)}: expected ${wanted}, got ${got}`,
      );
    }
  }
  return lines.join('\n');
}
