import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { closeAll, fixture, gateway, reference, TOKEN } from './helpers.js';

afterEach(closeAll);

const run = promisify(execFile);
const cli = join(
  dirname(
    createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/package.json'),
  ),
  'build/index.js',
);

/**
 * Runs the inspector CLI (an external MCP client, on the v1 SDK) and parses what it prints. It
 * looks for its package.json relative to the working directory, so it runs from its own.
 */
async function inspector(args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [cli, ...args], {
    cwd: dirname(cli),
    timeout: 60_000,
  });
  return JSON.parse(stdout) as unknown;
}

it('serves an external client: inspector-cli lists and calls tools, reads and prompts', async () => {
  const g = await gateway({ fx: fixture(), everything: reference('everything') }, { token: TOKEN });
  const auth = ['--header', `Authorization: Bearer ${TOKEN}`];
  const listed = await inspector([g.url, ...auth, '--method', 'tools/list']);
  const names = (listed as { tools: { name: string }[] }).tools.map((t) => t.name);
  expect(names).toEqual(expect.arrayContaining(['x_fx_echo', 'x_everything_get-sum']));

  const echoed = await inspector([
    g.url,
    ...auth,
    '--method',
    'tools/call',
    '--tool-name',
    'x_fx_echo',
    '--tool-arg',
    'text=from the inspector',
  ]);
  expect(echoed).toMatchObject({
    content: [{ type: 'text', text: 'from the inspector' }],
    structuredContent: { text: 'from the inspector' },
  });
  const sum = await inspector([
    g.url,
    ...auth,
    '--method',
    'tools/call',
    '--tool-name',
    'x_everything_get-sum',
    '--tool-arg',
    'a=2',
    'b=3',
  ]);
  expect(JSON.stringify(sum)).toContain('5');
  const read = await inspector([
    g.url,
    ...auth,
    '--method',
    'resources/read',
    '--uri',
    'x-fx+fixture://info',
  ]);
  expect(read).toMatchObject({
    contents: [{ uri: 'x-fx+fixture://info', text: '{"name":"fixture"}' }],
  });
  const prompt = await inspector([
    g.url,
    ...auth,
    '--method',
    'prompts/get',
    '--prompt-name',
    'x_fx_greet',
    '--prompt-args',
    'name=Grace',
  ]);
  expect(JSON.stringify(prompt)).toContain('Hello, Grace');
}, 120_000);
