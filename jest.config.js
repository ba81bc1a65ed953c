/**
 * Two projects: `unit` (specs next to the code, fakes allowed) and `integration` (test/, real PostgreSQL and Redis
 * over real sockets, through fault proxies and private servers). `npm test` runs both in one jest run, two files at
 * a time: the integration suites mostly wait on timeouts and servers, and each uses its own ports, proxies and
 * processes, so two run side by side without seeing each other.
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.jest.json' }];

/**
 * Node 20.19+ loads ES-module-only dependencies with `require()`; jest's module system on Node 20 does not. The one
 * such dependency (content-disposition, under @fastify/static, which Swagger UI needs) is compiled to CommonJS for
 * the tests only.
 */
const ESM_ONLY = ['content-disposition'];
const esmToCjs = ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', sourceMap: false } }];
/** The status page's browser ES modules, compiled the same way so their specs can load the real files. */
const PAGE_MODULES = '/src/status/page/[^/]+\\.js$';
const esmTransform = {
  transform: {
    '^.+\\.ts$': tsJest,
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: esmToCjs,
    [PAGE_MODULES]: esmToCjs,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
};

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests wait on real timeouts and servers; a project-level testTimeout is ignored by jest.
  testTimeout: 60000,
  // Two workers, one per core of the machine CI runs on: with four, the suites' own servers, browsers and child
  // processes competed for the two cores and the timing bounds of a few suites (a timeout answered within its margin,
  // a refresh loop's pace measured on arrival) failed now one, now another. The measurements of the service's latency
  // under load (the socket flood, the probe storms) run apart (the `alone` project).
  maxWorkers: 2,
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
      testPathIgnorePatterns: ['\\.alone\\.e2e-spec\\.ts$'],
      ...esmTransform,
    },
    {
      // Measurements of the service's own latency under a flood or a probe storm it takes both cores to make: run
      // after the others, one file at a time (`--runInBand`), with nothing beside them, or another suite's work
      // would be measured too.
      displayName: 'alone',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.alone.e2e-spec.ts'],
      ...esmTransform,
    },
  ],
};
