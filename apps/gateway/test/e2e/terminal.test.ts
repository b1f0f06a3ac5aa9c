import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { descendantsOf, waitFor } from '@corral/testing';
import { allGone, cliPath } from './harness.js';

/**
 * `corral serve` on a real terminal (a pseudo-terminal from util-linux `script`): the live
 * progress view, and what happens when the terminal goes away.
 */
describe('corral serve on a terminal', { timeout: 60_000 }, () => {
  it('shows live progress, and stops the fleet when the terminal closes', async () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} serve --port 0`;
    const terminal = spawn('script', ['-qfc', command, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, TERM: 'xterm', NO_COLOR: '' },
    });
    let screen = '';
    terminal.stdout.setEncoding('utf8').on('data', (chunk: string) => (screen += chunk));
    const exited = new Promise((resolve) => terminal.once('exit', resolve));
    const escape = String.fromCharCode(27);
    const plain = (): string => screen.replace(new RegExp(`${escape}\\[[0-9;]*[A-Za-z]`, 'g'), '');
    await waitFor(() => plain().includes('MCP endpoint (streamable HTTP)'), {
      timeoutMs: 45_000,
      description: 'the ready banner on the terminal',
    });
    for (const name of ['everything', 'memory', 'filesystem']) {
      expect(plain()).toMatch(new RegExp(`✔ ${name}\\s+running\\s+\\d+ tools`));
    }
    // Redrawn in place: the cursor moves up over the progress block.
    expect(screen).toMatch(new RegExp(`${escape}\\[\\d+A`));

    const shell = terminal.pid ?? 0;
    const processes = await descendantsOf(shell);
    expect(processes.length).toBeGreaterThanOrEqual(4); // the gateway and its three servers
    terminal.kill('SIGKILL'); // the terminal closes: the gateway gets SIGHUP, its writes fail
    await exited;
    await allGone(processes);
  });
});
