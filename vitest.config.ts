import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // Browser tests need Chromium and a built studio: `npm run test:e2e` (vitest.e2e.config.ts).
    exclude: ['**/node_modules/**', 'test/e2e/**'],
    // Each run gets its own temp folder and must leave it empty (test/helpers/temp-guard.ts).
    globalSetup: ['test/helpers/temp-guard.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Medium tests spawn ffmpeg and servers; two cores are busy enough with two test files at once.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
