/**
 * Amazon Translate. The SDK is loaded and the client created on first use (the `translate`
 * chunk): only turns in another language need it.
 */
import type { TranslateClient } from '@aws-sdk/client-translate';
import { fromChunk, type Chunks } from '../chunks';
import type { Translator } from '../ports';
import { abortAfter } from '../util/timeout';

export type TranslateModule = Chunks['translate'];

export class AwsTranslator implements Translator {
  private readonly client: () => Promise<{
    client: TranslateClient;
    Command: TranslateModule['TranslateTextCommand'];
  }>;

  /**
   * @param createClient builds the client (e.g. wrapped by the tracer); called once, lazily.
   * @param opts.load loads the Translate SDK. @default the `translate` chunk
   */
  constructor(
    createClient: (mod: TranslateModule) => TranslateClient,
    private readonly opts: { timeoutMs?: number; load?: () => Promise<TranslateModule> } = {},
  ) {
    this.client = fromChunk(
      'translate',
      (mod) => ({ client: createClient(mod), Command: mod.TranslateTextCommand }),
      opts.load,
    );
  }

  async translate(text: string, sourceLanguage: string, targetLanguage: string): Promise<string> {
    if (sourceLanguage === targetLanguage || !text.trim()) return text;
    const { client, Command } = await this.client();
    const out = await client.send(
      new Command({ Text: text, SourceLanguageCode: sourceLanguage, TargetLanguageCode: targetLanguage }),
      abortAfter(this.opts.timeoutMs),
    );
    if (out.TranslatedText === undefined) throw new Error('translate returned no text');
    return out.TranslatedText;
  }
}
