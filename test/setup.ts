// Matchers such as expect(mock).toHaveReceivedCommandWith(...) for aws-sdk-client-mock.
import 'aws-sdk-client-mock-jest';

// The AWS SDK warns (once per module load, so once per test file) that its releases after early
// 2027 will need Node >= 22. The suite runs on Node 20 on purpose (package.json engines) with
// pinned SDK versions: the warning says nothing about the code under test, so it stays out of the
// output (child processes the tests start inherit this too).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
