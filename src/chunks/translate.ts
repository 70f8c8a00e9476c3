/** Chunk: Amazon Translate, for turns in a language that is not a bot locale. */
export { TranslateClient, TranslateTextCommand } from '@aws-sdk/client-translate';
