import { defineConfig } from 'vitest/config';

// Tests run against TypeScript sources of sibling packages through the "@credit/source" export condition,
// so no build is needed between an edit and a test run.
export const sharedConfig = defineConfig({
  resolve: { conditions: ['@credit/source', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@credit/source', 'node', 'default'] } },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
