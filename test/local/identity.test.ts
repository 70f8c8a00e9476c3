/**
 * The local Cognito Identity stand-in and API Gateway's IAM auth, over HTTP against a started
 * platform in strict mode (LOCAL_AUTH=sigv4) and in the default unsigned mode: a guest gets an
 * identity and temporary credentials as the browser does (AWS JSON 1.1), signs with SigV4
 * (@smithy/signature-v4, through the load tests' signer), and the platform recomputes the
 * signature with the same library: a correct one passes with the guest's identity in the event
 * (so the channel binds the conversation to it), a tampered body, a wrong secret, an unsigned
 * request or expired credentials are 403 as API Gateway answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { LOCAL_IDENTITY_PATH, localIdentityPoolId } from '../../contracts/web-config';
import { DEV } from '../../lib/config/environments';
import { verifySigV4 } from '../../local/identity/sigv4';
import { deleteKeysWithPrefix } from '../../local/stores/redis';
import { startLocalPlatform, type LocalPlatform } from '../../local/server';
import { signRequest, type AwsCredentials } from '../../load-tests/auth';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PREFIX = `test:identity:${process.pid}-${Date.now()}:`;
const REGION = DEV.region;
let strict: LocalPlatform;
let open: LocalPlatform;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-identity-'));
  [strict, open] = await Promise.all([
    startLocalPlatform({
      port: 0,
      quiet: true,
      dataDir: join(dataDir, 's'),
      redisKeyPrefix: `${PREFIX}s:`,
      auth: 'sigv4',
    }),
    startLocalPlatform({ port: 0, quiet: true, dataDir: join(dataDir, 'o'), redisKeyPrefix: `${PREFIX}o:` }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([strict?.stop(), open?.stop()]);
  const redis = new Redis('redis://127.0.0.1:6379');
  await deleteKeysWithPrefix(redis, PREFIX);
  redis.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

/** One AWS JSON 1.1 call to the stand-in, as a browser's fetch sends it. */
async function cognito(platform: LocalPlatform, operation: string, input: unknown) {
  const res = await fetch(`${platform.url}${LOCAL_IDENTITY_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityService.${operation}`,
    },
    body: JSON.stringify(input),
  });
  return {
    status: res.status,
    type: res.headers.get('x-amzn-errortype'),
    body: (await res.json()) as Json,
  };
}

/** A guest's identity and credentials, as the widget gets them. */
async function guestCredentials(platform: LocalPlatform): Promise<AwsCredentials & { identityId: string }> {
  const id = await cognito(platform, 'GetId', { IdentityPoolId: localIdentityPoolId(REGION) });
  const out = await cognito(platform, 'GetCredentialsForIdentity', { IdentityId: id.body.IdentityId });
  const c = out.body.Credentials;
  return {
    identityId: out.body.IdentityId,
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretKey,
    sessionToken: c.SessionToken,
    expiration: new Date(c.Expiration * 1000),
  };
}

/** POSTs a message signed with `credentials` (the body sent may differ from the body signed). */
async function signedPost(
  platform: LocalPlatform,
  conversationId: string,
  credentials: AwsCredentials,
  body: string,
  opts: { sentBody?: string } = {},
) {
  const url = `${platform.url}/v1/conversations/${conversationId}/messages`;
  const headers = await signRequest(
    { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
    credentials,
    { region: REGION },
  );
  const res = await fetch(url, { method: 'POST', headers, body: opts.sentBody ?? body });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}

const hello = JSON.stringify({ text: 'hello', locale: 'en_US' });

describe('the Cognito Identity stand-in', () => {
  test('GIVEN the local pool id WHEN GetId then GetCredentialsForIdentity THEN a <region>:<uuid> identity and credentials that expire in an hour', async () => {
    const c = await guestCredentials(strict);

    expect(c.identityId).toMatch(new RegExp(`^${REGION}:[0-9a-f-]{36}$`));
    expect(c.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(c.secretAccessKey.length).toBeGreaterThanOrEqual(40);
    expect(c.sessionToken!.length).toBeGreaterThan(40);
    expect(c.expiration!.getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(c.expiration!.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
  });

  test('GIVEN a wrong pool, an unknown identity, Logins or an unknown operation WHEN called THEN 400 with the service error type', async () => {
    const wrongPool = await cognito(strict, 'GetId', { IdentityPoolId: 'us-east-1:nope' });
    const unknown = await cognito(strict, 'GetCredentialsForIdentity', { IdentityId: `${REGION}:nope` });
    const logins = await cognito(strict, 'GetId', {
      IdentityPoolId: localIdentityPoolId(REGION),
      Logins: { 'cognito-idp.us-east-1.amazonaws.com/x': 'token' },
    });
    const op = await cognito(strict, 'DeleteIdentities', {});

    expect([wrongPool, unknown, logins, op].map((r) => [r.status, r.type, r.body.__type])).toEqual([
      [400, 'ResourceNotFoundException', 'ResourceNotFoundException'],
      [400, 'ResourceNotFoundException', 'ResourceNotFoundException'],
      [400, 'NotAuthorizedException', 'NotAuthorizedException'],
      [400, 'UnknownOperationException', 'UnknownOperationException'],
    ]);
  });
});

describe('strict SigV4 (LOCAL_AUTH=sigv4)', () => {
  test('GIVEN issued credentials WHEN a message is signed with them THEN it passes as that guest, and another guest gets 404 on the conversation', async () => {
    const alice = await guestCredentials(strict);
    const bob = await guestCredentials(strict);
    const id = `conv-sig-${Date.now()}`;

    const ok = await signedPost(strict, id, alice, hello);
    const other = await signedPost(strict, id, bob, hello);
    const again = await signedPost(strict, id, alice, hello);

    expect(ok.status).toBe(200);
    expect(ok.body.conversationId).toBe(id);
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ error: { code: 'NOT_FOUND', message: 'no such conversation' } });
    expect(again.status).toBe(200);
  });

  test('GIVEN a signed request WHEN its body is changed after signing THEN 403 with the signature-mismatch message, never reaching the channel', async () => {
    const c = await guestCredentials(strict);

    const res = await signedPost(strict, `conv-tamper-${Date.now()}`, c, hello, {
      sentBody: JSON.stringify({ text: 'hellp', locale: 'en_US' }),
    });

    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/^The request signature we calculated does not match/);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });

  test('GIVEN the right access key WHEN signed with a wrong secret THEN 403', async () => {
    const c = await guestCredentials(strict);

    const res = await signedPost(
      strict,
      `conv-secret-${Date.now()}`,
      { ...c, secretAccessKey: `${c.secretAccessKey}x` },
      hello,
    );

    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/signature we calculated does not match/);
  });

  test('GIVEN credentials the stand-in never issued, or another session token WHEN signed THEN 403 invalid token', async () => {
    const c = await guestCredentials(strict);

    const forged = await signedPost(
      strict,
      `conv-forged-${Date.now()}`,
      { ...c, accessKeyId: 'ASIAFORGEDFORGED0000' },
      hello,
    );
    const token = await signedPost(
      strict,
      `conv-token-${Date.now()}`,
      { ...c, sessionToken: 'not-the-token' },
      hello,
    );

    expect([forged.status, forged.body]).toEqual([
      403,
      { message: 'The security token included in the request is invalid.' },
    ]);
    expect(token.status).toBe(403);
  });

  test('GIVEN no signature WHEN posted in strict mode THEN 403 {"message":"Forbidden"} as API Gateway answers', async () => {
    const res = await fetch(`${strict.url}/v1/conversations/conv-unsigned/messages`, {
      method: 'POST',
      body: hello,
    });

    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Forbidden' });
  });

  test('GIVEN expired credentials WHEN a request signed with them is verified THEN 403 expired, recomputed by the same verifier', async () => {
    const c = await guestCredentials(strict);
    const url = `${strict.url}/v1/conversations/conv-expired/messages`;
    const signedAt = new Date(c.expiration!.getTime() + 60_000);
    const headers = await signRequest({ method: 'POST', url, headers: {}, body: hello }, c, {
      region: REGION,
      signingDate: signedAt,
    });
    const arrived = {
      method: 'POST',
      path: '/v1/conversations/conv-expired/messages',
      query: {},
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      body: hello,
    };

    const expired = await verifySigV4(arrived, strict.auth.pool, {
      region: REGION,
      now: () => signedAt.getTime(),
    });
    const valid = await verifySigV4(arrived, strict.auth.pool, {
      region: REGION,
      now: () => c.expiration!.getTime() - 1000,
    });

    expect(expired).toEqual({
      ok: false,
      status: 403,
      errorType: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
    // the same request a second before expiry would have passed the recomputation: signature,
    // clock skew apart (signed 61 s after that moment, within 15 minutes)
    expect(valid.ok).toBe(true);
  });
});

describe('unsigned mode (the default)', () => {
  test('GIVEN no signature WHEN posted THEN it passes as the local IAM user, and x-local-identity names another caller who gets 404 on it', async () => {
    const id = `conv-open-${Date.now()}`;
    const post = (headers: Record<string, string> = {}) =>
      fetch(`${open.url}/v1/conversations/${id}/messages`, { method: 'POST', headers, body: hello });

    expect((await post()).status).toBe(200);
    expect((await post({ 'x-local-identity': 'someone-else' })).status).toBe(404);
    expect((await post()).status).toBe(200);
  });

  test('GIVEN a signed request with a wrong secret WHEN posted in unsigned mode THEN it is still verified: 403', async () => {
    const c = await guestCredentials(open);

    const bad = await signedPost(
      open,
      `conv-open-bad-${Date.now()}`,
      { ...c, secretAccessKey: 'wrong' },
      hello,
    );
    const good = await signedPost(open, `conv-open-good-${Date.now()}`, c, hello);

    expect(bad.status).toBe(403);
    expect(good.status).toBe(200);
  });
});
