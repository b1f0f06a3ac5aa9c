import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { descendantsOf, fixtureServer } from '@corral/testing';
import { allGone, cliPath, tempDir, writeConfig } from './harness.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Claude Desktop's way: the client launches `corral serve --stdio` and speaks MCP on its pipes. */
describe('corral serve --stdio', { timeout: 60_000 }, () => {
  it('is a stdio MCP server to an SDK client, and leaves nothing behind when it closes', async () => {
    const temp = await tempDir();
    cleanups.push(() => temp.dispose());
    const fixture = fixtureServer({ tools: 3, name: 'alpha' });
    const file = await writeConfig(
      temp.dir,
      'claude_desktop_config.json',
      JSON.stringify({ mcpServers: { alpha: { command: fixture.command, args: fixture.args } } }),
    );
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cliPath, 'serve', '--stdio', '--config', file],
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: 'stdio-e2e', version: '1.0.0' });
    await client.connect(transport);
    cleanups.push(() => client.close());

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['x_alpha_echo', 'x_alpha_add', 'core_service_list']),
    );
    const result = await client.callTool({ name: 'x_alpha_add', arguments: { a: 2, b: 3 } });
    expect(result.content).toEqual([{ type: 'text', text: '5' }]);

    const pid = transport.pid;
    expect(pid).not.toBeNull();
    const children = await descendantsOf(pid ?? 0);
    expect(children.length).toBeGreaterThan(0);
    await client.close();
    await allGone([pid ?? 0, ...children]);
    // Nothing but MCP went to stdout, or the client would have failed to parse it; logs went here.
    expect(stderr).toContain('the stdio client closed the connection');
  });
});
