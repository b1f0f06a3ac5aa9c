import type { Readable } from 'node:stream';

/** Longest line kept whole; a child that never prints a newline cannot grow our memory. */
const MAX_LINE_LENGTH = 16 * 1024;

/**
 * Calls `onLine` for every line read from `stream` (without its line ending). A final line
 * without a newline is delivered when the stream ends; overlong lines are cut into pieces.
 */
export function splitLines(stream: Readable, onLine: (line: string) => void): void {
  let pending = '';
  const emit = (line: string): void => {
    for (let at = 0; at < line.length; at += MAX_LINE_LENGTH) {
      onLine(line.slice(at, at + MAX_LINE_LENGTH));
    }
    if (line.length === 0) onLine('');
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) emit(stripCarriageReturn(line));
    if (pending.length > MAX_LINE_LENGTH) {
      const whole = pending.length - (pending.length % MAX_LINE_LENGTH);
      emit(pending.slice(0, whole));
      pending = pending.slice(whole);
    }
  });
  stream.on('end', () => {
    if (pending !== '') emit(stripCarriageReturn(pending));
    pending = '';
  });
  // A pipe error (the child vanished) ends the lines; the exit handler reports the rest.
  stream.on('error', () => undefined);
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
