/**
 * SigV4 signing for the deployed (IAM-auth) channel API, checked offline against an independent
 * implementation of the algorithm with node:crypto (AWS General Reference, "Signature Version 4").
 */
import { createHash, createHmac } from 'node:crypto';
import { AssumedRoleCredentials, regionOf, signRequest, type AwsCredentials } from '../../load-tests/auth';

const CREDS: AwsCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};
const DATE = new Date('2026-11-23T12:34:56Z');

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string): Buffer =>
  createHmac('sha256', key).update(s, 'utf8').digest();

/** The expected Authorization header, computed by hand from the spec. */
function expectedAuthorization(opts: {
  method: string;
  host: string;
  path: string;
  body: string;
  region: string;
  headers: Record<string, string>;
}): string {
  const amzDate = '20261123T123456Z';
  const day = '20261123';
  const all: Record<string, string> = {
    ...Object.fromEntries(Object.entries(opts.headers).map(([k, v]) => [k.toLowerCase(), v.trim()])),
    host: opts.host,
    'x-amz-date': amzDate,
    'x-amz-security-token': CREDS.sessionToken!,
    'x-amz-content-sha256': sha256(opts.body),
  };
  const names = Object.keys(all).sort();
  const canonicalRequest = [
    opts.method,
    opts.path,
    '',
    ...names.map((n) => `${n}:${all[n]}`),
    '',
    names.join(';'),
    sha256(opts.body),
  ].join('\n');
  const scope = `${day}/${opts.region}/execute-api/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${CREDS.secretAccessKey}`, day);
  const kSigning = hmac(hmac(hmac(kDate, opts.region), 'execute-api'), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${CREDS.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}

describe('SigV4 for execute-api', () => {
  test('GIVEN a POST turn WHEN signed THEN it is signed exactly as the spec computes it, with the session token', async () => {
    // GIVEN a turn to the deployed API in eu-west-1
    const url = 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/v1/conversations/lt-1/messages';
    const body = JSON.stringify({ text: 'where is my order 12345', locale: 'en_US' });
    // WHEN it is signed
    const headers = await signRequest(
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
      CREDS,
      { signingDate: DATE },
    );
    // THEN the Authorization header matches an independent computation
    expect(headers['x-amz-date']).toBe('20261123T123456Z');
    expect(headers['x-amz-security-token']).toBe(CREDS.sessionToken);
    expect(headers.authorization).toBe(
      expectedAuthorization({
        method: 'POST',
        host: 'abc123defg.execute-api.eu-west-1.amazonaws.com',
        path: '/v1/conversations/lt-1/messages',
        body,
        region: 'eu-west-1',
        headers: { 'content-type': 'application/json' },
      }),
    );
  });

  test('GIVEN two different bodies WHEN signed THEN the signatures differ (the body is covered)', async () => {
    const url = 'https://abc123defg.execute-api.us-east-1.amazonaws.com/v1/conversations/lt-1/messages';
    const sign = (body: string) =>
      signRequest({ method: 'POST', url, headers: {}, body }, CREDS, { signingDate: DATE });
    const [a, b] = await Promise.all([sign('{"text":"hi"}'), sign('{"text":"ho"}')]);
    expect(a.authorization).not.toBe(b.authorization);
  });

  test('GIVEN a URL WHEN its Region is read THEN it comes from the execute-api host, else AWS_REGION', () => {
    expect(regionOf('https://x1.execute-api.ap-southeast-2.amazonaws.com/v1/health')).toBe('ap-southeast-2');
    expect(regionOf('https://chat.example.com/v1/health', 'us-west-2')).toBe('us-west-2');
  });
});

describe('credentials from assuming LOADTEST_ROLE_ARN', () => {
  test('GIVEN a role WHEN credentials are asked for repeatedly THEN it assumes once and reuses them until 5 minutes before they expire', async () => {
    // GIVEN an STS stand-in and a clock
    let now = Date.parse('2026-11-23T12:00:00Z');
    let calls = 0;
    const assume = jest.fn(async (_arn: string): Promise<AwsCredentials> => ({
      ...CREDS,
      accessKeyId: `AKID${++calls}`,
      expiration: new Date(now + 60 * 60_000),
    }));
    const creds = new AssumedRoleCredentials('arn:aws:iam::123456789012:role/invoker', assume, () => now);
    // WHEN asked concurrently, then later
    const [a, b] = await Promise.all([creds.get(), creds.get()]);
    now += 50 * 60_000; // 10 minutes left: still fresh enough
    const c = await creds.get();
    now += 6 * 60_000; // 4 minutes left: refresh
    const d = await creds.get();
    // THEN one AssumeRole served the first three
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(d.accessKeyId).not.toBe(a.accessKeyId);
    expect(assume).toHaveBeenCalledTimes(2);
    expect(assume).toHaveBeenCalledWith('arn:aws:iam::123456789012:role/invoker');
  });

  test('GIVEN a value that is not a role ARN WHEN used THEN it is refused', () => {
    expect(() => new AssumedRoleCredentials('invoker')).toThrow(/LOADTEST_ROLE_ARN must be an IAM role ARN/);
  });
});
