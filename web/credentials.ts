/**
 * Temporary AWS credentials for the page from a Cognito identity pool, over `fetch` with the
 * AWS JSON 1.1 protocol (no SDK client: bytes matter): `GetId` once per browser (the guest's
 * identity id is kept in localStorage, so the conversations it owns stay its own after a
 * reload), then `GetCredentialsForIdentity`, cached until shortly before they expire. With an id
 * token from the host page (signed-in customers) both calls carry it as the user pool login.
 * Both calls are unsigned: Cognito allows them for an identity pool's own identities.
 */
import type { KeyValueStorage } from './history';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export interface CognitoOptions {
  readonly region: string;
  readonly identityPoolId: string;
  /** @default https://cognito-identity.{region}.amazonaws.com/ */
  readonly endpoint?: string;
  readonly storage?: KeyValueStorage;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/** Credentials are renewed this long before they expire. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export class CognitoError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class CognitoCredentials {
  private logins: Record<string, string> | undefined;
  private cached: AwsCredentials | undefined;
  private pending: Promise<AwsCredentials> | undefined;
  private identity: string | undefined;
  private readonly endpoint: string;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly opts: CognitoOptions) {
    this.endpoint = opts.endpoint ?? `https://cognito-identity.${opts.region}.amazonaws.com/`;
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.now = opts.now ?? Date.now;
  }

  /** The identity the credentials belong to (known after the first `get`). */
  get identityId(): string | undefined {
    return this.identity;
  }

  /**
   * Signs in (`{ "cognito-idp.{region}.amazonaws.com/{userPoolId}": idToken }`) or back out
   * (undefined): the next `get` asks for the identity and credentials again.
   */
  setLogins(logins: Record<string, string> | undefined): void {
    this.logins = logins && Object.keys(logins).length ? { ...logins } : undefined;
    this.cached = undefined;
    this.pending = undefined;
    this.identity = undefined;
  }

  /** Credentials valid for at least REFRESH_MARGIN_MS; one request in flight at a time. */
  async get(): Promise<AwsCredentials> {
    if (this.cached && this.cached.expiration.getTime() - this.now() > REFRESH_MARGIN_MS) return this.cached;
    this.pending ??= this.fetchCredentials().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchCredentials(): Promise<AwsCredentials> {
    const logins = this.logins;
    let identityId = this.identity ?? (logins ? undefined : this.storedGuest());
    let fresh = false;
    if (!identityId) {
      identityId = await this.getId(logins);
      fresh = true;
    }
    let out: Awaited<ReturnType<CognitoCredentials['getCredentials']>>;
    try {
      out = await this.getCredentials(identityId, logins);
    } catch (err) {
      // a stored guest identity the pool no longer knows (or no longer lets in): start again
      const code = (err as CognitoError).code;
      if (fresh || (code !== 'ResourceNotFoundException' && code !== 'NotAuthorizedException')) throw err;
      identityId = await this.getId(logins);
      out = await this.getCredentials(identityId, logins);
    }
    if (logins !== this.logins)
      throw new CognitoError('Superseded', 'signed in or out while fetching credentials');
    this.identity = out.identityId;
    if (!logins) this.storeGuest(out.identityId);
    this.cached = out.credentials;
    return out.credentials;
  }

  private async getId(logins: Record<string, string> | undefined): Promise<string> {
    const body = await this.call('GetId', {
      IdentityPoolId: this.opts.identityPoolId,
      ...(logins ? { Logins: logins } : {}),
    });
    if (typeof body.IdentityId !== 'string')
      throw new CognitoError('InvalidResponse', 'GetId: no IdentityId');
    return body.IdentityId;
  }

  private async getCredentials(
    identityId: string,
    logins: Record<string, string> | undefined,
  ): Promise<{ identityId: string; credentials: AwsCredentials }> {
    const body = await this.call('GetCredentialsForIdentity', {
      IdentityId: identityId,
      ...(logins ? { Logins: logins } : {}),
    });
    const c = body.Credentials as Record<string, unknown> | undefined;
    if (
      typeof c?.AccessKeyId !== 'string' ||
      typeof c.SecretKey !== 'string' ||
      typeof c.SessionToken !== 'string' ||
      typeof c.Expiration !== 'number'
    )
      throw new CognitoError('InvalidResponse', 'GetCredentialsForIdentity: incomplete Credentials');
    return {
      identityId: typeof body.IdentityId === 'string' ? body.IdentityId : identityId,
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretKey,
        sessionToken: c.SessionToken,
        // AWS JSON 1.1 timestamps are epoch seconds
        expiration: new Date(c.Expiration * 1000),
      },
    };
  }

  private async call(operation: string, input: unknown): Promise<Record<string, unknown>> {
    const res = await this.fetchFn(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityService.${operation}`,
      },
      body: JSON.stringify(input),
    });
    let body: Record<string, unknown> = {};
    try {
      body = (await res.json()) as Record<string, unknown>;
    } catch {
      // not JSON: the status says what went wrong
    }
    if (!res.ok) {
      const type = String(body.__type ?? body.code ?? `HTTP${res.status}`);
      const code = type.includes('#') ? type.slice(type.lastIndexOf('#') + 1) : type;
      throw new CognitoError(code, `${operation}: ${String(body.message ?? body.Message ?? res.status)}`);
    }
    return body;
  }

  private guestKey(): string {
    return `conversational-chat:v1:identity:${this.opts.identityPoolId}`;
  }

  private storedGuest(): string | undefined {
    try {
      return this.opts.storage?.getItem(this.guestKey()) ?? undefined;
    } catch {
      return undefined;
    }
  }

  private storeGuest(identityId: string): void {
    try {
      this.opts.storage?.setItem(this.guestKey(), identityId);
    } catch {
      // without storage the guest gets a new identity next time
    }
  }
}

/** The identity pool login key of a Cognito user pool's id tokens. */
export const userPoolLogin = (region: string, userPoolId: string): string =>
  `cognito-idp.${region}.amazonaws.com/${userPoolId}`;

/**
 * The `sub` claim of an id token, read only to tell one signed-in user from another in this
 * browser's history (not a verification: Cognito verifies the token when it issues credentials).
 */
export function tokenSubject(token: string): string | undefined {
  try {
    const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const sub = (JSON.parse(atob(payload)) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}
