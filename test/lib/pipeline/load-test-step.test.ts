import { CfnOutput, Stack } from 'aws-cdk-lib';
import { CodePipelineSource } from 'aws-cdk-lib/pipelines';
import { LoadTestStep, LoadTestStepProps } from '../../../lib/pipeline/load-test-step';
import { testApp } from '../../helpers/app';

describe('LoadTestStep', () => {
  const stack = new Stack(testApp(), 'Outputs');
  const base: LoadTestStepProps = {
    input: CodePipelineSource.connection('org/repo', 'main', {
      connectionArn: 'arn:aws:codeconnections:us-east-1:444444444444:connection/abc',
    }),
    apiUrl: new CfnOutput(stack, 'ApiUrl', { value: 'https://example.com/' }),
    invokerRoleArn: new CfnOutput(stack, 'LoadTestInvokerRoleArn', {
      value: 'arn:aws:iam::111111111111:role/conversational-platform/load-test-invoker/x',
    }),
    profile: 'smoke',
    environment: 'dev',
    targetAccount: '111111111111',
  };

  it('GIVEN a one-process smoke test WHEN built THEN it runs the npm scripts and keeps reports/ as its output', () => {
    // GIVEN / WHEN a one-process smoke test
    const step = new LoadTestStep('Smoke', base);
    // THEN it installs, runs the profile against the stage URL, and assumes exactly the invoker role
    expect(step.installCommands).toEqual(['npm ci']);
    expect(step.commands).toContain('npm run loadtest -- --target "$API_URL" --profile smoke --env dev');
    expect(step.invokerRoles).toBe(
      'arn:aws:iam::111111111111:role/conversational-platform/load-test-invoker/*',
    );
    expect(step.env).toEqual(expect.objectContaining({ PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' }));
    expect(step.primaryOutput).toBeDefined();
  });

  it('GIVEN costSummary WHEN built THEN npm run cost writes the summary the report reads before the load test, and a failure only logs the command', () => {
    const step = new LoadTestStep('Capacity', { ...base, costSummary: true });
    expect(step.costSummary).toBe(true);
    const cost = step.commands.findIndex((c) => c.includes('npm run --silent cost'));
    expect(cost).toBeGreaterThan(0); // after mkdir -p reports
    expect(cost).toBeLessThan(step.commands.findIndex((c) => c.startsWith('npm run loadtest')));
    expect(step.commands[cost]).toBe(
      'if npm run --silent cost -- --out cost-report.json > reports/cost-summary.txt; ' +
        'then cp cost-report.json reports/cost-summary.json; ' +
        'else rm -f reports/cost-summary.txt; echo "cost summary NOT computed (see above): run \'npm run cost -- --env prod\' before approving"; fi',
    );
    // without it: no cost command
    expect(new LoadTestStep('Smoke', base).commands.join('\n')).not.toContain('npm run --silent cost');
    expect(new LoadTestStep('Smoke', base).costSummary).toBe(false);
  });

  it('GIVEN distributed workers without the run-fargate permissions WHEN built THEN they are refused', () => {
    expect(() => new LoadTestStep('Capacity', { ...base, profile: 'capacity', workers: 4 })).toThrow(
      /fargateRunnerStatements/,
    );
  });

  it('GIVEN a target account that is not 12 digits WHEN built THEN it is rejected, naming the field', () => {
    expect(() => new LoadTestStep('Bad', { ...base, targetAccount: 'dev' })).toThrow(/targetAccount/);
  });

  it('GIVEN a negative worker count WHEN built THEN it is rejected', () => {
    expect(() => new LoadTestStep('Bad', { ...base, workers: -1 })).toThrow(/workers/);
  });
});
