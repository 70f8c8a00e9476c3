/**
 * The conversation API as the widget calls it (README, "The conversation API"): a message, and
 * feedback on an answer, each request SigV4-signed with the identity pool's credentials.
 */
import type { FeedbackRequest, MessageRequest, MessageResponse } from '../contracts/conversation-api';
import type { CognitoCredentials } from './credentials';
import { retryAfterMs } from './retry';
import { signRequest } from './signer';

/** A request the API (or the network) refused: what the customer is told and when to retry. */
export class ApiError extends Error {
  constructor(
    /** HTTP status, 0 for a network failure. */
    readonly status: number,
    readonly code: string,
    message: string,
    /** How long to wait before retrying (Retry-After), ms. */
    readonly retryAfterMs: number,
  ) {
    super(message);
  }

  /** Worth retrying the same request: throttled, busy, unavailable, or the network. */
  get retryable(): boolean {
    return (
      this.status === 0 ||
      this.status === 408 ||
      this.status === 409 ||
      this.status === 429 ||
      this.status >= 500
    );
  }
}

export interface ChatApiOptions {
  readonly apiUrl: string;
  readonly region: string;
  readonly credentials: Pick<CognitoCredentials, 'get'>;
  readonly fetch?: typeof fetch;
}

export class ChatApi {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly opts: ChatApiOptions) {
    this.base = opts.apiUrl.replace(/\/+$/, '');
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  sendMessage(conversationId: string, request: MessageRequest): Promise<MessageResponse> {
    return this.post(
      `/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
      request,
    ) as Promise<MessageResponse>;
  }

  async sendFeedback(conversationId: string, feedback: FeedbackRequest): Promise<void> {
    await this.post(`/v1/conversations/${encodeURIComponent(conversationId)}/feedback`, feedback);
  }

  private async post(path: string, payload: unknown): Promise<unknown> {
    const url = this.base + path;
    const body = JSON.stringify(payload);
    let res: Response;
    try {
      const credentials = await this.opts.credentials.get();
      const headers = await signRequest(
        { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
        credentials,
        this.opts.region,
      );
      res = await this.fetchFn(url, { method: 'POST', headers, body, credentials: 'omit' });
    } catch (err) {
      throw new ApiError(0, 'NETWORK', (err as Error).message || 'network error', 0);
    }
    let parsed: unknown = undefined;
    try {
      parsed = res.status === 204 ? undefined : await res.json();
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(
        res.status,
        error?.code ?? `HTTP_${res.status}`,
        error?.message ?? (parsed as { message?: string } | undefined)?.message ?? `HTTP ${res.status}`,
        retryAfterMs(res.headers.get('retry-after')),
      );
    }
    return parsed;
  }
}
