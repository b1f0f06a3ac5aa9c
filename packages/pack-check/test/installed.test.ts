// The packages as a user gets them: the tarballs installed with plain npm into a fresh project
// outside the workspace, and each README's example run there as it is written (the few changes
// are listed, with their reasons, in examples.ts).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@corral/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { examples, type Example, type ExampleContext } from './examples.js';
import { packAll } from './pack.js';
import {
  describeRun,
  processesMentioning,
  run,
  start,
  type Finished,
  type Started,
} from './processes.js';
import { catalogVersions, pinned, publishablePackages } from './publishable.js';

const publishable = await publishablePackages();
import {
  codeBlock,
  installedByReadme,
  packagesImported,
  readReadme,
  substitute,
} from './readme.js';
import { createProject, type TempProject } from './temp-project.js';

let workDir = '';
let project: TempProject;
let context: ExampleContext;
const running: Started[] = [];

/** What the examples need beside our packages, at the versions the workspace pins. */
const fromRegistry = [
  '@modelcontextprotocol/client', // the SDK client of the aggregator and testing examples
  '@modelcontextprotocol/server-everything', // reference servers, run with node
  '@modelcontextprotocol/server-memory',
  '@hono/node-server', // the api-adapter example serves its routes with it
  'zod', // the plugin author's example
  'tsx', // runs the TypeScript examples, as the plugin example's README does
  'typescript', // checks them against the installed declarations
  '@types/node',
  'vitest', // runs @corral/testing's example test
];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'corral-pack-install-'));
  const packed = await packAll(publishable, workDir);
  const catalog = await catalogVersions();
  project = await createProject(
    join(workDir, 'project'),
    [...packed.values()].map((p) => p.tarball),
    fromRegistry.map((name) => pinned(catalog, name)),
  );
  context = {
    everythingEntry: await project.binEntry('@modelcontextprotocol/server-everything'),
    memoryEntry: await project.binEntry('@modelcontextprotocol/server-memory'),
    memoryFile: join(project.dir, 'memory.jsonl'),
    ports: [await freePort(), await freePort()],
  };
  for (const example of Object.values(examples)) {
    await writeFile(join(project.dir, example.file), await exampleCode(example));
  }
  await writeFile(
    join(project.dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
      },
      include: Object.values(examples).map((e) => e.file),
    }),
  );
}, 400_000);

afterEach(async () => {
  for (const started of running.splice(0)) started.killGroup();
  // Whatever an example started from the temp project must be gone once it has ended.
  expect(await processesMentioning(project.dir)).toEqual([]);
});

afterAll(async () => {
  if (workDir !== '') await rm(workDir, { recursive: true, force: true });
});

async function exampleCode(example: Example): Promise<string> {
  return substitute(
    codeBlock(await readReadme(example.readme), example),
    example.substitutions(context),
  );
}

/** Runs a TypeScript file of the temp project with tsx, as a user would. */
async function runExample(example: Example): Promise<Finished> {
  const result = await run(process.execPath, ['--import', 'tsx', join(project.dir, example.file)], {
    cwd: project.dir,
    timeoutMs: 90_000,
  });
  expect(result.code, describeRun(result)).toBe(0);
  return result;
}

function startExample(example: Example): Started {
  const started = start(process.execPath, ['--import', 'tsx', join(project.dir, example.file)], {
    cwd: project.dir,
  });
  running.push(started);
  return started;
}

describe('the temp project', () => {
  it('got our packages from the tarballs, with one copy of core, tsyringe and reflect-metadata', async () => {
    const lock = JSON.parse(await readFile(join(project.dir, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string; version?: string }>;
    };
    const paths = Object.keys(lock.packages);
    for (const { name } of publishable) {
      expect(
        paths.filter((p) => p.endsWith(`node_modules/${name}`)),
        name,
      ).toEqual([`node_modules/${name}`]);
      expect(lock.packages[`node_modules/${name}`]?.resolved, name).toMatch(/^file:.*\.tgz$/);
    }
    for (const single of ['tsyringe', 'reflect-metadata', '@modelcontextprotocol/client']) {
      expect(
        paths.filter((p) => p.endsWith(`node_modules/${single}`)),
        single,
      ).toHaveLength(1);
    }
  });

  it('has each example import only what its README says to install', async () => {
    const problems: string[] = [];
    for (const [id, example] of Object.entries(examples) as [string, Example][]) {
      const readme = await readReadme(example.readme);
      const installs = new Set(example.installs ?? installedByReadme(readme));
      const missing = packagesImported(codeBlock(readme, example)).filter((p) => !installs.has(p));
      if (missing.length > 0)
        problems.push(`${id} (${example.readme}) imports ${missing.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('typechecks every example against the installed declarations', async () => {
    const result = await run(
      process.execPath,
      [join(project.dir, 'node_modules/typescript/bin/tsc'), '-p', '.'],
      {
        cwd: project.dir,
        timeoutMs: 120_000,
      },
    );
    expect(result.code, describeRun(result)).toBe(0);
  });
});

describe('@corral/core', () => {
  it('runs the README service type: dependency order, a stop that cascades, recovery, shutdown', async () => {
    const { stdout } = await runExample(examples.core);
    expect(stdout.split('\n').filter((line) => line.startsWith('#'))).toEqual([
      '#1 slow: unknown → starting',
      '#2 slow: starting → running',
      '#3 fast: unknown → starting',
      '#4 fast: starting → running',
      '#5 fast: running → stopping',
      '#6 fast: stopping → waiting',
      '#7 slow: running → stopping',
      '#8 slow: stopping → stopped',
      '#9 slow: stopped → starting',
      '#10 slow: starting → running',
      '#11 fast: waiting → starting',
      '#12 fast: starting → running',
      '#13 fast: running → stopping',
      '#14 fast: stopping → stopped',
      '#15 slow: running → stopping',
      '#16 slow: stopping → stopped',
    ]);
  });
});

describe('@corral/plugin-example', () => {
  it("runs the README's plugin of your own (a TCP echo service) on core", async () => {
    const { stdout } = await runExample(examples.pluginAuthor);
    expect(stdout).toContain("[ 'echo is running', 'echo-2 is running' ]");
    const lines = stdout.split('\n');
    expect(lines.indexOf('echo-2: running → stopping')).toBeGreaterThan(-1);
    expect(lines.indexOf('echo-2: running → stopping')).toBeLessThan(
      lines.indexOf('echo: running → stopping'),
    );
  });

  it('runs its demo from the installed package: a chain of processes, one killed and recovered', async () => {
    const demo = join(project.dir, 'node_modules/@corral/plugin-example/dist/demo.js');
    const result = await run(process.execPath, [demo], { cwd: project.dir, timeoutMs: 60_000 });
    expect(result.code, describeRun(result)).toBe(0);
  });
});

describe('@corral/services-mcpserver', () => {
  it('runs the README script: two real MCP servers, a tool call, a clean stop', async () => {
    const { stdout } = await runExample(examples.mcpServers);
    expect(stdout).toMatch(/^everything running 1\d tools$/m);
    expect(stdout).toMatch(/^memory running 9 tools$/m);
    expect(stdout).toContain("{ type: 'text', text: 'Echo: hello from Corral' }");
  });

  it('runs the README service built by hand', async () => {
    const { stdout } = await runExample(examples.mcpServerByHand);
    expect(stdout).toContain("'read_graph'");
    expect(stdout).toContain("'create_entities'");
  });
});

describe('the full stack: core, services-mcpserver, services-aggregator and api-adapter', () => {
  it('serves one endpoint that the SDK client lists and calls, with the core_* tools beside', async () => {
    const { stdout } = await runExample(examples.fullStack);
    expect(stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/m);
    for (const tool of ['x_everything_echo', 'x_memory_read_graph', 'core_service_list']) {
      expect(stdout).toContain(`'${tool}'`);
    }
    expect(stdout).toContain("[ { type: 'text', text: 'Echo: hi' } ]");
  });
});

describe('@corral/api-adapter', () => {
  it('serves the README management API on its port until SIGINT', async () => {
    const example = startExample(examples.managementApi);
    await example.waitForStdout(/service 'memory' is already running/, 60_000);
    const base = `http://127.0.0.1:${context.ports[0]}`;
    const services = await waitFor(
      async () => {
        const response = await fetch(`${base}/api/services`).catch(() => undefined);
        return response?.ok === true
          ? ((await response.json()) as { services: { name: string; state: string }[] })
          : undefined;
      },
      { timeoutMs: 20_000, description: `${base}/api/services answering` },
    );
    expect(services.services.map((s) => [s.name, s.state])).toEqual([['memory', 'running']]);
    expect((await fetch(`${base}/healthz`)).status).toBe(503); // as the README says: no aggregator
    expect(example.stdout()).toContain("state: 'running'");

    example.child.kill('SIGINT');
    const finished = await example.finished;
    expect(finished.code, describeRun(finished)).toBe(0);
  });
});

describe('@corral/testing', () => {
  it("passes the README's example test, run with vitest in the user's project", async () => {
    const report = join(project.dir, 'vitest-report.json');
    const result = await run(
      process.execPath,
      [
        join(project.dir, 'node_modules/vitest/vitest.mjs'),
        'run',
        examples.testing.file,
        '--reporter=json',
        `--outputFile=${report}`,
      ],
      { cwd: project.dir, timeoutMs: 120_000 },
    );
    expect(result.code, describeRun(result)).toBe(0);
    const summary = JSON.parse(await readFile(report, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
    };
    expect(summary).toMatchObject({ numPassedTests: 3, numFailedTests: 0 });
  });
});

describe('@corral/gateway', () => {
  it('answers npx corral --version with its version', async () => {
    const result = await run('npx', ['corral', '--version'], {
      cwd: project.dir,
      timeoutMs: 60_000,
    });
    expect(result.code, describeRun(result)).toBe(0);
    const manifest = JSON.parse(
      await readFile(join(project.dir, 'node_modules/@corral/gateway/package.json'), 'utf8'),
    ) as { version: string };
    expect(result.stdout.trim()).toBe(manifest.version);
  });

  it('writes a starter with corral init that corral validate accepts', async () => {
    const init = await run('npx', ['corral', 'init', 'corral.yaml', '--force'], {
      cwd: project.dir,
      timeoutMs: 60_000,
    });
    expect(init.code, describeRun(init)).toBe(0);
    const validate = await run('npx', ['corral', 'validate', 'corral.yaml'], {
      cwd: project.dir,
      timeoutMs: 60_000,
    });
    expect(validate.code, describeRun(validate)).toBe(0);
    expect(validate.stdout).toContain('corral.yaml: valid — 2 MCP servers');
  });

  it('serves the starter on --port 0 to an SDK client, and leaves nothing behind on SIGTERM', async () => {
    await writeFile(
      join(project.dir, 'client.mjs'),
      [
        "import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';",
        "const client = new Client({ name: 'pack-check', version: '1.0.0' });",
        'await client.connect(new StreamableHTTPClientTransport(new URL(process.argv[2])));',
        'const { tools } = await client.listTools();',
        "const echo = await client.callTool({ name: 'x_everything_echo', arguments: { message: 'from npm' } });",
        "const graph = await client.callTool({ name: 'x_mem_read_graph', arguments: {} });",
        'console.log(JSON.stringify({ tools: tools.map((t) => t.name), echo: echo.content, graph: graph.structuredContent ?? graph.content }));',
        'await client.close();',
      ].join('\n'),
    );
    const cli = await project.binEntry('@corral/gateway', 'corral');
    const gateway = start(
      process.execPath,
      [cli, 'serve', '--config', 'corral.yaml', '--port', '0'],
      {
        cwd: project.dir,
      },
    );
    running.push(gateway);
    const [, url] = await gateway.waitForStdout(
      /MCP endpoint \(streamable HTTP\):\s+(http:\/\/127\.0\.0\.1:\d+\/mcp)/,
      60_000,
    );
    expect(url).toBeDefined();

    const client = await run(process.execPath, [join(project.dir, 'client.mjs'), url ?? ''], {
      cwd: project.dir,
      timeoutMs: 60_000,
    });
    expect(client.code, describeRun(client)).toBe(0);
    const answer = JSON.parse(client.stdout) as { tools: string[]; echo: unknown; graph: unknown };
    expect(answer.tools).toEqual(expect.arrayContaining(['x_everything_echo', 'x_mem_read_graph']));
    expect(answer.echo).toEqual([{ type: 'text', text: 'Echo: from npm' }]);
    expect(answer.graph).toBeDefined();

    gateway.child.kill('SIGTERM');
    const finished = await gateway.finished;
    expect(finished.code, describeRun(finished)).toBe(0);
    expect(finished.stderr).toContain('no process of the fleet is left');
  });
});
