import { createHash } from 'node:crypto';
import { queryObjects } from 'node:v8';
import { fixtureToolNames, startFixtureServer, waitFor } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientRequestHandler, ToolProgress } from '@corral/core';
import { Ajv } from '@modelcontextprotocol/client/validators/ajv';
import { closeAfterTest, fixture, harness, stopAll, WAIT } from './helpers.js';

afterEach(stopAll);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ajv's record of one compiled schema: the SDK's default validator makes one per compile. */
const SchemaEnv = new Ajv().compile({ type: 'object' }).schemaEnv.constructor;

/** Compiled schemas alive in this process (after a full GC). */
function compiledSchemas(): number {
  return queryObjects(SchemaEnv, { format: 'count' });
}

function textOf(result: { content: readonly Record<string, unknown>[] }): string {
  return result.content
    .map((block) => (typeof block['text'] === 'string' ? block['text'] : ''))
    .join('');
}

describe('tools, resources and prompts of the fixture', () => {
  it('lists and serves them', async () => {
    const h = await harness({ fx: fixture({ tools: 5 }, { toolPrefix: 'fx' }) });
    await h.corral.start();
    const service = h.service('fx');
    expect(service.toolPrefix).toBe('fx');
    expect(service.listTools().map((t) => t.name)).toEqual(fixtureToolNames(5));
    const echo = service.listTools().find((t) => t.name === 'echo');
    expect(echo?.inputSchema).toMatchObject({ type: 'object', properties: { text: {} } });
    expect(echo?.outputSchema).toMatchObject({ type: 'object' });

    expect(service.listResources().map((r) => r.uri)).toEqual(['fixture://info', 'fixture://big']);
    const info = await service.readResource('fixture://info');
    expect(info.contents).toEqual([
      { uri: 'fixture://info', mimeType: 'application/json', text: '{"name":"fixture"}' },
    ]);
    const templates = await service.listResourceTemplates();
    expect(templates.map((t) => t.uriTemplate)).toEqual(['fixture://item/{id}']);
    const item = await service.readResource('fixture://item/42');
    expect(item.contents[0]?.['text']).toBe('item 42');

    expect(service.listPrompts().map((p) => p.name)).toEqual(['greet']);
    const greet = await service.getPrompt('greet', { name: 'Ada' });
    expect(greet.messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'Hello, Ada' } },
    ]);

    const added = await service.callTool('add', { a: 2, b: 40 });
    expect(textOf(added)).toBe('42');
  });

  it('delivers a 10 MB result intact', async () => {
    const h = await harness({ big: fixture() });
    await h.corral.start();
    const result = await h.service('big').callTool('huge', {});
    const text = textOf(result);
    expect(Buffer.byteLength(text)).toBe(10 * 1024 * 1024);
    expect(result.structuredContent).toEqual({
      bytes: 10 * 1024 * 1024,
      sha256: createHash('sha256').update(text).digest('hex'),
    });
  });

  it('passes progress through, and cancellation to the server', async () => {
    const h = await harness({ slow: fixture() });
    await h.corral.start();
    const service = h.service('slow');

    const reports: ToolProgress[] = [];
    const done = await service.callTool(
      'progress',
      { steps: 3, intervalMs: 10 },
      { onProgress: (p) => reports.push(p) },
    );
    expect(textOf(done)).toBe('done 3');
    expect(reports).toEqual([
      { progress: 1, total: 3 },
      { progress: 2, total: 3 },
      { progress: 3, total: 3 },
    ]);

    const controller = new AbortController();
    const seen: ToolProgress[] = [];
    const call = service.callTool(
      'progress',
      { steps: 1_000, intervalMs: 20 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p);
          if (seen.length === 2) controller.abort(new Error('enough'));
        },
      },
    );
    await expect(call).rejects.toThrow();
    const stats = await waitFor(
      async () => {
        const result = await service.callTool('stats', {});
        const stats = result.structuredContent;
        return isObject(stats) && stats['cancelled'] === 1 ? stats : undefined;
      },
      { ...WAIT, description: 'the server to see the cancellation' },
    );
    expect(stats).toMatchObject({ cancelled: 1 });
  });

  it.each(['stdio', 'streamable-http', 'sse'] as const)(
    'never loses the last progress report to the result right behind it (%s)',
    async (transport) => {
      const entry =
        transport === 'stdio'
          ? fixture()
          : {
              type: 'MCPServer',
              transport,
              url: closeAfterTest(await startFixtureServer({ transport })).url,
            };
      const h = await harness({ quick: entry });
      await h.corral.start();
      const service = h.service('quick');
      for (let i = 0; i < 25; i++) {
        const reports: number[] = [];
        await service.callTool(
          'progress',
          { steps: 3, intervalMs: 0 },
          { onProgress: (p) => reports.push(p.progress) },
        );
        expect(reports).toEqual([1, 2, 3]);
      }
    },
  );

  it('resets the timeout on progress when asked, and times out otherwise', async () => {
    const h = await harness({ slow: fixture() });
    await h.corral.start();
    const service = h.service('slow');
    // 15 steps of 100 ms: 1.5 s in all, far more than 1 s, but never 1 s without progress.
    const args = { steps: 15, intervalMs: 100 };
    await expect(service.callTool('progress', args, { timeoutMs: 1_000 })).rejects.toThrow(
      /timed out/i,
    );
    const ok = await service.callTool('progress', args, {
      timeoutMs: 1_000,
      resetTimeoutOnProgress: true,
      onProgress: () => undefined,
    });
    expect(textOf(ok)).toBe('done 15');
  });

  it('notifies subscribers when the server churns its tools', async () => {
    const h = await harness({ churny: fixture({ churnMs: 100 }) });
    await h.corral.start();
    const service = h.service('churny');
    const snapshots: string[][] = [];
    const unsubscribe = service.onToolsChanged(() => {
      snapshots.push(service.listTools().map((t) => t.name));
    });
    await waitFor(() => snapshots.length >= 3, { ...WAIT, description: 'three tool changes' });
    unsubscribe();
    const churned = snapshots.flat().filter((name) => name.startsWith('churn_'));
    expect(churned.length).toBeGreaterThan(0);
    expect(snapshots.some((names) => !names.some((n) => n.startsWith('churn_')))).toBe(true);
    expect(h.corral.orchestrator.getServiceInfo('churny').state).toBe('running');
  });

  it('compiles each output schema once while the server churns its tools', async () => {
    // The SDK recompiles every outputSchema after each re-listing, and ajv kept every copy for
    // the connection's life: a churning server called all day grew the heap without bound.
    const h = await harness({ churny: fixture({ churnMs: 200 }) });
    await h.corral.start();
    const service = h.service('churny');
    let changes = 0;
    const unsubscribe = service.onToolsChanged(() => {
      changes++;
    });
    // Each call right after a re-listing, while the SDK holds that listing to validate against.
    const callsAfterChanges = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const seen = changes;
        await waitFor(() => changes > seen, { ...WAIT, description: 'a tool change' });
        const text = `call ${String(i)}`;
        expect(textOf(await service.callTool('echo', { text }))).toBe(text);
      }
    };
    await callsAfterChanges(5);
    const compiled = compiledSchemas();
    await callsAfterChanges(20);
    unsubscribe();
    expect(compiled).toBeGreaterThan(0); // the calls were validated against a compiled schema
    expect(compiledSchemas()).toBe(compiled);
  });
});

describe('requests from the server to the client', () => {
  it('round-trips sampling, elicitation and roots through the handler', async () => {
    const h = await harness({ asks: fixture() });
    const service = h.service('asks');
    const related: (readonly string[])[] = [];
    const handler: ClientRequestHandler = {
      createMessage: (params, context) => {
        related.push(context.relatedCallIds);
        return Promise.resolve({
          role: 'assistant',
          model: 'test-model',
          content: {
            type: 'text',
            text: `${context.serviceName} heard: ${JSON.stringify(params['messages'])}`,
          },
        });
      },
      elicit: () => Promise.resolve({ action: 'accept', content: { name: 'Grace' } }),
      listRoots: () => Promise.resolve({ roots: [{ uri: 'file:///tmp/root', name: 'tmp' }] }),
    };
    service.setClientRequestHandler(handler);
    await h.corral.start();

    const sampled = await service.callTool('sample', { prompt: 'ping?' }, { callId: 'call-1' });
    expect(textOf(sampled)).toContain('asks heard:');
    expect(textOf(sampled)).toContain('ping?');
    // The request names the call that caused it; a call without an id gets one made up.
    await service.callTool('sample', { prompt: 'again' });
    expect(related[0]).toEqual(['call-1']);
    expect(related[1]).toHaveLength(1);
    expect(related[1]).not.toEqual(['call-1']);
    const elicited = await service.callTool('elicit', {});
    expect(JSON.parse(textOf(elicited))).toEqual({ action: 'accept', content: { name: 'Grace' } });
    const roots = await service.callTool('roots', {});
    expect(JSON.parse(textOf(roots))).toEqual([{ uri: 'file:///tmp/root', name: 'tmp' }]);
  });

  it('answers with a clear error when no handler is set', async () => {
    const h = await harness({ asks: fixture() });
    const service = h.service('asks');
    // Declared at connect, then taken away: the request gets a clear MCP error.
    service.setClientRequestHandler({ createMessage: () => Promise.reject(new Error('unused')) });
    await h.corral.start();
    service.setClientRequestHandler(undefined);
    const outcome = await service.callTool('sample', { prompt: 'x' }).then(
      (result) => JSON.stringify(result),
      (error: unknown) => String(error),
    );
    expect(outcome).toContain("Corral has no sampling handler for MCP server 'asks'");
  });
});
