import { LocalNlu } from '../../local/nlu/local-nlu';
import { NlpSentimentAnalyzer, fromSenticon } from '../../local/adapters/nlp-sentiment';
import { MINI_MODEL } from './mini-model';

let analyzer: NlpSentimentAnalyzer;
beforeAll(async () => {
  const nlu = await LocalNlu.train(MINI_MODEL, { threshold: 0.4, locales: ['en_US', 'es_US'] });
  analyzer = new NlpSentimentAnalyzer((text, language) => nlu.sentiment(text, language));
});

describe('GIVEN the NlpSentimentAnalyzer (local Comprehend stand-in)', () => {
  test.each([
    ['this is terrible, I hate waiting', 'en', 'NEGATIVE'],
    ['I am very angry and disappointed', 'en', 'NEGATIVE'],
    ['I am not happy with this', 'en', 'NEGATIVE'],
    ['thank you so much, great service', 'en', 'POSITIVE'],
    ['where is my order', 'en', 'NEUTRAL'],
    ['I want to talk to a human', 'en', 'NEUTRAL'],
    ['esto es horrible, estoy harto', 'es', 'NEGATIVE'],
    ['no estoy contento', 'es', 'NEGATIVE'],
    ['muchas gracias, excelente servicio', 'es', 'POSITIVE'],
    ['dónde está mi pedido', 'es', 'NEUTRAL'],
  ])('WHEN "%s" (%s) is analyzed THEN it is %s', async (text, language, label) => {
    const sentiment = await analyzer.detect(text, language);
    expect(sentiment.label).toBe(label);
    expect(sentiment.score).toBeGreaterThan(0);
    expect(sentiment.score).toBeLessThanOrEqual(1);
  });

  test('WHEN the language has no lexicons THEN it is NEUTRAL, not an error', async () => {
    await expect(analyzer.detect('das ist schrecklich', 'de')).resolves.toMatchObject({ label: 'NEUTRAL' });
  });

  test('WHEN there are no cue words THEN only a strongly polar senticon score counts', () => {
    const base = { numWords: 3, average: 0, type: 'senticon', locale: 'en', vote: 'positive' as const };
    expect(fromSenticon({ ...base, score: 1.2, numHits: 1 }).label).toBe('NEUTRAL');
    expect(fromSenticon({ ...base, score: 1.6, numHits: 2 }).label).toBe('POSITIVE');
    expect(fromSenticon({ ...base, score: -1.6, numHits: 2, vote: 'negative' }).label).toBe('NEGATIVE');
  });
});
