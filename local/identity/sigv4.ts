/**
 * What API Gateway's IAM authorisation does with a request, locally: parse the SigV4
 * `Authorization` header, find the credentials the local identity pool issued under its access
 * key, check scope (service `execute-api`, the region, the date), expiry and session token, and
 * RECOMPUTE the signature with the same library the clients sign with (@smithy/signature-v4) over
 * the request as it arrived: method, path, query, the signed headers, and the body's SHA-256. A
 * mismatch is 403 with API Gateway's body (`{"message": ...}`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IamAuthorizerContext } from '../../src/channel/identity';
import type { LocalIdentityPool } from './identities';

export const SIGNING_SERVICE = 'execute-api';
/** How far a request's x-amz-date may be from the clock (AWS: 15 minutes). */
const MAX_SKEW_MS = 15 * 60_000;

export interface ArrivedRequest {
  readonly method: string;
  /** The path as sent (percent-encoded), without the query. */
  readonly path: string;
  readonly query: Record<string, string>;
  /** Lower-case header names. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type Verdict =
  | { readonly ok: true; readonly authorizer: IamAuthorizerContext }
  | { readonly ok: false; readonly status: 403; readonly errorType: string; readonly message: string };

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;

const deny = (errorType: string, message: string): Verdict => ({
  ok: false,
  status: 403,
  errorType,
  message,
});
/** What API Gateway answers when a request carries no usable signature. */
export const FORBIDDEN = 'Forbidden';
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** x-amz-date (20240102T030405Z) -> Date, or undefined. */
function amzDate(value: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

export async function verifySigV4(
  req: ArrivedRequest,
  pool: LocalIdentityPool,
  opts: { region: string; now?: () => number },
): Promise<Verdict> {
  const now = (opts.now ?? Date.now)();
  const header = req.headers.authorization;
  if (!header) return deny('MissingAuthenticationTokenException', FORBIDDEN);
  const m = AUTH.exec(header.trim());
  if (!m) return deny('IncompleteSignatureException', FORBIDDEN);
  const [, accessKeyId, scopeDate, region, service, signedList, signature] = m as unknown as string[];
  const signed = signedList!.split(';');
  const date = amzDate(req.headers['x-amz-date']);
  if (!date || !signed.includes('host') || !signed.includes('x-amz-date'))
    return deny('IncompleteSignatureException', FORBIDDEN);
  if (service !== SIGNING_SERVICE || region !== opts.region)
    return deny(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region and service ${SIGNING_SERVICE}.`,
    );
  if (scopeDate !== req.headers['x-amz-date']!.slice(0, 8))
    return deny('InvalidSignatureException', 'Credential should be scoped to the date of x-amz-date.');
  if (Math.abs(now - date.getTime()) > MAX_SKEW_MS)
    return deny(
      'InvalidSignatureException',
      'Signature expired: the request date is more than 15 minutes from the server time.',
    );
  const issued = pool.lookup(accessKeyId!);
  if (!issued)
    return deny('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (issued.expiration.getTime() <= now)
    return deny('ExpiredTokenException', 'The security token included in the request is expired');
  if (req.headers['x-amz-security-token'] !== issued.sessionToken || !signed.includes('x-amz-security-token'))
    return deny('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const bodyHash = createHash('sha256').update(req.body, 'utf8').digest('hex');
  const claimedHash = req.headers['x-amz-content-sha256'];
  if (claimedHash !== undefined && claimedHash !== bodyHash)
    return deny('InvalidSignatureException', MISMATCH);

  // the signed headers as they arrived (the payload hash as the body really is)
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value =
      name === 'x-amz-content-sha256' && claimedHash !== undefined ? claimedHash : req.headers[name];
    if (value === undefined) return deny('IncompleteSignatureException', FORBIDDEN);
    headers[name] = value;
  }
  const host = headers.host!;
  const signer = new SignatureV4({
    service: SIGNING_SERVICE,
    region: opts.region,
    credentials: {
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
    },
    sha256: Sha256,
    applyChecksum: signed.includes('x-amz-content-sha256'),
  });
  const recomputed = await signer.sign(
    {
      method: req.method.toUpperCase(),
      protocol: 'http:',
      hostname: host.replace(/:\d+$/, ''),
      path: req.path,
      query: req.query,
      headers,
      body: req.body,
    },
    { signingDate: date, signableHeaders: new Set(signed) },
  );
  const theirs = Buffer.from(signature!, 'hex');
  const ours = Buffer.from(
    /Signature=([0-9a-f]{64})/.exec(String(recomputed.headers.authorization))?.[1] ?? '',
    'hex',
  );
  const ourList = /SignedHeaders=([^,]+)/.exec(String(recomputed.headers.authorization))?.[1];
  if (ours.length !== theirs.length || !timingSafeEqual(ours, theirs) || ourList !== signedList)
    return deny('InvalidSignatureException', MISMATCH);
  return { ok: true, authorizer: pool.authorizerFor(issued) };
}
