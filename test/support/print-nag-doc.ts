/**
 * Prints what docs/nag.md must hold, for the app as bin/app.ts builds it (and as
 * test/lib/nag/nag.test.ts checks it): the summary line, the stage table's rows and the pipeline
 * stack table's rows. Run `npx tsx test/support/print-nag-doc.ts` and paste each part under its
 * heading.
 */
import { loadConfig } from '../../lib/config/load';
import { ENVIRONMENT_NAMES } from '../../lib/config/types';
import { applyNag } from '../../lib/nag';
import { PipelineStack } from '../../lib/pipeline/pipeline-stack';
import { testApp } from '../helpers/app';
import {
  acknowledgementRows,
  acknowledgementSummary,
  listAcknowledgements,
  listStackAcknowledgements,
  stackAcknowledgementRows,
} from './nag-doc';

const config = loadConfig(() => undefined, { PIPELINE_NOTIFICATION_EMAIL: 'platform-team@example.com' });
const app = testApp({ '@aws-cdk/core:failSynthOnValidationErrors': false }, { schemaValidation: false });
const pipeline = new PipelineStack(app, 'ConversationalPlatformPipeline', { config });
const stages = ENVIRONMENT_NAMES.map((name) => pipeline.stages[name]);
applyNag(app);
// synthesized first: acknowledgements naming another stack's export register when the tree is
// validated (acknowledgeOnceResolved, lib/constructs/web-identity.ts)
app.synth();

console.log(acknowledgementSummary(listAcknowledgements(app)));
console.log('\n## Stages\n');
console.log(
  acknowledgementRows(
    stages.flatMap((stage) => listAcknowledgements(stage)),
    pipeline,
  ).join('\n'),
);
console.log('\n## Pipeline stack\n');
console.log(stackAcknowledgementRows(listStackAcknowledgements(pipeline), pipeline).join('\n'));
