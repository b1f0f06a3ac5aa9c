import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, connect, fixture, gateway, reference, textOf, toolNames } from './helpers.js';
import { staticToolsPlugin } from './support/static-tools.js';

afterEach(closeAll);

describe('meta-tools', () => {
  it('replace the direct tools: list, filter, describe and call through them', async () => {
    const g = await gateway(
      { fx: fixture({ tools: 4 }), memory: reference('memory') },
      { metaTools: 'replace' },
    );
    const client = await connect(g.url);
    expect(await toolNames(client)).toEqual([
      'call_tool',
      'describe_tool',
      'filter_tools',
      'list_tools',
    ]);

    const listed = await client.callTool({ name: 'list_tools', arguments: {} });
    const all = (
      listed.structuredContent as { tools: { name: string; server: string; blocked?: boolean }[] }
    ).tools;
    expect(all.map((t) => t.name)).toEqual(
      expect.arrayContaining(['x_fx_echo', 'x_memory_read_graph']),
    );
    expect(all.find((t) => t.name === 'x_memory_delete_entities')).toMatchObject({
      server: 'memory',
      blocked: true,
    });
    const onlyFx = await client.callTool({ name: 'list_tools', arguments: { server: 'fx' } });
    expect((onlyFx.structuredContent as { total: number }).total).toBe(10);

    const found = async (args: Record<string, unknown>) => {
      const result = await client.callTool({ name: 'filter_tools', arguments: args });
      return (result.structuredContent as { tools: { name: string }[] }).tools
        .map((t) => t.name)
        .sort();
    };
    expect(await found({ pattern: 'x_memory_*_entities' })).toEqual([
      'x_memory_create_entities',
      'x_memory_delete_entities',
    ]);
    expect(await found({ query: 'Two NUMBERS' })).toEqual(['x_fx_add']);
    expect(await found({ pattern: 'x_*', query: 'observations', limit: 100 })).toEqual(
      expect.arrayContaining(['x_memory_add_observations', 'x_memory_delete_observations']),
    );

    const described = await client.callTool({
      name: 'describe_tool',
      arguments: { name: 'x_fx_add' },
    });
    expect(described.structuredContent).toMatchObject({
      name: 'x_fx_add',
      server: 'fx',
      inputSchema: { type: 'object', properties: { a: {}, b: {} } },
    });

    const called = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'x_fx_add', arguments: { a: 20, b: 22 } },
    });
    expect(textOf(called)).toBe('42');
    // The denylist applies to call_tool exactly as to a direct call.
    const refused = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'x_memory_delete_entities', arguments: { entityNames: [] } },
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('Corral refused');
    const unknown = await client.callTool({ name: 'describe_tool', arguments: { name: 'nope' } });
    expect(unknown.isError).toBe(true);
    const invalid = await client.callTool({ name: 'filter_tools', arguments: { limit: 'many' } });
    expect(textOf(invalid)).toContain('Invalid arguments for filter_tools');
    // Direct names still answer, listed or not.
    expect(
      textOf(await client.callTool({ name: 'x_fx_echo', arguments: { text: 'direct' } })),
    ).toBe('direct');
  });

  it('sit beside the direct tools, which yield their names to them', async () => {
    const g = await gateway(
      {
        fx: fixture(),
        plain: { type: 'StaticTools', tools: ['list_tools', 'other'], toolPrefix: '' },
      },
      { metaTools: 'beside' },
      { plugins: [staticToolsPlugin] },
    );
    const client = await connect(g.url);
    const names = await toolNames(client);
    expect(names).toEqual(
      expect.arrayContaining(['list_tools', 'call_tool', 'x_fx_echo', 'other']),
    );
    const theirs = names.find((n) => /^list_tools_[0-9a-f]{8}$/.test(n)) ?? '';
    expect(textOf(await client.callTool({ name: theirs, arguments: {} }))).toBe('plain:list_tools');
    const ours = await client.callTool({ name: 'list_tools', arguments: { server: 'plain' } });
    expect(
      (ours.structuredContent as { tools: { name: string }[] }).tools.map((t) => t.name),
    ).toEqual([theirs, 'other']);
  });
});
