import { type Clock, CorralError, type HttpRouteProvider, type Logger } from '@corral/core';
import { Hono } from 'hono';
import { seqArgument } from '../arguments.js';
import { RouteNotFoundError } from '../errors.js';
import { serviceInfoJson } from '../json-views.js';
import type { CorralMetrics } from '../metrics/corral-metrics.js';
import type { ServiceManagement } from '../service-management.js';
import { actionResultJson } from '../tools/results.js';
import { errorResponse } from './error-status.js';
import { eventStreamResponse } from './event-stream.js';
import { healthReport } from './health-report.js';

export interface ApiRoutesSettings {
  readonly api: ServiceManagement;
  readonly metrics: CorralMetrics;
  readonly orchestratorRunning: () => boolean;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly heartbeatIntervalMs: number;
  readonly streamQueueSize: number;
  readonly healthServiceType: string;
}

/** The paths the adapter answers on the shared HTTP server. */
export const API_PATH_PREFIXES: readonly string[] = ['/api', '/healthz', '/metrics'];

/**
 * The management API as a Hono app, offered as an `HttpRouteProvider`: the serving plugin
 * (the aggregator, or the embedder's own server) checks Host, Origin and bearer token first and
 * hands these paths to `fetch`. Errors are `{ error: { code, message } }`.
 */
export class ApiRoutes implements HttpRouteProvider {
  readonly pathPrefixes = API_PATH_PREFIXES;
  readonly app: Hono;

  constructor(settings: ApiRoutesSettings) {
    const { api } = settings;
    const app = new Hono({ strict: false });

    app.get('/api/services', (c) =>
      c.json({ services: api.getAllServices().map(serviceInfoJson) }),
    );

    app.get('/api/services/:name', (c) =>
      c.json(serviceInfoJson(api.getServiceStatus(c.req.param('name')))),
    );

    app.post('/api/services/:name/start', async (c) =>
      c.json(actionResultJson(await api.startService(c.req.param('name')))),
    );
    app.post('/api/services/:name/stop', async (c) =>
      c.json(actionResultJson(await api.stopService(c.req.param('name')))),
    );
    app.post('/api/services/:name/restart', async (c) =>
      c.json(actionResultJson(await api.restartService(c.req.param('name')))),
    );

    app.get('/api/events', (c) => {
      // A reconnecting EventSource sends Last-Event-ID; it is newer than the URL's since.
      const header = c.req.header('Last-Event-ID');
      const since =
        header !== undefined && header !== ''
          ? seqArgument(header, 'Last-Event-ID')
          : seqArgument(c.req.query('since'));
      const events = api.subscribeToStateChanges({
        ...(since === undefined ? {} : { since }),
        queueSize: settings.streamQueueSize,
      });
      return eventStreamResponse(c, events, settings);
    });

    app.get('/healthz', (c) => {
      const report = healthReport(
        api.getAllServices(),
        settings.healthServiceType,
        settings.orchestratorRunning(),
      );
      c.header('Cache-Control', 'no-store');
      return c.json(report.body, report.healthy ? 200 : 503);
    });

    app.get('/metrics', async (c) => {
      const { contentType, body } = await settings.metrics.render();
      return c.body(body, 200, { 'Content-Type': contentType });
    });

    app.notFound((c) => {
      const { status, body } = errorResponse(new RouteNotFoundError(c.req.method, c.req.path));
      return c.json(body, status);
    });

    app.onError((error, c) => {
      const { status, body } = errorResponse(error);
      // Corral's own errors are answers (a failed start, say); anything else is a bug to log.
      if (!(error instanceof CorralError)) {
        settings.logger.error(`${c.req.method} ${c.req.path} failed: ${error.message}`);
      }
      return c.json(body, status);
    });

    this.app = app;
  }

  async fetch(request: Request): Promise<Response> {
    return this.app.fetch(request);
  }
}
