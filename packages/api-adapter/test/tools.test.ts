import { CoreTokens, type JsonObject, type ToolCallResult, type ToolProvider } from '@corral/core';
import { specTypeSchemas } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { UnknownToolError } from '../src/index.js';
import { becomes, closeAll, harness, MemoryService } from './helpers.js';

afterEach(closeAll);

function textOf(result: ToolCallResult): string {
  expect(result.content).toHaveLength(1);
  const [first] = result.content;
  expect(first?.['type']).toBe('text');
  const text = first?.['text'];
  if (typeof text !== 'string') throw new Error('no text content');
  return text;
}

function structured(result: ToolCallResult): JsonObject {
  expect(result.isError ?? false, JSON.stringify(result)).toBe(false);
  const content = result.structuredContent;
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw new Error('structuredContent is not an object');
  }
  // The text is the same JSON, for clients that read only text.
  expect(JSON.parse(textOf(result))).toEqual(content);
  return content;
}

function errorText(result: ToolCallResult): string {
  expect(result.isError).toBe(true);
  return textOf(result);
}

function validates(schema: 'Tool' | 'CallToolResult', value: unknown): void {
  const outcome = specTypeSchemas[schema]['~standard'].validate(value);
  if (outcome instanceof Promise) throw new Error('expected a synchronous schema');
  expect(outcome.issues, JSON.stringify(outcome.issues)).toBeUndefined();
}

describe('the core tools', () => {
  it('are provided under CoreTokens.ToolProvider with prefix core, as valid MCP tools', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    const providers = h.corral.container.resolveAll<ToolProvider>(CoreTokens.ToolProvider);
    expect(providers).toHaveLength(1);
    const [provider] = providers;
    expect(provider?.toolPrefix).toBe('core');
    const tools = provider?.listTools() ?? [];
    expect(tools.map((tool) => tool.name)).toEqual([
      'service_list',
      'service_status',
      'service_start',
      'service_stop',
      'service_restart',
      'events',
    ]);
    expect(h.adapter.getTools()).toEqual(tools);
    for (const tool of tools) {
      validates('Tool', tool);
      expect(tool.description?.length).toBeGreaterThan(40);
      expect(tool.inputSchema['type']).toBe('object');
    }
    const status = tools.find((tool) => tool.name === 'service_status');
    expect(status?.inputSchema['required']).toEqual(['name']);
    const events = tools.find((tool) => tool.name === 'events');
    expect(Object.keys(events?.inputSchema['properties'] ?? {})).toEqual(['since', 'limit']);
    validates('CallToolResult', await h.tool('service_list'));
    validates('CallToolResult', await h.tool('service_status', { name: 'nope' }));
  });

  it('service_list lists every service with state and type', async () => {
    const h = await harness({
      services: [new MemoryService('alpha'), new MemoryService('beta', { autoStart: false })],
    });
    const list = structured(await h.tool('service_list'));
    expect(list['services']).toEqual([
      expect.objectContaining({ name: 'alpha', type: 'Memory', state: 'running', restarts: 0 }),
      expect.objectContaining({ name: 'beta', type: 'Memory', state: 'unknown' }),
    ]);
  });

  it('service_status shows one service, and names the known ones for an unknown name', async () => {
    const h = await harness({ services: [new MemoryService('alpha'), new MemoryService('beta')] });
    expect(structured(await h.tool('service_status', { name: 'alpha' }))).toEqual(
      expect.objectContaining({
        name: 'alpha',
        state: 'running',
        health: 'healthy',
        data: { starts: 1 },
      }),
    );
    const result = await h.tool('service_status', { name: 'gamma' });
    const text = errorText(result);
    expect(text).toContain("service 'gamma' not found");
    expect(text).toContain('alpha, beta');
    expect(result.structuredContent).toEqual({
      error: { code: 'SERVICE_NOT_FOUND', message: text },
    });
  });

  it('a missing or empty name is a tool error that says what to pass', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    for (const tool of ['service_status', 'service_start', 'service_stop', 'service_restart']) {
      for (const args of [{}, { name: '' }, { name: 42 }] as JsonObject[]) {
        const text = errorText(await h.tool(tool, args));
        expect(text).toContain("invalid 'name'");
      }
    }
  });

  it('service_start starts a stopped service, and says so when it already runs', async () => {
    const h = await harness({ services: [new MemoryService('alpha', { autoStart: false })] });
    const started = structured(await h.tool('service_start', { name: 'alpha' }));
    expect(started).toEqual(
      expect.objectContaining({
        service: 'alpha',
        action: 'start',
        outcome: 'started',
        changed: true,
        previousState: 'unknown',
        status: expect.objectContaining({ state: 'running' }),
      }),
    );
    expect(h.memory('alpha').state).toBe('running');

    const again = structured(await h.tool('service_start', { name: 'alpha' }));
    expect(again).toEqual(expect.objectContaining({ outcome: 'already_running', changed: false }));
    expect(again['message']).toBe("service 'alpha' is already running");
    expect(h.memory('alpha').starts).toBe(1);
  });

  it('service_start of an unknown service is a tool error naming it', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    expect(errorText(await h.tool('service_start', { name: 'ghost' }))).toMatch(
      /^service 'ghost' not found\. Registered services: alpha\./,
    );
  });

  it('a failed start is a tool error with the reason, and the service shows it failed', async () => {
    const flaky = new MemoryService('flaky', { autoStart: false });
    flaky.failStarts = 1;
    const h = await harness({ services: [flaky] });
    const result = await h.tool('service_start', { name: 'flaky' });
    const text = errorText(result);
    expect(text).toContain("service 'flaky' failed to start");
    expect(text).toContain('port 4242 is taken');
    expect(result.structuredContent).toHaveProperty(
      'error',
      expect.objectContaining({ code: 'SERVICE_START_FAILED' }),
    );
    const status = structured(await h.tool('service_status', { name: 'flaky' }));
    expect(status['state']).toBe('failed');
    expect(status['lastError']).toEqual({
      code: 'MEMORY_START_REFUSED',
      message: flaky.failure,
    });
    // The next start succeeds.
    expect(structured(await h.tool('service_start', { name: 'flaky' }))['outcome']).toBe('started');
  });

  it('service_stop stops a running service (dependents first) and says so when already stopped', async () => {
    const h = await harness({
      services: [new MemoryService('db'), new MemoryService('app', { dependencies: ['db'] })],
    });
    const stopped = structured(await h.tool('service_stop', { name: 'db' }));
    expect(stopped).toEqual(
      expect.objectContaining({
        outcome: 'stopped',
        changed: true,
        previousState: 'running',
        status: expect.objectContaining({ state: 'stopped', stopReason: 'manual' }),
      }),
    );
    expect(h.memory('app').state).toBe('waiting');

    const again = structured(await h.tool('service_stop', { name: 'db' }));
    expect(again).toEqual(
      expect.objectContaining({
        outcome: 'already_stopped',
        changed: false,
        message: "service 'db' is already stopped",
      }),
    );
    expect(errorText(await h.tool('service_stop', { name: 'nope' }))).toContain(
      "service 'nope' not found",
    );
  });

  it('service_restart stops and starts it; its dependents come back', async () => {
    const h = await harness({
      services: [new MemoryService('db'), new MemoryService('app', { dependencies: ['db'] })],
    });
    const from = h.events.length;
    const restarted = structured(await h.tool('service_restart', { name: 'db' }));
    expect(restarted).toEqual(
      expect.objectContaining({
        action: 'restart',
        outcome: 'restarted',
        changed: true,
        status: expect.objectContaining({ state: 'running' }),
      }),
    );
    expect(h.memory('db').starts).toBe(2);
    await h.waitForEvent('app back', becomes('app', 'running'), from);
    expect(errorText(await h.tool('service_restart', { name: 'nope' }))).toContain(
      "service 'nope' not found",
    );
  });

  it('events returns the latest events, pages forward with since, and checks its arguments', async () => {
    const h = await harness({ services: [new MemoryService('alpha'), new MemoryService('beta')] });
    await h.tool('service_stop', { name: 'alpha' });
    await h.tool('service_start', { name: 'alpha' });
    const total = h.events.length;

    const latest = structured(await h.tool('events', { limit: 3 }));
    const latestEvents = latest['events'] as { seq: number }[];
    expect(latestEvents.map((e) => e.seq)).toEqual([total - 2, total - 1, total]);
    expect(latest['lastSeq']).toBe(total);

    const all = structured(await h.tool('events'));
    const allEvents = all['events'] as Record<string, unknown>[];
    expect(allEvents).toHaveLength(total);
    expect(allEvents[0]).toEqual(
      expect.objectContaining({
        kind: 'state',
        seq: 1,
        oldState: 'unknown',
        newState: 'starting',
        reason: 'start',
      }),
    );

    const first = structured(await h.tool('events', { since: 0, limit: 2 }));
    expect((first['events'] as { seq: number }[]).map((e) => e.seq)).toEqual([1, 2]);
    expect(first['more']).toBe(true);
    expect(first['nextSince']).toBe(2);
    const rest = structured(await h.tool('events', { since: first['nextSince'] as number }));
    expect((rest['events'] as { seq: number }[])[0]?.seq).toBe(3);
    expect(rest['more']).toBe(false);
    expect(rest['missed']).toBe(0);

    expect(errorText(await h.tool('events', { limit: 1001 }))).toContain("invalid 'limit'");
    expect(errorText(await h.tool('events', { limit: 0 }))).toContain("invalid 'limit'");
    expect(errorText(await h.tool('events', { since: -1 }))).toContain("invalid 'since'");
    expect(errorText(await h.tool('events', { since: 1.5 }))).toContain("invalid 'since'");
  });

  it('keeps a bounded history and says how many events it no longer holds', async () => {
    const h = await harness({
      services: [new MemoryService('alpha')],
      adapter: { historySize: 4 },
    });
    for (let i = 0; i < 3; i++) {
      await h.tool('service_stop', { name: 'alpha' });
      await h.tool('service_start', { name: 'alpha' });
    }
    const total = h.events.length;
    expect(total).toBeGreaterThan(4);
    const page = structured(await h.tool('events', { since: 0 }));
    expect((page['events'] as { seq: number }[]).map((e) => e.seq)).toEqual([
      total - 3,
      total - 2,
      total - 1,
      total,
    ]);
    expect(page['missed']).toBe(total - 4);
  });

  it('executeTool rejects a name the adapter does not offer', async () => {
    const h = await harness();
    await expect(h.adapter.executeTool('core_service_list', {})).rejects.toBeInstanceOf(
      UnknownToolError,
    );
  });
});
