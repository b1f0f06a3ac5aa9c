#!/usr/bin/env node
// The `corral` executable: runs the command line and exits with its code.
import { processIo } from './io.js';
import { runCli } from './program.js';

runCli(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `corral: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
