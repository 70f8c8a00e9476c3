/**
 * `npm run nlu:eval`: trains the local NLU from contracts/bot-model exactly as `npm start` does and
 * scores it on the held-out labelled utterances in test/fixtures/nlu/ (none of them is a sample
 * utterance of the model). Prints accuracy per intent and locale and a confusion table; exits 1
 * below the bar (85% overall) or when an evaluation utterance is also a training utterance.
 */
import { LOCALES, type LocaleId } from '../contracts/bot-model/types';
import { DEV } from '../lib/config/environments';
import { LocalNlu } from './nlu/local-nlu';
import { evaluate, formatReport, loadEvalSet, overlapWithModel } from './nlu/evaluate';

export const MIN_OVERALL_ACCURACY = 0.85;

async function main(): Promise<number> {
  const { BOT_MODEL } = await import('../contracts/bot-model');
  const locales: LocaleId[] = [...LOCALES];
  const started = performance.now();
  const nlu = await LocalNlu.train(BOT_MODEL, { threshold: DEV.bot.nluConfidenceThreshold, locales });
  const trainMs = performance.now() - started;
  const sets = locales.map((l) => loadEvalSet(l));
  const leaked = sets.flatMap((s) => overlapWithModel(BOT_MODEL, s).map((t) => `[${s.locale}] ${t}`));
  const report = await evaluate(nlu, sets);
  const intents = BOT_MODEL.intents.map((i) => i.name);
  console.log(
    `Local NLU (nlp.js) trained in ${Math.round(trainMs)} ms; threshold ${DEV.bot.nluConfidenceThreshold}; ` +
      `${report.overall.total} held-out utterances\n`,
  );
  console.log(formatReport(report, intents));
  if (leaked.length) {
    console.error(
      `\n${leaked.length} evaluation utterance(s) are also sample utterances of the model:\n  ${leaked.join('\n  ')}`,
    );
    return 1;
  }
  if (report.overall.accuracy < MIN_OVERALL_ACCURACY) {
    console.error(`\nOverall accuracy ${report.overall.accuracy} is below ${MIN_OVERALL_ACCURACY}`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main()
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
