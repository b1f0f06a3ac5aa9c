import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import { CoreTokens, type CorralPlugin, definePlugin, type HttpRouteProvider } from '@corral/core';

/** Where `@corral/dashboard`'s built files are, or `undefined` when it is not installed. */
export function dashboardDirectory(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@corral/dashboard/package.json');
    return join(dirname(manifest), 'dist');
  } catch {
    return undefined;
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page may talk only to its own origin (the API and MCP endpoint); no framing, so no other
 * site can trick a user into clicking Stop (clickjacking). Images from tool results are data URLs.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; " +
    "form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * Serves the dashboard's static files at `/` on the aggregator's port, behind the same
 * Host/Origin checks as the API. They are `publicAssets`: the build holds no secrets and no
 * fleet data (the page reads that from the API, which keeps the token), so a browser loads the
 * page without the token and the page asks for it. It answers the `/` prefix, which the
 * aggregator tries last (longest prefix first), so `/mcp`, `/api`, `/healthz` and `/metrics` are
 * never shadowed; only files that exist in the build are served (a fixed list, so no path can
 * escape it).
 */
export function createDashboardRoutes(root: string | undefined): HttpRouteProvider {
  let files: Promise<ReadonlyMap<string, string>> | undefined;
  return {
    pathPrefixes: ['/'],
    publicAssets: true,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return jsonError(405, `${request.method} is not served at ${path}`, { allow: 'GET, HEAD' });
      }
      const wanted = path === '/' ? '/index.html' : path;
      files ??= listFiles(root);
      let listing = await files;
      if (!listing.has(wanted)) {
        // The build may have changed since it was listed (a rebuild while serving).
        files = listFiles(root);
        listing = await files;
      }
      const file = listing.get(wanted);
      if (file === undefined) {
        if (listing.size === 0 && (path === '/' || path === '/index.html')) return notBuilt(root);
        return jsonError(404, `nothing is served at ${path}; the dashboard is at /`);
      }
      let body: Uint8Array;
      try {
        body = new Uint8Array(await readFile(file));
      } catch {
        files = undefined;
        return jsonError(404, `nothing is served at ${path}; the dashboard is at /`);
      }
      const headers = {
        ...SECURITY_HEADERS,
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': String(body.byteLength),
        // Vite puts a content hash in every asset name: those never change.
        'cache-control': wanted.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      };
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
    },
  };
}

/** The dashboard as a plugin: contributes its routes under `CoreTokens.HttpRoutes`. */
export function createDashboardPlugin(root = dashboardDirectory()): CorralPlugin {
  return definePlugin({
    id: 'dashboard',
    register(context) {
      context.provide(CoreTokens.HttpRoutes, { useValue: createDashboardRoutes(root) });
    },
  });
}

/** URL path (`/assets/index-abc.js`) → file, for every file under `root`. */
async function listFiles(root: string | undefined): Promise<ReadonlyMap<string, string>> {
  const files = new Map<string, string>();
  if (root === undefined) return files;
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch {
    return files;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    files.set(`/${relative(root, file).split(sep).join('/')}`, file);
  }
  return files;
}

/** Served without the token, so it names no directory of this machine. */
function notBuilt(root: string | undefined): Response {
  const why =
    root === undefined
      ? 'The @corral/dashboard package is not installed.'
      : "The @corral/dashboard package's dist/ has no files.";
  const text =
    `<!doctype html><title>Corral dashboard</title><h1>The dashboard is not built</h1>` +
    `<p>${why} Run <code>pnpm --filter @corral/dashboard build</code>. ` +
    `The API is at <a href="/api/services">/api/services</a>.</p>`;
  return new Response(text, {
    status: 503,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' },
  });
}

function jsonError(status: number, error: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...extra },
  });
}
