import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Stack } from 'aws-cdk-lib';
import { loadConfig } from '../../../lib/config/load';
import { nagPlugins } from '../../../lib/nag';
import { ARTILLERY_FARGATE } from '../../../lib/pipeline/artillery-fargate';
import { readFileSync } from 'node:fs';
import {
  APPROVAL_CRITERIA,
  PipelineStack,
  approvalComment,
  reportConsoleUrl,
  useConnectionAction,
} from '../../../lib/pipeline/pipeline-stack';
import { sandboxConfig } from '../../../lib/pipeline/sandbox';
import { PIPELINE_WILDCARDS } from '../../../lib/pipeline/pipeline-nag';
import { acknowledgeWildcards } from '../../../lib/pipeline/wildcards';
import { LOAD_TEST_INVOKER_ROLE_PATH } from '../../../lib/stacks/bot-stack';
import { testApp } from '../../helpers/app';
import { repoPath } from '../../support/paths';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TOOLING = '999999999999';
const ACCOUNTS = { dev: '101010101010', staging: '202020202020', prod: '303030303030' };
const CONFIG = loadConfig(() => undefined, {
  CDK_PIPELINE_ACCOUNT: TOOLING,
  CDK_DEV_ACCOUNT: ACCOUNTS.dev,
  CDK_STAGING_ACCOUNT: ACCOUNTS.staging,
  CDK_PROD_ACCOUNT: ACCOUNTS.prod,
  PIPELINE_NOTIFICATION_EMAIL: 'platform-team@example.com',
});

/** The pipeline's stages as [stage name, actions sorted by runOrder]. */
function pipelineStages(template: Template): Array<{ name: string; actions: Json[] }> {
  const pipelines = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  expect(pipelines).toHaveLength(1);
  return (pipelines[0].Properties.Stages as Json[]).map((s) => ({
    name: s.Name,
    actions: [...(s.Actions as Json[])].sort((a, b) => a.RunOrder - b.RunOrder),
  }));
}

function buildSpecOf(template: Template, projectLogicalIdPart: string): string {
  const projects = Object.entries(template.findResources('AWS::CodeBuild::Project')).filter(([id]) =>
    id.includes(projectLogicalIdPart),
  );
  expect(projects).toHaveLength(1);
  const spec = projects[0][1].Properties.Source.BuildSpec;
  return typeof spec === 'string' ? spec : JSON.stringify(spec);
}

describe('PipelineStack GIVEN distinct tooling, dev, staging and prod accounts', () => {
  let stack: PipelineStack;
  let template: Template;
  let stages: Array<{ name: string; actions: Json[] }>;

  beforeAll(() => {
    // GIVEN the app config with distinct tooling, dev, staging and prod accounts
    // WHEN the pipeline stack is built (bundling skipped)
    stack = new PipelineStack(testApp(), 'Pipeline', { config: CONFIG });
    template = Template.fromStack(stack);
    stages = pipelineStages(template);
  });

  describe('stages and actions', () => {
    it('WHEN synthesized THEN it runs source, build, self-mutation, assets, dev, staging, prod in that order', () => {
      expect(stages.map((s) => s.name)).toEqual([
        'Source',
        'Build',
        'UpdatePipeline',
        'Assets',
        'Dev',
        'Staging',
        'Prod',
      ]);
      expect(stages[0].actions.map((a) => a.ActionTypeId.Provider)).toEqual(['CodeStarSourceConnection']);
      expect(stages[1].actions.map((a) => a.Name)).toEqual(['Synth']);
      expect(stages[2].actions.map((a) => a.Name)).toEqual(['SelfMutate']);
    });

    it('WHEN synthesized THEN it reads the source from the configured connection, repository and branch, on push', () => {
      expect(stages[0].actions[0].Configuration).toEqual(
        expect.objectContaining({
          ConnectionArn: CONFIG.pipeline.connectionArn,
          FullRepositoryId: CONFIG.pipeline.repository,
          BranchName: CONFIG.pipeline.branch,
          DetectChanges: true,
        }),
      );
    });

    it.each([
      ['Dev', 'DevLoadTest'],
      ['Staging', 'StagingLoadTest'],
    ])('WHEN synthesized THEN %s deploys every stack, then runs its load test last', (name, loadTest) => {
      const { actions } = stages.find((s) => s.name === name)!;
      const deploys = actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation');
      expect(
        deploys
          .map((a) => a.Name)
          .filter((n: string) => n.endsWith('.Deploy'))
          .sort(),
      ).toEqual([
        'Analytics.Deploy',
        'Bot.Deploy',
        'Data.Deploy',
        'Knowledge.Deploy',
        'Monitoring.Deploy',
        'Network.Deploy',
        'Tickets.Deploy',
        'Web.Deploy',
        'WebFirewall.Deploy',
        'WebHosting.Deploy',
      ]);
      const last = actions[actions.length - 1];
      expect(last.Name).toBe(loadTest);
      expect(last.ActionTypeId.Provider).toBe('CodeBuild');
      expect(last.RunOrder).toBeGreaterThan(Math.max(...deploys.map((a) => a.RunOrder)));
    });

    it('WHEN synthesized THEN it puts the manual approval before every prod deploy action and the health check after them', () => {
      const { actions } = stages.find((s) => s.name === 'Prod')!;
      const approval = actions.find((a) => a.ActionTypeId.Category === 'Approval')!;
      expect(approval.Name).toBe('PromoteToProd');
      const cfn = actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation');
      expect(cfn).toHaveLength(20); // prepare (change set) and deploy for each of the ten stacks
      for (const action of cfn) expect(approval.RunOrder).toBeLessThan(action.RunOrder);
      const health = actions.find((a) => a.Name === 'HealthCheck')!;
      expect(health.RunOrder).toBeGreaterThan(Math.max(...cfn.map((a) => a.RunOrder)));
    });

    it("GIVEN the configured connection WHEN synthesized THEN the source action may use it with the action matching the ARN's prefix (codeconnections)", () => {
      // GIVEN the configured connection, an arn:aws:codeconnections:... ARN
      expect(CONFIG.pipeline.connectionArn).toMatch(/^arn:aws:codeconnections:/);
      // WHEN the source action's role policies are read from the synthesized template
      const roleId = stages[0].actions[0].RoleArn['Fn::GetAtt'][0] as string;
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]);
      // THEN it may codeconnections:UseConnection on exactly that connection (IAM matches the
      // action's prefix to the resource's: codestar-connections:UseConnection alone would not do)
      const useConnection = statements.filter((st) =>
        [st.Action].flat().includes('codeconnections:UseConnection'),
      );
      expect(useConnection).toEqual([
        expect.objectContaining({ Effect: 'Allow', Resource: CONFIG.pipeline.connectionArn }),
      ]);
    });

    it("WHEN synthesized THEN the approval names this execution's staging report (HTML and markdown) and cost summary with one command from the reports bucket", () => {
      const approval = stages.find((s) => s.name === 'Prod')!.actions[0];
      const text = JSON.stringify(stack.resolve(approval.Configuration.CustomData));
      const bucket = `{"Ref":"${stack.getLogicalId(stack.reportsBucket.node.defaultChild as never)}"}`;
      // one command: the bucket's real name (a Ref), the staging prefix, this execution's id
      expect(text).toContain(
        `aws s3 cp --recursive s3://",${bucket},"/staging/#{codepipeline.PipelineExecutionId}/ ./approval`,
      );
      expect(text).toContain('Staging capacity report (capacity-<time>.html, .md)');
      expect(text).toContain('cost summary (cost-summary.txt, .json)');
      expect(text).toContain('or the StagingLoadTest build log');
      // the review link opens the same place in the S3 console
      const link = JSON.stringify(stack.resolve(approval.Configuration.ExternalEntityLink));
      expect(link).toContain(
        `https://console.aws.amazon.com/s3/buckets/",${bucket},"?region=us-east-1&prefix=staging/#{codepipeline.PipelineExecutionId}/`,
      );
    });

    it('WHEN synthesized THEN the approval names the cost command of prod and the one set of criteria', () => {
      const approval = stages.find((s) => s.name === 'Prod')!.actions[0];
      const text = JSON.stringify(stack.resolve(approval.Configuration.CustomData));
      expect(text).toContain("Prod's cost: npm run cost -- --env prod.");
      expect(text).toContain(
        'thresholds PASSED, capacity DEMONSTRATED or its gap accepted, prod within budget',
      );
    });

    it('GIVEN no staging load test WHEN the approval comment is written THEN it still names the cost command and the criteria', () => {
      const comment = approvalComment(undefined);
      expect(comment).toContain('npm run cost -- --env prod');
      expect(comment).toContain(`every criterion of ${APPROVAL_CRITERIA} holds`);
      expect(reportConsoleUrl(undefined, 'us-east-1')).toBeUndefined();
    });

    it("WHEN synthesized THEN it points the approver at docs/deployment.md's approval criteria", () => {
      const approval = stages.find((s) => s.name === 'Prod')!.actions[0];
      const text = JSON.stringify(stack.resolve(approval.Configuration.CustomData));
      expect(text).toContain(`every criterion of ${APPROVAL_CRITERIA} holds`);
      // the section it names is the one with the criteria
      const doc = readFileSync(repoPath('docs', 'deployment.md'), 'utf8');
      const section = doc.split(/^## /m).find((part) => part.startsWith('7. '))!;
      expect(section).toMatch(/^7\. Approving a prod deployment/);
      expect(section).toContain('Approve only if all of these hold');
      // the comment's short form is the section's criteria, and the section says how to read both
      for (const criterion of [
        '**Thresholds PASSED.**',
        '**Capacity DEMONSTRATED, or its gap explicitly accepted.**',
        "**Cost within prod's budget.**",
        'npm run cost -- --env prod',
        'aws s3 cp --recursive',
        'cost-summary.txt',
      ]) {
        expect(section).toContain(criterion);
      }
    });

    it('WHEN synthesized THEN it outputs the LoadTestReports bucket name, where the approver reads the staging report', () => {
      const reports = stack.getLogicalId(stack.reportsBucket.node.defaultChild as never);
      const output = template.toJSON().Outputs.LoadTestReportsBucketName;
      expect(output).toEqual(expect.objectContaining({ Value: { Ref: reports } }));
      expect(output.Description).toMatch(/reports and cost summaries the prod approver reads.*section 7/);
      expect(output.Export).toBeUndefined(); // for people, not for another stack
      expect(stack.reportsBucketOutput.node.id).toBe('LoadTestReportsBucketName');
    });

    it("GIVEN the longest bucket name WHEN the approval comment is rendered THEN it is within CodePipeline's 500 characters", () => {
      const approval = stages.find((s) => s.name === 'Prod')!.actions[0];
      const parts = stack.resolve(approval.Configuration.CustomData)['Fn::Join'][1] as unknown[];
      const rendered = parts.map((p) => (typeof p === 'string' ? p : 'b'.repeat(63))).join('');
      expect(rendered.length).toBeLessThanOrEqual(500);
    });

    it('WHEN synthesized THEN it deploys each stage with the deploy role of its own target account', () => {
      for (const [name, account] of [
        ['Dev', ACCOUNTS.dev],
        ['Staging', ACCOUNTS.staging],
        ['Prod', ACCOUNTS.prod],
      ]) {
        const cfn = stages
          .find((s) => s.name === name)!
          .actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation');
        expect(cfn.length).toBeGreaterThan(0);
        for (const action of cfn) {
          expect(JSON.stringify(action.RoleArn)).toContain(
            `:iam::${account}:role/cdk-hnb659fds-deploy-role-${account}-`,
          );
        }
      }
    });

    it('WHEN synthesized THEN it passes the tooling account to every stage as the load-test account', () => {
      for (const name of ['dev', 'staging', 'prod'] as const) {
        const trust = JSON.stringify(
          Template.fromStack(stack.stages[name].bot).findResources('AWS::IAM::Role', {
            Properties: { Path: LOAD_TEST_INVOKER_ROLE_PATH },
          }),
        );
        expect(trust).toContain(`:iam::${TOOLING}:root`);
      }
    });
  });

  describe('synth step', () => {
    it('WHEN synthesized THEN the synth step installs, runs the whole test suite against Redis and Chrome, then cdk synth, on Node 22', () => {
      const spec = buildSpecOf(template, 'BuildSynth');
      expect(spec).toMatch(/"nodejs": "22"/);
      expect(spec).toContain('npm ci');
      expect(spec).toContain('redis-server');
      // the suite includes the Artillery smoke test: `npm ci` installs the load-tests workspace too
      const install = JSON.parse(spec).phases.install.commands as string[];
      expect(install).toContain('npm ci');
      expect(install).not.toContain('npm run loadtest:install');
      const build = JSON.parse(spec).phases.build.commands as string[];
      expect(build.indexOf('npm test')).toBeGreaterThanOrEqual(0);
      expect(build.findIndex((c) => c.startsWith('npx cdk synth'))).toBeGreaterThan(
        build.indexOf('npm test'),
      );
      template.hasResourceProperties('AWS::CodeBuild::Project', {
        Environment: Match.objectLike({
          Image: 'aws/codebuild/standard:7.0',
          PrivilegedMode: false,
          EnvironmentVariables: Match.arrayWith([Match.objectLike({ Name: 'CHROMIUM_PATH' })]),
        }),
      });
    });
  });

  describe('load-test steps', () => {
    it.each([
      ['Dev', 'smoke', 'dev', ''],
      ['Staging', 'capacity', 'staging', ' --distributed 10'],
    ])(
      'WHEN synthesized THEN %s runs the Artillery npm script with --profile %s',
      (stage, profile, env, distributed) => {
        const spec = buildSpecOf(template, `${stage}${stage}LoadTest`);
        expect(spec).toContain('npm ci'); // installs the load-tests workspace (Artillery) too
        expect(spec).not.toContain('loadtest:install');
        expect(spec).toContain(
          `npm run loadtest -- --target \\\\\\"$API_URL\\\\\\" --profile ${profile} --env ${env}${distributed}\\"`,
        );
        expect(spec).toContain('cat reports/*.md');
        expect(spec).toMatch(/"base-directory\\?": \\?"reports\\?"/);
      },
    );

    it('WHEN synthesized THEN the staging load test computes the cost summary before the test and keeps it beside the report; dev does not', () => {
      const staging = buildSpecOf(template, 'StagingStagingLoadTest');
      const cost = staging.indexOf(
        'if npm run --silent cost -- --out cost-report.json > reports/cost-summary.txt;',
      );
      expect(cost).toBeGreaterThan(-1);
      expect(cost).toBeLessThan(staging.indexOf('npm run loadtest --'));
      expect(staging).toContain('then cp cost-report.json reports/cost-summary.json;');
      // not computed: one line naming the command, the load test still runs
      expect(staging).toContain(
        "cost summary NOT computed (see above): run 'npm run cost -- --env prod' before approving",
      );
      // printed in the log and copied to S3 with the reports (post_build, before the copy)
      expect(staging.indexOf('cat reports/cost-summary.txt')).toBeLessThan(
        staging.indexOf('aws s3 cp --recursive reports/'),
      );
      expect(stack.loadTests.staging!.costSummary).toBe(true);
      expect(buildSpecOf(template, 'DevDevLoadTest')).not.toContain('npm run --silent cost');
    });

    it.each([['Dev'], ['Staging']])(
      'WHEN synthesized THEN %s reads API_URL and LOADTEST_ROLE_ARN from the stage Bot stack outputs',
      (stage) => {
        const action = stages
          .find((s) => s.name === stage)!
          .actions.find((a) => a.Name === `${stage}LoadTest`)!;
        const bot = stages.find((s) => s.name === stage)!.actions.find((a) => a.Name === 'Bot.Deploy')!;
        expect(bot.Namespace).toBeDefined();
        const vars = JSON.parse(action.Configuration.EnvironmentVariables) as Json[];
        expect(vars).toContainEqual({
          name: 'API_URL',
          type: 'PLAINTEXT',
          value: `#{${bot.Namespace}.ApiUrl}`,
        });
        // the invoker role's name is generated: its ARN is the stage's output, read at run time
        expect(vars).toContainEqual({
          name: 'LOADTEST_ROLE_ARN',
          type: 'PLAINTEXT',
          value: `#{${bot.Namespace}.LoadTestInvokerRoleArn}`,
        });
        expect(buildSpecOf(template, `${stage}${stage}LoadTest`)).not.toContain('loadtest-invoker');
      },
    );

    it('WHEN synthesized THEN each load test may assume only the invoker roles of its own environment account', () => {
      for (const env of ['dev', 'staging'] as const) {
        const step = stack.loadTests[env]!;
        const policy = step.project.role!.node.findChild('DefaultPolicy') as iam.Policy;
        const statements = (stack.resolve(policy.document.toJSON()).Statement as Json[]).filter((s) =>
          [s.Action].flat().includes('sts:AssumeRole'),
        );
        expect(statements).toEqual([
          expect.objectContaining({
            Resource: `arn:aws:iam::${ACCOUNTS[env]}:role${LOAD_TEST_INVOKER_ROLE_PATH}*`,
          }),
        ]);
      }
    });

    it('WHEN synthesized THEN only the distributed staging step gets the run-fargate permissions, scoped to Artillery names', () => {
      const doc = (env: 'dev' | 'staging') =>
        JSON.stringify(
          stack.resolve(
            (
              stack.loadTests[env]!.project.role!.node.findChild('DefaultPolicy') as iam.Policy
            ).document.toJSON(),
          ),
        );
      expect(doc('dev')).not.toContain('ecs:RunTask');
      const staging = doc('staging');
      expect(staging).toContain('ecs:RunTask');
      expect(staging).toContain(`cluster/${ARTILLERY_FARGATE.cluster}`);
      expect(staging).toContain('iam:PassRole');
      expect(staging).not.toContain('iam:CreateRole');
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: ARTILLERY_FARGATE.workerRoleName,
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'ecs-tasks.amazonaws.com' } })],
        }),
      });
    });
  });

  describe('IAM actions', () => {
    /** Every action SQS defines in IAM (Service Authorization Reference; cfn-lint W3037 checks the same list). */
    const SQS_ACTIONS = [
      'AddPermission',
      'CancelMessageMoveTask',
      'ChangeMessageVisibility',
      'CreateQueue',
      'DeleteMessage',
      'DeleteQueue',
      'GetQueueAttributes',
      'GetQueueUrl',
      'ListDeadLetterSourceQueues',
      'ListMessageMoveTasks',
      'ListQueues',
      'ListQueueTags',
      'PurgeQueue',
      'ReceiveMessage',
      'RemovePermission',
      'SendMessage',
      'SetQueueAttributes',
      'StartMessageMoveTask',
      'TagQueue',
      'UntagQueue',
    ].map((a) => `sqs:${a}`);

    it('WHEN synthesized THEN it grants only SQS actions IAM knows (no *Batch: DeleteMessage also authorizes DeleteMessageBatch)', () => {
      const sqs = Object.values(template.findResources('AWS::IAM::Policy'))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
        .flatMap((st) => [st.Action].flat() as string[])
        .filter((a) => a.startsWith('sqs:'));
      expect(sqs).toContain('sqs:DeleteMessage');
      expect(sqs.filter((a) => !SQS_ACTIONS.includes(a))).toEqual([]);
    });
  });

  describe('encryption and notifications', () => {
    it('WHEN synthesized THEN it encrypts the artifact bucket with a rotating KMS key', () => {
      const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0].Properties;
      expect(pipeline.ArtifactStore.EncryptionKey).toEqual({
        Id: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
        Type: 'KMS',
      });
      const keyId = pipeline.ArtifactStore.EncryptionKey.Id['Fn::GetAtt'][0];
      expect(template.toJSON().Resources[keyId]).toEqual(
        expect.objectContaining({
          Type: 'AWS::KMS::Key',
          Properties: expect.objectContaining({ EnableKeyRotation: true }),
        }),
      );
      const bucketId = pipeline.ArtifactStore.Location.Ref;
      expect(
        template.toJSON().Resources[bucketId].Properties.BucketEncryption
          .ServerSideEncryptionConfiguration[0],
      ).toEqual({
        ServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
        },
      });
    });

    it('WHEN synthesized THEN it sends failures and pending approvals to a KMS-encrypted topic with the configured e-mail', () => {
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'platform-team@example.com',
      });
      template.hasResourceProperties('AWS::CodeStarNotifications::NotificationRule', {
        EventTypeIds: Match.arrayWith([
          'codepipeline-pipeline-pipeline-execution-failed',
          'codepipeline-pipeline-manual-approval-needed',
        ]),
        Resource: Match.anyValue(),
        Targets: [
          {
            TargetType: 'SNS',
            TargetAddress: { Ref: stack.getLogicalId(stack.notificationTopic.node.defaultChild as never) },
          },
        ],
      });
    });
  });

  describe('cdk-nag', () => {
    it('WHEN nag checks the pipeline stack THEN it has zero unacknowledged findings', () => {
      for (const plugin of nagPlugins()) {
        const findings = plugin
          .validateScope(stack)
          .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`));
        expect(findings).toEqual([]);
      }
    });

    it("GIVEN a wildcard that no known grant explains WHEN acknowledged with the pipeline's grants THEN nag reports it", () => {
      // GIVEN a policy with a wildcard the pipeline does not generate
      const probe = new Stack(testApp(), 'Probe', { env: { account: TOOLING, region: 'us-east-1' } });
      const policy = new iam.Policy(probe, 'Extra', {
        statements: [
          new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::some-bucket/*'] }),
        ],
      });
      new iam.Role(probe, 'R', { assumedBy: new iam.AccountRootPrincipal() }).attachInlinePolicy(policy);
      // WHEN it is acknowledged with the pipeline's grants
      const unexplained = acknowledgeWildcards(policy, Object.values(PIPELINE_WILDCARDS));
      // THEN the finding stays and nag reports it
      expect(unexplained).toEqual(['Resource::arn:aws:s3:::some-bucket/*']);
      const findings = nagPlugins()[0]
        .validateScope(probe)
        .violations.map((v) => v.ruleName);
      expect(findings).toContain('AwsSolutions-IAM5[Resource::arn:aws:s3:::some-bucket/*]');
    });
  });
});

describe('useConnectionAction', () => {
  it.each([
    ['arn:aws:codeconnections:us-east-1:444444444444:connection/abc', 'codeconnections:UseConnection'],
    [
      'arn:aws:codestar-connections:eu-west-1:444444444444:connection/abc',
      'codestar-connections:UseConnection',
    ],
  ])('GIVEN %s WHEN mapped THEN the action is %s (the prefix IAM matches to the ARN)', (arn, action) => {
    expect(useConnectionAction(arn)).toBe(action);
  });

  it('GIVEN an ARN that is not a connection service WHEN mapped THEN it is refused', () => {
    expect(() => useConnectionAction('arn:aws:s3:::bucket')).toThrow(/not a CodeConnections connection ARN/);
  });
});

describe('sandboxConfig', () => {
  const dev = CONFIG.environments.dev;

  it('GIVEN no sandbox account WHEN configured THEN the sandbox is off', () => {
    expect(sandboxConfig(dev, () => undefined, {})).toBeUndefined();
  });

  it('GIVEN an account in context and a region in the environment WHEN configured THEN the sandbox takes them, keeping dev settings', () => {
    const config = sandboxConfig(dev, (k) => (k === 'sandbox' ? '565656565656' : undefined), {
      CDK_SANDBOX_REGION: 'eu-west-1',
    });
    expect(config).toEqual({
      ...dev,
      account: '565656565656',
      region: 'eu-west-1',
      removalPolicy: 'destroy',
      loadTest: { ...dev.loadTest, workers: 0 },
    });
  });

  it('GIVEN an account that is not 12 digits WHEN configured THEN it is rejected, naming the field', () => {
    expect(() => sandboxConfig(dev, () => 'me', {})).toThrow(/account/);
  });
});
