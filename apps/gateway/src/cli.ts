#!/usr/bin/env node
// The `corral` executable: runs the command line and exits with its code.
import { processIo } from './io.js';
import { runCli } from './program.js';

// When the terminal closes (its SIGHUP reloads the config, as daemons do) or the reader of a pipe
// goes away, writes fail with EIO or EPIPE. Unhandled, that error would crash the process and
// orphan the fleet's process groups; instead it becomes a graceful stop, as if by SIGTERM.
let outputGone = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', () => {
    if (outputGone) return;
    outputGone = true;
    process.kill(process.pid, 'SIGTERM');
  });
}

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
