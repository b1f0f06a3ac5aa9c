import { defineConfig } from 'vite';

/**
 * Static files only: `corral serve` serves `dist/` at `/`. Relative asset URLs keep the build
 * working under any mount path; hash routes need no server-side fallback.
 */
export default defineConfig({
  root: 'src',
  base: './',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
