import { ConfigValidationError, createCorral, silentLogger } from '@corral/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  aggregatorConfigSchema,
  aggregatorPlugin,
  AggregatorService,
  resolveAggregatorSettings,
} from '../src/index.js';
import { closeAll, gateway } from './helpers.js';

afterEach(closeAll);

async function problemsOf(entry: Record<string, unknown>): Promise<string[]> {
  try {
    await createCorral({
      plugins: [aggregatorPlugin],
      config: { services: { gateway: { type: 'Aggregator', ...entry } } },
      logger: silentLogger,
    });
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      return error.problems.map((p) => `${p.path}: ${p.message}`);
    }
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('has safe defaults', () => {
    const settings = resolveAggregatorSettings(aggregatorConfigSchema.parse({}));
    expect(settings).toMatchObject({
      host: '127.0.0.1',
      port: 8090,
      path: '/mcp',
      http: true,
      stdio: false,
      token: undefined,
      yolo: false,
      prefix: 'x',
      debounceMs: 100,
      listDeadlineMs: 5_000,
      metaTools: 'off',
      denylist: { add: [], allow: [] },
    });
    expect(settings.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(resolveAggregatorSettings({ host: '0.0.0.0' }).allowedHosts).toEqual([
      'localhost',
      '127.0.0.1',
      '[::1]',
    ]);
    expect(resolveAggregatorSettings({ host: '10.0.0.5' }).allowedHosts).toContain('10.0.0.5');
  });

  it('names the field and says what to write', async () => {
    expect(await problemsOf({ port: 70_000 })).toEqual([
      'services.gateway.port: must be between 0 (any free port) and 65535',
    ]);
    expect(await problemsOf({ path: 'mcp' })).toEqual([
      'services.gateway.path: must be a URL path starting with "/", e.g. /mcp',
    ]);
    expect(await problemsOf({ token: 'short' })).toEqual([
      'services.gateway.token: must be at least 16 characters: a guessable token protects nothing',
    ]);
    expect(await problemsOf({ metaTools: 'some' })).toEqual([
      'services.gateway.metaTools: must be off, replace (list only the meta-tools) or beside (list both)',
    ]);
    expect(await problemsOf({ prefix: 'x.y' })).toEqual([
      'services.gateway.prefix: must be at most 16 letters, digits, "_" or "-", e.g. x ("" for none)',
    ]);
    expect(await problemsOf({ allowedHosts: ['http://evil:80'] })).toEqual([
      'services.gateway.allowedHosts[0]: must be a hostname without scheme or port, e.g. localhost',
    ]);
    expect(await problemsOf({ http: false })).toEqual([
      'services.gateway: serves nothing: with http: false, set stdio: true',
    ]);
    const unknown = await problemsOf({ prot: 1 });
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toContain('unknown field prot');
  });

  it('fails to start, saying why, when the port is taken', async () => {
    const first = await gateway({});
    const port = Number(new URL(first.url).port);
    const second = await gateway({}, { port }, { start: false });
    await second.corral.start();
    expect(second.aggregator.state).not.toBe('running');
    expect(second.aggregator.lastError?.code).toBe('AGGREGATOR_LISTEN_FAILED');
    expect(second.aggregator.lastError?.message).toContain(`127.0.0.1:${String(port)}`);
    expect(second.aggregator).toBeInstanceOf(AggregatorService);
  });
});
