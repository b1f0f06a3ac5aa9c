// The README examples the installed packages must run, and the few changes the test makes to
// them. Every change is listed here with its reason; everything else runs as a user copies it.
import type { ExampleLocation, Substitution } from './readme.js';

export interface ExampleContext {
  /** The JS entries of the reference servers installed in the temp project. */
  readonly everythingEntry: string;
  readonly memoryEntry: string;
  /** A file in the temp project for server-memory's knowledge graph. */
  readonly memoryFile: string;
  /** Free TCP ports on 127.0.0.1, for examples that name a fixed port. */
  readonly ports: readonly [number, number];
}

export interface Example extends ExampleLocation {
  /** The file it is saved as in the temp project. */
  readonly file: string;
  /**
   * What the README says to install for it; its imports must all be among these. Undefined:
   * the README's `npm i` line.
   */
  readonly installs?: readonly string[];
  substitutions(context: ExampleContext): Substitution[];
}

/** npx fetches from the registry at run time; the READMEs' own advice for offline use instead. */
function localServers(
  context: ExampleContext,
  servers: readonly ('everything' | 'memory')[],
): Substitution[] {
  const why = 'the README: offline, install the server and run its JS entry with process.execPath';
  const entries = { everything: context.everythingEntry, memory: context.memoryEntry };
  return [
    { from: "command: 'npx'", to: 'command: process.execPath', why },
    ...servers.map((server) => ({
      from: `args: ['-y', '@modelcontextprotocol/server-${server}']`,
      to: `args: [${JSON.stringify(entries[server])}]`,
      why,
    })),
  ];
}

function memoryFile(context: ExampleContext): Substitution {
  return {
    from: "'/tmp/corral-memory.jsonl'",
    to: JSON.stringify(context.memoryFile),
    why: 'keep the knowledge graph inside the temp project',
  };
}

export const examples = {
  core: {
    readme: 'packages/core/README.md',
    heading: 'A service type of your own',
    lang: 'ts',
    file: 'core-timers.ts',
    substitutions: () => [],
  },
  pluginAuthor: {
    readme: 'apps/plugin-example/README.md',
    heading: 'How to write a plugin',
    lang: 'ts',
    file: 'echo.ts',
    // "save it as echo.ts in a package that depends on @corral/core and zod"
    installs: ['@corral/core', 'zod'],
    substitutions: (context) => [
      { from: 'port: 7007', to: `port: ${context.ports[0]}`, why: 'a free port' },
      { from: 'port: 7008', to: `port: ${context.ports[1]}`, why: 'a free port' },
    ],
  },
  mcpServers: {
    readme: 'packages/services-mcpserver/README.md',
    heading: 'Two MCP servers from a Node script',
    lang: 'ts',
    file: 'two-servers.ts',
    substitutions: (context) => [
      ...localServers(context, ['everything', 'memory']),
      memoryFile(context),
    ],
  },
  mcpServerByHand: {
    readme: 'packages/services-mcpserver/README.md',
    heading: 'Two MCP servers from a Node script',
    lang: 'ts',
    index: 1,
    file: 'one-server.ts',
    substitutions: (context) => localServers(context, ['memory']),
  },
  fullStack: {
    readme: 'packages/services-aggregator/README.md',
    heading: 'Embedding: two servers behind one endpoint',
    lang: 'ts',
    file: 'full-stack.ts',
    substitutions: (context) => [
      ...localServers(context, ['everything', 'memory']),
      memoryFile(context),
      {
        from: "{ type: 'Aggregator' }",
        to: "{ type: 'Aggregator', port: 0 }",
        why: 'a free port (the README: `0` picks a free one)',
      },
      {
        from: "import { mcpServerPlugin } from '@corral/services-mcpserver';",
        to: "import { mcpServerPlugin } from '@corral/services-mcpserver';\nimport { apiAdapterPlugin } from '@corral/api-adapter';",
        why: 'the README: "With @corral/api-adapter among the plugins, the same endpoint also offers the core_* tools"',
      },
      {
        from: 'plugins: [mcpServerPlugin, aggregatorPlugin]',
        to: 'plugins: [mcpServerPlugin, aggregatorPlugin, apiAdapterPlugin]',
        why: 'the same: the full stack',
      },
    ],
  },
  managementApi: {
    readme: 'packages/api-adapter/README.md',
    heading: 'Embedding: a fleet with its management API',
    lang: 'ts',
    file: 'management-api.ts',
    substitutions: (context) => [
      ...localServers(context, ['memory']),
      memoryFile(context),
      { from: 'port: 8091', to: `port: ${context.ports[0]}`, why: 'a free port' },
    ],
  },
  testing: {
    readme: 'packages/testing/README.md',
    heading: 'A test with a fixture and a reference server',
    lang: 'ts',
    file: 'readme.test.ts',
    // `npm i -D @corral/testing @modelcontextprotocol/client`, in a project that tests with vitest
    installs: ['@corral/testing', '@modelcontextprotocol/client', 'vitest'],
    substitutions: () => [],
  },
} satisfies Record<string, Example>;
