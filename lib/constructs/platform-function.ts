import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { METRIC_NAMESPACE } from '../../contracts/metrics';
import { chunkBuildCommand, chunkEntry, ESBUILD_OPTIONS } from '../../bundling/index';
import { acknowledge } from '../nag';

/** The runtime of every function (the cold-start bench measures with the same Node.js major). */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** NodejsFunction's form of ESBUILD_OPTIONS (bundling/index.ts), which the bench measures. */
export const BUNDLING: nodejs.BundlingOptions = {
  minify: ESBUILD_OPTIONS.minify,
  sourceMap: ESBUILD_OPTIONS.sourcemap,
  target: ESBUILD_OPTIONS.target,
  format: nodejs.OutputFormat.CJS,
  // Bundle @aws-sdk/* too (none external), so SDK versions are pinned by package-lock.json.
  externalModules: [...ESBUILD_OPTIONS.external],
  mainFields: [...ESBUILD_OPTIONS.mainFields],
  logLevel: nodejs.LogLevel.WARNING, // ESBUILD_OPTIONS.logLevel: synth prints no bundle sizes
  esbuildArgs: Object.fromEntries(
    Object.entries(ESBUILD_OPTIONS.alias).map(([from, to]) => [`--alias:${from}`, to]),
  ),
};

export interface PlatformFunctionProps extends Omit<
  nodejs.NodejsFunctionProps,
  'runtime' | 'architecture' | 'tracing' | 'logGroup'
> {
  /** Entry file under src/handlers. */
  readonly entry: string;
  /** Powertools service name (also the `service` metric dimension). */
  readonly serviceName: string;
  /** CloudWatch Logs retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
  /** Memory, MB (explicit: the Serverless nag pack requires it). */
  readonly memorySize: number;
  /** Timeout (explicit: the Serverless nag pack requires it). */
  readonly timeout: Duration;
  /** Why any other statement of this role needs `Resource: *` (added to the nag acknowledgement). */
  readonly wildcardReason?: string;
  /**
   * Chunks (src/chunks/<name>.ts) the handler loads on first use: each is bundled with the same
   * options into `<name>.js` next to `index.js`, so the handler's own bundle stays small.
   * @default - none
   */
  readonly chunks?: readonly string[];
  /**
   * Why the function needs no DLQ or async failure destination (the nag acknowledgement's reason).
   * @default - it is invoked synchronously only (API Gateway, Lex code hook)
   */
  readonly noDeadLetterReason?: string;
}

/**
 * The project's Lambda defaults in one place: Node.js 24 on arm64, X-Ray active tracing, a log
 * group with retention, minified esbuild bundle (no Docker, no source maps), Powertools
 * environment. `bind*` methods grant and set environment together (Powertools examples).
 */
export class PlatformFunction extends nodejs.NodejsFunction {
  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    const {
      serviceName,
      logRetention,
      environment,
      bundling,
      wildcardReason,
      chunks = [],
      noDeadLetterReason,
      ...rest
    } = props;
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logRetention });
    super(scope, id, {
      ...rest,
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      bundling: {
        ...BUNDLING,
        ...(chunks.length > 0
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  chunks.map((name) =>
                    chunkBuildCommand(join(inputDir, chunkEntry(name)), join(outputDir, `${name}.js`)),
                  ),
              },
            }
          : {}),
        ...bundling,
      },
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...environment,
      },
    });

    this.acknowledgeDefaults(props.vpc !== undefined, wildcardReason, noDeadLetterReason);
  }

  /** The findings every platform function causes by design, each for its specific reason. */
  private acknowledgeDefaults(inVpc: boolean, wildcardReason?: string, noDeadLetterReason?: string): void {
    const role = this.role as iam.Role;
    acknowledge(
      role,
      'AWS-managed basic execution policy: only logs:CreateLogGroup/CreateLogStream/PutLogEvents, for this function’s own log group.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    );
    if (inVpc) {
      acknowledge(
        role,
        'AWS-managed VPC access policy: the ENI actions a VPC Lambda needs, which IAM cannot scope to resources.',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      );
    }
    // X-Ray active tracing adds xray:PutTraceSegments/PutTelemetryRecords, which have no resource type.
    acknowledge(
      role,
      ['X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) have no resource type.', wildcardReason]
        .filter(Boolean)
        .join(' '),
      'AwsSolutions-IAM5[Resource::*]',
    );
    // Synchronous invocations only (API Gateway, Lex code hook): a DLQ or async failure
    // destination would never receive anything; failures surface to the caller and to alarms.
    acknowledge(
      this,
      noDeadLetterReason ??
        'Invoked synchronously only (API Gateway / Lex code hook): errors return to the caller and raise the Errors alarm; there is no async event to dead-letter.',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaAsyncFailureDestination',
    );
  }
}
