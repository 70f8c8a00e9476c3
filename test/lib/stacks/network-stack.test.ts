import { Match, Template } from 'aws-cdk-lib/assertions';
import { DEV, PROD } from '../../../lib/config/environments';
import { EnvironmentConfig } from '../../../lib/config/types';
import { listAcknowledgements } from '../../support/nag-doc';
import { NetworkStack } from '../../../lib/stacks/network-stack';
import { testApp } from '../../helpers/app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The AWS APIs the fulfillment Lambda calls, by endpoint service name (README, "Interface endpoints"). */
const INTERFACE_SERVICES = [
  'kinesis-streams',
  'comprehend',
  'translate',
  'polly',
  'secretsmanager',
  'xray',
  'bedrock-agent-runtime',
  'bedrock-runtime',
  'sqs',
  // the channel function's RecognizeText from the VPC
  'runtime-v2-lex',
];

const WEST: EnvironmentConfig = {
  ...DEV,
  region: 'us-west-1',
  network: { ...DEV.network, maxAzs: 2, availabilityZones: ['us-west-1b', 'us-west-1c'] },
};

describe('NetworkStack', () => {
  let dev: NetworkStack;
  let devT: Template;
  let prodT: Template;
  let westT: Template;

  beforeAll(() => {
    // GIVEN one app holding the dev, prod and a custom-zone network stack
    const app = testApp({}, { schemaValidation: false });
    dev = new NetworkStack(app, 'DevNetwork', { config: DEV });
    const prod = new NetworkStack(app, 'ProdNetwork', { config: PROD });
    const west = new NetworkStack(app, 'WestNetwork', { config: WEST });
    // WHEN synthesized
    devT = Template.fromStack(dev);
    prodT = Template.fromStack(prod);
    westT = Template.fromStack(west);
  });

  const subnetZones = (t: Template) =>
    Object.values(t.findResources('AWS::EC2::Subnet')).map((s: Json) => s.Properties.AvailabilityZone);

  describe('VPC', () => {
    it('GIVEN dev and prod WHEN synthesized THEN it spans 2 AZs in dev and 3 in prod, with private subnets only', () => {
      expect(subnetZones(devT).sort()).toEqual(['us-east-1a', 'us-east-1b']);
      expect(subnetZones(prodT).sort()).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
      for (const t of [devT, prodT]) {
        t.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
        t.resourceCountIs('AWS::EC2::InternetGateway', 0);
        t.resourceCountIs('AWS::EC2::NatGateway', 0);
      }
    });

    it('GIVEN zone names in config WHEN synthesized THEN it takes them (no account lookup)', () => {
      expect(subnetZones(westT).sort()).toEqual(['us-west-1b', 'us-west-1c']);
    });

    it('GIVEN the dev stack WHEN synthesized THEN it exposes the VPC with isolated subnets for the Lambda and Redis', () => {
      expect(dev.vpc.isolatedSubnets).toHaveLength(DEV.network.maxAzs);
      expect(dev.vpc.publicSubnets).toHaveLength(0);
    });

    it('GIVEN the dev stack WHEN synthesized THEN it restricts the default security group', () => {
      devT.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    });
  });

  describe('VPC endpoints', () => {
    it.each(['dynamodb', 's3'])(
      'GIVEN dev and prod WHEN synthesized THEN there is a %s gateway endpoint on every private route table',
      (service) => {
        for (const [t, azs] of [
          [devT, 2],
          [prodT, 3],
        ] as const) {
          const found = t.findResources('AWS::EC2::VPCEndpoint', {
            Properties: {
              VpcEndpointType: 'Gateway',
              ServiceName: {
                'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]],
              },
            },
          });
          const endpoints = Object.values(found) as Json[];
          expect(endpoints).toHaveLength(1);
          expect(endpoints[0].Properties.RouteTableIds).toHaveLength(azs);
        }
      },
    );

    it.each(INTERFACE_SERVICES)(
      'GIVEN the dev stack WHEN synthesized THEN there is a private-DNS %s interface endpoint in the private subnets, behind the endpoint SG',
      (service) => {
        devT.hasResourceProperties('AWS::EC2::VPCEndpoint', {
          VpcEndpointType: 'Interface',
          ServiceName: `com.amazonaws.us-east-1.${service}`,
          PrivateDnsEnabled: true,
          SubnetIds: [
            { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet1Subnet') },
            { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet2Subnet') },
          ],
          SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointSecurityGroup'), 'GroupId'] }],
        });
      },
    );

    it('GIVEN the dev stack WHEN synthesized THEN it has exactly the gateway and interface endpoints listed (nothing reaches a NAT)', () => {
      devT.resourceCountIs('AWS::EC2::VPCEndpoint', 2 + INTERFACE_SERVICES.length);
    });

    it('GIVEN the dev stack WHEN synthesized THEN it admits HTTPS to the endpoints from the Lambda security group only', () => {
      const ingress = Object.values(devT.findResources('AWS::EC2::SecurityGroupIngress')) as Json[];
      expect(ingress).toHaveLength(1);
      expect(ingress[0].Properties).toEqual(
        expect.objectContaining({
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          GroupId: { 'Fn::GetAtt': [expect.stringMatching(/^EndpointSecurityGroup/), 'GroupId'] },
          SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^LambdaSecurityGroup/), 'GroupId'] },
        }),
      );
      devT.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^Interface VPC endpoints'),
        SecurityGroupIngress: Match.absent(),
      });
    });
  });

  describe('Lambda security group', () => {
    it('GIVEN the dev stack WHEN synthesized THEN it allows only HTTPS out (Redis egress is added by the data stack)', () => {
      devT.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^Conversation Lambdas'),
        SecurityGroupEgress: [Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })],
        SecurityGroupIngress: Match.absent(),
      });
    });
  });

  describe('flow logs', () => {
    it('GIVEN the dev stack WHEN synthesized THEN it logs ALL traffic of the VPC to CloudWatch Logs', () => {
      devT.hasResourceProperties('AWS::EC2::FlowLog', {
        ResourceType: 'VPC',
        ResourceId: { Ref: Match.stringLikeRegexp('^Vpc') },
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: { Ref: Match.stringLikeRegexp('^FlowLogGroup') },
      });
    });

    it('GIVEN dev and prod WHEN synthesized THEN flow logs are kept for the configured retention, destroyed with dev and retained in prod', () => {
      devT.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: DEV.logRetentionDays },
        DeletionPolicy: 'Delete',
      });
      prodT.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: PROD.logRetentionDays },
        DeletionPolicy: 'Retain',
      });
    });
  });

  it('GIVEN configured AZ names WHEN synthesized THEN they are acknowledged on the VPC construct only', () => {
    const acks = listAcknowledgements(dev).filter((a) => a.id.endsWith('W3010'));
    expect(acks.map((a) => a.path)).toEqual(['DevNetwork/Vpc']);
  });
});
