/**
 * What API Gateway (HTTP API, payload format 2.0) does around the channel Lambda, locally:
 * builds the `APIGatewayProxyEventV2` a request produces and writes the Lambda's structured
 * result back as the HTTP response.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { IamAuthorizerContext } from '../src/channel/identity';

export interface Route {
  readonly method: string;
  /** e.g. /v1/conversations/{conversationId}/messages */
  readonly template: string;
}

/** Matches a path against a route template; returns the path parameters or undefined. */
export function matchRoute(route: Route, method: string, path: string): Record<string, string> | undefined {
  if (route.method !== method) return undefined;
  const names: string[] = [];
  const pattern = route.template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const m = new RegExp(`^${pattern}$`).exec(path);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    const raw = m[i + 1]!;
    try {
      params[name] = decodeURIComponent(raw);
    } catch {
      params[name] = raw;
    }
  });
  return params;
}

export function toApiGatewayEvent(
  req: IncomingMessage,
  route: Route,
  pathParameters: Record<string, string>,
  body: string,
  now: Date = new Date(),
  /** Who the IAM authoriser found the caller to be (local/identity/gateway.ts). */
  iam?: IamAuthorizerContext,
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = headers.cookie?.split(/;\s*/).filter(Boolean);
  const routeKey = `${route.method} ${route.template}`;
  const host = headers.host ?? 'localhost';
  const queryStringParameters = url.search ? Object.fromEntries([...url.searchParams.entries()]) : undefined;
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host.split(':')[0] ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      ...(iam ? { authorizer: { iam } } : {}),
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    pathParameters,
    ...(body.length ? { body } : {}),
    isBase64Encoded: false,
  };
}

/** A Lambda context for a local invocation (what Powertools and handlers read from it). */
export function lambdaContext(functionName: string, timeoutMs: number): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Writes a Lambda proxy result (structured or a bare value) as API Gateway would. */
export function writeLambdaResult(
  res: ServerResponse,
  result: APIGatewayProxyStructuredResultV2 | string | unknown,
): void {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const r = result as APIGatewayProxyStructuredResultV2;
    const headers: Record<string, string | number | string[]> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (r.cookies?.length) headers['set-cookie'] = r.cookies;
    const body = r.body === undefined ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
    headers['content-length'] = Buffer.byteLength(body);
    res.writeHead(r.statusCode ?? 200, headers);
    res.end(body);
    return;
  }
  // API Gateway's inference for a non-structured result: 200 with a JSON body
  const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
