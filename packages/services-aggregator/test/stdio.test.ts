import { fileURLToPath } from 'node:url';
import { isProcessAlive, waitFor } from '@corral/testing';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, expect, it } from 'vitest';
import { closeAfterTest, closeAll, textOf, WAIT } from './helpers.js';
import { OrderedDeliveryTransport } from '@corral/services-mcpserver';

afterEach(closeAll);

const script = fileURLToPath(new URL('./fixtures/stdio-gateway.ts', import.meta.url));

it('serves the fleet over stdio, passthrough included, and exits when the client leaves', async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', script],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stderr: 'pipe',
  });
  const client = new Client(
    { name: 'stdio-client', version: '1.0.0' },
    { capabilities: { sampling: {} } },
  );
  client.setRequestHandler('sampling/createMessage', () =>
    Promise.resolve({
      role: 'assistant',
      model: 'stdio-model',
      content: { type: 'text', text: 'answered over stdio' },
    }),
  );
  closeAfterTest(client);
  await client.connect(new OrderedDeliveryTransport(transport));
  const pid = transport.pid;

  const names = (await client.listTools()).tools.map((t) => t.name);
  expect(names).toEqual(expect.arrayContaining(['x_fx_echo', 'x_fx_progress', 'x_fx_sample']));
  expect(
    textOf(await client.callTool({ name: 'x_fx_echo', arguments: { text: 'over stdio' } })),
  ).toBe('over stdio');
  const reports: number[] = [];
  await client.callTool(
    { name: 'x_fx_progress', arguments: { steps: 3, intervalMs: 10 } },
    { onprogress: (p) => reports.push(p.progress) },
  );
  expect(reports).toEqual([1, 2, 3]);
  const sampled = await client.callTool({ name: 'x_fx_sample', arguments: { prompt: 'hi' } });
  expect(textOf(sampled)).toBe('answered over stdio');

  await client.close();
  if (pid !== null) {
    await waitFor(() => !isProcessAlive(pid), { ...WAIT, description: 'the gateway to exit' });
  }
});
