#!/usr/bin/env node
/**
 * The CDK app: the delivery pipeline stack (tooling account) with the dev, staging and prod
 * ConversationalPlatformStages inside it. Every stack is nag-checked and any unacknowledged
 * finding fails synth (exit code 1).
 *
 * Sandbox: `-c sandbox=<12-digit account>` (or CDK_SANDBOX_ACCOUNT) adds a "Sandbox" stage with
 * the dev settings in that account (`-c sandboxRegion=` / CDK_SANDBOX_REGION, default: dev's
 * region), deployable straight from a laptop without the pipeline:
 *   npx cdk deploy -c sandbox=123456789012 'Sandbox/*'
 * See docs/deployment.md.
 */
import { App, CfnParameter, CfnRule, Fn } from 'aws-cdk-lib';
import { deployRefusal, exitOnConfigError, loadConfig } from '../lib/config/load';
import { applyNag, unacknowledgedFindings } from '../lib/nag';
import { PipelineStack } from '../lib/pipeline/pipeline-stack';
import { sandboxConfig } from '../lib/pipeline/sandbox';
import { ConversationalPlatformStage } from '../lib/stages/conversational-platform-stage';
import { synthSummary } from './synth-summary';

const app = new App();
const context = (key: string): unknown => app.node.tryGetContext(key);
// A bad setting or an unknown context key: one line on stderr, exit 1, no stack trace.
const config = exitOnConfigError(() =>
  loadConfig(context, process.env, { contextKeys: Object.keys(app.node.getAllContext()) }),
);
const sandbox = exitOnConfigError(() => sandboxConfig(config.environments.dev, context, process.env));

const pipeline = new PipelineStack(app, 'ConversationalPlatformPipeline', {
  config,
  description: 'Delivery pipeline of the conversational platform (dev -> staging -> prod)',
});

// Placeholder accounts, repository or connection: synth goes on (offline, CI), a deployment must
// not. The app cannot tell `cdk synth` from `cdk deploy` (same environment and context), so the
// template carries a rule CloudFormation checks before any change: it refuses with the message.
const refusal = deployRefusal(config, pipeline.stackName);
if (refusal) {
  console.error(refusal.notice);
  const placeholders = new CfnParameter(pipeline, 'ConfigPlaceholders', {
    type: 'String',
    default: refusal.summary,
    description: 'Settings still at their placeholder (lib/config/environments.ts); empty when none',
  });
  new CfnRule(pipeline, 'RefuseConfigPlaceholders', {
    assertions: [
      { assert: Fn.conditionEquals(placeholders.valueAsString, ''), assertDescription: refusal.message },
    ],
  });
}

if (sandbox) {
  new ConversationalPlatformStage(app, 'Sandbox', { config: sandbox });
}

applyNag(app);

const assembly = app.synth();
const findings = unacknowledgedFindings(assembly.directory);
if (findings.length > 0) {
  console.error(`cdk-nag: ${findings.length} unacknowledged finding(s):\n  ${findings.join('\n  ')}`);
  process.exitCode = 1;
}
// cdk.json sets "quiet" (no template on stdout): synth ends with this short summary instead.
console.error(synthSummary(app, assembly, findings.length).join('\n'));
