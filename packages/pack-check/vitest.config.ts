import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

// Packing, a real `npm install` and real servers: minutes, not the shared 20 s.
export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { testTimeout: 120_000, hookTimeout: 300_000 } }),
);
