/**
 * The widget's SigV4 headers are what API Gateway's IAM authorisation recomputes: a verifier that
 * rebuilds the request from what the browser sends (its headers, the Host it connects to, the
 * body) and signs it with the same library and the caller's secret gets the same signature; a
 * wrong secret, another body or another host does not.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { signRequest } from '../../web/signer';

const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLEGUEST0001',
  secretAccessKey: 'guest-secret-key-example/abcdefghijklmnopqrstu',
  sessionToken: 'guest-session-token-example',
  expiration: new Date('2030-01-01T00:00:00Z'),
};
const URL_ = 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1/conversations/web-1/messages';
const BODY = JSON.stringify({ text: 'hola', locale: 'es_US', channel: 'web', audio: false });
const DATE = new Date('2026-11-30T12:00:00Z');

/** What API Gateway does with the request it received: recompute the signature from the secret. */
async function expectedSignature(
  received: { url: string; headers: Record<string, string>; body: string },
  secretAccessKey: string,
): Promise<string> {
  const url = new URL(received.url);
  const auth = received.headers.authorization!;
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)![1]!.split(';');
  const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth)![1]!;
  const all: Record<string, string> = { ...received.headers, host: url.host };
  const headers = Object.fromEntries(signedHeaders.map((h) => [h, all[h]!]));
  const amzDate = received.headers['x-amz-date']!;
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const verifier = new SignatureV4({
    service: 'execute-api',
    region,
    credentials: {
      accessKeyId: CREDENTIALS.accessKeyId,
      secretAccessKey,
      sessionToken: CREDENTIALS.sessionToken,
    },
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await verifier.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      query: {},
      headers,
      body: received.body,
    },
    { signingDate },
  );
  return /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization!)![1]!;
}

const signatureOf = (headers: Record<string, string>): string =>
  /Signature=([0-9a-f]{64})/.exec(headers.authorization!)![1]!;

test('GIVEN guest credentials WHEN a message is signed THEN the headers carry the execute-api scope, the session token and no host', async () => {
  const headers = await signRequest(
    { method: 'POST', url: URL_, headers: { 'content-type': 'application/json' }, body: BODY },
    CREDENTIALS,
    'eu-west-1',
    DATE,
  );
  expect(headers.authorization).toMatch(
    /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEGUEST0001\/20261130\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
  );
  expect(headers['x-amz-date']).toBe('20261130T120000Z');
  expect(headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
  expect(headers['content-type']).toBe('application/json');
  expect(Object.keys(headers).map((h) => h.toLowerCase())).not.toContain('host');
  expect(Object.keys(headers).map((h) => h.toLowerCase())).not.toContain('x-amz-content-sha256');
});

test('GIVEN a signed request WHEN the receiver recomputes the signature with the secret THEN it matches; a wrong secret, body or host does not', async () => {
  const headers = await signRequest(
    { method: 'POST', url: URL_, headers: { 'content-type': 'application/json' }, body: BODY },
    CREDENTIALS,
    'eu-west-1',
  );
  const received = { url: URL_, headers, body: BODY };
  expect(await expectedSignature(received, CREDENTIALS.secretAccessKey)).toBe(signatureOf(headers));
  expect(await expectedSignature(received, 'another-secret')).not.toBe(signatureOf(headers));
  expect(
    await expectedSignature(
      { ...received, body: BODY.replace('hola', 'adios') },
      CREDENTIALS.secretAccessKey,
    ),
  ).not.toBe(signatureOf(headers));
  expect(
    await expectedSignature(
      { ...received, url: URL_.replace('abc123', 'other99') },
      CREDENTIALS.secretAccessKey,
    ),
  ).not.toBe(signatureOf(headers));
});

test('GIVEN a local origin with a port WHEN signed THEN the port is part of the signed host', async () => {
  const local = 'http://127.0.0.1:3000/v1/conversations/web-1/messages';
  const headers = await signRequest(
    { method: 'POST', url: local, headers: {}, body: '{}' },
    CREDENTIALS,
    'us-east-1',
  );
  expect(await expectedSignature({ url: local, headers, body: '{}' }, CREDENTIALS.secretAccessKey)).toBe(
    signatureOf(headers),
  );
  expect(
    await expectedSignature(
      { url: local.replace(':3000', ':3001'), headers, body: '{}' },
      CREDENTIALS.secretAccessKey,
    ),
  ).not.toBe(signatureOf(headers));
});
