// Two projects: pure unit specs need no servers; integration and e2e specs share one
// launched Postgres + Redis (jest globalSetup) and get a fresh database per file.
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;
const transform = { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] };
const roots = ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'];

module.exports = {
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      roots,
      transform,
      testEnvironment: 'node',
      testMatch: ['**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      roots,
      transform,
      testEnvironment: 'node',
      testMatch: ['**/*.int-spec.ts', '**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
      setupFiles: ['reflect-metadata'],
    },
  ],
};
