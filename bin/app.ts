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
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../lib/config/load';
import { applyNag, unacknowledgedFindings } from '../lib/nag';
import { PipelineStack } from '../lib/pipeline/pipeline-stack';
import { sandboxConfig } from '../lib/pipeline/sandbox';
import { ConversationalPlatformStage } from '../lib/stages/conversational-platform-stage';

const app = new App();
const context = (key: string): unknown => app.node.tryGetContext(key);
const config = loadConfig(context);

new PipelineStack(app, 'ConversationalPlatformPipeline', {
  config,
  description: 'Delivery pipeline of the conversational platform (dev -> staging -> prod)',
});

const sandbox = sandboxConfig(config.environments.dev, context, process.env);
if (sandbox) {
  new ConversationalPlatformStage(app, 'Sandbox', { config: sandbox });
}

applyNag(app);

const findings = unacknowledgedFindings(app.synth().directory);
if (findings.length > 0) {
  console.error(`cdk-nag: ${findings.length} unacknowledged finding(s):\n  ${findings.join('\n  ')}`);
  process.exitCode = 1;
}
