/**
 * Two projects: `unit` (specs next to the code, fakes allowed) and `integration` (test/, real PostgreSQL and Redis
 * over real sockets, through fault proxies and private servers). `npm test` runs both, one file at a time, because
 * the integration suites start servers and child processes.
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.jest.json' }];

/**
 * Node 20.19+ loads ES-module-only dependencies with `require()`; jest's module system on Node 20 does not. The one
 * such dependency (content-disposition, under @fastify/static, which Swagger UI needs) is compiled to CommonJS for
 * the tests only.
 */
const ESM_ONLY = ['content-disposition'];
const esmToCjs = ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', sourceMap: false } }];
const esmTransform = {
  transform: { '^.+\\.ts$': tsJest, [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: esmToCjs },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
};

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests wait on real timeouts and servers; a project-level testTimeout is ignored by jest.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
      ...esmTransform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      ...esmTransform,
    },
  ],
};
