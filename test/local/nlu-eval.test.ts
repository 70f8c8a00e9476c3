/**
 * The local NLU stand-in scored on held-out, labelled utterances (test/fixtures/nlu), as
 * `npm run nlu:eval` does: the suite fails below 85% overall, when a locale or intent has fewer
 * than 20 evaluation utterances, or when an evaluation utterance is also a training utterance.
 */
import { BOT_MODEL } from '../../contracts/bot-model';
import { LOCALES } from '../../contracts/bot-model/types';
import { DEV } from '../../lib/config/environments';
import { MIN_OVERALL_ACCURACY } from '../../local/nlu-eval';
import { evaluate, loadEvalSet, overlapWithModel, type EvalReport } from '../../local/nlu/evaluate';
import { LocalNlu } from '../../local/nlu/local-nlu';

const MIN_PER_INTENT = 20;
const sets = LOCALES.map((locale) => loadEvalSet(locale));
let report: EvalReport;

beforeAll(async () => {
  const nlu = await LocalNlu.train(BOT_MODEL, {
    threshold: DEV.bot.nluConfidenceThreshold,
    locales: [...LOCALES],
  });
  report = await evaluate(nlu, sets);
});

describe('the NLU evaluation set', () => {
  test.each(LOCALES)(
    `GIVEN the %s set THEN every intent of the model has >= ${MIN_PER_INTENT} labelled utterances`,
    (locale) => {
      const set = sets.find((s) => s.locale === locale)!;
      for (const intent of BOT_MODEL.intents) {
        const count = set.utterances.filter((u) => u.intent === intent.name).length;
        expect({ intent: intent.name, enough: count >= MIN_PER_INTENT }).toEqual({
          intent: intent.name,
          enough: true,
        });
      }
      // and no label outside the model
      const names = new Set(BOT_MODEL.intents.map((i) => i.name));
      expect(set.utterances.filter((u) => !names.has(u.intent))).toEqual([]);
    },
  );

  test.each(LOCALES)(
    'GIVEN the %s set THEN none of its utterances is a sample utterance of the model',
    (locale) => {
      expect(
        overlapWithModel(
          BOT_MODEL,
          sets.find((s) => s.locale === locale)!,
        ),
      ).toEqual([]);
    },
  );
});

describe('the local NLU on the held-out set', () => {
  test(`THEN overall accuracy is at least ${MIN_OVERALL_ACCURACY * 100}%`, () => {
    expect(report.overall.total).toBe(sets.reduce((n, s) => n + s.utterances.length, 0));
    expect(report.overall.accuracy).toBeGreaterThanOrEqual(MIN_OVERALL_ACCURACY);
  });

  test('THEN the report has per-intent accuracy and a confusion row for every intent in both locales', () => {
    for (const locale of report.locales) {
      for (const intent of BOT_MODEL.intents) {
        expect(locale.perIntent[intent.name]?.total).toBeGreaterThanOrEqual(MIN_PER_INTENT);
        const row = locale.confusion[intent.name]!;
        expect(Object.values(row).reduce((a, b) => a + b, 0)).toBe(locale.perIntent[intent.name]!.total);
      }
    }
  });
});
