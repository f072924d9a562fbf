import type { Config } from 'jest';

// Every test file runs against a real FerretDB (or MONGODB_TEST_URI) started once per run by
// tests/setup/global-setup.ts; each file then works in a database of its own.
const config: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
  setupFiles: ['<rootDir>/tests/setup/env.ts'],
  testTimeout: 30_000,
  collectCoverageFrom: ['src/**/*.ts'],
  // Transpile only: types are checked once by `npm run typecheck` (CI runs both), which keeps
  // the suite fast and independent of type errors in files a test does not exercise.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

export default config;
