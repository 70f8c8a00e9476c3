/**
 * API Gateway's IAM authorisation and the Cognito Identity stand-in, as the local router uses
 * them. Two modes (LOCAL_AUTH, docs/local-platform.md):
 *   unsigned (default)  a request with no `Authorization` header is an IAM user of the local
 *                       account (`local-developer`, or the name in `x-local-identity`): curl, the
 *                       load tests and the e2e tests call unsigned, as the load test calls a stage
 *                       with its IAM role. A request that IS signed is verified all the same.
 *   sigv4               every conversation request must be signed with credentials the Cognito
 *                       stand-in issued, as on a deployed stage (the widget's mode).
 * A refused request is 403 `{"message": ...}` with `x-amzn-errortype`, as API Gateway answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCAL_IDENTITY_PATH } from '../../contracts/web-config';
import type { IamAuthorizerContext } from '../../src/channel/identity';
import { handleCognitoIdentity } from './cognito-http';
import { LocalIdentityPool, unsignedCaller } from './identities';
import { verifySigV4 } from './sigv4';

export type LocalAuthMode = 'unsigned' | 'sigv4';
export const LOCAL_AUTH_MODES: readonly LocalAuthMode[] = ['unsigned', 'sigv4'];

export class LocalAuth {
  readonly pool: LocalIdentityPool;

  constructor(
    readonly mode: LocalAuthMode,
    readonly region: string,
    opts: { now?: () => number; credentialsTtlMs?: number } = {},
  ) {
    this.pool = new LocalIdentityPool({ region, ...opts });
    this.now = opts.now ?? Date.now;
  }

  private readonly now: () => number;

  /** Whether a request is for the Cognito Identity stand-in. */
  isIdentityRequest(method: string, path: string): boolean {
    return (
      method === 'POST' && (path === LOCAL_IDENTITY_PATH || path === LOCAL_IDENTITY_PATH.replace(/\/$/, ''))
    );
  }

  identity(req: IncomingMessage, body: string, res: ServerResponse): void {
    handleCognitoIdentity(this.pool, req, body, res);
  }

  /** The authoriser context of an accepted request, or API Gateway's 403 (already sent). */
  async authorize(
    req: IncomingMessage,
    body: string,
    res: ServerResponse,
  ): Promise<IamAuthorizerContext | undefined> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
    }
    if (!headers.authorization && this.mode === 'unsigned')
      return unsignedCaller(headers['x-local-identity']);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (query[k] = v));
    const rawPath = (req.url ?? '/').split('?')[0]!;
    const verdict = await verifySigV4(
      { method: req.method ?? 'POST', path: rawPath, query, headers, body },
      this.pool,
      { region: this.region, now: this.now },
    );
    if (verdict.ok) return verdict.authorizer;
    const payload = JSON.stringify({ message: verdict.message });
    res.writeHead(verdict.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-errortype': verdict.errorType,
    });
    res.end(payload);
    return undefined;
  }

  /** The substitution line printed at start-up. */
  line(url: string): string {
    const how =
      this.mode === 'sigv4'
        ? 'LOCAL_AUTH=sigv4: every conversation request must be SigV4-signed (execute-api) with issued credentials, else 403'
        : 'LOCAL_AUTH=unsigned (default): unsigned requests are IAM user local-developer (or x-local-identity), signed ones are verified';
    return `Cognito + IAM auth   -> guest identities at ${url}${LOCAL_IDENTITY_PATH} (GetId, GetCredentialsForIdentity; pool ${this.pool.poolId}); ${how}; signatures recomputed with @smithy/signature-v4, region ${this.region}`;
  }
}

/** LOCAL_AUTH -> the mode; one line naming the variable when it is none of them. */
export function parseAuthMode(raw: string | undefined): LocalAuthMode {
  if (raw === undefined || raw === '') return 'unsigned';
  if ((LOCAL_AUTH_MODES as readonly string[]).includes(raw)) return raw as LocalAuthMode;
  throw new Error(`must be one of ${LOCAL_AUTH_MODES.join(', ')}, got "${raw}"`);
}
