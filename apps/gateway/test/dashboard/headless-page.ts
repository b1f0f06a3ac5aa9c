/** Headless Chromium for the dashboard's browser tests: Debian's `chromium`, driven by playwright-core. */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

const CHROMIUM = process.env['CORRAL_CHROMIUM'] ?? '/usr/bin/chromium';
/** A safety net for a loaded 2-core machine; each wait ends as soon as the page shows it. */
export const UI_TIMEOUT_MS = 60_000;

/** A browser with one page, whose uncaught errors are pushed to `pageErrors`. */
export async function openHeadlessPage(
  pageErrors: string[],
): Promise<{ readonly browser: Browser; readonly page: Page }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set CORRAL_CHROMIUM`,
    );
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { browser, page };
}

/** The fleet view's row for `service`. */
export function row(page: Page, service: string): Locator {
  return page.locator(`corral-fleet-view tr[data-service="${service}"]`);
}

/** `service`'s state badge in the fleet view, once it shows `state`. */
export function stateOf(page: Page, service: string, state: string): Locator {
  return row(page, service).locator(`[data-state="${state}"]`);
}
