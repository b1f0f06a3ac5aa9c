import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isProcessAlive,
  referenceServer,
  referenceServerPath,
  startReferenceServer,
  waitFor,
} from '../src/index.js';
import { connectHttp, connectStdio, newClient, onCleanup, runCleanups, textOf } from './support.js';

afterEach(runCleanups);

/** A client without sampling, elicitation or roots: what the 13-tool count assumes. */
function plainClient() {
  return newClient({ capabilities: {} });
}

describe('reference servers over stdio', () => {
  it('resolves each JS entry (not the .bin shell shim)', () => {
    for (const name of ['everything', 'memory', 'filesystem'] as const) {
      const path = referenceServerPath(name);
      expect(path).toMatch(/\.js$/);
      expect(existsSync(path)).toBe(true);
    }
  });

  it('server-everything lists 13 tools, 7 resources and 4 prompts', async () => {
    const { client } = await connectStdio(referenceServer('everything'), plainClient());
    expect((await client.listTools()).tools).toHaveLength(13);
    expect((await client.listResources()).resources).toHaveLength(7);
    expect((await client.listPrompts()).prompts).toHaveLength(4);
    const echo = await client.callTool({ name: 'echo', arguments: { message: 'hi' } });
    expect(textOf(echo)).toContain('hi');
  });

  it('server-everything adds 3 tools for a client that can sample, elicit and list roots', async () => {
    const { client } = await connectStdio(referenceServer('everything'), newClient());
    await waitFor(async () => (await client.listTools()).tools.length === 16, {
      description: '16 tools',
    });
  });

  it('server-memory lists 9 tools and keeps its graph in a fresh temporary directory', async () => {
    const command = referenceServer('memory');
    expect(command.env['MEMORY_FILE_PATH']).toBe(`${String(command.dir)}/memory.jsonl`);
    const { client } = await connectStdio(command, plainClient());
    expect((await client.listTools()).tools).toHaveLength(9);
    await client.callTool({
      name: 'create_entities',
      arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: [] }] },
    });
    expect(existsSync(command.env['MEMORY_FILE_PATH'] ?? '')).toBe(true);
  });

  it('server-filesystem lists 14 tools and may touch only its directory', async () => {
    const command = referenceServer('filesystem');
    const { client } = await connectStdio(command, plainClient());
    expect((await client.listTools()).tools).toHaveLength(14);
    const allowed = await client.callTool({ name: 'list_allowed_directories', arguments: {} });
    expect(textOf(allowed)).toContain(String(command.dir));
  });
});

describe.each(['streamable-http', 'sse'] as const)('server-everything over %s', (transport) => {
  it('starts on 127.0.0.1, connects and lists its tools; close() kills it', async () => {
    const server = await startReferenceServer('everything', { transport });
    onCleanup(() => server.close());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/(mcp|sse)$/);
    const client = await connectHttp(transport, server.url, plainClient());
    expect((await client.listTools()).tools).toHaveLength(13);
    await client.close();
    await server.close();
    expect(isProcessAlive(server.pid)).toBe(false);
  });
});
