/**
 * The local identity pool: guest identities and the temporary credentials issued for them (what
 * Cognito Identity's GetId and GetCredentialsForIdentity hand a browser), remembered so the local
 * API Gateway can verify a request's SigV4 signature and say who signed it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { localIdentityPoolId } from '../../contracts/web-config';
import type { IamAuthorizerContext } from '../../src/channel/identity';

/** The account the local platform pretends to be (as in its Lambda context). */
export const LOCAL_ACCOUNT_ID = '000000000000';

export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly identityId: string;
}

export interface LocalIdentityPoolOptions {
  /** The region identity ids and the pool id are in (the signing region). */
  readonly region: string;
  /** How long issued credentials last. @default 1 hour (Cognito's) */
  readonly credentialsTtlMs?: number;
  readonly now?: () => number;
}

export class LocalIdentityPool {
  /** What config.json names as identityPoolId locally (contracts/web-config.ts). */
  readonly poolId: string;
  private readonly identities = new Set<string>();
  private readonly credentials = new Map<string, IssuedCredentials>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(readonly opts: LocalIdentityPoolOptions) {
    this.poolId = localIdentityPoolId(opts.region);
    this.ttlMs = opts.credentialsTtlMs ?? 3600_000;
    this.now = opts.now ?? Date.now;
  }

  /** A new guest identity id (`<region>:<uuid>`, Cognito's shape). */
  newIdentity(): string {
    const id = `${this.opts.region}:${randomUUID()}`;
    this.identities.add(id);
    return id;
  }

  has(identityId: string): boolean {
    return this.identities.has(identityId);
  }

  /** Temporary credentials for a known identity (an unknown one is undefined). */
  issue(identityId: string): IssuedCredentials | undefined {
    if (!this.identities.has(identityId)) return undefined;
    this.prune();
    const issued: IssuedCredentials = {
      accessKeyId: `ASIALOCAL${randomBytes(6).toString('hex').toUpperCase()}`.slice(0, 20),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
      expiration: new Date(this.now() + this.ttlMs),
      identityId,
    };
    this.credentials.set(issued.accessKeyId, issued);
    return issued;
  }

  /** What was issued under an access key id (expired ones too: the caller says "expired"). */
  lookup(accessKeyId: string): IssuedCredentials | undefined {
    return this.credentials.get(accessKeyId);
  }

  /** The IAM authoriser context API Gateway puts in the event for a guest of this pool. */
  authorizerFor(issued: IssuedCredentials): IamAuthorizerContext {
    const roleSession = 'AROALOCALGUEST:CognitoIdentityCredentials';
    return {
      accessKey: issued.accessKeyId,
      accountId: LOCAL_ACCOUNT_ID,
      callerId: roleSession,
      principalOrgId: null,
      userArn: `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/LocalGuestRole/CognitoIdentityCredentials`,
      userId: roleSession,
      cognitoIdentity: {
        amr: ['unauthenticated'],
        identityId: issued.identityId,
        identityPoolId: this.poolId,
      },
    };
  }

  /** Forgets credentials that expired more than an hour ago (bounded memory). */
  private prune(): void {
    const cutoff = this.now() - 3600_000;
    for (const [key, c] of this.credentials)
      if (c.expiration.getTime() < cutoff) this.credentials.delete(key);
  }
}

/** An unsigned local caller: an IAM user of the local account (`x-local-identity` names it). */
export function unsignedCaller(name: string | undefined): IamAuthorizerContext {
  const user = name && /^[\w+=,.@-]{1,64}$/.test(name) ? name : 'local-developer';
  return {
    accessKey: 'AKIALOCALUNSIGNED',
    accountId: LOCAL_ACCOUNT_ID,
    callerId: `AIDALOCAL${user}`,
    principalOrgId: null,
    userArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/${user}`,
    userId: `AIDALOCAL${user}`,
    cognitoIdentity: null,
  };
}
