import { Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';
import { PlatformStack, PlatformStackProps } from './platform-stack';

export type NetworkStackProps = PlatformStackProps;

/**
 * AWS APIs the fulfillment and channel Lambdas call from their private subnets, reached through interface
 * endpoints so no NAT gateway (and no internet route) is needed. DynamoDB and S3 use free
 * gateway endpoints.
 */
export const INTERFACE_ENDPOINTS: Readonly<Record<string, ec2.InterfaceVpcEndpointAwsService>> = {
  /** Conversation events (PutRecords). */
  Kinesis: ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS,
  /** Sentiment and dominant language. */
  Comprehend: ec2.InterfaceVpcEndpointAwsService.COMPREHEND,
  /** Answers in languages that are not a bot locale. */
  Translate: ec2.InterfaceVpcEndpointAwsService.TRANSLATE,
  /** Speech for voice channels. */
  Polly: ec2.InterfaceVpcEndpointAwsService.POLLY,
  /** The Redis AUTH token, read once per container. */
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  /** X-Ray segments from the Lambda's tracer (active tracing). */
  XRay: ec2.InterfaceVpcEndpointAwsService.XRAY,
  /** Knowledge answers: Retrieve from the locale's knowledge base. */
  BedrockAgentRuntime: ec2.InterfaceVpcEndpointAwsService.BEDROCK_AGENT_RUNTIME,
  /** Knowledge answers: Converse with the guardrail (ApplyGuardrail runs within it). */
  BedrockRuntime: ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
  /**
   * Ticket requests (SendMessage) from ticket turns. The ticket worker and the ticket API run
   * outside the VPC (they reach no VPC resource), so no EventBridge endpoint is needed.
   */
  Sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
  /** The channel function's RecognizeText (runtime-v2-lex): it runs in the VPC to reach Redis. */
  LexRuntime: ec2.InterfaceVpcEndpointAwsService.LEX_RUNTIME,
};

/** The subnet group of the fulfillment's egress subnets when `orders.source` is `nat`. */
export const ORDERS_EGRESS_SUBNETS = 'OrdersEgress';

/** How the fulfillment reaches the order system: the URL it calls, and the subnets it runs in. */
export interface OrderSourcePath {
  /** The URL the fulfillment calls: `orders.url`, or the endpoint's own DNS name with its path. */
  readonly url: string;
  readonly secretArn: string;
  readonly timeoutMs: number;
}

/**
 * The VPC: isolated private subnets across 2 AZs (3 in prod) for the fulfillment Lambda and
 * Redis, VPC endpoints for every AWS API on the hot path, flow logs, and the Lambda security
 * group that the data stack admits to Redis.
 */
export class NetworkStack extends PlatformStack {
  readonly vpc: ec2.IVpc;
  readonly lambdaSecurityGroup: ec2.ISecurityGroup;
  /**
   * The order system as the fulfillment reaches it (config `orders`); undefined for `sample`.
   * Bind it with `FulfillmentFunction.bindOrders`.
   */
  readonly orderSource?: OrderSourcePath;
  /** Where the fulfillment runs: the egress subnets with `orders.source` `nat`, else undefined (its default). */
  readonly fulfillmentSubnets?: ec2.SubnetSelection;
  /** The interface endpoint to the order system's endpoint service (`privatelink`). */
  readonly orderEndpoint?: ec2.InterfaceVpcEndpoint;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const vpc = this.createVpc();
    this.addFlowLogs(vpc);
    const lambdaSecurityGroup = this.createLambdaSecurityGroup(vpc);
    this.addInterfaceEndpoints(vpc, lambdaSecurityGroup);
    this.vpc = vpc;
    this.lambdaSecurityGroup = lambdaSecurityGroup;
    const { orders } = this.config;
    if (orders.source === 'privatelink') this.orderEndpoint = this.addOrderEndpoint(vpc, lambdaSecurityGroup);
    if (orders.source !== 'sample') {
      const url = this.orderEndpoint ? this.orderEndpointUrl(this.orderEndpoint) : orders.url!;
      this.orderSource = { url, secretArn: orders.secretArn!, timeoutMs: orders.timeoutMs };
    }
    if (orders.source === 'nat') this.fulfillmentSubnets = { subnetGroupName: ORDERS_EGRESS_SUBNETS };
  }

  /**
   * `privatelink`: an interface endpoint to the order system's endpoint service in the private
   * subnets, admitting HTTPS from the Lambda security group only. With private DNS, `orders.url`
   * resolves to it inside the VPC and is called as is; without, the fulfillment calls the
   * endpoint's own regional DNS name with `orders.url`'s path (the order system's certificate
   * must cover that name) (orderEndpointUrl).
   */
  private addOrderEndpoint(vpc: ec2.Vpc, lambdaSecurityGroup: ec2.ISecurityGroup): ec2.InterfaceVpcEndpoint {
    const { privateLink } = this.config.orders;
    const securityGroup = new ec2.SecurityGroup(this, 'OrderEndpointSecurityGroup', {
      vpc,
      description: 'Order system PrivateLink endpoint: HTTPS from the conversation Lambdas',
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(
      lambdaSecurityGroup,
      ec2.Port.tcp(443),
      'HTTPS from the conversation Lambdas',
    );
    return vpc.addInterfaceEndpoint('OrderSourceEndpoint', {
      service: new ec2.InterfaceVpcEndpointService(privateLink!.serviceName, 443),
      subnets: vpc.selectSubnets({ subnetType: this.privateSubnetType }),
      privateDnsEnabled: privateLink!.privateDns,
      securityGroups: [securityGroup],
      open: false,
    });
  }

  /** The URL the fulfillment calls through the endpoint: `orders.url` with private DNS, else the endpoint's DNS name + its path. */
  private orderEndpointUrl(endpoint: ec2.InterfaceVpcEndpoint): string {
    const { url, privateLink } = this.config.orders;
    if (privateLink!.privateDns) return url!;
    // DnsEntries[0] is "<hosted zone id>:<regional DNS name>"
    const host = Fn.select(1, Fn.split(':', Fn.select(0, endpoint.vpcEndpointDnsEntries)));
    const { pathname } = new URL(url!);
    return `https://${host}${pathname === '/' ? '' : pathname}`;
  }

  /** The subnet type of the private subnets: isolated without NAT (the default), else with egress. */
  private get privateSubnetType(): ec2.SubnetType {
    return this.config.network.natGateways > 0
      ? ec2.SubnetType.PRIVATE_WITH_EGRESS
      : ec2.SubnetType.PRIVATE_ISOLATED;
  }

  /** The VPC, its private (and, with NAT, public) subnets and the free gateway endpoints. */
  private createVpc(): ec2.Vpc {
    const { network, orders } = this.config;
    // `orders.source` nat: a NAT (public subnets) for the fulfillment's egress subnets only; the
    // groups come after Private, so the private subnets keep their CIDRs and ids.
    const ordersNat = orders.source === 'nat';
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
      maxAzs: network.maxAzs,
      natGateways: ordersNat ? (orders.nat?.gateways ?? 1) : network.natGateways,
      subnetConfiguration: [
        { name: 'Private', subnetType: this.privateSubnetType, cidrMask: 20 },
        ...(network.natGateways > 0 || ordersNat
          ? [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }]
          : []),
        ...(ordersNat
          ? [{ name: ORDERS_EGRESS_SUBNETS, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 }]
          : []),
      ],
      restrictDefaultSecurityGroup: true,
      gatewayEndpoints: {
        DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      },
    });
    acknowledge(
      vpc,
      'Subnet AZ names come from config (network.availabilityZones, default <region>a, b, c) so synth never looks them up from an account (docs/architecture.md, "Offline synth"); set them per account where a letter is missing.',
      'CloudFormation-Validate::W3010',
    );
    return vpc;
  }

  private addFlowLogs(vpc: ec2.Vpc): void {
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      retention: this.logRetention,
      removalPolicy: this.statefulRemovalPolicy,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }

  /**
   * The Lambda security group. Egress is closed by default; the data stack opens Redis's port
   * towards the Redis SG. HTTPS: interface endpoints live in the VPC CIDR, gateway endpoints
   * (DynamoDB, S3) are reached at the services' prefix-list addresses via the route table. The
   * isolated subnets have no other route out, so 443 to any address only ever reaches AWS endpoints.
   */
  private createLambdaSecurityGroup(vpc: ec2.IVpc): ec2.SecurityGroup {
    const lambdaSecurityGroup = new ec2.SecurityGroup(this, 'LambdaSecurityGroup', {
      vpc,
      description: 'Conversation Lambdas: HTTPS to VPC endpoints, Redis to the session store',
      allowAllOutbound: false,
    });
    lambdaSecurityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to VPC endpoints only (no route out)',
    );
    return lambdaSecurityGroup;
  }

  /** INTERFACE_ENDPOINTS, admitting HTTPS from the Lambda security group only (not the whole VPC). */
  private addInterfaceEndpoints(vpc: ec2.Vpc, lambdaSecurityGroup: ec2.ISecurityGroup): void {
    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc,
      description: 'Interface VPC endpoints: HTTPS from the conversation Lambdas',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(
      lambdaSecurityGroup,
      ec2.Port.tcp(443),
      'HTTPS from the conversation Lambdas',
    );
    const privateSubnets = vpc.selectSubnets({ subnetType: this.privateSubnetType });
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      vpc.addInterfaceEndpoint(`${name}Endpoint`, {
        service,
        subnets: privateSubnets,
        privateDnsEnabled: true,
        securityGroups: [endpointSecurityGroup],
        open: false,
      });
    }
  }
}
