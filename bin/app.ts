#!/usr/bin/env node
/**
 * The CDK app. Synthesizes the three platform stages (dev, staging, prod); the pipeline stack
 * that delivers them replaces this once lib/pipeline lands. Every stack is nag-checked and any
 * unacknowledged finding fails synth.
 */
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../lib/config/load';
import { ENVIRONMENT_NAMES } from '../lib/config/types';
import { applyNag, unacknowledgedFindings } from '../lib/nag';
import { ConversationalPlatformStage } from '../lib/stages/conversational-platform-stage';

const app = new App();
const config = loadConfig((key) => app.node.tryGetContext(key));
for (const name of ENVIRONMENT_NAMES) {
  new ConversationalPlatformStage(app, name[0].toUpperCase() + name.slice(1), {
    config: config.environments[name],
  });
}
applyNag(app);

const findings = unacknowledgedFindings(app.synth().directory);
if (findings.length > 0) {
  console.error(`cdk-nag: ${findings.length} unacknowledged finding(s):\n  ${findings.join('\n  ')}`);
  process.exitCode = 1;
}
