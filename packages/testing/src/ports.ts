import { createServer } from 'node:net';

/**
 * A TCP port that was free on 127.0.0.1 a moment ago (listen on port 0, read it, close). Another
 * process can take it before you do: prefer letting the server pick its own port when it can.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') {
    throw new Error('freePort: the probe socket has no TCP address');
  }
  return address.port;
}
