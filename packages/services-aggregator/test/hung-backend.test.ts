import type { ResourceTemplateDescriptor, ResourceTemplateProvider } from '@corral/core';
import { afterEach, expect, it } from 'vitest';
import { closeAll, connect, fixture, gateway, textOf } from './helpers.js';
import { StaticToolsService } from './support/static-tools.js';

afterEach(closeAll);

it('keeps answering for every other server while one backend hangs', async () => {
  // `stuck` answers one tool call, then nothing at all: calls, pings, listings.
  const g = await gateway({ stuck: fixture({ hangAfter: 1 }, { timeout: 120 }), fine: fixture() });
  const client = await connect(g.url);
  await client.callTool({ name: 'x_stuck_echo', arguments: { text: 'the last answer' } });
  const controller = new AbortController();
  const hung = [
    client.callTool(
      { name: 'x_stuck_echo', arguments: { text: 'anyone?' } },
      { signal: controller.signal, timeout: 120_000 },
    ),
    client.callTool(
      { name: 'x_stuck_add', arguments: { a: 1, b: 1 } },
      { signal: controller.signal, timeout: 120_000 },
    ),
    client.readResource({ uri: 'x-stuck+fixture://info' }, { signal: controller.signal }),
  ].map((p) =>
    p.then(
      () => 'answered',
      () => 'aborted',
    ),
  );

  const calls = Array.from({ length: 10 }, (_, i) =>
    client.callTool({ name: 'x_fine_echo', arguments: { text: `still ${String(i)}` } }),
  );
  for (const [i, result] of (await Promise.all(calls)).entries()) {
    expect(textOf(result)).toBe(`still ${String(i)}`);
  }
  expect((await client.listTools()).tools.map((t) => t.name)).toContain('x_fine_echo');
  expect(await client.readResource({ uri: 'x-fine+fixture://item/1' })).toMatchObject({
    contents: [{ text: 'item 1' }],
  });
  expect((await client.listResourceTemplates()).resourceTemplates).toHaveLength(2);

  controller.abort();
  expect(await Promise.all(hung)).toEqual(['aborted', 'aborted', 'aborted']);
});

/** Tools, and resource templates it never manages to list. */
class SilentTemplates extends StaticToolsService implements ResourceTemplateProvider {
  listResourceTemplates(): Promise<readonly ResourceTemplateDescriptor[]> {
    return new Promise(() => undefined);
  }
}

it('lists resource templates without a source that does not answer within the deadline', async () => {
  const g = await gateway({ fine: fixture() }, { listDeadlineMs: 300 }, { start: false });
  await g.corral.orchestrator.addService(new SilentTemplates('silent', { tools: ['ping'] }, true));
  await g.corral.start();
  const client = await connect(g.url);
  const { resourceTemplates } = await client.listResourceTemplates();
  expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['x-fine+fixture://item/{id}']);
  expect(g.logs.join('\n')).toContain("resource templates of 'silent' took longer than 300 ms");
  expect(textOf(await client.callTool({ name: 'x_silent_ping', arguments: {} }))).toBe(
    'silent:ping',
  );
});
