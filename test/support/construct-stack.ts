/**
 * Test-only: a stack to build one construct in, with the project's feature flags (cdk.json) and
 * asset bundling skipped (construct tests assert templates, not bundles), plus a stand-in code hook.
 */
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { testApp } from '../helpers/app';

export const TEST_ENV = { account: '111111111111', region: 'us-east-1' } as const;

/** A stack in its own test app, in TEST_ENV. */
export function constructStack(id = 'Test'): Stack {
  return new Stack(testApp({}, { schemaValidation: false }), id, { env: TEST_ENV });
}

/** A minimal function standing in for a code hook or an integration target. */
export function stubFunction(stack: Stack, id = 'Fulfillment'): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
  });
}
