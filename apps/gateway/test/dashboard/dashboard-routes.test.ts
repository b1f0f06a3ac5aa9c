import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardRoutes, dashboardDirectory } from '../../src/serve/dashboard.js';

const get = (path: string, method = 'GET'): Request =>
  new Request(`http://127.0.0.1:8090${path}`, { method });

describe('the dashboard routes', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'corral-dashboard-routes-'));
    await mkdir(join(root, 'dist', 'assets'), { recursive: true });
    await writeFile(join(root, 'dist', 'index.html'), '<!doctype html><title>x</title>');
    await writeFile(join(root, 'dist', 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(root, 'secret.txt'), 'outside the build');
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('answers the / prefix, which the aggregator tries after /mcp, /api, /healthz and /metrics', () => {
    expect(createDashboardRoutes(join(root, 'dist')).pathPrefixes).toEqual(['/']);
  });

  it('is public assets, so a browser loads the page before it has the token', () => {
    expect(createDashboardRoutes(join(root, 'dist')).publicAssets).toBe(true);
  });

  it('serves index.html at / with headers that keep other sites from framing or scripting it', async () => {
    const routes = createDashboardRoutes(join(root, 'dist'));
    for (const path of ['/', '/index.html']) {
      const response = await routes.fetch(get(path));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
      expect(await response.text()).toBe('<!doctype html><title>x</title>');
    }
  });

  it('serves hashed assets as immutable, with their type; HEAD without a body', async () => {
    const routes = createDashboardRoutes(join(root, 'dist'));
    const response = await routes.fetch(get('/assets/index-abc123.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('immutable');
    expect(await response.text()).toBe('console.log(1)');
    const head = await routes.fetch(get('/assets/index-abc123.js', 'HEAD'));
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('14');
    expect(await head.text()).toBe('');
  });

  it('serves nothing outside the build: unknown paths and escapes are 404 JSON', async () => {
    const routes = createDashboardRoutes(join(root, 'dist'));
    for (const path of [
      '/nothing',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/',
      '/services/memory',
    ]) {
      const response = await routes.fetch(get(path));
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: string }).error).toMatch(/nothing is served/);
    }
  });

  it('refuses other methods with 405 and Allow', async () => {
    const response = await createDashboardRoutes(join(root, 'dist')).fetch(get('/', 'POST'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('says how to build the dashboard when there is no build', async () => {
    const response = await createDashboardRoutes(join(root, 'missing')).fetch(get('/'));
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).toContain('pnpm --filter @corral/dashboard build');
    // Served without the token: it must not name a directory of the machine.
    expect(text).not.toContain(root);
  });

  it('finds the installed @corral/dashboard build', () => {
    expect(dashboardDirectory()).toMatch(/dashboard[/\\]dist$/);
  });
});
