import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, PolicyValidationPluginReport, Stack, Stage } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { loadConfig } from '../../../lib/config/load';
import { ENVIRONMENT_NAMES } from '../../../lib/config/types';
import { acknowledge, applyNag, nagPlugins, StrictNagPlugin, unacknowledgedFindings } from '../../../lib/nag';
import { PipelineStack } from '../../../lib/pipeline/pipeline-stack';
import { ConversationalPlatformStage } from '../../../lib/stages/conversational-platform-stage';
import { testApp } from '../../helpers/app';
import {
  acknowledgementRows,
  acknowledgementSummary,
  listAcknowledgements,
  listStackAcknowledgements,
  stackAcknowledgementRows,
} from '../../support/nag-doc';
import { REPO_ROOT, repoPath } from '../../support/paths';

/** Synth writes the validation report and does not throw, so a test can read the findings. */
const REPORT_ONLY = { '@aws-cdk/core:failSynthOnValidationErrors': false };
const NAG_DOC = repoPath('docs', 'nag.md');

/** The table rows (`| \`...`) of docs/nag.md between `heading` and the next `## ` heading. */
function documentedRows(doc: string, heading: string): string[] {
  const start = doc.indexOf(`\n${heading}\n`);
  expect({ heading, found: start >= 0 }).toEqual({ heading, found: true });
  const rest = doc.slice(start + heading.length + 2);
  const end = rest.search(/^## /m);
  return (end < 0 ? rest : rest.slice(0, end)).split('\n').filter((line) => line.startsWith('| `'));
}

describe('cdk-nag (AwsSolutions + Serverless)', () => {
  let app: App;
  let pipeline: PipelineStack;
  let stages: ConversationalPlatformStage[];
  let assemblyDir: string;

  beforeAll(() => {
    // GIVEN the app as bin/app.ts builds it: the pipeline stack with the three stages inside,
    // nag registered on the App (with an approver e-mail, so its conditional subscription is too)
    const config = loadConfig(() => undefined, { PIPELINE_NOTIFICATION_EMAIL: 'platform-team@example.com' });
    app = testApp(REPORT_ONLY, { schemaValidation: false });
    pipeline = new PipelineStack(app, 'ConversationalPlatformPipeline', { config });
    stages = ENVIRONMENT_NAMES.map((name) => pipeline.stages[name]);
    applyNag(app);
    // WHEN synthesized
    assemblyDir = app.synth().directory;
  });

  describe('GIVEN the platform and its pipeline', () => {
    it('WHEN synthesized THEN the report synth writes has zero unacknowledged findings (errors or warnings)', () => {
      expect(unacknowledgedFindings(assemblyDir)).toEqual([]);
    });

    it('WHEN checked one by one THEN the pipeline stack and every stack of every stage have zero unacknowledged findings', () => {
      const stacks = [pipeline, ...stages.flatMap((s) => s.node.children.filter(Stack.isStack))];
      expect(stacks).toHaveLength(1 + 3 * 10); // the pipeline, and ten stacks per stage
      const findings = stacks.flatMap((stack) =>
        nagPlugins().flatMap((plugin) =>
          plugin
            .validateScope(stack)
            .violations.flatMap((v) =>
              v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`),
            )
            .map((f) => `${stack.node.path}: ${f}`),
        ),
      );
      expect(findings).toEqual([]);
    });
  });

  describe('GIVEN a violation inside a stage', () => {
    function leakyApp(context: Record<string, unknown>) {
      const leaky = testApp(context, { schemaValidation: false });
      const stage = new Stage(leaky, 'Sandbox', { env: { account: '111111111111', region: 'us-east-1' } });
      const stack = new Stack(stage, 'Leaky');
      new s3.CfnBucket(stack, 'Unencrypted'); // no TLS-only policy, no access logs
      const nested = new Stack(new Stage(stage, 'Inner'), 'Deep');
      new s3.CfnBucket(nested, 'AlsoLeaky');
      const excused = new s3.CfnBucket(stack, 'Excused');
      acknowledge(
        excused,
        'Test fixture: this bucket shows that an acknowledgement on one resource silences its findings.',
        'AwsSolutions-S1',
        'AwsSolutions-S10',
      );
      applyNag(leaky);
      return leaky;
    }

    it('WHEN synthesized with the report only THEN it is reported, down to nested stages, and unacknowledgedFindings is non-empty', () => {
      // GIVEN unencrypted, unlogged buckets in a stack of a stage (and of a stage in that stage)
      // WHEN synthesized with the report only
      const findings = unacknowledgedFindings(leakyApp(REPORT_ONLY).synth().directory);
      // THEN every finding is listed with its construct path
      expect(findings).toEqual(
        expect.arrayContaining([
          'AwsSolutions-S1  Sandbox/Leaky/Unencrypted',
          'AwsSolutions-S10  Sandbox/Leaky/Unencrypted',
          'AwsSolutions-S10  Sandbox/Inner/Deep/AlsoLeaky',
        ]),
      );
      expect(findings.filter((f) => f.includes('Excused'))).toEqual([]);
    });

    it('WHEN synthesized by default THEN synth fails', () => {
      expect(() => leakyApp({}).synth()).toThrow(/AwsSolutions-S10/);
    });
  });

  describe('StrictNagPlugin', () => {
    const fakePack = (report: PolicyValidationPluginReport) =>
      ({ name: 'Fake', validateScope: () => report, validate: () => report }) as unknown as NagPack;
    const warning = {
      ruleName: 'Fake-W1',
      description: 'a warning',
      severity: 'warning',
      violatingResources: [{ resourceLogicalId: 'X', templatePath: 't.json', locations: [] }],
    };

    it('GIVEN a warning WHEN validated THEN it counts as a failure', () => {
      const report = new StrictNagPlugin(fakePack({ success: true, violations: [warning] })).validateScope(
        app,
      );
      expect(report.success).toBe(false);
      expect(report.violations.map((v) => v.severity)).toEqual(['error']);
    });

    it('GIVEN a clean report WHEN validated THEN it passes', () => {
      expect(
        new StrictNagPlugin(fakePack({ success: true, violations: [] })).validateScope(app).success,
      ).toBe(true);
    });
  });

  describe('acknowledgements', () => {
    it('GIVEN the app WHEN synthesized THEN each sits on one resource construct (never a Stack or Stage) with a specific reason', () => {
      const byPath = new Map<string, IConstruct>(app.node.findAll().map((c) => [c.node.path, c]));
      const acks = listAcknowledgements(app);
      expect(acks.length).toBeGreaterThan(0);
      for (const ack of acks) {
        const construct = byPath.get(ack.path);
        expect(construct).toBeDefined();
        expect({
          path: ack.path,
          onStackOrStage: Stack.isStack(construct) || Stage.isStage(construct),
        }).toEqual({
          path: ack.path,
          onStackOrStage: false,
        });
        expect({ id: ack.id, reasonLength: ack.reason.length >= 40 }).toEqual({
          id: ack.id,
          reasonLength: true,
        });
        expect(ack.id).toMatch(
          /^(Annotation::)?(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[.+\])?$|^CloudFormation-Validate::[EFW]\d+$/,
        );
      }
    });

    it('GIVEN a stack, a stage, a vague reason or an empty rule list WHEN acknowledged THEN acknowledge refuses it', () => {
      const scratch = testApp({}, { schemaValidation: false });
      const stage = new Stage(scratch, 'S');
      const stack = new Stack(stage, 'T');
      const bucket = new s3.Bucket(stack, 'B');
      const reason = 'A specific reason that is certainly longer than forty characters.';
      expect(() => acknowledge(stack, reason, 'AwsSolutions-S1')).toThrow(/never a whole stack or stage/);
      expect(() => acknowledge(stage, reason, 'AwsSolutions-S1')).toThrow(/never a whole stack or stage/);
      expect(() => acknowledge(bucket, 'because', 'AwsSolutions-S1')).toThrow(/specifically why/);
      expect(() => acknowledge(bucket, reason)).toThrow(/at least one rule id/);
      expect(() => acknowledge(bucket, reason, 'S1')).toThrow(/unknown rule id S1/);
      expect(() => acknowledge(bucket, reason, 'AwsSolutions-IAM5[Bucket::x]')).toThrow(/unknown rule id/);
      expect(() => acknowledge(bucket, reason, 'AwsSolutions-IAM5[Resource::*]')).not.toThrow();
    });

    it('GIVEN lib/ and bin/ WHEN searched THEN all go through acknowledge(): nothing calls Validations.of(x).acknowledge itself', () => {
      const guard = join('lib', 'nag', 'index.ts');
      const root = REPO_ROOT;
      const direct = ['lib', 'bin']
        .flatMap((dir) =>
          readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)),
        )
        .filter((f) => f.endsWith('.ts') && f !== guard)
        .filter((f) => /\.acknowledge\s*\(/.test(readFileSync(join(root, f), 'utf8')));
      expect(direct).toEqual([]);
    });

    it('GIVEN the stages WHEN compared with docs/nag.md THEN all of theirs are listed there, and it lists no others', () => {
      const documented = documentedRows(readFileSync(NAG_DOC, 'utf8'), '## Stages');
      const expected = acknowledgementRows(
        stages.flatMap((stage) => listAcknowledgements(stage)),
        pipeline,
      );
      expect(expected.length).toBeGreaterThan(0);
      expect({ missingFromDoc: expected.filter((r) => !documented.includes(r)) }).toEqual({
        missingFromDoc: [],
      });
      expect({ staleInDoc: documented.filter((r) => !expected.includes(r)) }).toEqual({ staleInDoc: [] });
    });

    it('GIVEN the pipeline stack itself WHEN compared with docs/nag.md THEN all of its own are listed there, and it lists no others', () => {
      const documented = documentedRows(readFileSync(NAG_DOC, 'utf8'), '## Pipeline stack');
      const expected = stackAcknowledgementRows(listStackAcknowledgements(pipeline), pipeline);
      expect(expected.length).toBeGreaterThan(0);
      expect({ missingFromDoc: expected.filter((r) => !documented.includes(r)) }).toEqual({
        missingFromDoc: [],
      });
      expect({ staleInDoc: documented.filter((r) => !expected.includes(r)) }).toEqual({ staleInDoc: [] });
    });

    it('GIVEN the two tables of docs/nag.md WHEN put together THEN they hold every acknowledgement of the app', () => {
      const inTables = [
        ...stages.flatMap((stage) => listAcknowledgements(stage)),
        ...listStackAcknowledgements(pipeline),
      ];
      expect(inTables).toHaveLength(listAcknowledgements(app).length);
    });

    it('GIVEN docs/nag.md WHEN read THEN they are counted per rule in the summary line at its top', () => {
      const doc = readFileSync(NAG_DOC, 'utf8');
      const summary = doc.split('\n').filter((line) => line.startsWith('**Acknowledgements by rule**'));
      expect(summary).toEqual([acknowledgementSummary(listAcknowledgements(app))]);
      expect(doc.indexOf(summary[0])).toBeLessThan(doc.indexOf('\n## '));
    });
  });
});
