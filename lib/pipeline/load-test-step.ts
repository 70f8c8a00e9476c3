import { CfnOutput } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CodeBuildStep, IFileSetProducer } from 'aws-cdk-lib/pipelines';
import { EnvironmentName } from '../config/types';
import { LOAD_TEST_INVOKER_ROLE_PATH, loadTestInvokerRoles } from '../stacks/bot-stack';
import { WildcardGrant } from './wildcards';

/** Node.js the pipeline's CodeBuild steps run (the project's CI runtime; Artillery needs >= 22). */
export const CODEBUILD_NODE_VERSION = '22';

/** CodeBuild image every pipeline step runs on (Ubuntu, ships Node 22 and Google Chrome). */
export const CODEBUILD_IMAGE = codebuild.LinuxBuildImage.STANDARD_7_0;

/** The `reports/` directory the load-test npm script writes `<profile>-<timestamp>.{json,html,md}` to. */
export const REPORTS_DIRECTORY = 'reports';

/**
 * What `npm run cost` writes in the step when it computes the cost summary: the JSON (at the path
 * `npm run loadtest` reads by default, so the report shows it too) and, copied beside the report,
 * the JSON and the printed table (monthly cost per environment, per 1,000 conversations, top
 * drivers, within/OVER budget).
 */
export const COST_SUMMARY = {
  /** Where the load-test report reads the summary from (`npm run loadtest`'s default). */
  input: 'cost-report.json',
  /** Beside the reports: the machine-readable summary. */
  json: `${REPORTS_DIRECTORY}/cost-summary.json`,
  /** Beside the reports: the table `npm run cost` prints. */
  table: `${REPORTS_DIRECTORY}/cost-summary.txt`,
} as const;

/** The command that prices an environment from the source the pipeline deployed (docs/cost.md). */
export const costCommand = (environment: EnvironmentName): string => `npm run cost -- --env ${environment}`;

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
  /**
   * The stage's `LoadTestInvokerRoleArn` output; read at run time as `LOADTEST_ROLE_ARN` (the
   * role's name is generated, so its ARN is only known once the stage is deployed).
   */
  readonly invokerRoleArn: CfnOutput;
  /** Artillery profile (`load-tests/`): `smoke` after dev, `capacity` after staging. */
  readonly profile: 'smoke' | 'capacity';
  /** Environment under test; selects its thresholds (`--env`). */
  readonly environment: EnvironmentName;
  /** Account the environment is deployed to: its invoker role is the only role the step may assume. */
  readonly targetAccount: string;
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
  /**
   * Compute the cost summary (`npm run cost`, every environment, from the same source) before the
   * load test, so the report shows it, and keep it beside the reports (COST_SUMMARY). A failure
   * to compute it does not fail the step: the build log says so, and the approver runs the
   * command themselves.
   * @default false
   */
  readonly costSummary?: boolean;
}

/**
 * The one wildcard of `sts:AssumeRole` in the load-test policies (the step's and the Artillery
 * workers'): the generated name of the invoker role, under its path, in one target account.
 */
export const INVOKER_ROLES_WILDCARD: WildcardGrant = {
  reason: `A load test assumes its stage's invoker role, whose name CloudFormation generates: the * is that name, under the invoker path (${LOAD_TEST_INVOKER_ROLE_PATH}) of the one target account; the exact ARN comes from the stage's LoadTestInvokerRoleArn output at run time.`,
  findings: new RegExp(
    String.raw`^Resource::arn:[\w-]+:iam::\d{12}:role` +
      LOAD_TEST_INVOKER_ROLE_PATH.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') +
      String.raw`\*$`,
  ),
};

/** Checks the props; returns the worker count. */
function validate(props: LoadTestStepProps): number {
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
  return workers;
}

/** The environment's reports prefix in the destination bucket, if the reports are copied. */
const reportPrefix = (props: LoadTestStepProps): string | undefined =>
  props.reportDestination ? `${props.environment}/` : undefined;

/** What the step may do: assume the invoker role, run Artillery on Fargate, write its reports. */
function policyStatements(props: LoadTestStepProps, invokerRoles: string): iam.PolicyStatement[] {
  const statements = [
    new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [invokerRoles] }),
    ...(props.fargateRunnerStatements ?? []),
  ];
  const destination = props.reportDestination;
  const prefix = reportPrefix(props);
  if (destination && prefix) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [destination.bucket.arnForObjects(`${prefix}*`)],
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
  return statements;
}

/**
 * build, before the load test: the cost summary of every environment (an offline synth of the
 * same source), its JSON where the report reads it and copied beside the reports, its table in
 * the reports too. Not computed: one line in the log, and the step goes on.
 */
function costSummaryCommands(): string[] {
  return [
    `if npm run --silent cost -- --out ${COST_SUMMARY.input} > ${COST_SUMMARY.table}; ` +
      `then cp ${COST_SUMMARY.input} ${COST_SUMMARY.json}; ` +
      `else rm -f ${COST_SUMMARY.table}; echo "cost summary NOT computed (see above): run '${costCommand('prod')}' before approving"; fi`,
  ];
}

/** post_build: print the summaries, copy the reports (runs after a failed build phase too). */
function postBuildCommands(props: LoadTestStepProps): string[] {
  const destination = props.reportDestination;
  const prefix = reportPrefix(props);
  const target = destination && `s3://${destination.bucket.bucketName}/${prefix}$PIPELINE_EXECUTION_ID/`;
  return [
    `echo "===== ${props.environment} ${props.profile} load test summary ====="`,
    `cat ${REPORTS_DIRECTORY}/*.md 2>/dev/null || echo "no markdown summary in ${REPORTS_DIRECTORY}/"`,
    ...(props.costSummary
      ? [
          'echo "===== cost summary (npm run cost) ====="',
          `cat ${COST_SUMMARY.table} 2>/dev/null || echo "no cost summary in ${REPORTS_DIRECTORY}/"`,
        ]
      : []),
    ...(target
      ? [`aws s3 cp --recursive ${REPORTS_DIRECTORY}/ "${target}" && echo "reports copied to ${target}"`]
      : []),
  ];
}

/**
 * Runs the repo's Artillery npm scripts against a freshly deployed stage, exactly as a developer
 * runs them locally: `npm ci` (which installs the load-tests workspace), then
 * `npm run loadtest -- --target "$API_URL" --profile <p> --env <e> [--distributed <n>]`.
 * The script authenticates by assuming the stage's invoker role (`LOADTEST_ROLE_ARN`, read from
 * the stage's output; the only role this step may assume) and exits non-zero when a
 * `plugins.ensure` threshold fails, which fails the stage. `reports/**` is the step's primary
 * output; the markdown summary is printed to the build log whether the test passed or not. With
 * `costSummary`, `npm run cost` runs first: the report includes its summary, and the JSON and table
 * are kept beside the report.
 */
export class LoadTestStep extends CodeBuildStep {
  readonly profile: 'smoke' | 'capacity';
  readonly environment: EnvironmentName;
  readonly workers: number;
  /** The only roles this step may assume: the invoker roles of the target account (an ARN pattern). */
  readonly invokerRoles: string;
  /** Where the reports are copied, as an `s3://` URL prefix (without the execution id). */
  readonly reportLocation?: string;
  /** The bucket the reports are copied to, if they are. */
  readonly reportBucket?: s3.IBucket;
  /** Their prefix in that bucket (`<environment>/`), before the execution id. */
  readonly reportPrefix?: string;
  /** Whether the cost summary is computed and kept beside the reports (COST_SUMMARY). */
  readonly costSummary: boolean;

  constructor(id: string, props: LoadTestStepProps) {
    const workers = validate(props);
    const invokerRoles = loadTestInvokerRoles(props.targetAccount, props.partition ?? 'aws');
    const run = [
      'npm run loadtest --',
      '--target "$API_URL"',
      `--profile ${props.profile}`,
      `--env ${props.environment}`,
      ...(workers > 0 ? [`--distributed ${workers}`] : []),
    ].join(' ');

    super(id, {
      input: props.input,
      envFromCfnOutputs: { API_URL: props.apiUrl, LOADTEST_ROLE_ARN: props.invokerRoleArn },
      env: {
        LOADTEST_PROFILE: props.profile,
        LOADTEST_ENV: props.environment,
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
        // Resolved by CodePipeline at run time (CDK moves `#{...}` values to the action's env).
        PIPELINE_EXECUTION_ID: '#{codepipeline.PipelineExecutionId}',
      },
      installCommands: ['npm ci'],
      commands: [`mkdir -p ${REPORTS_DIRECTORY}`, ...(props.costSummary ? costSummaryCommands() : []), run],
      primaryOutputDirectory: REPORTS_DIRECTORY,
      rolePolicyStatements: policyStatements(props, invokerRoles),
      buildEnvironment: { buildImage: CODEBUILD_IMAGE, computeType: codebuild.ComputeType.MEDIUM },
      partialBuildSpec: codebuild.BuildSpec.fromObject({
        phases: {
          install: { 'runtime-versions': { nodejs: CODEBUILD_NODE_VERSION } },
          // post_build runs after a failed build phase too: the summary is always in the log.
          post_build: { commands: postBuildCommands(props) },
        },
      }),
    });
    this.profile = props.profile;
    this.environment = props.environment;
    this.workers = workers;
    this.invokerRoles = invokerRoles;
    this.costSummary = props.costSummary ?? false;
    this.reportBucket = props.reportDestination?.bucket;
    const prefix = reportPrefix(props);
    this.reportPrefix = prefix;
    this.reportLocation = props.reportDestination
      ? `s3://${props.reportDestination.bucket.bucketName}/${prefix}`
      : undefined;
  }
}
