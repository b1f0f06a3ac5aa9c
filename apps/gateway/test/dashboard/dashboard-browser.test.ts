/**
 * The dashboard as a user sees it: a real `corral serve` on the default fleet, the built
 * dashboard it serves, and headless Chromium (Debian's `chromium`, driven by playwright-core).
 * Every wait is on the page's content, never on a fixed delay.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@corral/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, serve, type ServeProcess, services } from '../e2e/harness.js';
import { openHeadlessPage, row, stateOf, UI_TIMEOUT_MS } from './headless-page.js';

/** `CORRAL_DASHBOARD_SCREENSHOTS=1` refreshes the README's screenshots; otherwise they go to .reports. */
const SCREENSHOTS =
  process.env['CORRAL_DASHBOARD_SCREENSHOTS'] === '1'
    ? join(
        dirname(createRequire(import.meta.url).resolve('@corral/dashboard/package.json')),
        'docs',
      )
    : fileURLToPath(new URL('../../.reports/dashboard', import.meta.url));
const FLEET = ['everything', 'memory', 'filesystem', 'gateway'];

describe('the dashboard in headless Chromium', () => {
  let gateway: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let origin: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ browser, page } = await openHeadlessPage(pageErrors));
    await mkdir(SCREENSHOTS, { recursive: true });
    const started = await serve([]);
    gateway = started;
    origin = new URL(started.url).origin;
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  }, 60_000);

  it('shows every service of the default fleet running, with live updates on', async () => {
    await page.goto(`${origin}/`);
    await page.getByRole('heading', { name: 'Fleet', level: 2 }).waitFor();
    await page.getByText('Live updates on').waitFor();
    for (const name of FLEET) await stateOf(page, name, 'running').waitFor();
    await page.getByText(`4 of 4 services running.`).waitFor();
    // Tool counts come from the API: the default fleet's servers all offer tools. An event moves
    // a row to running at once; its count follows with the resync that event schedules.
    await row(page, 'memory').locator('td').nth(5).filter({ hasText: /^9$/ }).waitFor();
    // Landmarks and names a screen reader relies on.
    await page.getByRole('banner').waitFor();
    await page.getByRole('navigation', { name: 'Dashboard' }).waitFor();
    await page.getByRole('main').waitFor();
    await page.getByRole('group', { name: /Dependency graph/ }).waitFor();
    await page.getByRole('link', { name: 'memory: running' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'fleet-view.png'), fullPage: true });
  }, 120_000);

  it('stops a server from the UI and shows its state change live, without a reload', async () => {
    // Runs in the page: globalThis is its window.
    await page.evaluate(() => {
      (globalThis as { notReloaded?: boolean }).notReloaded = true;
    });
    await page.getByRole('button', { name: 'Stop memory' }).click();
    await stateOf(page, 'memory', 'stopped').waitFor();
    await page
      .locator('[data-notice]')
      .filter({ hasText: /memory/ })
      .waitFor();
    expect((await services(origin)).get('memory')?.state).toBe('stopped');
    await page.getByText('3 of 4 services running.').waitFor();
    // Start is offered again (enabled once the action settled); Stop is not.
    await row(page, 'memory').locator('button:enabled[aria-label="Start memory"]').waitFor();
    expect(await page.getByRole('button', { name: 'Stop memory' }).isDisabled()).toBe(true);

    // A change made elsewhere (the API, as `corral start` does) reaches the page by the stream.
    const started = await fetch(`${origin}/api/services/memory/start`, { method: 'POST' });
    expect(started.status).toBe(200);
    await stateOf(page, 'memory', 'running').waitFor();
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
  }, 120_000);

  it('calls a tool from the service view and shows the result', async () => {
    await row(page, 'everything').getByRole('link', { name: 'everything' }).click();
    await page.getByRole('heading', { name: 'everything', level: 2 }).waitFor();
    await page.locator('[data-stderr]').waitFor();
    await page.locator('li[data-tool="x_everything_echo"]').waitFor();
    await page.getByLabel('Tool', { exact: true }).selectOption('x_everything_echo');
    await page.getByLabel('Arguments (JSON object)').fill('{ "message": "hello from Chromium" }');
    await page.getByRole('button', { name: 'Call tool' }).click();
    await page.locator('[data-result]').filter({ hasText: 'Echo: hello from Chromium' }).waitFor();
    await page.getByRole('heading', { name: 'Result of x_everything_echo' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'service-view.png'), fullPage: true });

    // Arguments that are not JSON are caught before the call, with a reason.
    await page.getByLabel('Arguments (JSON object)').fill('{ message: ');
    await page.getByRole('button', { name: 'Call tool' }).click();
    await page.getByRole('alert').filter({ hasText: 'Arguments are not valid JSON' }).waitFor();
  }, 120_000);

  it('shows where the denylist blocks a tool, and the refusal when it is called', async () => {
    await page.goto(`${origin}/#/services/memory`);
    await page.getByRole('heading', { name: 'memory', level: 2 }).waitFor();
    const blocked = page.locator('li[data-tool="x_memory_delete_entities"] [data-blocked]');
    await blocked.filter({ hasText: "matches 'delete'" }).waitFor();
    expect(await page.locator('li[data-tool="x_memory_read_graph"] [data-blocked]').count()).toBe(
      0,
    );
    await page.getByRole('button', { name: 'Try x_memory_delete_entities' }).click();
    await page.getByText('This tool is blocked by the denylist').waitFor();
    await page.getByLabel('Arguments (JSON object)').fill('{ "entityNames": ["nobody"] }');
    await page.getByRole('button', { name: 'Call tool' }).click();
    await page
      .getByRole('heading', { name: 'x_memory_delete_entities returned an error' })
      .waitFor();
    await page.locator('[data-result]').filter({ hasText: 'Corral refused to call' }).waitFor();
  }, 120_000);

  it('shows a killed server go failed and come back, in the event log and the fleet view', async () => {
    const before = await api<{ data?: { pid?: number } }>(origin, '/api/services/everything');
    const pid = before.data?.pid;
    if (typeof pid !== 'number') throw new Error('everything has no pid');

    await page.goto(`${origin}/#/events`);
    await page.getByRole('heading', { name: 'Event log', level: 2 }).waitFor();
    await page.getByLabel('Service').selectOption('everything');
    await page.getByLabel('New state').selectOption('failed');
    process.kill(-pid, 'SIGKILL');

    const failed = page.locator('corral-event-log tr[data-service="everything"]').first();
    await failed.waitFor();
    const failedSeq = Number(await failed.getAttribute('data-event'));
    await page.getByLabel('New state').selectOption('running');
    const rows = page.locator('corral-event-log tr[data-service="everything"]');
    await waitFor(
      async () => {
        const seq = Number(await rows.first().getAttribute('data-event'));
        return seq > failedSeq;
      },
      {
        timeoutMs: UI_TIMEOUT_MS,
        intervalMs: 100,
        description: 'everything to run again after its failure',
      },
    );

    await page.getByRole('link', { name: 'Fleet', exact: true }).click();
    await stateOf(page, 'everything', 'running').waitFor();
    await row(page, 'everything')
      .locator('td')
      .nth(4)
      .filter({ hasText: /^[1-9]/ })
      .waitFor();
    const after = await api<{ data?: { pid?: number } }>(origin, '/api/services/everything');
    expect(after.data?.pid).not.toBe(pid);
  }, 120_000);

  it('logged no script errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
