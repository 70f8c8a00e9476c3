/**
 * A Bedrock Knowledge Bases `Retrieve` result as the service returns it: the passage's text,
 * score and S3 location, and the source URI in its metadata (plus any metadata the document set).
 * Shared by the answer adapter's and the suggestions adapter's tests.
 */
import { SOURCE_URI_KEY } from '../../src/adapters/bedrock-knowledge';

export const passage = (text: string, score: number, uri: string, metadata: Record<string, string> = {}) => ({
  content: { type: 'TEXT' as const, text },
  score,
  location: { type: 'S3' as const, s3Location: { uri } },
  metadata: { [SOURCE_URI_KEY]: uri, ...metadata },
});
