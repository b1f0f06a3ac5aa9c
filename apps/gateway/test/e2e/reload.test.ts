import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { fixtureServer, waitFor } from '@corral/testing';
import { connect, serve, type ServeProcess, services, tempDir, writeConfig } from './harness.js';

const fixture = fixtureServer({ tools: 2 });
const node = JSON.stringify(fixture.command);
const entry = (name: string, extra = ''): string =>
  `  ${name}: { command: ${node}, args: ${JSON.stringify([...fixture.args, '--name', name])}${extra} }\n`;

/** Hot reload: the config file is edited while a client is connected. */
describe('corral serve hot reload', { timeout: 120_000 }, () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let file: string;
  let gateway: ServeProcess;
  let client: Client;
  let listChanged = 0;

  const toolNames = async (): Promise<string[]> =>
    (await client.listTools()).tools.map((tool) => tool.name);
  const pids = async (): Promise<Record<string, number | null | undefined>> =>
    Object.fromEntries(
      [...(await services(gateway.url))].map(([name, view]) => [name, view.data?.pid]),
    );
  const write = (text: string): Promise<void> => writeFile(file, text);

  beforeAll(async () => {
    temp = await tempDir();
    file = await writeConfig(
      temp.dir,
      'corral.yaml',
      'mcpServers:\n' + entry('a') + entry('b') + entry('c'),
    );
    gateway = await serve(['--config', file]);
    client = await connect(gateway.url);
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      listChanged++;
    });
  }, 90_000);

  afterAll(async () => {
    await client.close();
    await gateway.stop();
    await temp.dispose();
  });

  it('starts an added server, tells the client, and leaves the others alone', async () => {
    const before = await pids();
    const notified = listChanged;
    await write('mcpServers:\n' + entry('a') + entry('b') + entry('c') + entry('d'));
    await waitFor(async () => (await toolNames()).includes('x_d_echo'), { timeoutMs: 30_000 });
    await waitFor(() => listChanged > notified, { description: 'tools/list_changed' });
    const after = await pids();
    expect(after['a']).toBe(before['a']);
    expect(after['b']).toBe(before['b']);
    expect(after['c']).toBe(before['c']);
    expect(typeof after['d']).toBe('number');
  });

  it('stops a removed server and its tools vanish', async () => {
    const before = await pids();
    const notified = listChanged;
    await write('mcpServers:\n' + entry('a') + entry('b') + entry('d'));
    await waitFor(async () => !(await toolNames()).includes('x_c_echo'), { timeoutMs: 30_000 });
    await waitFor(() => listChanged > notified, { description: 'tools/list_changed' });
    const after = await pids();
    expect(Object.keys(after)).not.toContain('c');
    expect(after['a']).toBe(before['a']);
    expect(after['d']).toBe(before['d']);
  });

  it('restarts only a changed server', async () => {
    const before = await pids();
    await write('mcpServers:\n' + entry('a') + entry('b', ', toolPrefix: bee') + entry('d'));
    await waitFor(async () => (await toolNames()).includes('x_bee_echo'), { timeoutMs: 30_000 });
    const after = await pids();
    expect(after['b']).not.toBe(before['b']);
    expect(after['a']).toBe(before['a']);
    expect(after['d']).toBe(before['d']);
    expect(await toolNames()).not.toContain('x_b_echo');
  });

  it('keeps the running fleet as it was when an edit is broken', async () => {
    const before = await pids();
    const tools = await toolNames();
    await write('mcpServers:\n  a: { command: [oops\n');
    await waitFor(() => gateway.stderr().includes('config not applied'), { timeoutMs: 10_000 });
    expect(await pids()).toEqual(before);

    // An entry made invalid keeps its running server; the valid rest still applies.
    await write(
      'mcpServers:\n' +
        `  a: { command: ${node}, args: 5 }\n` +
        entry('b', ', toolPrefix: bee') +
        entry('d'),
    );
    await waitFor(() => gateway.stderr().includes('not applied (kept as it was)'), {
      timeoutMs: 10_000,
    });
    expect(gateway.stderr()).toMatch(/mcpServers\.a\.args/);
    expect(await pids()).toEqual(before);
    expect(await toolNames()).toEqual(tools);
  });
});
