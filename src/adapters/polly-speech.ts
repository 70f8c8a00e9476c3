/**
 * Speech for voice channels: Polly (neural voice of the locale) -> MP3 in the short-lived
 * audio bucket -> a presigned GET URL the channel hands to the client. Polly, S3 and the
 * presigner are loaded on first use: text turns never pay for them.
 */
import type { PollyClient } from '@aws-sdk/client-polly';
import type { S3Client } from '@aws-sdk/client-s3';
import type { LocaleId } from '../../lib/bot-model/types';
import type { SpeechSynthesizer } from '../ports';

type PollyModule = typeof import('@aws-sdk/client-polly');
type S3Module = typeof import('@aws-sdk/client-s3');

export interface PollySpeechOptions {
  bucketName: string;
  /** Voice per locale (from the bot model), neural engine. */
  voices: Readonly<Record<LocaleId, string>>;
  /** Presigned URL lifetime, seconds. @default 900 */
  urlExpiresInSeconds?: number;
  /** @default 'audio/' */
  keyPrefix?: string;
}

export interface SpeechClients {
  polly: (mod: PollyModule) => PollyClient;
  s3: (mod: S3Module) => S3Client;
}

const SAFE_KEY = /^[A-Za-z0-9._/-]{1,200}$/;

export class PollySpeechSynthesizer implements SpeechSynthesizer {
  private loaded?: Promise<{
    polly: PollyClient;
    s3: S3Client;
    pollyMod: PollyModule;
    s3Mod: S3Module;
    presign: typeof import('@aws-sdk/s3-request-presigner').getSignedUrl;
  }>;

  constructor(
    private readonly clients: SpeechClients,
    private readonly opts: PollySpeechOptions,
  ) {}

  async synthesize(text: string, locale: LocaleId, key: string): Promise<{ audioUrl: string }> {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error('unsafe audio key');
    this.loaded ??= Promise.all([
      import('@aws-sdk/client-polly'),
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/s3-request-presigner'),
    ]).then(([pollyMod, s3Mod, presigner]) => ({
      polly: this.clients.polly(pollyMod),
      s3: this.clients.s3(s3Mod),
      pollyMod,
      s3Mod,
      presign: presigner.getSignedUrl,
    }));
    const { polly, s3, pollyMod, s3Mod, presign } = await this.loaded;
    const speech = await polly.send(
      new pollyMod.SynthesizeSpeechCommand({
        Text: text.slice(0, 3000),
        VoiceId: this.opts.voices[locale] as import('@aws-sdk/client-polly').VoiceId,
        Engine: 'neural',
        OutputFormat: 'mp3',
        TextType: 'text',
      }),
    );
    if (!speech.AudioStream) throw new Error('polly returned no audio');
    const body = await speech.AudioStream.transformToByteArray();
    const objectKey = `${this.opts.keyPrefix ?? 'audio/'}${key}.mp3`;
    await s3.send(
      new s3Mod.PutObjectCommand({
        Bucket: this.opts.bucketName,
        Key: objectKey,
        Body: body,
        ContentType: speech.ContentType ?? 'audio/mpeg',
      }),
    );
    const audioUrl = await presign(
      s3,
      new s3Mod.GetObjectCommand({ Bucket: this.opts.bucketName, Key: objectKey }),
      {
        expiresIn: this.opts.urlExpiresInSeconds ?? 900,
      },
    );
    return { audioUrl };
  }
}
