/**
 * The two Amazon Cognito Identity calls a guest's browser makes, locally (AWS JSON 1.1 protocol:
 * POST with `X-Amz-Target: AWSCognitoIdentityService.<Operation>`, unsigned):
 *   GetId                     {IdentityPoolId}  -> {IdentityId}
 *   GetCredentialsForIdentity {IdentityId}      -> {IdentityId, Credentials: {AccessKeyId, SecretKey,
 *                                                   SessionToken, Expiration (epoch seconds)}}
 * Errors as the service sends them: 400 with `x-amzn-errortype` and `{"__type", "message"}`.
 * Guests only: a request with `Logins` (a signed-in user) is refused, there is no user pool locally.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalIdentityPool } from './identities';

const TARGET_PREFIX = 'AWSCognitoIdentityService.';
const JSON_11 = 'application/x-amz-json-1.1';

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(payload);
}

const fail = (res: ServerResponse, type: string, message: string, status = 400): void =>
  send(res, status, { __type: type, message }, type);

/** Answers one Cognito Identity request (the caller routed POST <LOCAL_IDENTITY_PATH> here). */
export function handleCognitoIdentity(
  pool: LocalIdentityPool,
  req: IncomingMessage,
  body: string,
  res: ServerResponse,
): void {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (!target.startsWith(TARGET_PREFIX)) {
    fail(res, 'UnknownOperationException', 'X-Amz-Target must name an AWSCognitoIdentityService operation');
    return;
  }
  let input: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body || '{}');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    input = parsed as Record<string, unknown>;
  } catch {
    fail(res, 'SerializationException', 'the body is not a JSON object');
    return;
  }
  if (input.Logins !== undefined && Object.keys(input.Logins as object).length > 0) {
    fail(res, 'NotAuthorizedException', 'the local identity pool has guests only (no user pool locally)');
    return;
  }
  const operation = target.slice(TARGET_PREFIX.length);
  if (operation === 'GetId') {
    if (input.IdentityPoolId !== pool.poolId) {
      fail(res, 'ResourceNotFoundException', `IdentityPool '${String(input.IdentityPoolId)}' not found.`);
      return;
    }
    send(res, 200, { IdentityId: pool.newIdentity() });
    return;
  }
  if (operation === 'GetCredentialsForIdentity') {
    const identityId = typeof input.IdentityId === 'string' ? input.IdentityId : '';
    const issued = pool.issue(identityId);
    if (!issued) {
      fail(res, 'ResourceNotFoundException', 'Identity not found.');
      return;
    }
    send(res, 200, {
      IdentityId: issued.identityId,
      Credentials: {
        AccessKeyId: issued.accessKeyId,
        SecretKey: issued.secretAccessKey,
        SessionToken: issued.sessionToken,
        Expiration: Math.floor(issued.expiration.getTime() / 1000),
      },
    });
    return;
  }
  fail(
    res,
    'UnknownOperationException',
    `the local stand-in answers GetId and GetCredentialsForIdentity, not ${operation}`,
  );
}
