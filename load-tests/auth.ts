/**
 * Authentication as a client. The deployed channel API uses IAM auth: requests are signed with
 * SigV4 for `execute-api` using credentials from assuming LOADTEST_ROLE_ARN (the invoker role the
 * bot stack creates). Locally (no LOADTEST_ROLE_ARN) it is a no-op.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export interface SignableRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** The Region of an execute-api host (abc123.execute-api.eu-west-1.amazonaws.com), else the fallback. */
export function regionOf(url: string, fallback = process.env.AWS_REGION ?? 'us-east-1'): string {
  const m = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(url).hostname);
  return m?.[1] ?? fallback;
}

/** SigV4-signs a request for API Gateway (service execute-api); returns the headers to send. */
export async function signRequest(
  req: SignableRequest,
  credentials: AwsCredentials,
  opts: { region?: string; signingDate?: Date } = {},
): Promise<Record<string, string>> {
  const url = new URL(req.url);
  const signer = new SignatureV4({
    service: 'execute-api',
    region: opts.region ?? regionOf(req.url),
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
    sha256: Sha256,
  });
  const query: Record<string, string> = {};
  url.searchParams.forEach((v, k) => (query[k] = v));
  const headers: Record<string, string> = { ...req.headers, host: url.host };
  const signed = await signer.sign(
    {
      method: req.method.toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
    },
    opts.signingDate ? { signingDate: opts.signingDate } : {},
  );
  return signed.headers as Record<string, string>;
}

/** Credentials from assuming a role, cached until five minutes before they expire. */
export class AssumedRoleCredentials {
  private cached?: AwsCredentials;
  private pending?: Promise<AwsCredentials>;

  constructor(
    private readonly roleArn: string,
    private readonly assume: (roleArn: string) => Promise<AwsCredentials> = assumeWithSts,
    private readonly now: () => number = Date.now,
  ) {
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(roleArn))
      throw new Error(`LOADTEST_ROLE_ARN must be an IAM role ARN, got ${roleArn}`);
  }

  async get(): Promise<AwsCredentials> {
    const c = this.cached;
    if (c && (!c.expiration || c.expiration.getTime() - this.now() > 5 * 60_000)) return c;
    this.pending ??= this.assume(this.roleArn)
      .then((fresh) => (this.cached = fresh))
      .finally(() => (this.pending = undefined));
    return this.pending;
  }
}

async function assumeWithSts(roleArn: string): Promise<AwsCredentials> {
  const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const sts = new STSClient({});
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: `artillery-${process.env.WORKER_ID ?? process.pid}`.slice(0, 64),
      DurationSeconds: 3600,
    }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`assuming ${roleArn} returned no credentials`);
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
    ...(c.Expiration ? { expiration: c.Expiration } : {}),
  };
}
