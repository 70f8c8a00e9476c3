import { CognitoCredentials, REFRESH_MARGIN_MS, tokenSubject, userPoolLogin } from '../../web/credentials';

interface Call {
  url: string;
  target: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** A Cognito Identity endpoint: records calls and answers them from `answer`. */
function fakeCognito(answer: (call: Call, n: number) => { status?: number; body: unknown }) {
  const calls: Call[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    const call = { url, target: headers['x-amz-target']!, body: JSON.parse(String(init.body)), headers };
    calls.push(call);
    const { status = 200, body } = answer(call, calls.length);
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
    });
  }) as unknown as typeof fetch;
  return { calls, fetchFn };
}

function memoryStorage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  } as unknown as Storage & { data: Map<string, string> };
}

const POOL = 'eu-west-1:11111111-2222-3333-4444-555555555555';
const creds = (n: number, expiresAt: number) => ({
  IdentityId: 'eu-west-1:guest-1',
  Credentials: {
    AccessKeyId: `AK${n}`,
    SecretKey: `SK${n}`,
    SessionToken: `ST${n}`,
    Expiration: expiresAt / 1000,
  },
});

test('GIVEN a guest WHEN credentials are asked twice THEN GetId and GetCredentialsForIdentity run once (AWS JSON 1.1 to the regional endpoint) and the second ask is cached', async () => {
  let now = Date.parse('2026-11-30T12:00:00Z');
  const { calls, fetchFn } = fakeCognito((call) =>
    call.target.endsWith('GetId')
      ? { body: { IdentityId: 'eu-west-1:guest-1' } }
      : { body: creds(1, now + 3600_000) },
  );
  const storage = memoryStorage();
  const c = new CognitoCredentials({
    region: 'eu-west-1',
    identityPoolId: POOL,
    fetch: fetchFn,
    storage,
    now: () => now,
  });
  const first = await c.get();
  now += 10 * 60_000;
  const second = await c.get();
  expect(second).toBe(first);
  expect(first).toMatchObject({ accessKeyId: 'AK1', secretAccessKey: 'SK1', sessionToken: 'ST1' });
  expect(first.expiration.getTime()).toBe(Date.parse('2026-11-30T13:00:00Z'));
  expect(calls.map((c) => c.target)).toEqual([
    'AWSCognitoIdentityService.GetId',
    'AWSCognitoIdentityService.GetCredentialsForIdentity',
  ]);
  expect(calls[0]!.url).toBe('https://cognito-identity.eu-west-1.amazonaws.com/');
  expect(calls[0]!.headers['content-type']).toBe('application/x-amz-json-1.1');
  expect(calls[0]!.body).toEqual({ IdentityPoolId: POOL });
  expect(calls[1]!.body).toEqual({ IdentityId: 'eu-west-1:guest-1' });
  expect(c.identityId).toBe('eu-west-1:guest-1');
});

test('GIVEN cached credentials WHEN they come within the refresh margin of expiry THEN new ones are fetched for the same identity', async () => {
  let now = Date.parse('2026-11-30T12:00:00Z');
  let n = 0;
  const { calls, fetchFn } = fakeCognito((call) =>
    call.target.endsWith('GetId')
      ? { body: { IdentityId: 'eu-west-1:guest-1' } }
      : { body: creds(++n, now + 3600_000) },
  );
  const c = new CognitoCredentials({
    region: 'eu-west-1',
    identityPoolId: POOL,
    fetch: fetchFn,
    now: () => now,
  });
  expect((await c.get()).accessKeyId).toBe('AK1');
  now += 3600_000 - REFRESH_MARGIN_MS + 1;
  expect((await c.get()).accessKeyId).toBe('AK2');
  expect(calls.filter((c) => c.target.endsWith('GetId'))).toHaveLength(1);
});

test('GIVEN a guest identity kept from an earlier visit WHEN credentials are asked THEN GetId is skipped; if the pool no longer knows it, a new identity is taken', async () => {
  const storage = memoryStorage();
  const key = `conversational-chat:v1:identity:${POOL}`;
  storage.setItem(key, 'eu-west-1:kept');
  const later = Date.now() + 3600_000;
  const a = fakeCognito(() => ({ body: { ...creds(1, later), IdentityId: 'eu-west-1:kept' } }));
  await new CognitoCredentials({
    region: 'eu-west-1',
    identityPoolId: POOL,
    fetch: a.fetchFn,
    storage,
  }).get();
  expect(a.calls.map((c) => c.target)).toEqual(['AWSCognitoIdentityService.GetCredentialsForIdentity']);
  expect(a.calls[0]!.body).toEqual({ IdentityId: 'eu-west-1:kept' });

  const b = fakeCognito((call) =>
    call.target.endsWith('GetId')
      ? { body: { IdentityId: 'eu-west-1:new' } }
      : call.body.IdentityId === 'eu-west-1:kept'
        ? { status: 400, body: { __type: 'ResourceNotFoundException', message: 'Identity not found' } }
        : { body: { ...creds(2, later), IdentityId: 'eu-west-1:new' } },
  );
  const c = new CognitoCredentials({ region: 'eu-west-1', identityPoolId: POOL, fetch: b.fetchFn, storage });
  expect((await c.get()).accessKeyId).toBe('AK2');
  expect(storage.getItem(key)).toBe('eu-west-1:new');
});

test('GIVEN an id token from the host page WHEN signed in THEN both calls carry it as the user pool login, to the configured endpoint, and the guest id is not reused', async () => {
  const storage = memoryStorage();
  storage.setItem(`conversational-chat:v1:identity:${POOL}`, 'eu-west-1:guest');
  const { calls, fetchFn } = fakeCognito((call) =>
    call.target.endsWith('GetId')
      ? { body: { IdentityId: 'eu-west-1:user' } }
      : { body: creds(1, Date.now() + 3600_000) },
  );
  const c = new CognitoCredentials({
    region: 'eu-west-1',
    identityPoolId: POOL,
    endpoint: 'http://127.0.0.1:3000/local/cognito-identity/',
    fetch: fetchFn,
    storage,
  });
  const login = userPoolLogin('eu-west-1', 'eu-west-1_AbCdEf');
  expect(login).toBe('cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf');
  c.setLogins({ [login]: 'id.token.value' });
  await c.get();
  expect(calls.map((x) => [x.url, x.target, x.body])).toEqual([
    [
      'http://127.0.0.1:3000/local/cognito-identity/',
      'AWSCognitoIdentityService.GetId',
      { IdentityPoolId: POOL, Logins: { [login]: 'id.token.value' } },
    ],
    [
      'http://127.0.0.1:3000/local/cognito-identity/',
      'AWSCognitoIdentityService.GetCredentialsForIdentity',
      { IdentityId: 'eu-west-1:user', Logins: { [login]: 'id.token.value' } },
    ],
  ]);
  expect(storage.getItem(`conversational-chat:v1:identity:${POOL}`)).toBe('eu-west-1:guest');
});

test('GIVEN Cognito refuses WHEN credentials are asked THEN the error names its code, and nothing is cached', async () => {
  const { fetchFn } = fakeCognito(() => ({
    status: 400,
    body: {
      __type: 'com.amazonaws#NotAuthorizedException',
      message: 'Unauthenticated access is not supported',
    },
  }));
  const c = new CognitoCredentials({ region: 'eu-west-1', identityPoolId: POOL, fetch: fetchFn });
  await expect(c.get()).rejects.toMatchObject({
    code: 'NotAuthorizedException',
    message: 'GetId: Unauthenticated access is not supported',
  });
});

test('GIVEN an id token WHEN its subject is read THEN the sub claim comes back; garbage gives undefined', () => {
  const payload = Buffer.from(JSON.stringify({ sub: 'a1b2-c3', email: 'x@example.com' })).toString(
    'base64url',
  );
  expect(tokenSubject(`eyJhbGciOiJub25lIn0.${payload}.sig`)).toBe('a1b2-c3');
  expect(tokenSubject('not-a-token')).toBeUndefined();
});
