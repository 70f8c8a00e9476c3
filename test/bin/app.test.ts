import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/paths';

/**
 * bin/app.ts run the way the CDK CLI runs it: context (cdk.json's plus `-c` values) in
 * CDK_CONTEXT_JSON, the cloud assembly directory in CDK_OUTDIR. Bundling is skipped (as for a
 * stack the CLI did not select): these tests read the app's output and templates, not bundles.
 */
const ROOT = REPO_ROOT;
const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

interface Run {
  readonly status: number | null;
  readonly stderr: string;
  readonly outdir: string;
}

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function runApp(context: Record<string, unknown>, env: Record<string, string> = {}): Run {
  const outdir = mkdtempSync(join(tmpdir(), 'app-test-'));
  outdirs.push(outdir);
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({
        ...CDK_JSON_CONTEXT,
        'aws:cdk:bundling-stacks': [],
        ...context,
      }),
      ...env,
    },
  });
  return { status: result.status, stderr: result.stderr, outdir };
}

describe('bin/app.ts on a bad configuration', () => {
  it.each([
    [
      'an unknown context key',
      { devAcount: '123456789012' },
      {},
      'config error: unknown context key devAcount: did you mean devAccount?',
    ],
    [
      'a bad account from context',
      { devAccount: '12345' },
      {},
      'config error: devAccount (CDK_DEV_ACCOUNT) must be a 12-digit AWS account id, got "12345"',
    ],
    [
      'a bad account from the environment',
      {},
      { CDK_PROD_ACCOUNT: '1' },
      'config error: prodAccount (CDK_PROD_ACCOUNT) must be a 12-digit AWS account id, got "1"',
    ],
    [
      'a bad sandbox account',
      { sandbox: 'me' },
      {},
      'config error: sandbox (CDK_SANDBOX_ACCOUNT) must be a 12-digit AWS account id, got "me"',
    ],
  ])(
    'GIVEN %s WHEN the app runs THEN it prints one line, no stack trace, and exits 1',
    (_what, context, env, line) => {
      const run = runApp(context, env);
      expect(run.stderr).toBe(`${line}\n`);
      expect(run.status).toBe(1);
    },
  );
});

describe('bin/app.ts with the placeholder defaults', () => {
  let run: Run;
  let template: { Parameters: Record<string, { Default?: string }>; Rules: Record<string, unknown> };

  beforeAll(() => {
    // GIVEN cdk.json as committed (placeholder accounts, repository and connection) WHEN synthesized
    run = runApp({});
    template = JSON.parse(
      readFileSync(join(run.outdir, 'ConversationalPlatformPipeline.template.json'), 'utf8'),
    ) as typeof template;
  }, 240_000);

  it('GIVEN the placeholder defaults WHEN synthesized THEN it succeeds, saying on one line that a deployment will be refused', () => {
    expect(run.status).toBe(0);
    // the summary (on stderr) counts every stage's ten stacks (tickets, and the web chat's firewall, hosting and web among them)
    expect(run.stderr).toContain(
      'synthesized 31 stacks: ConversationalPlatformPipeline 1, Dev 10, Staging 10, Prod 10',
    );
    expect(run.stderr.split('\n')).toContain(
      'note: placeholder config (pipelineAccount, devAccount, stagingAccount, prodAccount, repository, ' +
        'connectionArn, stagingAlarmEmail, prodAlarmEmail): synth works, but deploying ' +
        'ConversationalPlatformPipeline is refused until they are set in cdk.json (docs/deployment.md, "4. Configure")',
    );
  });

  it('GIVEN the placeholder defaults WHEN synthesized THEN the pipeline stack has a rule CloudFormation checks before deploying it, with the message', () => {
    expect(template.Parameters.ConfigPlaceholders.Default).toMatch(
      /^pipelineAccount=444444444444,devAccount=111111111111,.*,repository=example-org\/conversational-platform,connectionArn=arn:/,
    );
    expect(template.Rules.RefuseConfigPlaceholders).toEqual({
      Assertions: [
        {
          Assert: { 'Fn::Equals': [{ Ref: 'ConfigPlaceholders' }, ''] },
          AssertDescription: expect.stringMatching(
            /^ConversationalPlatformPipeline was synthesized with placeholder config: pipelineAccount \(CDK_PIPELINE_ACCOUNT\) is 444444444444, .* Set the real values in cdk\.json context/,
          ),
        },
      ],
    });
  });
});
