/**
 * The Lex V2 runtime REST protocol for RecognizeText, served by the local platform:
 * `POST /bots/{botId}/botAliases/{botAliasId}/botLocales/{localeId}/sessions/{sessionId}/text`
 * with the documented JSON body; errors as the REST-JSON protocol reports them (HTTP status,
 * `x-amzn-ErrorType` header, `{ message }` body), so the unmodified AWS SDK client (and any
 * other Lex V2 client) works against it. Request signatures are not checked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LexRuntime } from './lex-runtime';
import { LexError, type RecognizeTextRequest } from './wire';

export const RECOGNIZE_TEXT_PATH =
  /^\/bots\/([^/]+)\/botAliases\/([^/]+)\/botLocales\/([^/]+)\/sessions\/([^/]+)\/text$/;

export function matchRecognizeText(method: string, path: string): RegExpExecArray | null {
  return method === 'POST' ? RECOGNIZE_TEXT_PATH.exec(path) : null;
}

export async function handleRecognizeText(
  lex: LexRuntime,
  match: RegExpExecArray,
  body: string,
  _req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    let parsed: unknown;
    try {
      parsed = body.length ? JSON.parse(body) : {};
    } catch {
      throw new LexError('ValidationException', 'the request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new LexError('ValidationException', 'the request body must be a JSON object');
    }
    const input = parsed as Partial<RecognizeTextRequest>;
    const decode = (s: string): string => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw new LexError('ValidationException', 'malformed URI parameter');
      }
    };
    const request: RecognizeTextRequest = {
      botId: decode(match[1]!),
      botAliasId: decode(match[2]!),
      localeId: decode(match[3]!),
      sessionId: decode(match[4]!),
      text: input.text as string,
      ...(input.sessionState !== undefined ? { sessionState: input.sessionState } : {}),
      ...(input.requestAttributes !== undefined ? { requestAttributes: input.requestAttributes } : {}),
    };
    const response = await lex.recognizeText(request);
    send(res, 200, response);
  } catch (err) {
    const lexError =
      err instanceof LexError ? err : new LexError('InternalServerException', 'the local Lex runtime failed');
    if (!(err instanceof LexError)) console.error('[local-lex] RecognizeText failed:', err);
    send(res, lexError.status, { message: lexError.message }, lexError.name);
  }
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': crypto.randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(payload);
}
