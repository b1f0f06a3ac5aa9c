import { afterEach, describe, expect, it } from 'vitest';
import { fixtureServer, freePort } from '@corral/testing';
import {
  connect,
  corral,
  serve,
  type ServeProcess,
  services,
  tempDir,
  writeConfig,
} from './harness.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(args: string[]): Promise<ServeProcess> {
  const gateway = await serve(args);
  cleanups.push(() => gateway.stop());
  return gateway;
}

describe('configs users bring', { timeout: 90_000 }, () => {
  it('runs a Claude Desktop config as is', async () => {
    const temp = await tempDir();
    cleanups.push(() => temp.dispose());
    const fixture = fixtureServer({ tools: 3 });
    const file = await writeConfig(
      temp.dir,
      'claude_desktop_config.json',
      JSON.stringify(
        {
          globalShortcut: 'Ctrl+Space',
          mcpServers: {
            notes: { command: fixture.command, args: fixture.args, env: { NOTES_TOKEN: 'sekrit' } },
            tasks: { command: fixture.command, args: fixture.args },
          },
        },
        null,
        2,
      ),
    );
    const gateway = await started(['--config', file]);
    const client = await connect(gateway.url);
    cleanups.push(() => client.close());
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['x_notes_echo', 'x_tasks_echo']));
    const echo = await client.callTool({
      name: 'x_tasks_echo',
      arguments: { text: 'from claude' },
    });
    expect(echo.structuredContent).toEqual({ text: 'from claude' });
    // The unknown top-level key is a warning, not an error; the secret never shows in status.
    expect(gateway.stderr()).toContain('globalShortcut');
    const status = await corral(['status', 'notes', '--json', ...gateway.urlArgs]);
    expect(status.code).toBe(0);
    expect(status.stdout).not.toContain('sekrit');
  });

  it('runs a YAML config with a process service, dependsOn and ${VAR:-default}', async () => {
    const temp = await tempDir();
    cleanups.push(() => temp.dispose());
    const port = await freePort();
    const fixture = fixtureServer({ tools: 2 });
    const listener =
      "require('node:net').createServer((s) => s.end()).listen(Number(process.env.PORT), '127.0.0.1')";
    const file = await writeConfig(
      temp.dir,
      'corral.yaml',
      [
        '# a tunnel-like process the MCP server needs first',
        'services:',
        '  tunnel:',
        '    type: process',
        `    command: ${JSON.stringify(process.execPath)}`,
        `    args: ["-e", ${JSON.stringify(listener)}]`,
        `    env: { PORT: "${port}" }`,
        `    ready: { tcp: ${port} }`,
        'mcpServers:',
        '  metrics:',
        `    command: ${JSON.stringify(fixture.command)}`,
        `    args: ${JSON.stringify(fixture.args)}`,
        '    dependsOn: [tunnel]',
        '    toolPrefix: ${METRICS_PREFIX:-prom}',
        '',
      ].join('\n'),
    );
    const gateway = await started(['--config', file]);
    const views = await services(gateway.url);
    expect(views.get('tunnel')?.state).toBe('running');
    expect(views.get('metrics')?.state).toBe('running');
    const client = await connect(gateway.url);
    cleanups.push(() => client.close());
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('x_prom_echo');
    // Dependency order: the tunnel ran before the server started.
    const transitions = gateway
      .logs()
      .filter((line) => line['event'] === 'state')
      .map((line) => `${String(line['service'])}:${String(line['to'])}`);
    expect(transitions.indexOf('tunnel:running')).toBeLessThan(
      transitions.indexOf('metrics:starting'),
    );
  });

  it('exits 2 with every problem named when the file is broken', async () => {
    const temp = await tempDir();
    cleanups.push(() => temp.dispose());
    const file = await writeConfig(temp.dir, 'bad.yaml', 'mcpServers: [not, a, map]\n');
    const result = await corral(['serve', '--config', file, '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.yaml');
    expect(result.stderr).toContain('mcpServers');
  });

  it('runs the rest of the fleet when one entry is bad', async () => {
    const temp = await tempDir();
    cleanups.push(() => temp.dispose());
    const fixture = fixtureServer({ tools: 2 });
    const file = await writeConfig(
      temp.dir,
      'corral.yaml',
      `mcpServers:\n  good: { command: ${JSON.stringify(fixture.command)}, args: ${JSON.stringify(fixture.args)} }\n  bad: { command: node, args: 42 }\n`,
    );
    const gateway = await started(['--config', file]);
    expect((await services(gateway.url)).get('good')?.state).toBe('running');
    expect(gateway.stderr()).toMatch(/skipped: .*corral\.yaml.*mcpServers\.bad\.args/);
  });

  it('`corral validate` through the binary: 0 for a good file, 2 with the problems for a bad one', async () => {
    const temp = await tempDir();
    cleanups.push(() => temp.dispose());
    const good = await writeConfig(
      temp.dir,
      'good.yaml',
      'mcpServers:\n  memory: { command: npx, args: [-y, "@modelcontextprotocol/server-memory"] }\n',
    );
    const bad = await writeConfig(
      temp.dir,
      'bad.yaml',
      'mcpServers:\n  memory: { command: npx, restart: sometimes }\n',
    );
    const ok = await corral(['validate', good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('valid');
    const broken = await corral(['validate', bad]);
    expect(broken.code).toBe(2);
    expect(broken.stdout + broken.stderr).toMatch(/bad\.yaml:2:\d+ mcpServers\.memory\.restart/);
  });

  it('`corral init` writes a starter config that validates', async () => {
    const temp = await tempDir();
    cleanups.push(() => temp.dispose());
    const init = await corral(['init'], { cwd: temp.dir });
    expect(init.code).toBe(0);
    expect((await corral(['validate', 'corral.yaml'], { cwd: temp.dir })).code).toBe(0);
    const again = await corral(['init'], { cwd: temp.dir });
    expect(again.code).toBe(2);
  });

  it('usage errors exit 2 and --help exits 0', async () => {
    expect((await corral(['serve', '--port', 'eighty'])).code).toBe(2);
    expect((await corral(['frobnicate'])).code).toBe(2);
    const help = await corral(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('serve');
    expect((await corral(['serve', '--help'])).stdout).toContain('--config');
  });
});
