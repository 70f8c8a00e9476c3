import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEV } from '../../../lib/config/environments';
import { EnvironmentConfig } from '../../../lib/config/types';
import { ORDERS_EGRESS_SUBNETS, NetworkStack } from '../../../lib/stacks/network-stack';
import { testApp } from '../../helpers/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SECRET = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:orders-AbCdEf';
const SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

const privateLink = (privateDns: boolean): EnvironmentConfig => ({
  ...DEV,
  orders: {
    source: 'privatelink',
    url: 'https://orders.internal.example.com/api/v2',
    secretArn: SECRET,
    timeoutMs: 1200,
    privateLink: { serviceName: SERVICE, privateDns },
  },
});
const NAT: EnvironmentConfig = {
  ...DEV,
  orders: {
    source: 'nat',
    url: 'https://orders.example.com',
    secretArn: SECRET,
    timeoutMs: 1200,
    nat: { acknowledged: true },
  },
};

function build(config: EnvironmentConfig): { stack: NetworkStack; t: Template } {
  const stack = new NetworkStack(testApp({}, { schemaValidation: false }), 'Network', { config });
  return { stack, t: Template.fromStack(stack) };
}

describe('NetworkStack: the order path (orders.source)', () => {
  it('GIVEN sample orders WHEN synthesized THEN no NAT, no internet route, no order endpoint, and nothing to bind', () => {
    const { stack, t } = build(DEV);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::InternetGateway', 0);
    expect(JSON.stringify(t.findResources('AWS::EC2::VPCEndpoint'))).not.toContain('vpce-svc');
    expect(stack.orderSource).toBeUndefined();
    expect(stack.fulfillmentSubnets).toBeUndefined();
  });

  it('GIVEN privatelink with private DNS WHEN synthesized THEN an interface endpoint to the configured service, HTTPS from the Lambda SG only, still no NAT, and the fulfillment calls orders.url', () => {
    const { stack, t } = build(privateLink(true));
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: SERVICE,
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
    });
    const sg = Object.entries(t.findResources('AWS::EC2::SecurityGroup')).find(([, r]) =>
      String((r as Json).Properties.GroupDescription).startsWith('Order system PrivateLink endpoint'),
    )![0];
    const lambdaSg = stack.getLogicalId(stack.lambdaSecurityGroup.node.defaultChild as never);
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).filter((r) =>
      JSON.stringify((r as Json).Properties.GroupId).includes(sg),
    ) as Json[];
    expect(ingress.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: { 'Fn::GetAtt': [lambdaSg, 'GroupId'] },
      }),
    ]);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    expect(stack.orderSource).toEqual({
      url: 'https://orders.internal.example.com/api/v2',
      secretArn: SECRET,
      timeoutMs: 1200,
    });
  });

  it('GIVEN privatelink without private DNS WHEN synthesized THEN the fulfillment calls the endpoint’s own DNS name with the URL’s path', () => {
    const { stack } = build(privateLink(false));
    const url = Stack.of(stack).resolve(stack.orderSource!.url) as Json;
    const text = JSON.stringify(url);
    expect(text).toContain('DnsEntries');
    expect(text).toContain('/api/v2');
    expect(text).toContain('https://');
  });

  it('GIVEN an acknowledged nat WHEN synthesized THEN one NAT gateway in a public subnet, egress subnets routed to it for the fulfillment only, and the private subnets still without a route out', () => {
    const { stack, t } = build(NAT);
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    expect(stack.fulfillmentSubnets).toEqual({ subnetGroupName: ORDERS_EGRESS_SUBNETS });
    const egress = stack.vpc.selectSubnets({ subnetGroupName: ORDERS_EGRESS_SUBNETS }).subnets;
    const isolated = stack.vpc.isolatedSubnets;
    expect(egress).toHaveLength(DEV.network.maxAzs);
    expect(isolated).toHaveLength(DEV.network.maxAzs);
    const routes = Object.values(t.findResources('AWS::EC2::Route')) as Json[];
    const natRoutes = routes.filter((r) => r.Properties.NatGatewayId);
    expect(natRoutes).toHaveLength(DEV.network.maxAzs);
    // the isolated (Private) subnets' route tables carry no route at all
    for (const subnet of isolated) {
      const table = stack.getLogicalId(subnet.node.findChild('RouteTable') as never);
      expect(routes.filter((r) => JSON.stringify(r.Properties.RouteTableId).includes(table))).toEqual([]);
    }
    // the private subnets keep their CIDRs (the new groups come after them)
    const cidrs = isolated.map((s) => s.ipv4CidrBlock);
    expect(cidrs).toEqual(['10.40.0.0/20', '10.40.16.0/20']);
  });
});
