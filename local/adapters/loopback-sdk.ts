/**
 * How the local platform's own AWS SDK clients talk to its stand-ins on loopback (dynalite, the
 * local Lex runtime): the same client classes, commands, serialisation, retries and error
 * parsing as in AWS, without what only a remote AWS endpoint needs.
 *
 * - No signature computed: no stand-in verifies one (SigV4 hashed every body and built the
 *   canonical request per call, ~3% of the platform's CPU under the capacity profile); the
 *   Authorization header keeps SigV4's shape, which dynalite asks for.
 * - One keep-alive agent per client, sized for the load generator's concurrency (the SDK default
 *   is 50 sockets; above that, requests queue for a socket on the same machine).
 *
 * The handlers' clients in AWS are built by src/handlers/*.ts and are not touched.
 */
import { Agent } from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Credentials the stand-ins accept (they do not check signatures). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Sockets one loopback client keeps open at most (well above the capacity profile's concurrency). */
export const LOOPBACK_MAX_SOCKETS = 256;

interface SignableRequest {
  headers: Record<string, string>;
}

/**
 * A signer that writes a SigV4-shaped Authorization header without computing a signature:
 * dynalite checks that the header and a date are there (as DynamoDB's front end does before it
 * verifies anything), neither stand-in verifies the signature.
 */
export const UNSIGNED = {
  sign: async <T extends SignableRequest>(request: T): Promise<T> => {
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    request.headers['x-amz-date'] = amzDate;
    request.headers.authorization = `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/${amzDate.slice(0, 8)}/local/loopback/aws4_request, SignedHeaders=host;x-amz-date, Signature=${UNSIGNED_SIGNATURE}`;
    return request;
  },
};

/** What the Authorization header carries instead of a signature. */
export const UNSIGNED_SIGNATURE = 'unsigned-loopback';

export interface LoopbackClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: typeof LOCAL_CREDENTIALS;
  readonly signer: typeof UNSIGNED;
  readonly requestHandler: NodeHttpHandler;
}

/** The client configuration for a stand-in at `endpoint` (http://127.0.0.1:port). */
export function loopbackClientConfig(endpoint: string, region = 'local'): LoopbackClientConfig {
  return {
    endpoint,
    region,
    credentials: LOCAL_CREDENTIALS,
    signer: UNSIGNED,
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets: LOOPBACK_MAX_SOCKETS }),
    }),
  };
}
