import { connect } from 'node:net';

/**
 * One TCP connect to 127.0.0.1:`port`: resolves when it is accepted (and closes it at once),
 * rejects when refused, after `timeoutMs`, or when `signal` aborts.
 */
export function tcpConnect(port: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      if (error) {
        socket.destroy();
        reject(error);
        return;
      }
      // Close politely (FIN, and read what the server sends): a reset could crash a careless
      // server on its next write. It never holds our process open.
      socket.resume();
      socket.end();
      socket.setTimeout(1_000, () => socket.destroy());
      socket.unref();
      resolve();
    };
    const onAbort = (): void => {
      finish(abortReason(signal));
    };
    const timer = setTimeout(() => {
      finish(new Error(`connecting to 127.0.0.1:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      finish();
    });
    socket.once('error', (error) => {
      finish(error);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls `tcpConnect` every `intervalMs` until a connection is accepted. Never gives up by
 * itself: the caller bounds it with `signal` (timeout, process exit, stop).
 */
export async function waitForTcp(
  port: number,
  signal: AbortSignal,
  intervalMs = 75,
): Promise<void> {
  for (;;) {
    try {
      await tcpConnect(port, 1_000, signal);
      return;
    } catch {
      // Refused or timed out: not listening yet, unless we were told to give up.
      if (signal.aborted) throw abortReason(signal);
    }
    await delay(intervalMs, signal);
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}
