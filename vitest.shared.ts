import { defineConfig } from 'vitest/config';

/**
 * The one vitest config every package extends. Decorator metadata must be emitted by oxc for
 * tsyringe; a JSON report per package lets CI print a single `N passed, N failed` line.
 */
export const sharedConfig = defineConfig({
  oxc: {
    decorator: { legacy: true, emitDecoratorMetadata: true },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: [new URL('./vitest.setup.ts', import.meta.url).pathname],
    reporters: ['default', 'json'],
    outputFile: { json: '.reports/vitest.json' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
