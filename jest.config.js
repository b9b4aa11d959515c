/** @type {import('jest').Config} */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023' } }] };

module.exports = {
  // The integration tests mostly wait on queues and timeouts: run them side by side even on 2 cores.
  maxWorkers: 4,
  // Only the top-level timeout is honoured by jest-circus; unit tests finish in milliseconds anyway.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      // Handler tests load middy, which ships as ES modules only: let swc turn it into CommonJS.
      transform: { '^.+\\.(ts|js)$': transform['^.+\\.ts$'] },
      transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
      moduleNameMapper: { '^@middy/(core|util)$': '<rootDir>/node_modules/@middy/$1/index.js' },
    },
    {
      // Through the real triggers: the local AWS and `sls offline` on stage `test`, started once.
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // The packaged CloudFormation templates of the stages, and cfn-lint on prod.
      displayName: 'infra',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/infra/**/*.test.ts'],
      // Every stage is packaged once, before the files that read the templates.
      globalSetup: '<rootDir>/test/infra/global-setup.ts',
    },
    {
      // sls deploy / remove against a moto_server: after the others, alone (see the test).
      displayName: 'rehearsal',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/rehearsal/**/*.test.ts'],
    },
    {
      // The local AWS against the AWS API reference: each test starts its own emulators on free ports.
      displayName: 'conformance',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/conformance/**/*.test.ts'],
    },
    {
      // The local console in Debian's chromium, on a stack of its own (ports from E2E_BASE_PORT).
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
    },
  ],
};
