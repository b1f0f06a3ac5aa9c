import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Progress } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_HUGE_BYTES,
  fixtureServer,
  fixtureToolNames,
  isProcessAlive,
  waitFor,
} from '../src/index.js';
import {
  connectStdio,
  INITIALIZE,
  INITIALIZED,
  newClient,
  runCleanups,
  spawnGroup,
  textOf,
} from './support.js';

afterEach(runCleanups);

describe('fixture over stdio', () => {
  it('lists its tools (N plain ones plus the behaviour tools) and answers echo and add', async () => {
    const { client } = await connectStdio(fixtureServer({ name: 'alpha', tools: 5 }));
    expect(client.getServerVersion()?.name).toBe('alpha');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(fixtureToolNames(5).sort());
    expect(
      tools.filter(
        (t) => !['huge', 'progress', 'stats', 'sample', 'elicit', 'roots'].includes(t.name),
      ),
    ).toHaveLength(5);

    const echo = await client.callTool({ name: 'echo', arguments: { text: 'héllo' } });
    expect(echo.content).toEqual([{ type: 'text', text: 'héllo' }]);
    expect(echo.structuredContent).toEqual({ text: 'héllo' });
    expect(textOf(await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } }))).toBe('42');
    expect(textOf(await client.callTool({ name: 'tool_3', arguments: {} }))).toBe('tool_3');
  });

  it('serves resources, a resource template and a prompt', async () => {
    const { client } = await connectStdio(fixtureServer({ name: 'beta' }));
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['fixture://big', 'fixture://info']);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['fixture://item/{id}']);

    const info = await client.readResource({ uri: 'fixture://info' });
    expect(info.contents[0]).toMatchObject({ text: JSON.stringify({ name: 'beta' }) });
    const big = await client.readResource({ uri: 'fixture://big' });
    const bigText = big.contents[0] && 'text' in big.contents[0] ? big.contents[0].text : '';
    expect(bigText).toHaveLength(100 * 1024);
    const item = await client.readResource({ uri: 'fixture://item/7' });
    expect(item.contents[0]).toMatchObject({ text: 'item 7' });

    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['greet']);
    const greet = await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
    expect(greet.messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'Hello, Ada' } },
    ]);
  });

  it('fails its first launches as planned, counting them in the state file', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'fixture-')), 'launches');
    const { command, args } = fixtureServer({ failFirst: { count: 2, stateFile } });
    for (const launch of [1, 2]) {
      const failing = spawnGroup(command, args);
      expect(await failing.exited).toEqual({ code: 1, signal: null });
      expect(failing.stderr.all).toContain(`fixture: planned start failure ${launch} of 2`);
    }
    const { client } = await connectStdio({ command, args });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    expect(readFileSync(stateFile, 'utf8').trim()).toBe('3');
  });

  it('crashes with exit code 3 after the N-th tool call is answered', async () => {
    const { command, args } = fixtureServer({ crashAfter: 2 });
    const raw = spawnGroup(command, args);
    const call = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: `call ${id}` } },
    });
    raw.send(INITIALIZE, INITIALIZED, call(1), call(2));
    expect(await raw.exited).toEqual({ code: 3, signal: null });
    expect(raw.stdout.all.filter((line) => line.includes('"call 2"'))).toHaveLength(1);
    expect(raw.stderr.all).toContain('fixture: crashing after 2 calls');

    // Through the SDK client: the second call is answered, then the connection closes.
    const { client, transport, stderr } = await connectStdio(fixtureServer({ crashAfter: 2 }));
    let closed = false;
    client.onclose = () => {
      closed = true;
    };
    await client.callTool({ name: 'echo', arguments: { text: 'one' } });
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'two' } }))).toBe('two');
    await waitFor(() => closed, { description: 'the connection to close' });
    await waitFor(() => stderr.has('fixture: crashing after 2 calls'));
    expect(transport.pid).toBeNull();
  });

  it('floods in batches: K notifications, the ones the SDK would send, in one stdout write', async () => {
    const { command, args } = fixtureServer({ floodPerSecond: 2_000, floodBatch: 250 });
    const raw = spawnGroup(command, args);
    let mostInOneRead = 0;
    raw.onStdout((chunk) => {
      let lines = 0;
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
      mostInOneRead = Math.max(mostInOneRead, lines);
    });
    raw.send(INITIALIZE, INITIALIZED);
    const floods = (): unknown[] =>
      raw.stdout.all
        .map((line) => JSON.parse(line) as { method?: string; params?: unknown })
        .filter((message) => message.method === 'notifications/message')
        .map((message) => message.params);
    await waitFor(() => floods().length >= 1_000, { description: '1000 notifications' });
    expect(floods().slice(0, 1_000)).toEqual(
      Array.from({ length: 1_000 }, (_, i) => ({ level: 'info', data: `flood ${i + 1}` })),
    );
    // A read returns at least one whole write: the batch arrives together.
    expect(mostInOneRead).toBeGreaterThanOrEqual(250);
    await waitFor(() => raw.stderr.has('fixture: flooded 1000 notifications'));

    // Between batches it still reads and answers.
    raw.send({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'amid the flood' } },
    });
    await waitFor(() => raw.stdout.all.some((line) => line.includes('"amid the flood"')), {
      description: 'the echo answer',
    });
  });

  it('stops answering (pings included) but stays alive once hung', async () => {
    const { client, transport } = await connectStdio(fixtureServer({ hangAfter: 0 }));
    const pid = transport.pid;
    if (pid === null) throw new Error('no pid');
    await expect(client.ping({ timeout: 300 })).rejects.toThrow(/timed out/i);
    expect(isProcessAlive(pid)).toBe(true);

    const later = await connectStdio(fixtureServer({ hangAfter: 2 }));
    await later.client.ping({ timeout: 10_000 });
    await later.client.callTool({ name: 'echo', arguments: { text: 'a' } });
    await later.client.callTool({ name: 'add', arguments: { a: 1, b: 1 } });
    await expect(later.client.ping({ timeout: 300 })).rejects.toThrow(/timed out/i);
    await waitFor(() => later.stderr.has('fixture: hanging after 2 calls'));
  });

  it('returns exactly 10 MiB from huge, matching its sha256', async () => {
    // 10 MiB of text does not fit the stdio transport's default 10 MiB read buffer.
    const { client } = await connectStdio({ ...fixtureServer(), maxBufferSize: 64 * 1024 * 1024 });
    const result = await client.callTool({ name: 'huge', arguments: {} });
    const text = textOf(result);
    expect(text.length).toBe(DEFAULT_HUGE_BYTES);
    expect(Buffer.byteLength(text)).toBe(10_485_760);
    const sha256 = createHash('sha256').update(text).digest('hex');
    expect(result.structuredContent).toEqual({ bytes: 10_485_760, sha256 });

    const small = await client.callTool({ name: 'huge', arguments: { bytes: 5 } });
    expect(textOf(small)).toBe('abcde');
  }, 120_000);

  it('sends tools/list_changed as churn adds and removes a tool', async () => {
    const client = newClient();
    const changes: number[] = [];
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      changes.push(Date.now());
    });
    await connectStdio(fixtureServer({ churnMs: 50 }), client);
    await waitFor(() => changes.length >= 4, { description: 'four tools/list_changed' });
    const names = new Set<string>();
    await waitFor(
      async () => {
        for (const tool of (await client.listTools()).tools) names.add(tool.name);
        return [...names].some((name) => name.startsWith('churn_'));
      },
      { description: 'a churn_K tool in tools/list' },
    );
  });

  it('reports progress per step, and counts a cancelled call the client aborted', async () => {
    const { client, stderr } = await connectStdio(fixtureServer());
    const seen: Progress[] = [];
    const done = await client.callTool(
      { name: 'progress', arguments: { steps: 3, intervalMs: 50 } },
      {
        onprogress: (progress) => {
          seen.push(progress);
        },
      },
    );
    expect(textOf(done)).toBe('done 3');
    // The client runs notification handlers a microtask late, so a progress notification read
    // together with the result is dropped: the sequence can lose its tail, never its order.
    const expected = [1, 2, 3].map((progress) => ({ progress, total: 3 }));
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen).toEqual(expected.slice(0, seen.length));

    const controller = new AbortController();
    const cancelled = client.callTool(
      { name: 'progress', arguments: { steps: 10_000, intervalMs: 20 } },
      {
        signal: controller.signal,
        onprogress: () => {
          controller.abort();
        },
      },
    );
    await expect(cancelled).rejects.toThrow();
    const stats = await waitFor(
      async () => {
        const result = await client.callTool({ name: 'stats', arguments: {} });
        const content = result.structuredContent as { calls: number; cancelled: number };
        return content.cancelled === 1 ? content : undefined;
      },
      { description: 'stats to show the cancelled call' },
    );
    expect(stats.calls).toBeGreaterThanOrEqual(1);
    // stderr is another pipe: its line may arrive after the stats answer.
    await waitFor(() => stderr.has('fixture: cancelled progress'));
  });

  it('round-trips sampling, elicitation and roots to the client', async () => {
    const client = newClient();
    client.setRequestHandler('sampling/createMessage', (request) => {
      const first = request.params.messages[0]?.content;
      const prompt = first && !Array.isArray(first) && first.type === 'text' ? first.text : '?';
      return {
        model: 'test-model',
        role: 'assistant',
        content: { type: 'text', text: `you said: ${prompt}` },
      };
    });
    client.setRequestHandler('elicitation/create', () => ({
      action: 'accept',
      content: { name: 'Ada' },
    }));
    client.setRequestHandler('roots/list', () => ({
      roots: [{ uri: 'file:///srv/project', name: 'project' }],
    }));
    await connectStdio(fixtureServer(), client);

    const sample = await client.callTool({ name: 'sample', arguments: { prompt: 'ping' } });
    expect(textOf(sample)).toBe('you said: ping');
    const elicit = await client.callTool({ name: 'elicit', arguments: {} });
    expect(JSON.parse(textOf(elicit))).toEqual({ action: 'accept', content: { name: 'Ada' } });
    const roots = await client.callTool({ name: 'roots', arguments: {} });
    expect(JSON.parse(textOf(roots))).toEqual([{ uri: 'file:///srv/project', name: 'project' }]);
  });
});
