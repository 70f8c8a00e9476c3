import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/paths';

/**
 * scripts/cfn-lint.sh (`npm run lint:cfn`, run by .ci/run): cfn-lint over every template of a
 * cloud assembly, nested stage assemblies included, with the ignores of .cfnlintrc.yaml.
 */
const ROOT = REPO_ROOT;
const SCRIPT = join(ROOT, 'scripts', 'cfn-lint.sh');
const HAS_CFN_LINT = spawnSync('cfn-lint', ['--version']).status === 0;

type Template = Record<string, unknown>;

/** A cloud assembly with one top-level stack and one stack in a nested (stage) assembly. */
function assembly(top: Template, nested: Template, nestedRegion = 'eu-west-1'): string {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-test-'));
  const stack = (file: string, region: string) => ({
    type: 'aws:cloudformation:stack',
    environment: `aws://111111111111/${region}`,
    properties: { templateFile: file },
  });
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      version: '48.0.0',
      artifacts: {
        Top: stack('Top.template.json', 'us-east-1'),
        'assembly-Stage': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Stage' } },
      },
    }),
  );
  writeFileSync(join(dir, 'Top.template.json'), JSON.stringify(top));
  mkdirSync(join(dir, 'assembly-Stage'));
  writeFileSync(
    join(dir, 'assembly-Stage', 'manifest.json'),
    JSON.stringify({ version: '48.0.0', artifacts: { Inner: stack('Inner.template.json', nestedRegion) } }),
  );
  writeFileSync(join(dir, 'assembly-Stage', 'Inner.template.json'), JSON.stringify(nested));
  return dir;
}

const queue = (): Template => ({ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } });

/** A role whose policy grants `actions` on the queue (and depends on it twice when `redundant`). */
function withPolicy(actions: string[], redundant = false): Template {
  return {
    Resources: {
      Queue: { Type: 'AWS::SQS::Queue' },
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          },
          Policies: [
            {
              PolicyName: 'q',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: actions, Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
                ],
              },
            },
          ],
        },
        // W3005: the GetAtt above already orders the role after the queue
        ...(redundant ? { DependsOn: ['Queue'] } : {}),
      },
    },
  };
}

function run(dir: string, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync('bash', [SCRIPT, dir], { cwd: ROOT, env, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('scripts/cfn-lint.sh', () => {
  const dirs: string[] = [];
  const make = (top: Template, nested: Template) => {
    const dir = assembly(top, nested);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('GIVEN cfn-lint is not installed WHEN run THEN it prints one line and passes', () => {
    // GIVEN a PATH without cfn-lint
    const { status, output } = run(make(queue(), queue()), { ...process.env, PATH: '/usr/bin:/bin' });
    // THEN it skips, saying how to install it
    expect(status).toBe(0);
    expect(output.trim().split('\n')).toEqual([expect.stringMatching(/not installed.*pip install cfn-lint/)]);
  });

  (HAS_CFN_LINT ? it : it.skip)(
    'GIVEN clean templates WHEN run THEN it passes, counting the nested stage assembly too',
    () => {
      const { status, output } = run(make(queue(), withPolicy(['sqs:DeleteMessage'])));
      expect({ status, output }).toEqual({
        status: 0,
        output: expect.stringContaining('2 templates, 0 errors'),
      });
    },
  );

  (HAS_CFN_LINT ? it : it.skip)(
    'GIVEN a warning in a template of a nested stage assembly (an IAM action that does not exist) WHEN run THEN it fails',
    () => {
      const { status, output } = run(make(queue(), withPolicy(['sqs:DeleteMessageBatch'])));
      expect(status).toBe(1);
      expect(output).toContain('W3037');
      expect(output).toContain('Inner.template.json');
    },
  );

  (HAS_CFN_LINT ? it : it.skip)(
    'GIVEN a finding of a rule .cfnlintrc.yaml lists WHEN run THEN only the rules it lists (W3005) are ignored',
    () => {
      const config = readFileSync(join(ROOT, '.cfnlintrc.yaml'), 'utf8');
      expect(config).toMatch(/^ignore_checks:\n(\s+#.*\n)+\s+- W3005\n/m);
      const { status } = run(make(withPolicy(['sqs:SendMessage'], true), queue()));
      expect(status).toBe(0);
    },
  );
});
