/**
 * Who is calling, from what API Gateway's IAM authorisation put in the event
 * (`requestContext.authorizer.iam`, HTTP API payload 2.0): a signed-in customer (Cognito identity
 * pool, authenticated through the user pool: the user pool `sub` is in `amr`), a guest (Cognito
 * identity pool, unauthenticated: its identity id), or an IAM principal of the stage's account
 * (the load-test role: its ARN). The channel never trusts the body for who the caller is: a body
 * `userId` is only a label, passed to Lex for callers that are not signed in (docs/web.md).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { GateCaller } from '../ports';

export type CallerKind = 'user' | 'guest' | 'iam';

export interface Caller extends GateCaller {
  readonly kind: CallerKind;
  /** The signed-in customer's user pool `sub` (kind `user` only): the conversation's userId. */
  readonly userId?: string;
}

/** The IAM authorizer context of an HTTP API event (the `aws-lambda` types have `cognitoIdentity: null`). */
export interface IamAuthorizerContext {
  accessKey?: string;
  accountId?: string;
  callerId?: string;
  principalOrgId?: string | null;
  userArn?: string;
  userId?: string;
  cognitoIdentity?: {
    amr?: string[];
    identityId?: string;
    identityPoolId?: string;
  } | null;
}

/** `<provider>:CognitoSignIn:<sub>`, the amr entry of a user pool sign-in. */
const SIGN_IN = /:CognitoSignIn:([0-9A-Za-z-]{1,128})$/;
const bounded = (value: unknown, max = 512): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

/** The IAM authorizer context of the event, if API Gateway put one there. */
export function iamContextOf(event: APIGatewayProxyEventV2): IamAuthorizerContext | undefined {
  const ctx = (event.requestContext as { authorizer?: { iam?: unknown } } | undefined)?.authorizer?.iam;
  return ctx !== null && typeof ctx === 'object' ? (ctx as IamAuthorizerContext) : undefined;
}

/**
 * The caller, or undefined when the event carries no usable identity (never the case behind the
 * API's IAM authoriser: the route refuses unsigned requests before the function runs).
 */
export function callerOf(event: APIGatewayProxyEventV2): Caller | undefined {
  const iam = iamContextOf(event);
  if (!iam) return undefined;
  const cognito = iam.cognitoIdentity;
  if (cognito && bounded(cognito.identityId, 128)) {
    const amr = Array.isArray(cognito.amr) ? cognito.amr.filter((a) => typeof a === 'string') : [];
    if (amr.includes('authenticated')) {
      const sub = amr.map((a) => SIGN_IN.exec(a)?.[1]).find((s) => s !== undefined);
      // A federated sign-in without a user pool entry: the identity id is the user.
      const userId = sub ?? cognito.identityId;
      return { kind: 'user', principal: `user:${userId}`, userId, rateLimited: true };
    }
    return { kind: 'guest', principal: `guest:${cognito.identityId}`, rateLimited: true };
  }
  if (bounded(iam.userArn)) return { kind: 'iam', principal: `iam:${iam.userArn}`, rateLimited: false };
  return undefined;
}

/**
 * The userId the turn is sent to Lex with: the signed-in customer's `sub`, whatever the body
 * says; for a guest or an IAM principal, the body's `userId` (an unverified label: the
 * `callerType` request attribute says which).
 */
export function userIdFor(caller: Caller, bodyUserId: string | undefined): string | undefined {
  return caller.kind === 'user' ? caller.userId : bodyUserId;
}
