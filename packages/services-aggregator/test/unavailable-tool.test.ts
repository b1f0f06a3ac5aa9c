import { ProtocolError } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, connect, fixture, gateway, textOf, waitForTool } from './helpers.js';

afterEach(closeAll);

async function refusal(promise: Promise<unknown>): Promise<ProtocolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ProtocolError))
    throw new Error(`expected a ProtocolError: ${String(error)}`);
  return error;
}

describe('a call to a tool no running server offers', () => {
  it('names the stopped server it belongs to and how to start it', async () => {
    const g = await gateway({
      a: fixture({ name: 'a' }),
      b: fixture({ name: 'b' }, { toolPrefix: 'bee' }),
    });
    const client = await connect(g.url);
    await g.corral.orchestrator.stopService('b');
    await waitForTool(client, 'x_bee_echo', false);

    const error = await refusal(client.callTool({ name: 'x_bee_echo', arguments: { text: 'hi' } }));
    expect(error.code).toBe(-32602);
    expect(error.message).toContain(
      "Unknown tool 'x_bee_echo': it is not available now: server 'b' is stopped — start it " +
        'with `corral start b` (or the core_service_start tool), then call it again.',
    );

    // A name of a running server that it does not offer, or of no server: the plain answer.
    for (const name of ['x_a_nope', 'x_zz_echo', 'x_bee_']) {
      const error = await refusal(client.callTool({ name, arguments: {} }));
      expect(error.message).toMatch(
        /no running server offers it \(any more\)\. List the tools again\./,
      );
    }

    await g.corral.orchestrator.startService('b');
    await waitForTool(client, 'x_bee_echo');
    const result = await client.callTool({ name: 'x_bee_echo', arguments: { text: 'back' } });
    expect(result.isError).not.toBe(true);
  });

  it('says the same through call_tool and describe_tool in meta-tools mode', async () => {
    const g = await gateway(
      { a: fixture({ name: 'a' }), b: fixture({ name: 'b' }) },
      { metaTools: 'replace' },
    );
    const client = await connect(g.url);
    await g.corral.orchestrator.stopService('b');
    const listed = async (): Promise<string[]> => {
      const result = await client.callTool({ name: 'list_tools', arguments: {} });
      return (result.structuredContent as { tools: { name: string }[] }).tools.map((t) => t.name);
    };
    await expect.poll(listed, { timeout: 30_000 }).not.toContain('x_b_echo');

    const called = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'x_b_echo', arguments: { text: 'hi' } },
    });
    expect(called.isError).toBe(true);
    expect(textOf(called)).toBe(
      "The tool 'x_b_echo' is not available now: server 'b' is stopped — start it with " +
        '`corral start b` (or the core_service_start tool), then call it again.',
    );
    const described = await client.callTool({
      name: 'describe_tool',
      arguments: { name: 'x_b_echo' },
    });
    expect(textOf(described)).toContain("server 'b' is stopped");
    // A name no server claims keeps the plain answer.
    const unknown = await client.callTool({ name: 'call_tool', arguments: { name: 'x_zz_echo' } });
    expect(textOf(unknown)).toBe(
      "No tool is called 'x_zz_echo'. Use list_tools or filter_tools to find one.",
    );
  });
});
