// Three projects: pure unit specs need no servers; integration and e2e specs share one
// launched Postgres + Redis (jest globalSetup) and get a fresh database per file; the fault
// suite (test/faults) starts whole stacks of its own.
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;
const transform = {
  '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }],
  // NestJS 12 ships ES modules only and Jest on Node 20 cannot require() them: compile them to CJS.
  '^.+\\.m?js$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' }, swcrc: false }],
};
const esmPackages = ['@nestjs', 'jose', 'uid', 'load-esm', 'file-type', 'token-types', 'strtok3', 'peek-readable', '@tokenizer', 'uint8array-extras', 'fastify-plugin'];
const transformIgnorePatterns = [`/node_modules/(?!(${esmPackages.join('|')})/)`];
const roots = ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'];

module.exports = {
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      roots,
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
      testMatch: ['**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      roots,
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
      testMatch: ['**/*.int-spec.ts', '**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
      setupFiles: ['reflect-metadata'],
    },
    {
      // Each fault file runs npm start on servers of its own and spends most of its minutes
      // waiting out the outage it injected: `npm test` runs them two at a time, after the rest
      // (beside other files, a 2-core machine starves their timing-sensitive neighbours).
      displayName: 'faults',
      roots: ['<rootDir>/test/faults'],
      transform,
      transformIgnorePatterns,
      testEnvironment: 'node',
      testMatch: ['**/*.e2e-spec.ts'],
      setupFiles: ['reflect-metadata'],
    },
  ],
};
