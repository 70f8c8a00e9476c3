import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { INVOKER_ROLES_WILDCARD } from './load-test-step';
import { acknowledgeWildcards, WildcardGrant } from './wildcards';

/** Names Artillery's `run-fargate` uses in the account it runs in (artillery 2.0.x constants). */
export const ARTILLERY_FARGATE = {
  cluster: 'artilleryio-cluster',
  taskDefinitionPrefix: 'artilleryio-loadgen-worker',
  /**
   * The worker role's name is fixed by Artillery, not by us: `run-fargate` (artillery 2.0.21,
   * lib/platform/aws-ecs/ecs.js `createWorkerRole`, called from `PlatformECS.init()` on every run,
   * whatever `--task-role-name` says) calls `iam:GetRole` on exactly this name and, when it is
   * missing, creates it with `sqs:*`, `s3:*` and `logs:*` grants. Creating it here under that name
   * is what keeps the runner free of `iam:CreateRole` and the workers least-privilege. Costs: a
   * role of that name created earlier by Artillery makes the pipeline's first deploy fail (delete
   * it first), and a change that replaces the role fails (its properties are not expected to
   * change). docs/deployment.md section 9.
   */
  workerRoleName: 'artilleryio-ecs-worker-role',
  queuePrefix: 'artilleryio',
  bucketPrefix: 'artilleryio-test-data',
  logGroupPrefix: 'artilleryio-log-group',
  parameterPath: 'artilleryio',
  /** Account whose ECR repository holds Artillery's worker image. */
  imageAccount: '301676560329',
  imageRepository: 'artillery-pro/aws-ecs-node',
} as const;

const ARN_PREFIX = String.raw`^Resource::arn:[\w-]+:`;
const IN_ACCOUNT = String.raw`:[\w-]+:\d{12}:`;

/** Artillery's own resource names: the only place its runner and workers may act. */
const ARTILLERY_PREFIXES: WildcardGrant = {
  reason:
    "Artillery run-fargate names everything it creates with fixed prefixes: these wildcards are its ECS task definitions / tasks in the artilleryio-cluster, artilleryio* SQS queues, artilleryio-log-group* logs, the artilleryio-test-data-<account> bucket's objects, and /artilleryio/* parameters and secrets, in this account and region only.",
  findings: new RegExp(
    ARN_PREFIX +
      '(' +
      [
        `ecs${IN_ACCOUNT}(task-definition/artilleryio-loadgen-worker\\*|task/artilleryio-cluster/\\*|container-instance/artilleryio-cluster/\\*)`,
        `logs${IN_ACCOUNT}log-group:artilleryio-log-group\\*(:\\*)?`,
        `sqs${IN_ACCOUNT}artilleryio\\*`,
        `ssm${IN_ACCOUNT}parameter/artilleryio/\\*`,
        `secretsmanager${IN_ACCOUNT}secret:artilleryio/\\*`,
        String.raw`s3:::artilleryio-test-data-\d{12}/\*`,
      ].join('|') +
      ')$',
  ),
};

/** Wildcards the CodeBuild step that starts `run-fargate` holds (see `ArtilleryFargate.runnerStatements`). */
export const ARTILLERY_RUNNER_WILDCARDS: readonly WildcardGrant[] = [
  ARTILLERY_PREFIXES,
  {
    reason:
      'These run-fargate calls have no resource-level permissions in IAM: ecs:ListClusters/CreateCluster/RegisterTaskDefinition/DeregisterTaskDefinition/DescribeTaskDefinition/ListTaskDefinitions, sqs:ListQueues, ec2:DescribeVpcs/Subnets/RouteTables and ssm:DescribeParameters.',
    findings: /^Resource::\*$/,
  },
];

/** Wildcards Artillery's worker tasks hold. */
export const ARTILLERY_WORKER_WILDCARDS: readonly WildcardGrant[] = [
  ARTILLERY_PREFIXES,
  INVOKER_ROLES_WILDCARD,
  {
    reason:
      'ecr:GetAuthorizationToken has no resource-level permission in IAM; the worker image pull itself is limited to the one Artillery worker repository.',
    findings: /^Resource::\*$/,
  },
];

export interface ArtilleryFargateProps {
  /**
   * Invoker roles (in the target accounts) the workers may assume to sign requests to the
   * channel API: ARNs or ARN patterns (`loadTestInvokerRoles`).
   */
  readonly invokerRoleArns: string[];
}

/**
 * What Artillery's distributed runner (`artillery run-fargate`) needs in the pipeline account,
 * least-privilege. Artillery creates its worker role on first use unless one exists: this
 * construct creates it (same fixed name), so the pipeline step needs no `iam:CreateRole`,
 * `iam:CreatePolicy` or `iam:AttachRolePolicy`, and the workers get exactly the invoker roles
 * they may assume. `runnerStatements` is what the CodeBuild step that starts the run needs
 * (ECS in the `artilleryio-cluster`, its SQS queues, its S3 bucket, its log group, its SSM
 * parameters, passing the worker role to ECS tasks).
 */
export class ArtilleryFargate extends Construct {
  readonly workerRole: iam.Role;
  readonly runnerStatements: iam.PolicyStatement[];

  constructor(scope: Construct, id: string, props: ArtilleryFargateProps) {
    super(scope, id);
    if (props.invokerRoleArns.length === 0) {
      throw new Error('artillery fargate invokerRoleArns must name at least one role');
    }
    const arns = artilleryArns(Stack.of(this));
    this.workerRole = this.createWorkerRole(arns, props.invokerRoleArns);
    this.runnerStatements = runnerStatements(arns, this.workerRole);
  }

  /** The role of Artillery's worker tasks (task and execution role), under Artillery's fixed name. */
  private createWorkerRole(arns: ArtilleryArns, invokerRoleArns: string[]): iam.Role {
    const { partition, region } = Stack.of(this);
    const a = ARTILLERY_FARGATE;
    const role = new iam.Role(this, 'WorkerRole', {
      roleName: a.workerRoleName,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Artillery run-fargate load generator tasks (task and execution role)',
    });
    const allow = (sid: string, actions: string[], resources: string[]) =>
      role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources }));
    allow(
      'PullWorkerImage',
      ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      [`arn:${partition}:ecr:${region}:${a.imageAccount}:repository/${a.imageRepository}`],
    );
    allow('EcrToken', ['ecr:GetAuthorizationToken'], ['*']);
    allow('Logs', ['logs:CreateLogStream', 'logs:PutLogEvents'], [`${arns.logGroups}:*`]);
    allow(
      'MetricsQueues',
      [
        'sqs:SendMessage',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
      ],
      [arns.queues],
    );
    allow('TestBundle', ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], [arns.bucket, `${arns.bucket}/*`]);
    allow(
      'Parameters',
      ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
      [arns.parameters],
    );
    allow('AssumeInvokerRole', ['sts:AssumeRole'], [...invokerRoleArns]);
    acknowledgeWildcards(role.node.findChild('DefaultPolicy'), ARTILLERY_WORKER_WILDCARDS);
    return role;
  }
}

/** ARNs of what Artillery creates in this account and region (see ARTILLERY_FARGATE). */
interface ArtilleryArns {
  /** An ARN of `service` in this account and region. */
  readonly arn: (service: string, resource: string) => string;
  readonly cluster: string;
  readonly queues: string;
  readonly bucket: string;
  readonly logGroups: string;
  readonly parameters: string;
}

function artilleryArns(stack: Stack): ArtilleryArns {
  const { account, region, partition } = stack;
  const a = ARTILLERY_FARGATE;
  const arn = (service: string, resource: string) =>
    `arn:${partition}:${service}:${region}:${account}:${resource}`;
  return {
    arn,
    cluster: arn('ecs', `cluster/${a.cluster}`),
    queues: arn('sqs', `${a.queuePrefix}*`),
    bucket: `arn:${partition}:s3:::${a.bucketPrefix}-${account}`,
    logGroups: arn('logs', `log-group:${a.logGroupPrefix}*`),
    parameters: arn('ssm', `parameter/${a.parameterPath}/*`),
  };
}

/** ECS: create the cluster and task definition, run and stop the workers in Artillery's cluster only. */
function ecsStatements(arns: ArtilleryArns): iam.PolicyStatement[] {
  const a = ARTILLERY_FARGATE;
  return [
    new iam.PolicyStatement({
      sid: 'ArtilleryEcsAccountLevel',
      // These ECS actions have no resource type (or only `*`): scoped by the cluster condition where they take one.
      actions: [
        'ecs:ListClusters',
        'ecs:CreateCluster',
        'ecs:RegisterTaskDefinition',
        'ecs:DeregisterTaskDefinition',
        'ecs:DescribeTaskDefinition',
        'ecs:ListTaskDefinitions',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ArtilleryEcsCluster',
      actions: ['ecs:DescribeClusters', 'ecs:ListContainerInstances'],
      resources: [arns.cluster],
    }),
    new iam.PolicyStatement({
      sid: 'ArtilleryEcsTasks',
      actions: ['ecs:RunTask', 'ecs:StartTask', 'ecs:StopTask', 'ecs:DescribeTasks', 'ecs:ListTasks'],
      resources: [
        arns.arn('ecs', `task-definition/${a.taskDefinitionPrefix}*`),
        arns.arn('ecs', `task/${a.cluster}/*`),
        arns.arn('ecs', `container-instance/${a.cluster}/*`),
      ],
      conditions: { ArnEquals: { 'ecs:cluster': arns.cluster } },
    }),
  ];
}

/**
 * Artillery's metrics queues. `sqs:DeleteMessage` also authorizes DeleteMessageBatch (IAM has no
 * separate batch actions: SQS checks the single action for its batch call).
 */
function queueStatements(arns: ArtilleryArns): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ArtilleryQueues',
      actions: [
        'sqs:CreateQueue',
        'sqs:DeleteQueue',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SetQueueAttributes',
        'sqs:TagQueue',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:SendMessage',
        'sqs:PurgeQueue',
      ],
      resources: [arns.queues],
    }),
    new iam.PolicyStatement({ sid: 'ArtilleryListQueues', actions: ['sqs:ListQueues'], resources: ['*'] }),
  ];
}

/** Artillery's test-data bucket, log group, parameters and secrets. */
function storageStatements(arns: ArtilleryArns): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ArtilleryBucket',
      actions: [
        's3:CreateBucket',
        's3:ListBucket',
        's3:GetBucketLocation',
        's3:GetLifecycleConfiguration',
        's3:PutLifecycleConfiguration',
        's3:GetObject',
        's3:PutObject',
        's3:DeleteObject',
      ],
      resources: [arns.bucket, `${arns.bucket}/*`],
    }),
    new iam.PolicyStatement({
      sid: 'ArtilleryLogGroup',
      actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:DescribeLogGroups'],
      resources: [arns.logGroups],
    }),
    new iam.PolicyStatement({
      sid: 'ArtilleryParameters',
      actions: [
        'ssm:GetParameter',
        'ssm:GetParameters',
        'ssm:GetParametersByPath',
        'ssm:PutParameter',
        'ssm:DeleteParameter',
      ],
      resources: [arns.parameters],
    }),
    new iam.PolicyStatement({
      sid: 'ArtillerySecrets',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [arns.arn('secretsmanager', `secret:${ARTILLERY_FARGATE.parameterPath}/*`)],
    }),
  ];
}

/** What the CodeBuild step that starts `run-fargate` needs (see `ArtilleryFargate.runnerStatements`). */
function runnerStatements(arns: ArtilleryArns, workerRole: iam.IRole): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ArtilleryWorkerRole',
      actions: ['iam:GetRole', 'iam:PassRole'],
      resources: [workerRole.roleArn],
    }),
    ...ecsStatements(arns),
    ...queueStatements(arns),
    ...storageStatements(arns),
    new iam.PolicyStatement({
      sid: 'ArtilleryDescribe',
      // Describe* on EC2 and SSM DescribeParameters have no resource-level permissions.
      actions: [
        'ec2:DescribeVpcs',
        'ec2:DescribeSubnets',
        'ec2:DescribeRouteTables',
        'ssm:DescribeParameters',
      ],
      resources: ['*'],
    }),
  ];
}
