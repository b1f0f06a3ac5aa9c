import { waitFor } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeAll,
  connect,
  fixture,
  gateway,
  textOf,
  toolNames,
  WAIT,
  waitForTool,
} from './helpers.js';

afterEach(closeAll);

/** Waits for one more `list_changed` of `kind` than `before`. */
async function nextChange(changes: string[], kind: string, before: number): Promise<void> {
  await waitFor(() => changes.filter((c) => c === kind).length > before, {
    ...WAIT,
    description: `notifications/${kind}/list_changed`,
  });
}

function count(changes: string[], kind: string): number {
  return changes.filter((c) => c === kind).length;
}

describe('live updates', () => {
  it('drops a stopped server’s tools and brings them back, telling the client each time', async () => {
    const g = await gateway({ a: fixture(), b: fixture({ tools: 4 }) });
    const client = await connect(g.url);
    expect(await toolNames(client)).toEqual(expect.arrayContaining(['x_a_echo', 'x_b_tool_2']));

    let before = count(client.changes, 'tools');
    await g.corral.orchestrator.stopService('b');
    await nextChange(client.changes, 'tools', before);
    const names = await toolNames(client);
    expect(names.some((n) => n.startsWith('x_b_'))).toBe(false);
    expect(names).toContain('x_a_echo');
    await expect(client.callTool({ name: 'x_b_echo', arguments: { text: 'x' } })).rejects.toThrow(
      /Unknown tool/,
    );
    // Resources and prompts go with it.
    const uris = (await client.listResources()).resources.map((r) => r.uri);
    expect(uris.some((u) => u.startsWith('x-b+'))).toBe(false);

    before = count(client.changes, 'tools');
    await g.corral.orchestrator.startService('b');
    // startService resolved: the tools are registered and callable now, no polling needed.
    expect(await client.callTool({ name: 'x_b_tool_2', arguments: {} })).toMatchObject({
      content: [{ type: 'text', text: 'tool_2' }],
    });
    await nextChange(client.changes, 'tools', before);
    expect(await toolNames(client)).toContain('x_b_tool_2');
  });

  it('shows a late-starting server, and one added at runtime, with a notification', async () => {
    const g = await gateway({ early: fixture(), late: fixture({}, { autoStart: false }) });
    const client = await connect(g.url);
    expect((await toolNames(client)).some((n) => n.startsWith('x_late_'))).toBe(false);

    let before = count(client.changes, 'tools');
    await g.corral.orchestrator.startService('late');
    expect(
      textOf(await client.callTool({ name: 'x_late_echo', arguments: { text: 'late' } })),
    ).toBe('late');
    await nextChange(client.changes, 'tools', before);

    before = count(client.changes, 'tools');
    await g.corral.addService('added', fixture({ tools: 2 }));
    await nextChange(client.changes, 'tools', before);
    expect(await toolNames(client)).toContain('x_added_echo');

    before = count(client.changes, 'tools');
    await g.corral.orchestrator.removeService('added');
    await nextChange(client.changes, 'tools', before);
    expect((await toolNames(client)).some((n) => n.startsWith('x_added_'))).toBe(false);
  });

  it('drops the tools of a server that crashes', async () => {
    const g = await gateway({ fragile: fixture({ crashAfter: 1 }, { restart: 'never' }) });
    const client = await connect(g.url);
    await client.callTool({ name: 'x_fragile_echo', arguments: { text: 'last words' } });
    await waitForTool(client, 'x_fragile_echo', false);
    expect(g.corral.orchestrator.getServiceInfo('fragile').state).toBe('failed');
  });

  it('propagates a churning server’s changes', async () => {
    const g = await gateway({ churny: fixture({ churnMs: 150 }) });
    const client = await connect(g.url);
    const seen = new Set<boolean>();
    await waitFor(
      async () => {
        seen.add((await toolNames(client)).some((n) => n.startsWith('x_churny_churn_')));
        return seen.size === 2 && count(client.changes, 'tools') >= 3;
      },
      { ...WAIT, description: 'churn_ tools to come and go, with notifications' },
    );
    expect(g.corral.orchestrator.getServiceInfo('churny').state).toBe('running');
  });
});
