import { Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { Template } from 'aws-cdk-lib/assertions';
import { CUSTOMER_ROUTES } from '../../../lib/constructs/channel-api';
import { WebIdentity } from '../../../lib/constructs/web-identity';
import { constructStack } from '../../support/construct-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(signedInCustomers: boolean): {
  stack: Stack;
  identity: WebIdentity;
  template: Template;
  apiId: string;
} {
  const stack = constructStack();
  const api = new apigwv2.HttpApi(stack, 'Api', { createDefaultStage: false });
  const identity = new WebIdentity(stack, 'Identity', {
    api,
    stageName: '$default',
    customerRoutes: CUSTOMER_ROUTES,
    signedInCustomers,
    name: 'cp-dev-web',
  });
  return {
    stack,
    identity,
    template: Template.fromStack(stack),
    apiId: stack.getLogicalId(api.node.defaultChild as never),
  };
}

/** The exact execute-api ARN of one route of the test API, as CloudFormation receives it. */
const routeArn = (apiId: string, route: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:aws:execute-api:us-east-1:111111111111:',
      { Ref: apiId },
      `/$default/POST/v1/conversations/*/${route}`,
    ],
  ],
});

function roleByAmr(template: Template, amr: string): Json {
  const roles = Object.values(template.findResources('AWS::IAM::Role')).filter(
    (r) =>
      r.Properties.AssumeRolePolicyDocument.Statement[0].Condition?.['ForAnyValue:StringLike']?.[
        'cognito-identity.amazonaws.com:amr'
      ] === amr,
  );
  expect(roles).toHaveLength(1);
  return roles[0].Properties as Json;
}

describe('WebIdentity', () => {
  it('GIVEN guests only WHEN built THEN the identity pool allows guests, refuses the classic flow, and has no login provider', () => {
    const { template } = build(false);
    const pools = Object.values(template.findResources('AWS::Cognito::IdentityPool'));
    expect(pools).toHaveLength(1);
    expect(pools[0].Properties).toEqual({
      IdentityPoolName: 'cp-dev-web',
      AllowUnauthenticatedIdentities: true,
      AllowClassicFlow: false,
    });
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  it('GIVEN the guest role WHEN built THEN its only permission is execute-api:Invoke on POST messages and POST feedback of this API and stage, and only guests of this pool can assume it', () => {
    const { template, apiId } = build(false);
    const guest = roleByAmr(template, 'unauthenticated');
    expect(guest.Policies).toEqual([
      {
        PolicyName: 'CustomerRoutes',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'execute-api:Invoke',
              Resource: [routeArn(apiId, 'feedback'), routeArn(apiId, 'messages')],
            },
          ],
        },
      },
    ]);
    expect(guest.ManagedPolicyArns).toBeUndefined();
    const pool = Object.keys(template.findResources('AWS::Cognito::IdentityPool'))[0];
    expect(guest.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: pool } },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
        },
      },
    ]);
    // no other policy anywhere grants the role anything
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    const attachment = Object.values(template.findResources('AWS::Cognito::IdentityPoolRoleAttachment'));
    expect(attachment).toHaveLength(1);
    expect(attachment[0].Properties.Roles).toEqual({
      unauthenticated: { 'Fn::GetAtt': [expect.stringMatching(/^IdentityGuestRole/), 'Arn'] },
    });
  });

  it('GIVEN signed-in customers WHEN built THEN a user pool with a secretless SRP client is the pool login, and signed-in identities get a role with the same two routes only', () => {
    const { template, apiId } = build(true);
    const pool = Object.values(template.findResources('AWS::Cognito::IdentityPool'))[0].Properties;
    expect(pool.CognitoIdentityProviders).toEqual([
      {
        ProviderName: { 'Fn::GetAtt': [expect.stringMatching(/^IdentityUserPool/), 'ProviderName'] },
        ClientId: { Ref: expect.stringMatching(/^IdentityUserPoolWebClient/) },
        ServerSideTokenCheck: true,
      },
    ]);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    const signedIn = roleByAmr(template, 'authenticated');
    expect(signedIn.Policies[0].PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Resource: [routeArn(apiId, 'feedback'), routeArn(apiId, 'messages')],
      },
    ]);
    const attachment = Object.values(template.findResources('AWS::Cognito::IdentityPoolRoleAttachment'))[0];
    expect(Object.keys(attachment.Properties.Roles).sort()).toEqual(['authenticated', 'unauthenticated']);
  });

  it('GIVEN a route with an API Gateway parameter WHEN built THEN it is refused: roles name routes as execute-api ARNs (* for a parameter)', () => {
    const stack = constructStack();
    const api = new apigwv2.HttpApi(stack, 'Api');
    expect(
      () =>
        new WebIdentity(stack, 'Identity', {
          api,
          stageName: '$default',
          customerRoutes: [{ method: 'POST', path: '/v1/conversations/{conversationId}/messages' }],
          signedInCustomers: false,
          name: 'cp',
        }),
    ).toThrow(
      "web identity route path must be a plain path with * for parameters, got '/v1/conversations/{conversationId}/messages'",
    );
  });
});
