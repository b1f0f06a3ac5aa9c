import { CoreTokens, definePlugin, type ToolCallRecord, type ToolProvider } from '@corral/core';
import { referenceServer } from '@corral/testing';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAfterTest,
  closeAll,
  connect,
  fixture,
  gateway,
  type Gateway,
  reference,
  type TestClient,
  textOf,
} from './helpers.js';
import { StaticToolsService, staticToolsPlugin } from './support/static-tools.js';

/** A plugin's tool provider, as the api-adapter offers its `core_*` tools. */
const coreTools: ToolProvider = {
  toolPrefix: 'core',
  listTools: () => [
    { name: 'service_list', description: 'Lists services.', inputSchema: { type: 'object' } },
  ],
  callTool: (name) =>
    Promise.resolve({
      content: [{ type: 'text', text: `core answered ${name}` }],
      structuredContent: { services: [] },
    }),
  onToolsChanged: () => () => undefined,
};

const calls: ToolCallRecord[] = [];
const extras = definePlugin({
  id: 'extras',
  register(context) {
    context.provide(CoreTokens.ToolProvider, { useValue: coreTools });
    context.provide(CoreTokens.ToolCallObserver, {
      useValue: { onToolCall: (record) => calls.push(record) },
    });
  },
});

const capabilities = { sampling: {}, elicitation: { form: {} }, roots: {} };

let g: Gateway;
let client: TestClient;

beforeAll(async () => {
  g = await gateway(
    {
      everything: reference('everything'),
      memory: reference('memory'),
      fx: fixture({ tools: 3 }),
      plain: { type: 'StaticTools', tools: ['plain_tool'], toolPrefix: '' },
      media: { type: 'StaticTools', tools: ['audio', 'failing'] },
    },
    {},
    { plugins: [staticToolsPlugin, extras] },
  );
  client = await connect(g.url, { capabilities });
  client.setRequestHandler('roots/list', () => Promise.resolve({ roots: [] }));
}, 60_000);

afterAll(closeAll);

describe('one endpoint over every server', () => {
  it('lists the tools of every server under x_<server>_<tool>, core_* and transparent ones', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'x_everything_echo',
        'x_everything_get-tiny-image',
        'x_everything_trigger-sampling-request',
        'x_memory_create_entities',
        'x_memory_read_graph',
        'x_fx_echo',
        'x_fx_progress',
        'core_service_list',
        'plain_tool',
        'x_media_audio',
      ]),
    );
    expect(names.filter((n) => n.startsWith('x_memory_'))).toHaveLength(9);
    expect(names.filter((n) => n.startsWith('x_fx_'))).toHaveLength(9);
    for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(new Set(names).size).toBe(names.length);
  });

  it('routes each call to its own server', async () => {
    expect(
      textOf(await client.callTool({ name: 'x_everything_echo', arguments: { message: 'hi' } })),
    ).toBe('Echo: hi');
    expect(textOf(await client.callTool({ name: 'x_fx_add', arguments: { a: 2, b: 40 } }))).toBe(
      '42',
    );
    await client.callTool({
      name: 'x_memory_create_entities',
      arguments: {
        entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote code'] }],
      },
    });
    const graph = await client.callTool({ name: 'x_memory_read_graph', arguments: {} });
    expect(textOf(graph)).toContain('Ada');
    const core = await client.callTool({ name: 'core_service_list', arguments: {} });
    expect(textOf(core)).toBe('core answered service_list');
    expect(core.structuredContent).toEqual({ services: [] });
    expect(textOf(await client.callTool({ name: 'plain_tool', arguments: {} }))).toBe(
      'plain:plain_tool',
    );
  });

  it('tells the observers of every call, with the server and the tool’s own name', async () => {
    calls.length = 0;
    await client.callTool({ name: 'x_fx_echo', arguments: { text: 'seen' } });
    await client.callTool({ name: 'core_service_list', arguments: {} });
    expect(calls.map((c) => [c.service, c.tool, c.outcome])).toEqual([
      ['fx', 'echo', 'ok'],
      ['core', 'service_list', 'ok'],
    ]);
    expect(calls[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('looks exactly as the server does directly, names aside', async () => {
    // The capabilities Corral declares to the servers behind it.
    const direct = new Client(
      { name: 'direct', version: '1.0.0' },
      {
        capabilities: {
          sampling: {},
          elicitation: { form: {}, url: {} },
          roots: { listChanged: true },
        },
      },
    );
    direct.setRequestHandler('roots/list', () => Promise.resolve({ roots: [] }));
    closeAfterTest(direct);
    const { command, args } = referenceServer('everything');
    await direct.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));

    const theirs = (await direct.listTools()).tools;
    const ours = (await client.listTools()).tools
      .filter((t) => t.name.startsWith('x_everything_'))
      .map((t) => ({ ...t, name: t.name.slice('x_everything_'.length) }));
    expect(ours).toEqual(theirs);

    for (const [name, args] of [
      ['get-tiny-image', {}],
      ['get-structured-content', { location: 'Chicago' }],
      ['get-annotated-message', { messageType: 'success', includeImage: true }],
      ['get-sum', { a: 1, b: 2 }],
    ] as const) {
      const want = await direct.callTool({ name, arguments: args });
      const got = await client.callTool({ name: `x_everything_${name}`, arguments: args });
      expect(got, name).toEqual(want);
    }
    const prompts = (await direct.listPrompts()).prompts;
    const ourPrompts = (await client.listPrompts()).prompts
      .filter((p) => p.name.startsWith('x_everything_'))
      .map((p) => ({ ...p, name: p.name.slice('x_everything_'.length) }));
    expect(ourPrompts).toEqual(prompts);
  });

  it('passes every content type and tool errors through as sent', async () => {
    const media = g.corral.registry.get('media');
    if (!(media instanceof StaticToolsService)) throw new Error('no media');
    const audio = { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav' };
    const embedded = {
      type: 'resource',
      resource: { uri: 'mem://note', mimeType: 'text/plain', text: 'embedded' },
    };
    media.results.set('audio', () => ({
      content: [audio, embedded, { type: 'text', text: 'and text' }],
      structuredContent: { kinds: ['audio', 'resource', 'text'] },
      _meta: { 'example.com/trace': 'abc' },
    }));
    const error = {
      content: [{ type: 'text', text: 'disk full' }],
      structuredContent: { code: 'ENOSPC' },
      isError: true,
    };
    media.results.set('failing', () => error);

    const result = await client.callTool({ name: 'x_media_audio', arguments: {} });
    expect(result.content).toEqual([
      audio,
      { ...embedded, resource: { ...embedded.resource, uri: 'x-media+mem://note' } },
      { type: 'text', text: 'and text' },
    ]);
    expect(result.structuredContent).toEqual({ kinds: ['audio', 'resource', 'text'] });
    expect(result._meta).toEqual({ 'example.com/trace': 'abc' });
    expect(await client.callTool({ name: 'x_media_failing', arguments: {} })).toEqual(error);
  });

  it('reads resources, templates and resource links under a scheme that round-trips', async () => {
    const { resources } = await client.listResources();
    const doc = resources.find((r) => r.name === 'architecture.md');
    expect(doc?.uri).toBe('x-everything+demo://resource/static/document/architecture.md');
    expect(resources.map((r) => r.uri)).toEqual(
      expect.arrayContaining(['x-fx+fixture://info', 'x-fx+fixture://big']),
    );
    const read = await client.readResource({ uri: doc?.uri ?? '' });
    expect(read.contents[0]?.uri).toBe(doc?.uri);
    expect(JSON.stringify(read.contents[0])).toContain('rchitecture');

    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(
      expect.arrayContaining([
        'x-everything+demo://resource/dynamic/text/{resourceId}',
        'x-fx+fixture://item/{id}',
      ]),
    );
    const item = await client.readResource({ uri: 'x-fx+fixture://item/7' });
    expect(item.contents).toEqual([
      { uri: 'x-fx+fixture://item/7', mimeType: 'text/plain', text: 'item 7' },
    ]);

    const links = await client.callTool({
      name: 'x_everything_get-resource-links',
      arguments: { count: 2 },
    });
    const linked = (links.content as { type: string; uri?: string }[]).filter(
      (b) => b.type === 'resource_link',
    );
    expect(linked).toHaveLength(2);
    for (const link of linked) {
      expect(link.uri?.startsWith('x-everything+demo://')).toBe(true);
      const back = await client.readResource({ uri: link.uri ?? '' });
      expect(back.contents[0]?.uri).toBe(link.uri);
    }
    await expect(client.readResource({ uri: 'x-nobody+file:///etc/passwd' })).rejects.toThrow(
      /not found/i,
    );
  });

  it('fetches prompts and completions by their exposed names', async () => {
    const prompt = await client.getPrompt({
      name: 'x_everything_args-prompt',
      arguments: { city: 'Lisbon' },
    });
    expect(JSON.stringify(prompt.messages)).toContain('Lisbon');
    const greet = await client.getPrompt({ name: 'x_fx_greet', arguments: { name: 'Ada' } });
    expect(greet.messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'Hello, Ada' } },
    ]);
    const completion = await client.complete({
      ref: { type: 'ref/prompt', name: 'x_everything_completable-prompt' },
      argument: { name: 'department', value: 'Eng' },
    });
    expect(completion.completion.values).toContain('Engineering');
    const none = await client.complete({
      ref: { type: 'ref/prompt', name: 'x_nobody_prompt' },
      argument: { name: 'a', value: '' },
    });
    expect(none.completion.values).toEqual([]);
    await expect(client.getPrompt({ name: 'x_nobody_prompt' })).rejects.toThrow(/Unknown prompt/);
  });

  it('answers an unknown tool with an MCP error', async () => {
    await expect(client.callTool({ name: 'x_nobody_tool', arguments: {} })).rejects.toThrow(
      /Unknown tool 'x_nobody_tool'/,
    );
  });
});
