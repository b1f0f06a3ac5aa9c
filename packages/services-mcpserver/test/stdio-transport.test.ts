import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { isProcessAlive, waitFor } from '@corral/testing';
import { describe, expect, it } from 'vitest';
import { MessageTooLargeError, NotJsonRpcOutputError } from '../src/index.js';
import { StdioProcessTransport } from '../src/stdio/stdio-process-transport.js';

/** A transport running `script` with node, collecting what it delivers. */
function transportFor(script: string, maxMessageBytes = 1024 * 1024) {
  const messages: JSONRPCMessage[] = [];
  const errors: Error[] = [];
  const stderr: string[] = [];
  let closed = 0;
  const transport = new StdioProcessTransport({
    command: process.execPath,
    args: ['-e', script],
    env: { PATH: process.env['PATH'] ?? '' },
    maxMessageBytes,
    onStderrLine: (line) => stderr.push(line),
  });
  transport.onmessage = (message) => messages.push(message);
  transport.onerror = (error) => errors.push(error);
  transport.onclose = () => {
    closed++;
  };
  return { transport, messages, errors, stderr, closed: () => closed };
}

const hurry = { graceMs: 0, signal: AbortSignal.abort() };

describe('StdioProcessTransport', () => {
  it('frames messages however the pipe splits them, and skips lines that are not JSON', async () => {
    const script = `
      const lines = [1, 2, 3].map((id) => JSON.stringify({ jsonrpc: '2.0', id, result: { n: id } }) + '\\n');
      const all = 'not json\\n' + lines.join('');
      let at = 0;
      const timer = setInterval(() => {
        process.stdout.write(all.slice(at, at + 7));
        at += 7;
        if (at >= all.length) { clearInterval(timer); console.error('done'); }
      }, 1);
    `;
    const t = transportFor(script);
    await t.transport.start();
    await t.transport.exited;
    await t.transport.closed;
    expect(t.messages).toEqual([1, 2, 3].map((id) => ({ jsonrpc: '2.0', id, result: { n: id } })));
    expect(t.stderr).toEqual(['done']);
    expect(t.transport.exit).toEqual({ code: 0, signal: null });
    expect(t.closed()).toBe(1);
  });

  it('closes on a message longer than the limit, and terminate() still kills the process', async () => {
    const t = transportFor(
      `process.stdout.write('{"jsonrpc":"2.0","id":1,"result":{"x":"' + 'a'.repeat(5000)); setInterval(() => {}, 1000);`,
      1000,
    );
    await t.transport.start();
    const pid = t.transport.pid ?? 0;
    await t.transport.closed;
    expect(t.errors[0]).toBeInstanceOf(MessageTooLargeError);
    expect(t.transport.fatalError).toBeInstanceOf(MessageTooLargeError);
    expect(isProcessAlive(pid)).toBe(true);
    await expect(t.transport.send({ jsonrpc: '2.0', method: 'x' })).rejects.toThrow(
      /not connected/,
    );
    expect(await t.transport.terminate(hurry)).toBe(true);
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('ends stdin first, then SIGTERM, then SIGKILL for a process that ignores both', async () => {
    const t = transportFor(
      `process.on('SIGTERM', () => console.error('ignoring SIGTERM')); process.stdin.resume(); process.stdin.on('end', () => console.error('stdin ended')); setInterval(() => {}, 1000); console.error('ready');`,
    );
    await t.transport.start();
    await waitFor(() => t.stderr.includes('ready'), {
      description: 'the handlers to be installed',
    });
    const pid = t.transport.pid ?? 0;
    expect(
      await t.transport.terminate({ graceMs: 200, signal: new AbortController().signal }),
    ).toBe(true);
    expect(t.transport.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(t.stderr).toEqual(['ready', 'stdin ended', 'ignoring SIGTERM']);
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('skips up to 20 lines in a row that are not JSON-RPC, and closes on the 21st', async () => {
    const script = `
      const msg = (id) => JSON.stringify({ jsonrpc: '2.0', id, result: {} }) + '\\n';
      const junk = (n) => Array.from({ length: n }, (_, i) => 'junk ' + i + '\\n').join('');
      process.stdout.write(junk(20) + '\\n\\n' + msg(1) + junk(20) + msg(2) + junk(21) + msg(3));
      setInterval(() => {}, 1000);
    `;
    const t = transportFor(script);
    await t.transport.start();
    await t.transport.closed;
    expect(t.messages.map((m) => ('id' in m ? m.id : undefined))).toEqual([1, 2]);
    expect(t.errors).toHaveLength(61); // 40 skipped, 20 more skipped, then the fatal one
    expect(t.errors.every((e) => e instanceof NotJsonRpcOutputError)).toBe(true);
    const fatal = t.transport.fatalError;
    expect(fatal).toBeInstanceOf(NotJsonRpcOutputError);
    expect(fatal?.message).toBe(
      'wrote something that is not JSON-RPC to stdout: "junk 20" (21 such lines in a row)',
    );
    expect(await t.transport.terminate(hurry)).toBe(true);
  });

  it('closes on a line over 64 KiB that cannot be JSON before it even ends', async () => {
    const t = transportFor(
      `process.stdout.write('Welcome! ' + 'x'.repeat(70 * 1024)); setInterval(() => {}, 1000);`,
    );
    await t.transport.start();
    await t.transport.closed;
    expect(t.transport.fatalError?.message).toMatch(
      /^wrote something that is not JSON-RPC to stdout: a line of more than 64 KiB that is not JSON, starting "Welcome! x+…"$/,
    );
    expect(t.transport.unfinishedLine()).toBeUndefined();
    expect(await t.transport.terminate(hurry)).toBe(true);
  });

  it('rejects start when the command does not exist', async () => {
    const t = new StdioProcessTransport({
      command: 'definitely-not-a-command-corral',
      args: [],
      env: { PATH: process.env['PATH'] ?? '' },
      maxMessageBytes: 1024,
      onStderrLine: () => undefined,
    });
    await expect(t.start()).rejects.toThrow(/ENOENT/);
    expect(t.pid).toBeUndefined();
    expect(await t.terminate(hurry)).toBe(true);
  });
});
