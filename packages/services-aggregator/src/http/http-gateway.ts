import { createServer, Server as NodeHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError, type HttpRouteProvider, type Logger } from '@corral/core';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { AggregatorListenError } from '../errors.js';
import { guardRequest, type RequestGuardOptions } from './request-guard.js';

export interface HttpGatewayOptions extends RequestGuardOptions {
  readonly host: string;
  readonly port: number;
  /** Where MCP is served, e.g. `/mcp`. */
  readonly path: string;
  /** Answers MCP requests at `path`. */
  readonly mcp: (request: Request) => Promise<Response>;
  /** Other plugins' routes (`CoreTokens.HttpRoutes`), served after the same checks. */
  readonly routes: readonly HttpRouteProvider[];
  readonly logger: Logger;
}

/**
 * How long a client may take to send its request, so a slow or stalled one (slow-loris) cannot
 * hold a connection for minutes (Node's defaults: 60 s for headers, 300 s for the whole request,
 * checked every 30 s). Only receiving the request is bounded: a response, such as an event
 * stream, may last as long as it needs.
 */
export const clientTimeouts = {
  /** Headers must be complete within this, in ms. */
  headersTimeout: 10_000,
  /** The whole request (headers and body) must be received within this, in ms. */
  requestTimeout: 60_000,
  /** How often the two are checked, in ms. */
  connectionsCheckingInterval: 1_000,
} as const;

/**
 * The one HTTP server: Host/Origin/bearer checks first, then MCP at its path, then the routes
 * other plugins contribute, by longest matching path prefix; 404 otherwise. A route marked
 * `publicAssets` is served to `GET`/`HEAD` without the bearer token (Host/Origin still apply).
 */
export class HttpGateway {
  private server: NodeHttpServer | undefined;
  private bound: AddressInfo | undefined;

  constructor(private readonly options: HttpGatewayOptions) {}

  /** `http://host:port/mcp` once listening. */
  get url(): string | undefined {
    if (!this.bound) return undefined;
    const host = this.bound.family === 'IPv6' ? `[${this.bound.address}]` : this.bound.address;
    return `http://${host}:${String(this.bound.port)}${this.options.path}`;
  }

  get port(): number | undefined {
    return this.bound?.port;
  }

  async listen(): Promise<void> {
    const app = this.app();
    const server = createAdaptorServer({
      fetch: app.fetch,
      createServer,
      serverOptions: clientTimeouts,
    });
    if (!(server instanceof NodeHttpServer)) throw new Error('expected a node:http server');
    const { host, port } = this.options;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        reject(new AggregatorListenError(host, port, describeError(error)));
      };
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') {
      server.close();
      throw new AggregatorListenError(host, port, 'no TCP address was bound');
    }
    this.server = server;
    this.bound = address;
  }

  /** Stops listening and drops every open connection (event streams included). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    });
  }

  private app(): Hono {
    const { path, mcp, logger } = this.options;
    const routes = [...this.options.routes]
      .flatMap((provider) => provider.pathPrefixes.map((prefix) => ({ prefix, provider })))
      .sort((a, b) => b.prefix.length - a.prefix.length);
    const routeFor = (requestPath: string): (typeof routes)[number] | undefined =>
      routes.find(({ prefix }) => matchesPrefix(requestPath, prefix));
    const app = new Hono();
    app.use('*', async (c, next) => {
      // Nothing at or under MCP's path is public, whatever route would otherwise match it.
      const publicAssets =
        !matchesPrefix(c.req.path, path) && routeFor(c.req.path)?.provider.publicAssets === true;
      const refusal = guardRequest(c.req.raw, this.options, { publicAssets });
      if (refusal) return refusal;
      await next();
      return undefined;
    });
    app.all(path, (c) => mcp(c.req.raw));
    app.all('*', async (c) => {
      const route = routeFor(c.req.path);
      if (!route) {
        return c.json({ error: `nothing is served at ${c.req.path}; MCP is at ${path}` }, 404);
      }
      try {
        return await route.provider.fetch(c.req.raw);
      } catch (error) {
        logger.error(`HTTP route ${route.prefix} failed: ${describeError(error)}`);
        return c.json({ error: describeError(error) }, 500);
      }
    });
    return app;
  }
}

function matchesPrefix(path: string, prefix: string): boolean {
  if (path === prefix) return true;
  return path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
}
