import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@corral/testing';
import { becomes, fixture, harness, type Harness, stopAll, WAIT } from './helpers.js';

afterEach(stopAll);

/** A well-behaved server beside the bad one: it must keep answering whatever the other does. */
const HEALTHY = fixture({ name: 'healthy' });

async function healthyAnswers(h: Harness, text: string): Promise<void> {
  const echo = await h.service('healthy').callTool('echo', { text });
  expect(echo.structuredContent).toEqual({ text });
}

describe('backends that break the protocol are isolated', () => {
  it('skips a banner of a few lines that are not JSON-RPC, with a warning, and runs', async () => {
    const h = await harness({ banner: fixture({ stdoutGarbage: 3 }), healthy: HEALTHY });
    await h.corral.start();
    expect(h.corral.orchestrator.getServiceInfo('banner').state).toBe('running');
    const echo = await h.service('banner').callTool('echo', { text: 'after the banner' });
    expect(echo.structuredContent).toEqual({ text: 'after the banner' });
    const warnings = h.logs.filter((line) => line.includes('not JSON-RPC to stdout'));
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('"fixture garbage line 1: not JSON-RPC"');
    expect(warnings[1]).toContain('"{\\"garbage\\":2}"');
    await healthyAnswers(h, 'still here');
  });

  it('fails a server that keeps writing garbage to stdout, and keeps the other answering', async () => {
    const h = await harness({
      noisy: fixture({ stdoutGarbage: 50, stdoutGarbageAfter: 1 }, { restart: 'never' }),
      healthy: HEALTHY,
    });
    await h.corral.start();
    const from = h.events.length;
    await h.service('noisy').callTool('echo', { text: 'then garbage' });

    const failed = await h.waitForEvent('noisy to fail', becomes('noisy', 'failed'), from);
    expect(failed.error?.code).toBe('MCP_PROTOCOL_VIOLATION');
    expect(failed.error?.message).toContain(
      "MCP server 'noisy' wrote something that is not JSON-RPC to stdout",
    );
    expect(failed.error?.message).toContain('(21 such lines in a row)');
    expect(failed.error?.message).toContain('send logs and banners to stderr');
    await healthyAnswers(h, 'unaffected');
    expect(
      h.events.some((e) => e.name === 'healthy' && e.newState !== 'running' && e.seq > from),
    ).toBe(false);
  });

  it('fails a start drowned in garbage with the same error, and retries it', async () => {
    const h = await harness({ garbled: fixture({ stdoutGarbage: 50 }), healthy: HEALTHY });
    await h.corral.start();
    const failed = await h.waitForEvent('garbled to fail', becomes('garbled', 'failed'));
    expect(failed.error?.code).toBe('MCP_PROTOCOL_VIOLATION');
    expect(failed.error?.message).toContain('not JSON-RPC to stdout');
    await h.waitForEvent('garbled to be retried', becomes('garbled', 'retrying'));
    await healthyAnswers(h, 'unaffected');
  });

  it('fails a server that answers with an id we never sent, at once, failing the call too', async () => {
    const h = await harness({
      liar: fixture({ wrongIdAfter: 1 }, { restart: 'never' }),
      healthy: HEALTHY,
    });
    await h.corral.start();
    await h.service('liar').callTool('echo', { text: 'right id' });
    const from = h.events.length;

    // Without the check this call would wait out its 30 s timeout.
    await expect(h.service('liar').callTool('echo', { text: 'wrong id' })).rejects.toThrow();
    const failed = await h.waitForEvent('liar to fail', becomes('liar', 'failed'), from);
    expect(failed.error?.code).toBe('MCP_PROTOCOL_VIOLATION');
    expect(failed.error?.message).toMatch(
      /^MCP server 'liar' answered with an id we never sent \(\d+\)/,
    );
    await healthyAnswers(h, 'unaffected');
  });

  it('says a server never answered initialize, and keeps the other answering', async () => {
    const h = await harness({
      mute: fixture({ ignoreInitialize: true }, { timeout: 3, restart: 'never', stopGraceMs: 100 }),
      healthy: HEALTHY,
    });
    await h.corral.start();
    const failed = await h.waitForEvent('mute to fail', becomes('mute', 'failed'));
    expect(failed.error?.code).toBe('MCP_SERVER_START_TIMEOUT');
    expect(failed.error?.message).toContain(
      "MCP server 'mute' did not answer initialize within 3 s (timeout)",
    );
    expect(failed.error?.message).toContain('fixture: ignoring initialize');
    await healthyAnswers(h, 'unaffected');
  });

  it('fails a server stalled mid-message by its pings, saying it left the message unfinished', async () => {
    const h = await harness({
      stalled: fixture(
        { halfMessageAfter: 1 },
        {
          restart: 'never',
          stopGraceMs: 100,
          ping: { intervalMs: 100, timeoutMs: 1_000, failures: 2 },
        },
      ),
      healthy: HEALTHY,
    });
    await h.corral.start();
    await h.service('stalled').callTool('echo', { text: 'whole' });
    const from = h.events.length;
    const cut = h
      .service('stalled')
      .callTool('echo', { text: 'cut short' }, { timeoutMs: 60_000 })
      .then(
        () => 'answered',
        (error: unknown) => error,
      );

    const failed = await h.waitForEvent('stalled to fail', becomes('stalled', 'failed'), from);
    expect(failed.error?.code).toBe('HEALTH_CHECK_FAILED');
    expect(failed.error?.message).toMatch(
      /it left a message unfinished on stdout \(\d+ bytes with no end of line, starting "\{\\"result\\"/,
    );
    // The call it never finished answering fails with the server instead of waiting a minute.
    expect(await cut).toBeInstanceOf(Error);
    await healthyAnswers(h, 'unaffected');
  });

  it('says a server that exits mid-message left it unfinished', async () => {
    const h = await harness({
      quitter: fixture({ halfMessageAfter: 0, halfMessageThen: 'exit' }, { restart: 'never' }),
      healthy: HEALTHY,
    });
    await h.corral.start();
    await expect(h.service('quitter').callTool('echo', { text: 'cut short' })).rejects.toThrow();
    const failed = await h.waitForEvent('quitter to fail', becomes('quitter', 'failed'));
    expect(failed.error?.code).toBe('MCP_SERVER_EXITED');
    expect(failed.error?.message).toContain(
      "MCP server 'quitter' exited unexpectedly (exit code 4). Before it exited, it left a " +
        'message unfinished on stdout',
    );
    await healthyAnswers(h, 'unaffected');
  });

  it('survives a notification flood: bounded backlog, the other server and the flooder answer', async () => {
    // As fast as we read, a thousand notifications to a write: every read brings hundreds.
    const h = await harness({
      flood: fixture({ floodPerSecond: 1_000_000_000, floodBatch: 1_000 }),
      healthy: HEALTHY,
    });
    let received = 0;
    h.service('flood').onLogMessage(() => {
      received++;
    });
    await h.corral.start();
    const flooded = (): number => {
      const lines = h.service('flood').stderrLines();
      const counts = lines.map((line) => /flooded (\d+) notifications/.exec(line)?.[1]);
      return Number(counts.filter((n) => n !== undefined).at(-1) ?? 0);
    };
    // Sent by the server (it says so on stderr after each write returns) and not yet handled by
    // us: at most what the pipe's socket buffer holds (~200 KiB, some 2 200 of these) and a
    // batch. A client that takes one notification per turn of its event loop, while each read
    // brings hundreds, falls further behind with every read.
    const backlog = (): number => flooded() - received;
    const BOUND = 10_000;
    await waitFor(() => flooded() >= 50_000, { ...WAIT, description: '50000 notifications sent' });
    expect(backlog(), 'notifications sent and not yet handled').toBeLessThan(BOUND);
    for (let i = 0; i < 5; i++) {
      await healthyAnswers(h, `call ${i}`);
      const echo = await h.service('flood').callTool('echo', { text: `flooder ${i}` });
      expect(echo.structuredContent).toEqual({ text: `flooder ${i}` });
      expect(backlog(), 'notifications sent and not yet handled').toBeLessThan(BOUND);
    }
    expect(h.corral.orchestrator.getServiceInfo('flood').state).toBe('running');
    expect(h.corral.orchestrator.getServiceInfo('healthy').state).toBe('running');
  }, 120_000);

  it('keeps the log quiet when a flood of progress for unknown tokens errs on every message', async () => {
    const h = await harness({ flood: fixture({ floodPerSecond: 2_000, floodKind: 'progress' }) });
    const began = Date.now();
    await h.corral.start();
    await waitFor(
      () =>
        h
          .service('flood')
          .stderrLines()
          .some((l) => l.includes('flooded 2000 notifications')),
      { ...WAIT, description: '2000 progress notifications sent' },
    );
    await h.service('flood').callTool('echo', { text: 'still answering' });
    // Warnings, that is: until the server is ready the same errors are debug lines.
    const warnings = h.logs.filter(
      (line) => line.startsWith('warn ') && line.includes('unknown token'),
    );
    expect(warnings.length).toBeGreaterThan(0);
    // At most 10 per 10-second window, however long a loaded machine took to send 2,000
    // (each error would otherwise be a line of its own).
    const windows = Math.floor((Date.now() - began) / 10_000) + 1;
    expect(warnings.length).toBeLessThanOrEqual(10 * windows);
    expect(warnings.length).toBeLessThan(2_000 / 10);
  }, 120_000);
});
