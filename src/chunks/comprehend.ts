/**
 * Chunk: Amazon Comprehend. Lex sends each turn's sentiment, so Comprehend is only the fallback
 * for sentiment and the language detector for turns that may be in another language.
 */
export {
  ComprehendClient,
  DetectDominantLanguageCommand,
  DetectSentimentCommand,
} from '@aws-sdk/client-comprehend';
