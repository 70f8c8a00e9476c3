import { CfnOutput } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CodeBuildStep, IFileSetProducer } from 'aws-cdk-lib/pipelines';
import { EnvironmentName } from '../config/types';

/** Node.js the pipeline's CodeBuild steps run (the project's CI runtime; Artillery needs >= 22). */
export const CODEBUILD_NODE_VERSION = '22';

/** CodeBuild image every pipeline step runs on (Ubuntu, ships Node 22 and Google Chrome). */
export const CODEBUILD_IMAGE = codebuild.LinuxBuildImage.STANDARD_7_0;

/** The `reports/` directory the load-test npm script writes `<profile>-<timestamp>.{json,html,md}` to. */
export const REPORTS_DIRECTORY = 'reports';

/** Where a load test's reports are copied to, so the approver has a fixed place to read them. */
export interface LoadTestReportDestination {
  /** Bucket (in the pipeline account) the reports are copied to. */
  readonly bucket: s3.IBucket;
  /** The bucket's KMS key, if it has one (the step needs to encrypt with it). */
  readonly encryptionKey?: kms.IKey;
}

export interface LoadTestStepProps {
  /** Files the step runs in: the source checkout (package.json, load-tests/). */
  readonly input: IFileSetProducer;
  /** The stage's `ApiUrl` output; read at run time through `envFromCfnOutputs` as `API_URL`. */
  readonly apiUrl: CfnOutput;
  /** Artillery profile (`load-tests/`): `smoke` after dev, `capacity` after staging. */
  readonly profile: 'smoke' | 'capacity';
  /** Environment under test; selects its thresholds (`--env`) and its invoker role. */
  readonly environment: EnvironmentName;
  /** Account the environment is deployed to: the invoker role lives there. */
  readonly targetAccount: string;
  /** Name of the invoker role in the target account (`loadTestInvokerRoleName(env)`). */
  readonly invokerRoleName: string;
  /**
   * Distributed Artillery workers (`run-fargate --count`); 0 runs one process inside CodeBuild.
   * @default 0
   */
  readonly workers?: number;
  /**
   * What the Fargate runner needs in the pipeline account (see `ArtilleryFargate`). Required
   * when `workers > 0`.
   * @default - none
   */
  readonly fargateRunnerStatements?: iam.PolicyStatement[];
  /**
   * Copy the reports to `s3://<bucket>/<environment>/<pipeline execution id>/` as well.
   * @default - the reports are only the step's output artifact
   */
  readonly reportDestination?: LoadTestReportDestination;
  /**
   * Partition of the invoker role ARN.
   * @default 'aws'
   */
  readonly partition?: string;
}

/**
 * Runs the repo's Artillery npm scripts against a freshly deployed stage, exactly as a developer
 * runs them locally: `npm ci && npm run loadtest:install`, then
 * `npm run loadtest -- --target "$API_URL" --profile <p> --env <e> [--distributed <n>]`.
 * The script authenticates by assuming the stage's invoker role (`LOADTEST_ROLE_ARN`, the only
 * role this step may assume) and exits non-zero when a `plugins.ensure` threshold fails, which
 * fails the stage. `reports/**` is the step's primary output; the markdown summary is printed
 * to the build log whether the test passed or not.
 */
export class LoadTestStep extends CodeBuildStep {
  readonly profile: 'smoke' | 'capacity';
  readonly environment: EnvironmentName;
  readonly workers: number;
  /** The only role this step may assume: the invoker role in the target account. */
  readonly invokerRoleArn: string;
  /** Where the reports are copied, as an `s3://` URL prefix (without the execution id). */
  readonly reportLocation?: string;

  constructor(id: string, props: LoadTestStepProps) {
    const workers = props.workers ?? 0;
    if (!Number.isInteger(workers) || workers < 0) {
      throw new Error(`load test workers must be a non-negative integer, got ${workers}`);
    }
    if (workers > 0 && !props.fargateRunnerStatements?.length) {
      throw new Error('load test fargateRunnerStatements are required when workers > 0 (run-fargate)');
    }
    if (!/^\d{12}$/.test(props.targetAccount)) {
      throw new Error(`load test targetAccount must be a 12-digit account id, got '${props.targetAccount}'`);
    }
    const invokerRoleArn = `arn:${props.partition ?? 'aws'}:iam::${props.targetAccount}:role/${props.invokerRoleName}`;
    const destination = props.reportDestination;
    const reportPrefix = destination ? `${props.environment}/` : undefined;

    const run = [
      'npm run loadtest --',
      '--target "$API_URL"',
      `--profile ${props.profile}`,
      `--env ${props.environment}`,
      ...(workers > 0 ? [`--distributed ${workers}`] : []),
    ].join(' ');

    const statements: iam.PolicyStatement[] = [
      new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [invokerRoleArn] }),
      ...(props.fargateRunnerStatements ?? []),
    ];
    if (destination && reportPrefix) {
      statements.push(
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [destination.bucket.arnForObjects(`${reportPrefix}*`)],
        }),
      );
      if (destination.encryptionKey) {
        statements.push(
          new iam.PolicyStatement({
            actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
            resources: [destination.encryptionKey.keyArn],
          }),
        );
      }
    }

    const postBuild = [
      `echo "===== ${props.environment} ${props.profile} load test summary ====="`,
      `cat ${REPORTS_DIRECTORY}/*.md 2>/dev/null || echo "no markdown summary in ${REPORTS_DIRECTORY}/"`,
      ...(destination && reportPrefix
        ? [
            `aws s3 cp --recursive ${REPORTS_DIRECTORY}/ "s3://${destination.bucket.bucketName}/${reportPrefix}$PIPELINE_EXECUTION_ID/"` +
              ` && echo "reports copied to s3://${destination.bucket.bucketName}/${reportPrefix}$PIPELINE_EXECUTION_ID/"`,
          ]
        : []),
    ];

    super(id, {
      input: props.input,
      envFromCfnOutputs: { API_URL: props.apiUrl },
      env: {
        LOADTEST_ROLE_ARN: invokerRoleArn,
        LOADTEST_PROFILE: props.profile,
        LOADTEST_ENV: props.environment,
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
        // Resolved by CodePipeline at run time (CDK moves `#{...}` values to the action's env).
        PIPELINE_EXECUTION_ID: '#{codepipeline.PipelineExecutionId}',
      },
      installCommands: ['npm ci', 'npm run loadtest:install'],
      commands: [`mkdir -p ${REPORTS_DIRECTORY}`, run],
      primaryOutputDirectory: REPORTS_DIRECTORY,
      rolePolicyStatements: statements,
      buildEnvironment: { buildImage: CODEBUILD_IMAGE, computeType: codebuild.ComputeType.MEDIUM },
      partialBuildSpec: codebuild.BuildSpec.fromObject({
        phases: {
          install: { 'runtime-versions': { nodejs: CODEBUILD_NODE_VERSION } },
          // post_build runs after a failed build phase too: the summary is always in the log.
          post_build: { commands: postBuild },
        },
      }),
    });
    this.profile = props.profile;
    this.environment = props.environment;
    this.workers = workers;
    this.invokerRoleArn = invokerRoleArn;
    this.reportLocation =
      destination && reportPrefix ? `s3://${destination.bucket.bucketName}/${reportPrefix}` : undefined;
  }
}
