import { connect as tcpConnect, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { clientTimeouts } from '../src/http/http-gateway.js';
import { closeAll, connect, fixture, gateway } from './helpers.js';

afterEach(closeAll);

/** Opens a raw connection and resolves with what the server wrote once it closes it. */
function trickle(url: URL, first: string): { socket: Socket; closed: Promise<string> } {
  const socket = tcpConnect(Number(url.port), url.hostname);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  socket.write(first);
  const closed = new Promise<string>((resolve) => {
    socket.once('close', () => {
      resolve(received);
    });
  });
  return { socket, closed };
}

it(
  'closes a client whose headers never end (slow-loris) with 408, and keeps serving others',
  async () => {
    const g = await gateway({ fx: fixture() });
    const url = new URL(g.url);
    // Headers that keep coming, one byte at a time, and never end.
    const slow = trickle(url, `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nX-Slow: `);
    const drip = setInterval(() => {
      slow.socket.write('a');
    }, 200);
    try {
      const client = await connect(g.url);
      const echo = await client.callTool({ name: 'x_fx_echo', arguments: { text: 'meanwhile' } });
      expect(echo.structuredContent).toEqual({ text: 'meanwhile' });
      const answer = await slow.closed;
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
      slow.socket.destroy();
    }
  },
  clientTimeouts.headersTimeout + 20_000,
);
