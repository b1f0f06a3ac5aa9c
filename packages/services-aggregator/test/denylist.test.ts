import { CoreTokens, definePlugin, type ToolCallRecord } from '@corral/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DENIED_META_KEY } from '../src/index.js';
import { closeAll, connect, gateway, reference, textOf } from './helpers.js';
import { staticToolsPlugin } from './support/static-tools.js';

afterEach(closeAll);

function observing(records: ToolCallRecord[]) {
  return definePlugin({
    id: 'observer',
    register(context) {
      context.provide(CoreTokens.ToolCallObserver, {
        useValue: { onToolCall: (record) => records.push(record) },
      });
    },
  });
}

const entities = { entities: [{ name: 'Ada', entityType: 'person', observations: [] }] };

describe('the denylist', () => {
  it('refuses a destructive tool at the call path, says why and how to allow it', async () => {
    const records: ToolCallRecord[] = [];
    const g = await gateway({ memory: reference('memory') }, {}, { plugins: [observing(records)] });
    const client = await connect(g.url);
    await client.callTool({ name: 'x_memory_create_entities', arguments: entities });

    // Listed, and marked: the agent can tell the user what to change.
    const { tools } = await client.listTools();
    const del = tools.find((t) => t.name === 'x_memory_delete_entities');
    expect(del?.description).toMatch(/^\[Blocked by Corral's denylist \(matches 'delete'\)/);
    expect(del?.annotations?.destructiveHint).toBe(true);
    expect(del?._meta?.[DENIED_META_KEY]).toEqual({ entry: 'delete', from: 'default' });
    expect(
      tools.find((t) => t.name === 'x_memory_read_graph')?._meta?.[DENIED_META_KEY],
    ).toBeUndefined();

    const refused = await client.callTool({
      name: 'x_memory_delete_entities',
      arguments: { entityNames: ['Ada'] },
    });
    expect(refused.isError).toBe(true);
    const text = textOf(refused);
    expect(text).toContain("Corral refused to call 'x_memory_delete_entities'");
    expect(text).toContain("matches the denylist entry 'delete'");
    expect(text).toContain('denylist.allow');
    expect(text).toContain('yolo: true');
    // The server never saw it: Ada is still there.
    expect(textOf(await client.callTool({ name: 'x_memory_read_graph', arguments: {} }))).toContain(
      'Ada',
    );
    expect(records.map((r) => [r.service, r.tool, r.outcome])).toEqual([
      ['memory', 'create_entities', 'ok'],
      ['memory', 'delete_entities', 'denied'],
      ['memory', 'read_graph', 'ok'],
    ]);
  });

  it('is lifted by yolo', async () => {
    const g = await gateway({ memory: reference('memory') }, { yolo: true });
    const client = await connect(g.url);
    await client.callTool({ name: 'x_memory_create_entities', arguments: entities });
    const del = (await client.listTools()).tools.find((t) => t.name === 'x_memory_delete_entities');
    expect(del?._meta?.[DENIED_META_KEY]).toBeUndefined();
    const result = await client.callTool({
      name: 'x_memory_delete_entities',
      arguments: { entityNames: ['Ada'] },
    });
    expect(result.isError).not.toBe(true);
    expect(
      textOf(await client.callTool({ name: 'x_memory_read_graph', arguments: {} })),
    ).not.toContain('Ada');
  });

  it('takes extra entries and exceptions from the config', async () => {
    const g = await gateway(
      {
        k8s: { type: 'StaticTools', tools: ['get_pods', 'get_logs', 'scale_deployment'] },
        db: { type: 'StaticTools', tools: ['query', 'drop_table'] },
      },
      { denylist: { add: ['x_k8s_*'], allow: ['x_k8s_get_pods', 'x_db_drop_table'] } },
      { plugins: [staticToolsPlugin] },
    );
    const client = await connect(g.url);
    const call = async (name: string) =>
      (await client.callTool({ name, arguments: {} })).isError === true ? 'refused' : 'called';
    expect(await call('x_k8s_get_pods')).toBe('called');
    expect(await call('x_k8s_get_logs')).toBe('refused');
    expect(await call('x_k8s_scale_deployment')).toBe('refused');
    expect(await call('x_db_query')).toBe('called');
    expect(await call('x_db_drop_table')).toBe('called');
  });
});
