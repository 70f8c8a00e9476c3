import { basename } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as notifications from 'aws-cdk-lib/aws-codestarnotifications';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import {
  CodeBuildStep,
  CodePipeline,
  CodePipelineSource,
  ManualApprovalStep,
  ShellStep,
  Step,
} from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { BotModel } from '../../contracts/bot-model/types';
import {
  AppConfig,
  ENVIRONMENT_NAMES,
  EnvironmentConfig,
  EnvironmentName,
  PipelineConfig,
} from '../config/types';
import { validateConfig } from '../config/validate';
import { acknowledge } from '../nag';
import { loadTestInvokerRoles } from '../stacks/bot-stack';
import { ConversationalPlatformStage } from '../stages/conversational-platform-stage';
import { TOOLING_ENVIRONMENT, tagStack } from '../tags';
import { ArtilleryFargate } from './artillery-fargate';
import {
  CODEBUILD_IMAGE,
  CODEBUILD_NODE_VERSION,
  COST_SUMMARY,
  LoadTestStep,
  costCommand,
} from './load-test-step';
import { acknowledgePipelineFindings } from './pipeline-nag';

export interface PipelineStackProps extends StackProps {
  /** The whole app config: the tooling account hosts this stack; dev, staging, prod are its targets. */
  readonly config: AppConfig;
  /**
   * Bot model of every stage.
   * @default BOT_MODEL (contracts/bot-model)
   */
  readonly botModel?: BotModel;
  /**
   * Path of the Chrome/Chromium binary on the synth image, for the web-chat browser test.
   * @default '/usr/bin/google-chrome' (CodeBuild standard:7.0)
   */
  readonly chromiumPath?: string;
}

/** Construct id of each environment's stage inside the pipeline stack. */
export const STAGE_IDS: Readonly<Record<EnvironmentName, string>> = {
  dev: 'Dev',
  staging: 'Staging',
  prod: 'Prod',
};

/** The pipeline's CodeBuild steps: the Ubuntu standard image with Node 22 selected. */
const NODE_22_BUILDSPEC = codebuild.BuildSpec.fromObject({
  phases: { install: { 'runtime-versions': { nodejs: CODEBUILD_NODE_VERSION } } },
});

/** Where docs/deployment.md lists what to check before approving a prod deployment. */
export const APPROVAL_CRITERIA = 'docs/deployment.md section 7';

/**
 * The IAM action that lets a pipeline use a source connection. IAM matches an action's service
 * prefix to the resource's: a `codeconnections` connection ARN needs `codeconnections:UseConnection`,
 * an older `codestar-connections` one `codestar-connections:UseConnection`.
 */
export function useConnectionAction(connectionArn: string): string {
  const service = connectionArn.split(':')[2];
  if (service !== 'codeconnections' && service !== 'codestar-connections') {
    throw new Error(`pipeline source: not a CodeConnections connection ARN: ${connectionArn}`);
  }
  return `${service}:UseConnection`;
}

/**
 * The delivery pipeline, in the tooling account: source (CodeConnections, on push) -> synth
 * (npm ci, the whole test suite against a local Redis and Chrome, cdk synth with cdk-nag) ->
 * self-mutation -> assets -> Dev (+ smoke load test) -> Staging (+ distributed capacity load
 * test, reports kept) -> manual approval (pointing at the staging report) -> Prod (+ health
 * check). Failures and pending approvals go to an encrypted SNS topic.
 */
export class PipelineStack extends Stack {
  readonly pipeline: CodePipeline;
  readonly source: CodePipelineSource;
  readonly synthStep: CodeBuildStep;
  readonly stages: Readonly<Record<EnvironmentName, ConversationalPlatformStage>>;
  readonly loadTests: Readonly<Partial<Record<EnvironmentName, LoadTestStep>>>;
  readonly approval: ManualApprovalStep;
  readonly notificationTopic: sns.Topic;
  readonly notificationRule: notifications.NotificationRule;
  readonly reportsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly artilleryFargate?: ArtilleryFargate;
  /** The LoadTestReports bucket's name, where the approver reads the staging report. */
  readonly reportsBucketOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    const config = validateConfig(props.config);
    super(scope, id, {
      ...props,
      env: { account: config.pipeline.account, region: config.pipeline.region },
    });

    this.accessLogsBucket = this.createAccessLogsBucket();
    this.reportsBucket = this.createReportsBucket();
    this.source = CodePipelineSource.connection(config.pipeline.repository, config.pipeline.branch, {
      connectionArn: config.pipeline.connectionArn,
      triggerOnPush: true,
    });
    this.synthStep = this.createSynthStep(props.chromiumPath);
    this.pipeline = this.createPipeline();
    this.artilleryFargate = this.createArtilleryFargate(config);

    const { stages, loadTests, approval } = this.addStages(config, props.botModel);
    this.stages = stages;
    this.loadTests = loadTests;
    this.approval = approval;

    this.pipeline.buildPipeline();
    this.tagCostAllocation(config.pipeline);
    this.grantSourceConnection(config.pipeline.connectionArn);
    this.logArtifactBucketAccess();
    this.notificationTopic = this.createNotificationTopic(config.pipeline);
    this.notificationRule = new notifications.NotificationRule(this, 'PipelineNotifications', {
      source: this.pipeline.pipeline,
      events: [
        'codepipeline-pipeline-pipeline-execution-failed',
        'codepipeline-pipeline-manual-approval-needed',
      ],
      targets: [this.notificationTopic],
      detailType: notifications.DetailType.FULL,
    });
    // no export: read by people (and the approval text), not by another stack
    this.reportsBucketOutput = new CfnOutput(this, 'LoadTestReportsBucketName', {
      value: this.reportsBucket.bucketName,
      description:
        'Bucket of the load-test reports and cost summaries the prod approver reads: ' +
        's3://<this bucket>/<env>/<pipeline execution id>/ (docs/deployment.md section 7)',
    });

    acknowledgePipelineFindings(this, { pipeline: this.pipeline, loadTests: this.loadTests });
  }

  /** The invoker roles the bot stack creates in an environment's account (an ARN pattern). */
  invokerRoles(env: EnvironmentConfig): string {
    return loadTestInvokerRoles(env.account, this.partition);
  }

  /**
   * The pipeline's cost-allocation tags (lib/tags), on this stack and on the support stacks
   * CodePipeline adds beside it for a stage in another Region (call after `buildPipeline()`).
   * The stages inside tag themselves: tags do not cross a Stage's boundary.
   */
  private tagCostAllocation(pipeline: PipelineConfig): void {
    const supportStacks = Object.values(this.pipeline.pipeline.crossRegionSupport).map((s) => s.stack);
    for (const stack of [this, ...supportStacks]) {
      tagStack(stack, {
        costAllocation: pipeline.costAllocation,
        environment: TOOLING_ENVIRONMENT,
        component: 'pipeline',
      });
    }
  }

  /** The staging load-test reports the approver reads (KMS-encrypted, access-logged, kept a year). */
  private createReportsBucket(): s3.Bucket {
    const reportsKey = new kms.Key(this, 'ReportsKey', {
      description: 'Encrypts the load-test reports of the delivery pipeline',
      enableKeyRotation: true,
    });
    return new s3.Bucket(this, 'LoadTestReports', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: reportsKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'load-test-reports/',
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** npm ci, the whole test suite (against a local Redis and Chrome), then cdk synth. */
  private createSynthStep(chromiumPath?: string): CodeBuildStep {
    return new CodeBuildStep('Synth', {
      input: this.source,
      env: {
        // The suite's integration tests need a Redis and a browser (test/helpers honour these).
        REDIS_URL: 'redis://127.0.0.1:6379',
        CHROMIUM_PATH: chromiumPath ?? '/usr/bin/google-chrome',
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
      },
      installCommands: [
        'apt-get update -y',
        'apt-get install -y --no-install-recommends redis-server',
        'redis-server --daemonize yes --bind 127.0.0.1 --port 6379',
        // also installs the load-tests workspace: the suite's smoke load test needs Artillery
        'npm ci',
      ],
      commands: ['npm test', 'npx cdk synth'],
      primaryOutputDirectory: 'cdk.out',
    });
  }

  private createPipeline(): CodePipeline {
    return new CodePipeline(this, 'Pipeline', {
      pipelineName: 'conversational-platform',
      synth: this.synthStep,
      selfMutation: true,
      crossAccountKeys: true,
      enableKeyRotation: true,
      dockerEnabledForSynth: false,
      dockerEnabledForSelfMutation: false,
      codeBuildDefaults: {
        buildEnvironment: { buildImage: CODEBUILD_IMAGE, computeType: codebuild.ComputeType.MEDIUM },
        partialBuildSpec: NODE_22_BUILDSPEC,
        logging: {
          cloudWatch: {
            logGroup: new logs.LogGroup(this, 'BuildLogs', {
              retention: logs.RetentionDays.THREE_MONTHS,
              removalPolicy: RemovalPolicy.DESTROY,
            }),
          },
        },
      },
    });
  }

  /** What `run-fargate` needs, when an environment's load test runs distributed. */
  private createArtilleryFargate(config: AppConfig): ArtilleryFargate | undefined {
    const envs = config.environments;
    const fargateTargets = ENVIRONMENT_NAMES.filter(
      (n) => envs[n].loadTest.profile && envs[n].loadTest.workers > 0,
    );
    return fargateTargets.length > 0
      ? new ArtilleryFargate(this, 'ArtilleryFargate', {
          invokerRoleArns: fargateTargets.map((n) => this.invokerRoles(envs[n])),
        })
      : undefined;
  }

  /** One stage per environment, each followed by its load test; prod behind the approval. */
  private addStages(
    config: AppConfig,
    botModel: BotModel | undefined,
  ): {
    stages: Record<EnvironmentName, ConversationalPlatformStage>;
    loadTests: Partial<Record<EnvironmentName, LoadTestStep>>;
    approval: ManualApprovalStep;
  } {
    const stages = {} as Record<EnvironmentName, ConversationalPlatformStage>;
    const loadTests: Partial<Record<EnvironmentName, LoadTestStep>> = {};
    let approval: ManualApprovalStep | undefined;
    for (const name of ENVIRONMENT_NAMES) {
      const env = config.environments[name];
      const stage = new ConversationalPlatformStage(this, STAGE_IDS[name], {
        config: env,
        loadTestAccount: config.pipeline.account,
        botModel,
      });
      stages[name] = stage;
      const pre: Step[] = [];
      const post: Step[] = [];
      if (env.loadTest.profile) {
        // the load test the prod approver reads computes the cost summary beside its report
        const loadTest = this.loadTestStep(stage, env, name === 'staging');
        loadTests[name] = loadTest;
        post.push(loadTest);
      }
      if (name === 'prod') {
        approval = new ManualApprovalStep('PromoteToProd', {
          comment: approvalComment(loadTests.staging),
          reviewUrl: reportConsoleUrl(loadTests.staging, this.region),
        });
        pre.push(approval);
        post.push(this.healthCheckStep(stage));
      }
      this.pipeline.addStage(stage, { pre, post });
    }
    return { stages, loadTests, approval: approval! };
  }

  private loadTestStep(
    stage: ConversationalPlatformStage,
    env: EnvironmentConfig,
    costSummary: boolean,
  ): LoadTestStep {
    const distributed = env.loadTest.workers > 0;
    return new LoadTestStep(`${STAGE_IDS[env.name]}LoadTest`, {
      input: this.source,
      apiUrl: stage.bot.apiUrlOutput,
      invokerRoleArn: stage.bot.invokerRoleArnOutput,
      profile: env.loadTest.profile!,
      environment: env.name,
      targetAccount: env.account,
      workers: env.loadTest.workers,
      fargateRunnerStatements: distributed ? this.artilleryFargate?.runnerStatements : undefined,
      reportDestination: { bucket: this.reportsBucket, encryptionKey: this.reportsBucket.encryptionKey },
      partition: this.partition,
      costSummary,
    });
  }

  private healthCheckStep(stage: ConversationalPlatformStage): ShellStep {
    return new ShellStep('HealthCheck', {
      envFromCfnOutputs: { API_URL: stage.bot.apiUrlOutput },
      commands: [
        'curl --fail --silent --show-error --retry 5 --retry-delay 10 --retry-all-errors --max-time 10 "${API_URL}v1/health"',
      ],
    });
  }

  /**
   * CDK's source action grants `codestar-connections:UseConnection` whatever the connection's
   * ARN; the source action's role also gets the action whose prefix matches the ARN (call after
   * `buildPipeline()`).
   */
  private grantSourceConnection(connectionArn: string): void {
    const source = this.pipeline.pipeline.node.findChild('Source');
    const roles = source.node.findAll().filter((c): c is iam.Role => c instanceof iam.Role);
    if (roles.length !== 1) {
      throw new Error(`pipeline source: expected the source action's one role, found ${roles.length}`);
    }
    roles[0].addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [useConnectionAction(connectionArn)], resources: [connectionArn] }),
    );
  }

  /** Failures and pending approvals: an SNS topic with its own rotating key (and the approver's e-mail). */
  private createNotificationTopic(pipeline: PipelineConfig): sns.Topic {
    const notificationKey = new kms.Key(this, 'NotificationKey', {
      description: 'Encrypts the delivery pipeline notification topic',
      enableKeyRotation: true,
    });
    notificationKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCodeStarNotificationsViaSns',
        principals: [new iam.ServicePrincipal('codestar-notifications.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `sns.${this.region}.amazonaws.com` } },
      }),
    );
    const topic = new sns.Topic(this, 'Notifications', {
      displayName: 'conversational-platform pipeline',
      masterKey: notificationKey,
      enforceSSL: true,
    });
    if (pipeline.notificationEmail) {
      const subscription = topic.addSubscription(
        new subscriptions.EmailSubscription(pipeline.notificationEmail),
      );
      acknowledge(
        subscription,
        'A human e-mail subscription: SNS retries e-mail delivery itself and a dead-letter queue of pipeline notifications would be read by nobody; failures stay visible in the CodePipeline console.',
        'Serverless-SNSRedrivePolicy',
      );
    }
    return topic;
  }
  /** Server access logs bucket of the reports and artifact buckets (SSE-S3: log delivery cannot use KMS). */
  private createAccessLogsBucket(): s3.Bucket {
    return new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The CDK-generated artifact bucket logs its access to the access-logs bucket too. */
  private logArtifactBucketAccess(): void {
    const artifactBucket = this.pipeline.pipeline.artifactBucket;
    const cfn = artifactBucket.node.defaultChild as s3.CfnBucket;
    cfn.loggingConfiguration = {
      destinationBucketName: this.accessLogsBucket.bucketName,
      logFilePrefix: 'pipeline-artifacts/',
    };
    this.accessLogsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'PipelineArtifactsAccessLogs',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.accessLogsBucket.arnForObjects('pipeline-artifacts/*')],
        conditions: {
          ArnLike: { 'aws:SourceArn': artifactBucket.bucketArn },
          StringEquals: { 'aws:SourceAccount': this.account },
        },
      }),
    );
  }
}

/** The pipeline execution's id, as CodePipeline resolves it in an action's configuration. */
const EXECUTION_ID = '#{codepipeline.PipelineExecutionId}';

/**
 * What the approver reads before promoting to prod (CodePipeline allows 500 characters): where
 * this execution's staging report (HTML and markdown) and cost summary are, as one command built
 * from the reports bucket, the cost command, and the one set of criteria (docs/deployment.md section 7).
 */
export function approvalComment(stagingLoadTest: LoadTestStep | undefined): string {
  const cost = costCommand('prod');
  const criteria =
    `Approve only if every criterion of ${APPROVAL_CRITERIA} holds: thresholds PASSED, ` +
    'capacity DEMONSTRATED or its gap accepted, prod within budget.';
  if (!stagingLoadTest) {
    return `No staging load test is configured: check the staging dashboard and alarms, and prod's cost: ${cost}. ${criteria}`;
  }
  const profile = stagingLoadTest.profile;
  const files =
    `Staging ${profile} report (${profile}-<time>.html, .md)` +
    (stagingLoadTest.costSummary ? ` and cost summary (${basename(COST_SUMMARY.table)}, .json)` : '');
  const where = stagingLoadTest.reportLocation
    ? `aws s3 cp --recursive ${stagingLoadTest.reportLocation}${EXECUTION_ID}/ ./approval (tooling account; or the ${stagingLoadTest.id} build log)`
    : `the output artifact and build log of ${stagingLoadTest.id}`;
  return `${files}: ${where}. Prod's cost: ${cost}. ${criteria}`;
}

/**
 * The approval's review link: the S3 console at this execution's staging files (the same place
 * as the comment's command), when the reports are copied to the bucket.
 */
export function reportConsoleUrl(
  stagingLoadTest: LoadTestStep | undefined,
  region: string,
): string | undefined {
  const bucket = stagingLoadTest?.reportBucket;
  return bucket && stagingLoadTest.reportPrefix !== undefined
    ? `https://console.aws.amazon.com/s3/buckets/${bucket.bucketName}?region=${region}&prefix=${stagingLoadTest.reportPrefix}${EXECUTION_ID}/`
    : undefined;
}
