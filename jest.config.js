// Two projects: pure unit specs need no servers; integration and e2e specs share one
// launched Postgres + Redis (jest globalSetup) and get a fresh database per file.
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
      globalSetup: '<rootDir>/libs/testing/src/jest-global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest-global-teardown.ts',
      setupFiles: ['reflect-metadata'],
    },
  ],
};
