import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import jestPlugin from 'eslint-plugin-jest';

/** Infrastructure code: aws-cdk-lib, constructs, cdk-nag. */
const cdkImports = [
  {
    group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag', 'cdk-nag/*'],
    message: 'infrastructure code stays in lib/ and bin/ (docs/architecture.md, "Boundaries")',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'cdk.out',
      'reports',
      'load-tests/node_modules',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Lambda code, and what it shares with the infrastructure: no CDK, nothing from the CDK folder.
    files: ['src/**/*.ts', 'contracts/**/*.ts', 'bundling/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...cdkImports,
            {
              regex: '^(\\.\\./)+(lib|bin|local|load-tests)(/|$)',
              message:
                'Lambda code imports only from src/ and contracts/ (docs/architecture.md, "Boundaries")',
            },
          ],
        },
      ],
    },
  },
  {
    // The local platform and the load tests may read the environment config (plain data), nothing else of lib/.
    files: ['local/**/*.ts', 'load-tests/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...cdkImports,
            {
              regex: '^(\\.\\./)+(lib/(?!config/)|bin/)',
              message:
                'the local platform and load tests may read lib/config only (docs/architecture.md, "Boundaries")',
            },
          ],
        },
      ],
    },
  },
  {
    // The web chat runs in customers' browsers: it shares the contracts and nothing else of the repository.
    files: ['web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...cdkImports,
            {
              regex: '^(\\.\\./)+(?!contracts(/|$))[^./]',
              message:
                'the web chat imports only from web/ and contracts/ (docs/architecture.md, "Boundaries")',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    plugins: { jest: jestPlugin },
    rules: { 'jest/no-focused-tests': 'error', 'jest/no-disabled-tests': 'error' },
  },
);
