import { CoreTokens, type ToolCallObserver } from '@corral/core';
import { register as globalRegistry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { API_PATH_PREFIXES, MetricNames } from '../src/index.js';
import { closeAll, harness, jsonOf, MemoryService, routesOf, serve } from './helpers.js';

afterEach(closeAll);

describe('the HTTP routes', () => {
  it('are provided under CoreTokens.HttpRoutes for /api, /healthz and /metrics', async () => {
    const h = await harness();
    expect(routesOf(h.corral).pathPrefixes).toEqual(['/api', '/healthz', '/metrics']);
    expect(API_PATH_PREFIXES).toEqual(['/api', '/healthz', '/metrics']);
  });

  it('GET /api/services lists services; GET /api/services/:name shows one', async () => {
    const h = await harness({
      services: [new MemoryService('alpha'), new MemoryService('beta', { autoStart: false })],
    });
    const http = await serve(routesOf(h.corral));

    const list = await http.get('/api/services');
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toContain('application/json');
    expect((await jsonOf(list))['services']).toEqual([
      expect.objectContaining({ name: 'alpha', state: 'running', type: 'Memory' }),
      expect.objectContaining({ name: 'beta', state: 'unknown' }),
    ]);

    const one = await http.get('/api/services/alpha');
    expect(one.status).toBe(200);
    expect(await jsonOf(one)).toEqual(
      expect.objectContaining({ name: 'alpha', state: 'running', data: { starts: 1 } }),
    );
  });

  it('an unknown service is a 404 JSON error naming it', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    const http = await serve(routesOf(h.corral));
    for (const response of [
      await http.get('/api/services/ghost'),
      await http.post('/api/services/ghost/start'),
      await http.post('/api/services/ghost/stop'),
      await http.post('/api/services/ghost/restart'),
    ]) {
      expect(response.status).toBe(404);
      const body = await jsonOf(response);
      expect(body['error']).toEqual({
        code: 'SERVICE_NOT_FOUND',
        message: expect.stringContaining("service 'ghost' not found") as unknown,
      });
      expect(JSON.stringify(body)).toContain('alpha');
    }
  });

  it('POST start, stop and restart answer 200 with what happened', async () => {
    const h = await harness({ services: [new MemoryService('alpha', { autoStart: false })] });
    const http = await serve(routesOf(h.corral));
    const outcome = async (path: string): Promise<unknown> => {
      const response = await http.post(path);
      expect(response.status).toBe(200);
      const body = await jsonOf(response);
      expect(body['message']).toEqual(expect.stringContaining("service 'alpha'"));
      return body['outcome'];
    };
    expect(await outcome('/api/services/alpha/start')).toBe('started');
    expect(h.memory('alpha').state).toBe('running');
    expect(await outcome('/api/services/alpha/start')).toBe('already_running');
    expect(await outcome('/api/services/alpha/restart')).toBe('restarted');
    expect(h.memory('alpha').starts).toBe(2);
    expect(await outcome('/api/services/alpha/stop')).toBe('stopped');
    expect(h.memory('alpha').state).toBe('stopped');
    expect(await outcome('/api/services/alpha/stop')).toBe('already_stopped');
  });

  it('a failed start is a 500 with the reason', async () => {
    const flaky = new MemoryService('flaky', { autoStart: false });
    flaky.failStarts = 1;
    const h = await harness({ services: [flaky] });
    const http = await serve(routesOf(h.corral));
    const response = await http.post('/api/services/flaky/start');
    expect(response.status).toBe(500);
    const { error } = (await jsonOf(response)) as { error: { code: string; message: string } };
    expect(error.code).toBe('SERVICE_START_FAILED');
    expect(error.message).toContain('port 4242 is taken');
  });

  it('a start before the orchestrator runs is a 409 that says to start it', async () => {
    const h = await harness({ services: [new MemoryService('alpha')], start: false });
    const http = await serve(routesOf(h.corral));
    const response = await http.post('/api/services/alpha/start');
    expect(response.status).toBe(409);
    const { error } = (await jsonOf(response)) as { error: { code: string; message: string } };
    expect(error.code).toBe('ORCHESTRATOR_NOT_STARTED');
    expect(error.message).toContain('start()');
  });

  it('unknown paths and methods under its prefixes are 404 JSON errors listing the routes', async () => {
    const h = await harness();
    const http = await serve(routesOf(h.corral));
    for (const response of [
      await http.get('/api/nothing'),
      await http.get('/api/services/alpha/start'),
      await http.post('/api/services/alpha/explode'),
    ]) {
      expect(response.status).toBe(404);
      const { error } = (await jsonOf(response)) as { error: { code: string; message: string } };
      expect(error.code).toBe('ROUTE_NOT_FOUND');
      expect(error.message).toContain('GET /api/services');
    }
    const badSince = await http.get('/api/events?since=yesterday');
    expect(badSince.status).toBe(400);
    expect(((await jsonOf(badSince)) as { error: { code: string } }).error.code).toBe(
      'INVALID_ARGUMENT',
    );
  });
});

describe('/healthz', () => {
  it('is 503 without an Aggregator service, with each service state in the detail', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    const http = await serve(routesOf(h.corral));
    const response = await http.get('/healthz');
    expect(response.status).toBe(503);
    expect(await jsonOf(response)).toEqual({
      status: 'unavailable',
      reason: "no service of type 'Aggregator' is registered",
      services: [{ name: 'alpha', type: 'Memory', state: 'running', health: 'healthy' }],
    });
  });

  it('is 200 while an Aggregator service runs, and 503 again when it stops', async () => {
    const h = await harness({
      services: [new MemoryService('gateway', { type: 'Aggregator' }), new MemoryService('alpha')],
    });
    const http = await serve(routesOf(h.corral));
    const up = await http.get('/healthz');
    expect(up.status).toBe(200);
    expect(await jsonOf(up)).toEqual({
      status: 'ok',
      services: [
        { name: 'gateway', type: 'Aggregator', state: 'running', health: 'healthy' },
        { name: 'alpha', type: 'Memory', state: 'running', health: 'healthy' },
      ],
    });

    await h.adapter.stopService('gateway');
    const down = await http.get('/healthz');
    expect(down.status).toBe(503);
    expect((await jsonOf(down))['reason']).toBe(
      "no service of type 'Aggregator' is running ('gateway' is stopped)",
    );
  });

  it('is 503 once the corral has stopped', async () => {
    const h = await harness({ services: [new MemoryService('gateway', { type: 'Aggregator' })] });
    const http = await serve(routesOf(h.corral));
    await h.corral.stop();
    const response = await http.get('/healthz');
    expect(response.status).toBe(503);
  });
});

describe('/metrics', () => {
  it('counts tool calls, errors and latency per service and tool, from ToolCallObserver', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    const http = await serve(routesOf(h.corral));
    const observers = h.corral.container.resolveAll<ToolCallObserver>(CoreTokens.ToolCallObserver);
    expect(observers).toHaveLength(1);
    const [observer] = observers;
    observer?.onToolCall({ service: 'memory', tool: 'echo', durationMs: 12, outcome: 'ok' });
    observer?.onToolCall({ service: 'memory', tool: 'echo', durationMs: 30, outcome: 'ok' });
    observer?.onToolCall({ service: 'memory', tool: 'echo', durationMs: 5, outcome: 'tool_error' });
    observer?.onToolCall({ service: 'fs', tool: 'delete', durationMs: 0, outcome: 'denied' });
    observer?.onToolCall({ service: 'fs', tool: 'read', durationMs: 2_000, outcome: 'error' });

    const response = await http.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const lines = text.split('\n');
    const has = (line: string): void => {
      expect(lines, `missing: ${line}`).toContain(line);
    };
    has(`# TYPE ${MetricNames.toolCalls} counter`);
    has(`${MetricNames.toolCalls}{service="memory",tool="echo"} 3`);
    has(`${MetricNames.toolCalls}{service="fs",tool="delete"} 1`);
    has(`${MetricNames.toolErrors}{service="memory",tool="echo",outcome="tool_error"} 1`);
    has(`${MetricNames.toolErrors}{service="fs",tool="delete",outcome="denied"} 1`);
    has(`${MetricNames.toolErrors}{service="fs",tool="read",outcome="error"} 1`);
    has(`# TYPE ${MetricNames.toolDuration} histogram`);
    has(`${MetricNames.toolDuration}_count{service="memory",tool="echo"} 3`);
    const sum = lines.find((line) =>
      line.startsWith(`${MetricNames.toolDuration}_sum{service="memory",tool="echo"} `),
    );
    expect(Number(sum?.split(' ')[1])).toBeCloseTo(0.047, 6);
    has(`${MetricNames.toolDuration}_bucket{le="0.025",service="memory",tool="echo"} 2`);
    has(`${MetricNames.toolDuration}_bucket{le="2.5",service="fs",tool="read"} 1`);
    has(`${MetricNames.toolDuration}_bucket{le="1",service="fs",tool="read"} 0`);
  });

  it('shows each service state as a 1 for its current state, with restarts and failures', async () => {
    const flaky = new MemoryService('flaky', { autoStart: false });
    flaky.failStarts = 1;
    const h = await harness({ services: [new MemoryService('alpha'), flaky] });
    const http = await serve(routesOf(h.corral));
    await h.adapter.startService('flaky').catch(() => undefined);
    await h.adapter.stopService('alpha');

    const text = await (await http.get('/metrics')).text();
    const lines = text.split('\n');
    const has = (line: string): void => {
      expect(lines, `missing: ${line}`).toContain(line);
    };
    has(`# TYPE ${MetricNames.serviceState} gauge`);
    has(`${MetricNames.serviceState}{service="alpha",type="Memory",state="stopped"} 1`);
    has(`${MetricNames.serviceState}{service="alpha",type="Memory",state="running"} 0`);
    has(`${MetricNames.serviceState}{service="flaky",type="Memory",state="failed"} 1`);
    has(`${MetricNames.serviceRestarts}{service="alpha"} 0`);
    has(`# TYPE ${MetricNames.serviceRestarts} counter`);
    has(`${MetricNames.serviceConsecutiveFailures}{service="alpha"} 0`);
    const stateLines = lines.filter((line) => line.startsWith(`${MetricNames.serviceState}{`));
    expect(stateLines.filter((line) => line.endsWith(' 1'))).toHaveLength(2);

    // The state follows the service.
    await h.adapter.startService('alpha');
    const after = (await (await http.get('/metrics')).text()).split('\n');
    expect(after).toContain(
      `${MetricNames.serviceState}{service="alpha",type="Memory",state="running"} 1`,
    );
  });

  it('uses a registry of its own: two corrals in one process, none in the global registry', async () => {
    const one = await harness({ services: [new MemoryService('alpha')] });
    const two = await harness({ services: [new MemoryService('beta')] });
    one.adapter.metrics.onToolCall({ service: 'a', tool: 't', durationMs: 1, outcome: 'ok' });
    const textOne = await one.adapter.metrics.registry.metrics();
    const textTwo = await two.adapter.metrics.registry.metrics();
    expect(textOne).toContain('service="alpha"');
    expect(textOne).not.toContain('service="beta"');
    expect(textTwo).not.toContain(`${MetricNames.toolCalls}{`);
    expect(globalRegistry.getSingleMetric(MetricNames.toolCalls)).toBeUndefined();
    expect(globalRegistry.getSingleMetric(MetricNames.serviceState)).toBeUndefined();
  });

  it('never throws from the observer, whatever it is given', async () => {
    const h = await harness();
    expect(() => {
      h.adapter.metrics.onToolCall({
        service: 'x',
        tool: 'y',
        durationMs: Number.NaN,
        outcome: 'ok',
      });
    }).not.toThrow();
  });
});
