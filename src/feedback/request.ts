/**
 * The body of a feedback request (contracts/conversation-api.ts `FeedbackRequest`), validated
 * field by field: a client mistake is a RequestError naming the field (4xx), never a 5xx.
 */
import type { FeedbackRequest } from '../../contracts/conversation-api';
import { jsonObjectOf } from '../channel/request';
import { RequestError } from '../channel/http';
import { characterCount } from '../util/characters';

/** A comment longer than this is refused (characters = Unicode code points). */
export const MAX_COMMENT_CHARACTERS = 1000;
/** Turn numbers above this are not turns of a real conversation. */
const MAX_TURN = 100_000;

export function parseFeedbackRequest(rawBody: string | undefined): FeedbackRequest {
  const b = jsonObjectOf(rawBody);
  if (!Number.isInteger(b.turn) || (b.turn as number) < 1 || (b.turn as number) > MAX_TURN) {
    throw new RequestError(400, 'INVALID_TURN', `turn must be an integer from 1 to ${MAX_TURN}`, 'turn');
  }
  if (typeof b.helpful !== 'boolean') {
    throw new RequestError(400, 'INVALID_HELPFUL', 'helpful must be true or false', 'helpful');
  }
  const request: { -readonly [K in keyof FeedbackRequest]: FeedbackRequest[K] } = {
    turn: b.turn as number,
    helpful: b.helpful,
  };
  if (b.rating !== undefined && b.rating !== null) {
    if (!Number.isInteger(b.rating) || (b.rating as number) < 1 || (b.rating as number) > 5) {
      throw new RequestError(400, 'INVALID_RATING', 'rating must be an integer from 1 to 5', 'rating');
    }
    request.rating = b.rating as number;
  }
  if (b.comment !== undefined && b.comment !== null) {
    if (typeof b.comment !== 'string') {
      throw new RequestError(400, 'INVALID_COMMENT', 'comment must be a string', 'comment');
    }
    const comment = b.comment.trim();
    if (characterCount(comment) > MAX_COMMENT_CHARACTERS) {
      throw new RequestError(
        400,
        'COMMENT_TOO_LONG',
        `comment must be at most ${MAX_COMMENT_CHARACTERS} characters`,
        'comment',
      );
    }
    if (comment) request.comment = comment;
  }
  return request;
}
