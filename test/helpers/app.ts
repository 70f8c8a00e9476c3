import { App } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/**
 * An App with cdk.json's context (so feature flags match `cdk synth`), asset bundling skipped
 * (stack tests assert templates, not bundles: one test proves each bundle builds), and no
 * output directory of the tests' choosing.
 */
export function testApp(
  extraContext: Record<string, unknown> = {},
  options: { bundle?: boolean; schemaValidation?: boolean } = {},
): App {
  return new App({
    // CDK's built-in CloudFormation schema check costs seconds a synth; tests that do not assert
    // on it turn it off with `schemaValidation: false`.
    builtinCloudFormationValidation: options.schemaValidation ?? true,
    context: {
      ...CDK_JSON_CONTEXT,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...extraContext,
    },
  });
}
