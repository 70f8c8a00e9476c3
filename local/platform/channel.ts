/**
 * The REAL channel Lambda handler (src/handlers/channel.ts), its Lex client pointed at the
 * local platform's own Lex runtime.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LocaleId } from '../../contracts/bot-model/types';
import { METRIC_NAMESPACE } from '../../contracts/metrics';
import { hasAwsCredentials } from './adapters';
import type { ChannelHandler } from './router';
import { LOCAL_BOT_ALIAS_ID, LOCAL_BOT_ID } from './types';

/** The channel module reads its Lex endpoint at import; remember which platform it was bound to. */
let channelModuleBoundTo: string | undefined;

/**
 * Imports the channel Lambda module with its environment pointing at this server (bot ids,
 * locales, LEX_ENDPOINT_URL, a region and, without real credentials, dummy ones: the local Lex
 * runtime does not check signatures). The module builds its Lex client at import, so a second
 * platform in the same process (tests) gets the same handler factory with its own client.
 */
export async function loadChannelHandler(url: string, locales: readonly LocaleId[]): Promise<ChannelHandler> {
  const { ChannelEnv } = await import('../../contracts/runtime-env');
  process.env.AWS_REGION ??= 'us-east-1';
  if (!hasAwsCredentials()) {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
  }
  if (channelModuleBoundTo === undefined) {
    process.env.LEX_ENDPOINT_URL = url;
    process.env[ChannelEnv.BOT_ID] = LOCAL_BOT_ID;
    process.env[ChannelEnv.BOT_ALIAS_ID] = LOCAL_BOT_ALIAS_ID;
    process.env[ChannelEnv.BOT_LOCALES] = locales.join(',');
    process.env[ChannelEnv.ENVIRONMENT] = 'local';
    channelModuleBoundTo = url;
    const mod = await import('../../src/handlers/channel');
    return mod.handler as ChannelHandler;
  }
  const [{ createChannelHandler }, { LexRuntimeV2Client }, { Metrics }] = await Promise.all([
    import('../../src/channel/create-handler'),
    import('@aws-sdk/client-lex-runtime-v2'),
    import('@aws-lambda-powertools/metrics'),
  ]);
  const handler = createChannelHandler({
    lex: new LexRuntimeV2Client({ endpoint: url, region: process.env.AWS_REGION }),
    botId: LOCAL_BOT_ID,
    botAliasId: LOCAL_BOT_ALIAS_ID,
    locales: [...locales],
    logger: new Logger({ serviceName: 'channel' }),
    metrics: new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'channel' }),
  });
  return (event) => handler(event);
}
