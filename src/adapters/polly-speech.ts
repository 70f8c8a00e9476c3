/**
 * Speech for voice channels: Polly (neural voice of the locale) -> MP3 in the short-lived
 * audio bucket -> a presigned GET URL the channel hands to the client. Polly, S3 and the
 * presigner are loaded on first use (the `speech` chunk): text turns never pay for them.
 */
import type { PollyClient, VoiceId } from '@aws-sdk/client-polly';
import type { S3Client } from '@aws-sdk/client-s3';
import type { LocaleId } from '../../contracts/bot-model/types';
import { fromChunk, type Chunks } from '../chunks';
import type { SpeechSynthesizer } from '../ports';

export type SpeechModule = Chunks['speech'];

export interface PollySpeechOptions {
  bucketName: string;
  /** Voice per locale (from the bot model), neural engine. */
  voices: Readonly<Record<LocaleId, string>>;
  /** Presigned URL lifetime, seconds. @default 900 */
  urlExpiresInSeconds?: number;
  /** @default 'audio/' */
  keyPrefix?: string;
  /** Loads Polly, S3 and the presigner. @default the `speech` chunk */
  load?: () => Promise<SpeechModule>;
}

export interface SpeechClients {
  polly: (mod: SpeechModule) => PollyClient;
  s3: (mod: SpeechModule) => S3Client;
}

const SAFE_KEY = /^[A-Za-z0-9._/-]{1,200}$/;

export class PollySpeechSynthesizer implements SpeechSynthesizer {
  private readonly clients: () => Promise<{ polly: PollyClient; s3: S3Client; mod: SpeechModule }>;

  constructor(
    clients: SpeechClients,
    private readonly opts: PollySpeechOptions,
  ) {
    this.clients = fromChunk(
      'speech',
      (mod) => ({ polly: clients.polly(mod), s3: clients.s3(mod), mod }),
      opts.load,
    );
  }

  async synthesize(text: string, locale: LocaleId, key: string): Promise<{ audioUrl: string }> {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error('unsafe audio key');
    const { polly, s3, mod } = await this.clients();
    const speech = await polly.send(
      new mod.SynthesizeSpeechCommand({
        Text: text.slice(0, 3000),
        VoiceId: this.opts.voices[locale] as VoiceId,
        Engine: 'neural',
        OutputFormat: 'mp3',
        TextType: 'text',
      }),
    );
    if (!speech.AudioStream) throw new Error('polly returned no audio');
    const body = await speech.AudioStream.transformToByteArray();
    const objectKey = `${this.opts.keyPrefix ?? 'audio/'}${key}.mp3`;
    await s3.send(
      new mod.PutObjectCommand({
        Bucket: this.opts.bucketName,
        Key: objectKey,
        Body: body,
        ContentType: speech.ContentType ?? 'audio/mpeg',
      }),
    );
    const audioUrl = await mod.getSignedUrl(
      s3,
      new mod.GetObjectCommand({ Bucket: this.opts.bucketName, Key: objectKey }),
      {
        expiresIn: this.opts.urlExpiresInSeconds ?? 900,
      },
    );
    return { audioUrl };
  }
}
