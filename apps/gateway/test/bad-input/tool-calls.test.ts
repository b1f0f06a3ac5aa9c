/**
 * Bad tool calls through an SDK client against a real gateway: wrong argument types, unknown
 * tools, tools of a stopped server, denylisted tools. Each is a tool error (`isError: true`) or
 * a JSON-RPC error, as MCP has it, whose text says what is wrong and what to do about it.
 */
import { ProtocolError } from '@modelcontextprotocol/client';
import type { Client } from '@modelcontextprotocol/client';
import { waitFor } from '@corral/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BadInputGateway,
  connectClient,
  DENIED_TOOL,
  disconnect,
  firstText,
  MCP_HEADERS,
  raw,
  rawSession,
  startBadInputGateway,
  WAIT,
} from './bad-input-gateway.js';

let gateway: BadInputGateway;
let client: Client;

beforeAll(async () => {
  gateway = await startBadInputGateway();
  client = await connectClient(gateway.url);
}, 60_000);

afterAll(async () => {
  await disconnect(client);
  await gateway.close();
});

/** What a call gives: a tool result, or the JSON-RPC error it was refused with. */
async function call(
  name: string,
  args: Record<string, unknown>,
): Promise<{ isError: boolean; text: string } | { code: number; message: string }> {
  try {
    const result = await client.callTool({ name, arguments: args });
    return { isError: result.isError === true, text: firstText(result) };
  } catch (error) {
    if (error instanceof ProtocolError) return { code: error.code, message: error.message };
    throw error;
  }
}

describe('arguments', () => {
  it('wrong argument types are a tool error that names the argument and the type wanted', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['x_a_echo', { text: 42 }, /text/],
      ['x_a_echo', {}, /text/],
      ['x_a_add', { a: '1', b: 2 }, /\ba\b/],
      ['x_a_add', { a: 1, b: [2] }, /\bb\b/],
      ['x_a_add', { a: null, b: { c: 1 } }, /\ba\b/],
    ];
    for (const [name, args, names] of cases) {
      const outcome = await call(name, args);
      expect(outcome, `${name} ${JSON.stringify(args)}`).toMatchObject({ isError: true });
      if (!('text' in outcome)) continue;
      expect(outcome.text).toMatch(/invalid|expected/i);
      expect(outcome.text).toMatch(names);
    }
    // The same tool, called right, still works.
    expect(await call('x_a_add', { a: 1, b: 2 })).toEqual({ isError: false, text: '3' });
  });

  it('arguments that are not an object are refused before they reach a server', async () => {
    const id = await rawSession(gateway.url);
    try {
      for (const args of ['"text"', '[1, 2]', '42']) {
        const response = await raw(gateway.url, {
          headers: { ...MCP_HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
          body: `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x_a_echo","arguments":${args}}}`,
        });
        expect(response.status).toBe(200);
        const message = /^data: (.*)$/m.exec(response.body)?.[1] ?? response.body;
        const parsed = JSON.parse(message) as { error?: { code: number; message: string } };
        expect(parsed.error, args).toMatchObject({ code: -32602 });
      }
    } finally {
      await raw(gateway.url, {
        method: 'DELETE',
        headers: { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
      });
    }
  });
});

describe('names', () => {
  it('an unknown tool is a JSON-RPC invalid-params error that says to list the tools again', async () => {
    for (const name of ['x_a_nope', 'nope', '', 'x_'.repeat(100), 'x_zz_echo']) {
      const outcome = await call(name, {});
      expect(outcome, name).toMatchObject({ code: -32602 });
      if ('message' in outcome) {
        expect(outcome.message).toContain(`Unknown tool '${name}'`);
        expect(outcome.message).toMatch(/List the tools again/);
      }
    }
  });

  it("a stopped server's tool says the server is stopped and how to start it", async () => {
    await gateway.act('b', 'stop');
    try {
      await waitFor(
        async () => !(await client.listTools()).tools.some((t) => t.name === 'x_b_echo'),
        { ...WAIT, description: "b's tools to be gone" },
      );
      const outcome = await call('x_b_echo', { text: 'hi' });
      expect(outcome).toMatchObject({ code: -32602 });
      if ('message' in outcome) {
        expect(outcome.message).toMatch(/'x_b_echo'/);
        expect(outcome.message).toMatch(/server 'b' is stopped/);
        expect(outcome.message).toMatch(/start it with `corral start b`/);
      }
      // The other server is not affected.
      expect(await call('x_a_echo', { text: 'a' })).toEqual({ isError: false, text: 'a' });
    } finally {
      await gateway.act('b', 'start');
    }
    await waitFor(async () => (await client.listTools()).tools.some((t) => t.name === 'x_b_echo'), {
      ...WAIT,
      description: "b's tools to be back",
    });
    expect(await call('x_b_echo', { text: 'back' })).toEqual({ isError: false, text: 'back' });
  });

  it('a denylisted tool is a tool error that says why and how to allow it', async () => {
    const outcome = await call(DENIED_TOOL, {});
    expect(outcome).toMatchObject({ isError: true });
    if ('text' in outcome) {
      expect(outcome.text).toContain(`Corral refused to call '${DENIED_TOOL}'`);
      expect(outcome.text).toContain(`denylist entry '${DENIED_TOOL}'`);
      expect(outcome.text).toMatch(/denylist\.allow/);
      expect(outcome.text).toMatch(/yolo: true/);
    }
    // Listed, and marked, so an agent knows before it calls.
    const listed = (await client.listTools()).tools.find((t) => t.name === DENIED_TOOL);
    expect(listed?.description).toMatch(/^\[Blocked by Corral's denylist/);
  });
});
