/**
 * Callers as API Gateway's IAM authoriser describes them in an HTTP API event
 * (`requestContext.authorizer.iam`): a guest and a signed-in customer of a Cognito identity pool,
 * and an IAM principal (the load-test role). Shapes from the API Gateway payload 2.0 reference.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { IamAuthorizerContext } from '../../src/channel/identity';

const ACCOUNT = '123456789012';
const POOL = 'us-east-1:11111111-2222-3333-4444-555555555555';
const USER_POOL = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123';

export const guest = (
  identityId = 'us-east-1:aaaaaaaa-0000-0000-0000-000000000001',
): IamAuthorizerContext => ({
  accessKey: 'ASIAGUEST',
  accountId: ACCOUNT,
  callerId: 'AROAGUEST:CognitoIdentityCredentials',
  principalOrgId: null,
  userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/GuestRole/CognitoIdentityCredentials`,
  userId: 'AROAGUEST:CognitoIdentityCredentials',
  cognitoIdentity: { amr: ['unauthenticated'], identityId, identityPoolId: POOL },
});

export const signedIn = (
  sub = '0f0e0d0c-1111-2222-3333-444455556666',
  identityId = 'us-east-1:bbbbbbbb-0000-0000-0000-000000000002',
): IamAuthorizerContext => ({
  ...guest(identityId),
  userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/SignedInRole/CognitoIdentityCredentials`,
  cognitoIdentity: {
    amr: ['authenticated', USER_POOL, `${USER_POOL}:CognitoSignIn:${sub}`],
    identityId,
    identityPoolId: POOL,
  },
});

export const iamPrincipal = (
  userArn = `arn:aws:sts::${ACCOUNT}:assumed-role/LoadTestInvokerRole/loadtest`,
): IamAuthorizerContext => ({
  accessKey: 'ASIALOADTEST',
  accountId: ACCOUNT,
  callerId: 'AROALOADTEST:loadtest',
  principalOrgId: null,
  userArn,
  userId: 'AROALOADTEST:loadtest',
  cognitoIdentity: null,
});

/** The event as API Gateway hands it over once the caller's signature was accepted. */
export function asCaller<T extends APIGatewayProxyEventV2>(event: T, iam: IamAuthorizerContext): T {
  return {
    ...event,
    requestContext: { ...event.requestContext, authorizer: { iam } },
  } as T;
}
