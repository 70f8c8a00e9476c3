import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '../config/types';

export interface PlatformStackProps extends StackProps {
  /** The environment this stack belongs to; account and region come from it. */
  readonly config: EnvironmentConfig;
}

const AZ_SUFFIXES = ['a', 'b', 'c', 'd', 'e', 'f'];

/**
 * Base of every platform stack: environment from config, and availability zones from config
 * rather than from an account lookup, so `cdk synth` never needs credentials (docs/architecture.md, "Offline synth").
 */
export abstract class PlatformStack extends Stack {
  readonly config: EnvironmentConfig;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, { ...props, env: { account: props.config.account, region: props.config.region } });
    this.config = props.config;
  }

  /** `network.availabilityZones`, else `<region>a`, `<region>b`, ... as many as the VPC spans: no lookup. */
  override get availabilityZones(): string[] {
    const { network, region } = this.config;
    return network.availabilityZones
      ? [...network.availabilityZones]
      : AZ_SUFFIXES.slice(0, network.maxAzs).map((s) => `${region}${s}`);
  }

  /** DESTROY in dev, RETAIN elsewhere, for stateful resources. */
  protected get statefulRemovalPolicy(): RemovalPolicy {
    return this.config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
  }

  protected get logRetention(): RetentionDays {
    return this.config.logRetentionDays as RetentionDays;
  }
}
