/**
 * SigV4 for the conversation API (service `execute-api`, what API Gateway's IAM authorisation
 * checks), with @smithy/signature-v4 and the pure-JS SHA-256 of @aws-crypto/sha256-js (both
 * bundled: the page has no SDK). The browser sets `host` itself, so it is signed but not sent.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { API_SIGNING_SERVICE } from '../contracts/web-config';
import type { AwsCredentials } from './credentials';

export interface RequestToSign {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The headers to send with `req`: its own plus x-amz-date, x-amz-security-token and authorization. */
export async function signRequest(
  req: RequestToSign,
  credentials: AwsCredentials,
  region: string,
  signingDate?: Date,
): Promise<Record<string, string>> {
  const url = new URL(req.url);
  const query: Record<string, string | string[]> = {};
  url.searchParams.forEach((value, key) => {
    const prev = query[key];
    query[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  });
  const signer = new SignatureV4({
    service: API_SIGNING_SERVICE,
    region,
    credentials,
    sha256: Sha256,
    // API Gateway does not need x-amz-content-sha256: one header fewer for CORS to allow
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...req.headers, host: url.host },
      ...(req.body !== undefined ? { body: req.body } : {}),
    },
    signingDate ? { signingDate } : undefined,
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    if (name.toLowerCase() !== 'host') headers[name] = value;
  }
  return headers;
}
