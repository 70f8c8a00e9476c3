/**
 * The support desk's ticket routes on the channel API (ChannelApi.addTicketRoutes): IAM
 * authorization, the SupportDeskRole's exact reach, and no other role of the API reaching them.
 * The policies are evaluated as IAM would match them: every execute-api resource of a role is a
 * glob (`*` any characters, `?` one) matched against the ARNs of concrete requests. The web
 * chat's Cognito roles (WebIdentity, as the Web stack builds them on this API) are the real
 * customers' principals: they reach no ticket route either.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CUSTOMER_ROUTES, STAGE_NAME, deskPrincipalOf } from '../../../lib/constructs/channel-api';
import { WebIdentity } from '../../../lib/constructs/web-identity';
import { channelApiFixture } from '../../support/channel-api-fixture';
import { stubFunction } from '../../support/construct-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DESK_ROLE = 'arn:aws:iam::999999999999:role/support-desk';

function build(deskPrincipal = DESK_ROLE) {
  const { stack, api } = channelApiFixture();
  const tickets = stubFunction(stack, 'TicketsApi');
  const role = api.addTicketRoutes(tickets, deskPrincipal);
  // the web chat's customers, as the Web stack names them (guests and signed-in customers)
  const identity = new WebIdentity(stack, 'WebIdentity', {
    api: api.api,
    stageName: STAGE_NAME,
    customerRoutes: CUSTOMER_ROUTES,
    signedInCustomers: true,
    name: 'cp-test-web',
  });
  return { stack, api, role, tickets, identity, template: Template.fromStack(stack) };
}

/** A resolved CloudFormation string (Fn::Join of literals and Refs) as text, each Ref as `<Name>`. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Json;
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(text).join(v['Fn::Join'][0]);
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}

const glob = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/**
 * The execute-api resources a role's policies allow `execute-api:Invoke` on: its attached
 * AWS::IAM::Policy resources and the inline `Policies` of the role itself.
 */
function invokeResources(template: Template, stack: Stack, role: iam.Role): string[] {
  const roleId = stack.getLogicalId(role.node.defaultChild as never);
  const roleResource = template.findResources('AWS::IAM::Role')[roleId] as Json;
  const inline = ((roleResource.Properties.Policies ?? []) as Json[]).map((p) => p.PolicyDocument);
  const attached = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify((p as Json).Properties.Roles).includes(roleId))
    .map((p) => (p as Json).Properties.PolicyDocument);
  const statements = [...inline, ...attached].flatMap((d) => d.Statement as Json[]);
  // no wildcard action that would grant execute-api:Invoke without naming it
  const wildcard = (action: string) => action === '*' || action === 'execute-api:*';
  expect(statements.filter((st) => [st.Action].flat().some(wildcard))).toEqual([]);
  return statements
    .filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('execute-api:Invoke'))
    .flatMap((s) => [s.Resource].flat().map(text));
}

describe('ChannelApi ticket routes', () => {
  const built = build();
  const { stack, api, role, identity, template } = built;
  const apiArn = `arn:aws:execute-api:us-east-1:111111111111:<${stack.getLogicalId(api.api.node.defaultChild as never)}>/$default`;
  const request = (method: string, path: string): string => `${apiArn}/${method}${path}`;
  const allows = (resources: string[], method: string, path: string): boolean =>
    resources.some((r) => glob(r).test(request(method, path)));

  const TICKET_REQUESTS: Array<[string, string]> = [
    ['POST', '/v1/tickets'],
    ['GET', '/v1/tickets/T-0123456789'],
    ['PATCH', '/v1/tickets/T-0123456789'],
  ];
  const CUSTOMER_REQUESTS: Array<[string, string]> = [
    ['POST', '/v1/conversations/c-1/messages'],
    ['POST', '/v1/conversations/c-1/feedback'],
    ['GET', '/v1/health'],
  ];

  it('GIVEN the ticket routes WHEN synthesized THEN POST /v1/tickets, GET and PATCH /v1/tickets/{ticketId} exist with IAM authorization', () => {
    for (const key of ['POST /v1/tickets', 'GET /v1/tickets/{ticketId}', 'PATCH /v1/tickets/{ticketId}']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: key,
        AuthorizationType: 'AWS_IAM',
      });
    }
  });

  it('GIVEN the SupportDeskRole WHEN its policy is evaluated THEN it allows exactly the three ticket requests and no conversation route', () => {
    const resources = invokeResources(template, stack, role);
    expect([...resources].sort()).toEqual(
      [`${apiArn}/POST/v1/tickets`, `${apiArn}/GET/v1/tickets/*`, `${apiArn}/PATCH/v1/tickets/*`].sort(),
    );
    for (const [method, path] of TICKET_REQUESTS)
      expect({ method, path, allowed: allows(resources, method, path) }).toEqual({
        method,
        path,
        allowed: true,
      });
    for (const [method, path] of [
      ...CUSTOMER_REQUESTS,
      ['DELETE', '/v1/tickets/T-0123456789'],
      ['GET', '/v1/tickets'],
    ] as Array<[string, string]>) {
      expect({ method, path, allowed: allows(resources, method, path) }).toEqual({
        method,
        path,
        allowed: false,
      });
    }
    // and nothing else: no managed policy, no other action
    const roleProps = Object.values(template.findResources('AWS::IAM::Role')).find((r) =>
      JSON.stringify(r).includes('support desk'),
    ) as Json;
    expect(roleProps.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('GIVEN the other role of the API (the load-test client, allowed what a customer is) WHEN its policy is evaluated THEN it reaches no ticket route', () => {
    const resources = invokeResources(template, stack, api.loadTestInvokerRole);
    expect(resources.length).toBeGreaterThan(0);
    for (const [method, path] of TICKET_REQUESTS)
      expect({ method, path, allowed: allows(resources, method, path) }).toEqual({
        method,
        path,
        allowed: false,
      });
    expect(allows(resources, 'POST', '/v1/conversations/c-1/messages')).toBe(true);
  });

  it.each([
    ['guest', () => identity.guestRole],
    ['signed-in customer', () => identity.authenticatedRole!],
  ])(
    "GIVEN the web chat's Cognito %s role WHEN its policy is evaluated THEN it reaches no ticket route, only the customer routes",
    (_, roleOf) => {
      const resources = invokeResources(template, stack, roleOf());
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) expect(resource).not.toContain('/v1/tickets');
      for (const [method, path] of [
        ...TICKET_REQUESTS,
        ['GET', '/v1/tickets'],
        ['DELETE', '/v1/tickets/T-0123456789'],
      ] as Array<[string, string]>) {
        expect({ method, path, allowed: allows(resources, method, path) }).toEqual({
          method,
          path,
          allowed: false,
        });
      }
      expect(allows(resources, 'POST', '/v1/conversations/c-1/messages')).toBe(true);
      expect(allows(resources, 'POST', '/v1/conversations/c-1/feedback')).toBe(true);
    },
  );

  it('GIVEN a desk role ARN or a desk account WHEN the role is built THEN only that principal may assume it', () => {
    const trust = (b: ReturnType<typeof build>): unknown =>
      (
        Object.values(b.template.findResources('AWS::IAM::Role')).find((r) =>
          JSON.stringify(r).includes('support desk'),
        ) as Json
      ).Properties.AssumeRolePolicyDocument.Statement;
    expect(trust(built)).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: DESK_ROLE } },
    ]);
    expect(JSON.stringify(trust(build('999999999999')))).toContain(':iam::999999999999:root');
    expect(() => deskPrincipalOf('arn:aws:iam::999999999999:user/bob')).toThrow(
      'account id or an IAM role ARN',
    );
  });

  it('GIVEN ticket routes already added WHEN added again THEN it is refused', () => {
    expect(() => api.addTicketRoutes(built.tickets, DESK_ROLE)).toThrow('already added');
  });
});
