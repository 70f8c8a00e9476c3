/**
 * `npm run kb:eval`: indexes the sample documents (or KNOWLEDGE_DIR) exactly as `npm start` does
 * and scores the local knowledge engine on the labelled questions in knowledge/eval/questions.json
 * (written once, before the engine was tuned). Prints top-1 citation accuracy, no-answer precision
 * and recall, the guardrail block rate and the credential-request block rate as a table; exits 1
 * below 85% top-1, 90% no-answer precision or 100% credential-request blocks.
 */
import { join, resolve } from 'node:path';
import { LocalKnowledgeBase } from './knowledge/engine';
import {
  evaluateKnowledge,
  formatKnowledgeReport,
  loadQuestions,
  type EvalReport,
} from './knowledge/evaluate';
import { DEFAULT_KNOWLEDGE_DIR } from './knowledge/routes';

export const DEFAULT_QUESTIONS = join(DEFAULT_KNOWLEDGE_DIR, 'eval', 'questions.json');

/** Runs the evaluation; the report and how long indexing took. */
export async function runKbEval(
  opts: { dir?: string; questions?: string } = {},
): Promise<{ report: EvalReport; indexMs: number; documents: number }> {
  const dir = resolve(opts.dir ?? process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
  const started = performance.now();
  const kb = await LocalKnowledgeBase.open({ dir, watch: false });
  const indexMs = Math.round(performance.now() - started);
  try {
    const report = await evaluateKnowledge(kb, loadQuestions(opts.questions ?? DEFAULT_QUESTIONS));
    return { report, indexMs, documents: kb.stats.documents };
  } finally {
    await kb.close();
  }
}

async function main(): Promise<number> {
  const { report, indexMs, documents } = await runKbEval({ questions: process.argv[2] });
  console.log(
    `Local knowledge engine (MiniSearch BM25+, Snowball stems, guardrail policy contracts/guardrail-policy.ts): ` +
      `${documents} documents indexed in ${indexMs} ms; ${report.byLocale.all.questions} labelled questions\n`,
  );
  console.log(formatKnowledgeReport(report));
  for (const failure of report.failures) console.error(`\nkb:eval: ${failure}`);
  return report.failures.length ? 1 : 0;
}

if (require.main === module) {
  main()
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(`kb:eval: ${(err as Error).message}`);
      process.exit(1);
    });
}
