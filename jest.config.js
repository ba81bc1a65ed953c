/**
 * Four projects. `npm test` runs the first two, the suite to run after every change; `npm run test:all` runs them all,
 * and CI runs that.
 * - `unit`: the `*.spec.ts` files next to the code in src/, fakes allowed.
 * - `integration`: the other `*.e2e-spec.ts` files in test/: the service in the test's own process, against the real
 *   PostgreSQL and Redis over real sockets, through fault proxies; a few also run the built CLI against it.
 * - `system`: the files named `*.system.e2e-spec.ts`, whose subject is a process or a program beside the service:
 *   the built service in a child process (settings refused, signals, restarts, logs, exit codes), the CLI, private
 *   PostgreSQL and Redis servers and topologies, Chromium, promtool and the OpenAPI linters, the fuzzers, the deploy
 *   files run for real.
 * - `alone`: `*.alone.e2e-spec.ts`, load measurements, run last and one at a time.
 * Each file uses its own ports, proxies and processes, so files run side by side without seeing each other.
 */

/**
 * TypeScript compiled by SWC as tsc builds it (ES2022, class fields defined, legacy decorators with their metadata,
 * which Nest's injection reads, CommonJS): ts-jest's compiler took a fifth of a cold run's CPU. Types are checked by
 * `npm run typecheck` (and CI), not here.
 */
const swc = (syntax) => [
  '@swc/jest',
  {
    jsc: {
      parser: syntax === 'typescript' ? { syntax, decorators: true } : { syntax },
      target: 'es2022',
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/**
 * Node 20.19+ loads ES-module-only dependencies with `require()`; jest's module system on Node 20 does not. The one
 * such dependency (content-disposition, under @fastify/static, which Swagger UI needs) is compiled to CommonJS for
 * the tests only.
 */
const ESM_ONLY = ['content-disposition'];
/** The status page's browser ES modules, compiled the same way so their specs can load the real files. */
const PAGE_MODULES = '/src/status/page/[^/]+\\.js$';
const esmTransform = {
  transform: {
    '^.+\\.ts$': swc('typescript'),
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: swc('ecmascript'),
    [PAGE_MODULES]: swc('ecmascript'),
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
};

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests wait on real timeouts and servers; a project-level testTimeout is ignored by jest.
  testTimeout: 60000,
  // Two workers, one per core of the machine CI runs on, for the `system` files: with four, their servers, browsers
  // and child processes competed for the two cores and the timing bounds of a few (a timeout answered within its
  // margin, a refresh loop's pace measured on arrival) failed now one, now another. `npm test` (unit and integration)
  // runs five: those files mostly wait on timeouts and servers, and use 1.6 cores on average at five. The
  // measurements of the service's latency under load (the socket flood, the probe storms) run apart (`alone`).
  maxWorkers: 2,
  // Jest's 500 ms for a worker to exit once the run is over is too short at five workers on two cores: the workers
  // held nothing but their pipes to jest when told to end and exited within 5 ms (measured in the worker), yet jest
  // reported one "failed to exit gracefully" in most runs. A handle a test leaks for good still never lets it exit.
  workerGracefulExitTimeout: 3000,
  testSequencer: '<rootDir>/test/support/test-sequencer.cjs',
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
      testPathIgnorePatterns: ['\\.(alone|system)\\.e2e-spec\\.ts$'],
      ...esmTransform,
    },
    {
      displayName: 'system',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.system.e2e-spec.ts'],
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
