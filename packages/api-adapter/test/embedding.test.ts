import {
  CoreTokens,
  createCorral,
  type HttpRouteProvider,
  silentLogger,
  type ToolCallObserver,
  type ToolProvider,
} from '@corral/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiAdapterOptionsError,
  apiAdapterDefaults,
  createApiAdapter,
  createApiAdapterPlugin,
  resolveApiAdapterOptions,
} from '../src/index.js';
import { closeAll, harness, MemoryService, routesOf } from './helpers.js';

afterEach(closeAll);

describe('embedding without the plugin', () => {
  it('createApiAdapter builds one from a corral container; register() offers its parts', async () => {
    const corral = await createCorral({ logger: silentLogger });
    corral.registry.register(new MemoryService('alpha'));
    const adapter = createApiAdapter(corral.container, { historySize: 10 });
    expect(adapter.options).toEqual({ ...apiAdapterDefaults, historySize: 10 });
    adapter.start();
    await corral.start();
    try {
      const target = corral.container.createChildContainer();
      adapter.register(target);
      expect(target.resolveAll<ToolProvider>(CoreTokens.ToolProvider)).toEqual([
        adapter.toolProvider,
      ]);
      expect(target.resolveAll<HttpRouteProvider>(CoreTokens.HttpRoutes)).toEqual([adapter.routes]);
      expect(target.resolveAll<ToolCallObserver>(CoreTokens.ToolCallObserver)).toEqual([
        adapter.metrics,
      ]);
      // Nothing leaked into the corral's own container.
      expect(corral.container.isRegistered(CoreTokens.ToolProvider, true)).toBe(false);
      expect(adapter.getEvents().events.map((e) => e.newState)).toEqual(['starting', 'running']);
      adapter.stop();
      await adapter.stopService('alpha');
      // Stopped: it keeps what it had, and says what it did not see.
      const page = adapter.getEvents({ since: 0 });
      expect(page.events).toHaveLength(2);
      expect(page.missed).toBe(2);
    } finally {
      await corral.stop();
    }
  });

  it('answers fetch directly, HEAD included, and a trailing slash is the same path', async () => {
    const h = await harness({ services: [new MemoryService('gateway', { type: 'Aggregator' })] });
    const routes = routesOf(h.corral);
    const head = await routes.fetch(new Request('http://127.0.0.1/healthz', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    const slash = await routes.fetch(new Request('http://127.0.0.1/api/services/'));
    expect(slash.status).toBe(200);
  });
});

describe('options', () => {
  it('fills in defaults', () => {
    expect(resolveApiAdapterOptions()).toEqual({
      historySize: 1_000,
      heartbeatIntervalMs: 15_000,
      streamQueueSize: 1_024,
      healthServiceType: 'Aggregator',
    });
  });

  it('rejects nonsense, naming the option', () => {
    expect(() => createApiAdapterPlugin({ historySize: 0 })).toThrow(ApiAdapterOptionsError);
    expect(() => createApiAdapterPlugin({ heartbeatIntervalMs: 1.5 })).toThrow(
      "api-adapter option 'heartbeatIntervalMs' must be a positive integer, got 1.5",
    );
    expect(() => resolveApiAdapterOptions({ healthServiceType: '' })).toThrow(
      "'healthServiceType' must name a service type",
    );
  });

  it('healthServiceType chooses which service type /healthz waits for', async () => {
    const h = await harness({
      services: [new MemoryService('edge', { type: 'Gateway' })],
      adapter: { healthServiceType: 'Gateway' },
    });
    const response = await routesOf(h.corral).fetch(new Request('http://127.0.0.1/healthz'));
    expect(response.status).toBe(200);
  });
});
