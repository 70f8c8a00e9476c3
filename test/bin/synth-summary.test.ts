/**
 * The summary `cdk synth` ends with (bin/app.ts prints it; cdk.json's "quiet" keeps the templates
 * off stdout): stacks per stage in the app's order, the nag verdict, where the assembly is.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnWaitConditionHandle, Stack, Stage, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { countAcknowledgements, synthSummary } from '../../bin/synth-summary';

/** A stack with one resource (CDK's template check refuses an empty one). */
function stack(scope: Construct, id: string): Stack {
  const s = new Stack(scope, id);
  new CfnWaitConditionHandle(s, 'Resource');
  return s;
}

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), 'synth-summary-'));
});
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

test('GIVEN an app with two stages WHEN synthesized THEN the summary names the stacks per stage in the order the app builds them, the nag counts and the assembly', () => {
  // GIVEN an app with its own stack and two stages (Staging created before Dev, so not alphabetical)
  const app = new App({ outdir });
  const pipeline = stack(app, 'Pipeline');
  for (const [id, stacks] of [
    ['Staging', 2],
    ['Dev', 3],
  ] as const) {
    const stage = new Stage(pipeline, id);
    for (let i = 0; i < stacks; i++) stack(stage, `S${i}`);
  }
  // AND three acknowledged findings: two rules on one construct, one on another
  const [a, b] = app.node.findAll().filter((c) => Stack.isStack(c) && c !== pipeline);
  Validations.of(a!).acknowledge({ id: 'AwsSolutions-S1', reason: 'reason one' });
  Validations.of(a!).acknowledge({ id: 'AwsSolutions-S2', reason: 'reason two' });
  Validations.of(b!).acknowledge({ id: 'Serverless-LambdaDLQ', reason: 'reason three' });

  // WHEN synthesized
  const assembly = app.synth();

  // THEN the summary says what was synthesized, the nag verdict, and where, in three lines
  expect(countAcknowledgements(app)).toBe(3);
  expect(synthSummary(app, assembly, 0, join(outdir, '..'))).toEqual([
    'synthesized 6 stacks: Pipeline 1, Staging 2, Dev 3',
    'nag: 0 unacknowledged findings, 3 acknowledgements',
    `cloud assembly: ${outdir.split('/').pop()}`,
  ]);
  // AND an assembly outside the working directory is named by its absolute path
  expect(synthSummary(app, assembly, 1, '/nonexistent/elsewhere')[1]).toBe(
    'nag: 1 unacknowledged finding, 3 acknowledgements',
  );
  expect(synthSummary(app, assembly, 1, '/nonexistent/elsewhere')[2]).toBe(`cloud assembly: ${outdir}`);
});

test('GIVEN cdk.json WHEN `cdk synth` runs THEN it is quiet: the CLI prints no template, the app prints the summary', () => {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '../../cdk.json'), 'utf8')) as { quiet?: boolean };
  expect(cdkJson.quiet).toBe(true);
});
