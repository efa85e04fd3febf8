// Browser tests: Debian's Chromium driven by playwright-core against a real `melies serve`.
// Run with `npm run test:e2e` (it builds the studio first if needed).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
