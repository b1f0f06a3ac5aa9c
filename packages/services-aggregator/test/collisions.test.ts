import { afterEach, expect, it } from 'vitest';
import { closeAll, connect, gateway, textOf, toolNames } from './helpers.js';
import { staticToolsPlugin } from './support/static-tools.js';

afterEach(closeAll);

it('keeps colliding tools reachable under distinct names and warns', async () => {
  const long = `analyse_${'very_'.repeat(15)}long_report`;
  const g = await gateway(
    {
      a: { type: 'StaticTools', tools: ['b_c', 'own'] },
      a_b: { type: 'StaticTools', tools: ['c'] },
      left: { type: 'StaticTools', tools: ['search'], toolPrefix: '' },
      right: { type: 'StaticTools', tools: ['search', 'only_right'], toolPrefix: '' },
      wordy: { type: 'StaticTools', tools: [long, 'read.file/v2'] },
    },
    {},
    { plugins: [staticToolsPlugin] },
  );
  const client = await connect(g.url);
  const names = await toolNames(client);
  for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  expect(new Set(names).size).toBe(names.length);

  // Nobody has the contested names; everyone is reachable under a name of their own.
  expect(names).not.toContain('x_a_b_c');
  expect(names).not.toContain('search');
  expect(names).toContain('x_a_own');
  expect(names).toContain('only_right');
  const answers = new Set<string>();
  for (const name of names) answers.add(textOf(await client.callTool({ name, arguments: {} })));
  expect(answers).toEqual(
    new Set([
      'a:b_c',
      'a:own',
      'a_b:c',
      'left:search',
      'right:search',
      'right:only_right',
      `wordy:${long}`,
      'wordy:read.file/v2',
    ]),
  );
  const log = g.logs.join('\n');
  expect(log).toContain("2 tools would be exposed as 'x_a_b_c'");
  expect(log).toContain("2 tools would be exposed as 'search'");
  // The same names on every listing and in every session.
  const again = await connect(g.url);
  expect(await toolNames(again)).toEqual(names);
});
