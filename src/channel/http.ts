/** The channel's HTTP answers: JSON bodies, and errors as `{ error: { code, message, field? } }`. */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

export const errorResponse = (
  statusCode: number,
  code: string,
  message: string,
  field?: string,
  headers?: Record<string, string>,
): HttpResult => json(statusCode, { error: { code, message, ...(field ? { field } : {}) } }, headers);

/** A client mistake: answered with its status and the field it is about. */
export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
