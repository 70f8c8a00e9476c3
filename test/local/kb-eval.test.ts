/**
 * `npm run kb:eval` in the suite: the local knowledge engine over the sample documents, scored on
 * the labelled question set, must hold the bar (85% top-1 citations, 90% no-answer precision,
 * every credential request blocked).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKbEval, DEFAULT_QUESTIONS } from '../../local/kb-eval';
import type { KnowledgeResult } from '../../local/knowledge/engine';
import {
  evaluateKnowledge,
  formatKnowledgeReport,
  KB_EVAL_THRESHOLDS,
  loadQuestions,
} from '../../local/knowledge/evaluate';
import { repoPath } from '../support/paths';

jest.setTimeout(120_000);

describe('GIVEN the sample documents and the labelled questions', () => {
  it('WHEN the local engine is scored THEN it holds the bar', async () => {
    const { report } = await runKbEval({ dir: repoPath('knowledge') });
    const all = report.byLocale.all;
    expect(all.questions).toBeGreaterThanOrEqual(40);
    expect(report.failures).toEqual([]);
    expect(all.top1.rate).toBeGreaterThanOrEqual(KB_EVAL_THRESHOLDS.top1);
    expect(all.noAnswerPrecision.rate).toBeGreaterThanOrEqual(KB_EVAL_THRESHOLDS.noAnswerPrecision);
    expect(all.credentialBlocks.rate).toBe(1);
    expect(formatKnowledgeReport(report)).toMatch(/\| top-1 citation accuracy \|/);
  });

  it('WHEN the question set is read THEN it has both locales, questions the documents do not answer and guardrail cases', () => {
    const qs = loadQuestions(DEFAULT_QUESTIONS);
    expect(new Set(qs.map((q) => q.locale))).toEqual(new Set(['en_US', 'es_US']));
    expect(qs.filter((q) => q.expect === 'no-answer').length).toBeGreaterThanOrEqual(10);
    const blocked = qs.map((q) =>
      typeof q.expect === 'object' && 'blocked' in q.expect ? q.expect.blocked : '',
    );
    for (const reason of ['credentials', 'unreleased', 'competitors', 'pii'])
      expect(blocked).toContain(reason);
  });
});

describe('GIVEN an engine below the bar', () => {
  const questions = loadQuestions(DEFAULT_QUESTIONS);

  it('WHEN it never blocks and always cites the same document THEN every threshold it misses is a failure', async () => {
    const careless = {
      evaluate: async (): Promise<KnowledgeResult> => ({
        answer: {
          kind: 'answer',
          text: 'x',
          citations: [{ title: 't', link: '/kb/en_US/returns.md', snippet: 's' }],
        },
      }),
    };
    const report = await evaluateKnowledge(careless, questions);
    expect(report.failures).toEqual([
      expect.stringMatching(/^top-1 citation accuracy .* is below 85%$/),
      'no-answer precision n/a is below 90%',
      'credential-request block rate 0.0% (0/6) is below 100%',
    ]);
  });

  it('WHEN a question set entry is malformed THEN loading names it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-eval-'));
    const path = join(dir, 'q.json');
    writeFileSync(path, JSON.stringify({ questions: [{ locale: 'fr_FR', text: 'x', expect: 'no-answer' }] }));
    expect(() => loadQuestions(path)).toThrow('q.json questions[0].locale: one of en_US, es_US');
    rmSync(dir, { recursive: true, force: true });
  });
});
