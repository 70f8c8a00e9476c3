/** Amazon Translate. The client is created on first use: only turns in another language need it. */
import type { TranslateClient } from '@aws-sdk/client-translate';
import type { Translator } from '../ports';

export class AwsTranslator implements Translator {
  private client?: Promise<{
    client: TranslateClient;
    Command: typeof import('@aws-sdk/client-translate').TranslateTextCommand;
  }>;

  /** @param createClient builds the client (e.g. wrapped by the tracer); called once, lazily. */
  constructor(
    private readonly createClient: (mod: typeof import('@aws-sdk/client-translate')) => TranslateClient,
    private readonly opts: { timeoutMs?: number } = {},
  ) {}

  async translate(text: string, sourceLanguage: string, targetLanguage: string): Promise<string> {
    if (sourceLanguage === targetLanguage || !text.trim()) return text;
    this.client ??= import('@aws-sdk/client-translate').then((mod) => ({
      client: this.createClient(mod),
      Command: mod.TranslateTextCommand,
    }));
    const { client, Command } = await this.client;
    const out = await client.send(
      new Command({ Text: text, SourceLanguageCode: sourceLanguage, TargetLanguageCode: targetLanguage }),
      this.opts.timeoutMs ? { abortSignal: AbortSignal.timeout(this.opts.timeoutMs) } : {},
    );
    if (out.TranslatedText === undefined) throw new Error('translate returned no text');
    return out.TranslatedText;
  }
}
