/**
 * The cold-start bench measures with the functions' Node.js major (bench/lambda-node.ts): the
 * pinned version must follow the runtime PlatformFunction deploys, and an explicit binary wins.
 */
import { benchNode, LAMBDA_NODE_VERSION } from '../../bench/lambda-node';
import { LAMBDA_RUNTIME } from '../../lib/constructs/platform-function';

const ORIGINAL = process.env.COLD_START_NODE;
afterEach(() => {
  if (ORIGINAL === undefined) delete process.env.COLD_START_NODE;
  else process.env.COLD_START_NODE = ORIGINAL;
});

test('GIVEN the functions’ runtime THEN the bench pins a Node of the same major', () => {
  expect(`nodejs${LAMBDA_NODE_VERSION.split('.')[0]}.x`).toBe(LAMBDA_RUNTIME.name);
});

test('GIVEN COLD_START_NODE WHEN the bench picks its Node THEN that binary, with its version and whether it matches the runtime', () => {
  process.env.COLD_START_NODE = process.execPath;

  const node = benchNode();

  expect(node).toEqual({
    execPath: process.execPath,
    version: process.version,
    lambdaRuntime: LAMBDA_RUNTIME.name,
    matchesLambdaRuntime: `nodejs${process.versions.node.split('.')[0]}.x` === LAMBDA_RUNTIME.name,
  });
});
