// Matchers such as expect(mock).toHaveReceivedCommandWith(...) for aws-sdk-client-mock.
import 'aws-sdk-client-mock-jest';
