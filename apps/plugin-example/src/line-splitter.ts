import type { Readable } from 'node:stream';

/** Longest line kept whole; a child that never prints a newline cannot grow our memory. */
const MAX_LINE_LENGTH = 16 * 1024;

/**
 * Calls `onLine` for every line read from `stream` (without its line ending). A final line
 * without a newline is delivered when the stream ends; overlong lines are cut into pieces.
 */
export function splitLines(stream: Readable, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      onLine(stripCarriageReturn(pending.slice(0, newline)));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
    while (pending.length > MAX_LINE_LENGTH) {
      onLine(pending.slice(0, MAX_LINE_LENGTH));
      pending = pending.slice(MAX_LINE_LENGTH);
    }
  });
  stream.on('end', () => {
    if (pending !== '') onLine(stripCarriageReturn(pending));
    pending = '';
  });
  // A pipe error (the child vanished) ends the lines; the exit handler reports the rest.
  stream.on('error', () => undefined);
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
