/** Jest: esbuild transpiles (fast, see test/support/esbuild-transform.js); `npm run build` (tsc --noEmit) type-checks. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': '<rootDir>/test/support/esbuild-transform.js' },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
