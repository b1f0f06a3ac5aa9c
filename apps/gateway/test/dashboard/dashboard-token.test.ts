/**
 * The dashboard on a gateway with `aggregator.token`: the page loads without the token (its
 * files are public assets), asks for it, refuses a wrong one, and with the right one shows the
 * fleet live — the API, the event stream and the MCP client all sending it. Real `corral serve`,
 * headless Chromium; every wait is on the page's content, never on a fixed delay.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedServerEntry } from '../../src/serve/default-fleet.js';
import { serve, type ServeProcess, tempDir, writeConfig } from '../e2e/harness.js';
import { openHeadlessPage, stateOf } from './headless-page.js';

const TOKEN = 'dashboard-browser-test-token-0123456789';

describe('the dashboard on a gateway with a token, in headless Chromium', () => {
  let gateway: ServeProcess | undefined;
  let browser: Browser | undefined;
  let dir: Awaited<ReturnType<typeof tempDir>> | undefined;
  let page: Page;
  let origin: string;
  const pageErrors: string[] = [];

  const act = (name: string, action: string, token: string | undefined): Promise<Response> =>
    fetch(`${origin}/api/services/${name}/${action}`, {
      method: 'POST',
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });

  beforeAll(async () => {
    ({ browser, page } = await openHeadlessPage(pageErrors));
    dir = await tempDir();
    const config = await writeConfig(
      dir.dir,
      'corral.json',
      JSON.stringify({
        aggregator: { token: TOKEN },
        mcpServers: {
          memory: {
            command: process.execPath,
            args: [installedServerEntry('@modelcontextprotocol/server-memory')],
            env: { MEMORY_FILE_PATH: join(dir.dir, 'memory.jsonl') },
          },
        },
      }),
    );
    const started = await serve(['--config', config]);
    gateway = started;
    origin = new URL(started.url).origin;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await dir?.dispose();
  }, 60_000);

  it('keeps the API locked without the token, while the page itself loads', async () => {
    expect((await fetch(`${origin}/api/services`)).status).toBe(401);
    expect((await act('memory', 'stop', undefined)).status).toBe(401);
    const index = await fetch(`${origin}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
  });

  it('asks for the token, and refuses a wrong one with a clear message', async () => {
    await page.goto(`${origin}/`);
    await page.getByRole('heading', { name: 'Gateway token', level: 2 }).waitFor();
    await page.getByText("Corral needs the gateway's token (aggregator.token).").waitFor();
    expect(await page.getByLabel('Token').getAttribute('type')).toBe('password');

    await page.getByLabel('Token').fill('not-the-gateway-token-0123456789');
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByRole('alert').filter({ hasText: 'The gateway refused that token' }).waitFor();
    await page.getByLabel('Token').waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
  }, 120_000);

  it('with the right token shows the fleet live: a stop and a start arrive by the event stream', async () => {
    await page.getByLabel('Token').fill(TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByRole('heading', { name: 'Fleet', level: 2 }).waitFor();
    await page.getByText('Live updates on').waitFor();
    await stateOf(page, 'memory', 'running').waitFor();
    await stateOf(page, 'gateway', 'running').waitFor();

    // Kept for this tab only, never in the URL or localStorage.
    // Runs in the page (a string: this package's types have no DOM).
    const kept = await page.evaluate<{ session: string[]; local: number; url: string }>(
      '({ session: Object.values(sessionStorage), local: localStorage.length, url: location.href })',
    );
    expect(kept.session).toEqual([TOKEN]);
    expect(kept.local).toBe(0);
    expect(kept.url).not.toContain(TOKEN);

    await page.evaluate(() => {
      (globalThis as { notReloaded?: boolean }).notReloaded = true;
    });
    expect((await act('memory', 'stop', TOKEN)).status).toBe(200);
    await stateOf(page, 'memory', 'stopped').waitFor();
    expect((await act('memory', 'start', TOKEN)).status).toBe(200);
    await stateOf(page, 'memory', 'running').waitFor();
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );

    // A stop from the page's own button goes through the API with the token.
    await page.getByRole('button', { name: 'Stop memory' }).click();
    await stateOf(page, 'memory', 'stopped').waitFor();
    await page.locator('corral-fleet-view button:enabled[aria-label="Start memory"]').click();
    await stateOf(page, 'memory', 'running').waitFor();
  }, 120_000);

  it('lists and calls tools over MCP with the token', async () => {
    await page.goto(`${origin}/#/services/memory`);
    await page.getByRole('heading', { name: 'memory', level: 2 }).waitFor();
    await page.locator('li[data-tool="x_memory_read_graph"]').waitFor();
    await page.getByLabel('Tool', { exact: true }).selectOption('x_memory_read_graph');
    await page.getByLabel('Arguments (JSON object)').fill('{}');
    await page.getByRole('button', { name: 'Call tool' }).click();
    await page.getByRole('heading', { name: 'Result of x_memory_read_graph' }).waitFor();
  }, 120_000);

  it('logged no script errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
