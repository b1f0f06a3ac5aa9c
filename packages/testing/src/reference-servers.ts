import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './ports.js';
import { ServerProcess, type RunningServer } from './server-process.js';

/** The reference MCP servers from the modelcontextprotocol/servers repository that we carry. */
export type ReferenceServerName = 'everything' | 'memory' | 'filesystem';

/** A command for a stdio transport: run `command` with `args`, adding `env` to the environment. */
export interface ReferenceServerCommand {
  readonly command: string;
  readonly args: string[];
  /** Variables to add to (not replace) the environment the server runs with. */
  readonly env: Record<string, string>;
  /** The fresh (or given) directory the server works in: memory's file, filesystem's root. */
  readonly dir?: string;
}

const PACKAGES: Record<ReferenceServerName, string> = {
  everything: '@modelcontextprotocol/server-everything',
  memory: '@modelcontextprotocol/server-memory',
  filesystem: '@modelcontextprotocol/server-filesystem',
};

const require = createRequire(import.meta.url);

/**
 * Absolute path of a reference server's JS entry, read from its package's `bin` (under pnpm the
 * `.bin` shims are shell scripts, so spawn this file with `process.execPath` instead).
 */
export function referenceServerPath(name: ReferenceServerName): string {
  const manifestPath = require.resolve(`${PACKAGES[name]}/package.json`);
  const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bin =
    typeof manifest === 'object' && manifest !== null && 'bin' in manifest
      ? manifest.bin
      : undefined;
  const entry =
    typeof bin === 'string'
      ? bin
      : typeof bin === 'object' && bin !== null
        ? Object.values(bin).find((value) => typeof value === 'string')
        : undefined;
  if (typeof entry !== 'string') throw new Error(`${PACKAGES[name]} declares no bin entry`);
  return join(dirname(manifestPath), entry);
}

/**
 * The stdio command for a reference server. `memory` keeps its graph in a fresh temporary
 * directory (`MEMORY_FILE_PATH`; otherwise it writes inside node_modules); `filesystem` may
 * touch only `options.dir`, or a fresh temporary directory.
 */
export function referenceServer(
  name: ReferenceServerName,
  options: { readonly dir?: string } = {},
): ReferenceServerCommand {
  const entry = referenceServerPath(name);
  switch (name) {
    case 'everything':
      return { command: process.execPath, args: [entry, 'stdio'], env: {} };
    case 'memory': {
      const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'corral-memory-'));
      return {
        command: process.execPath,
        args: [entry],
        env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
        dir,
      };
    }
    case 'filesystem': {
      const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'corral-filesystem-'));
      return { command: process.execPath, args: [entry, dir], env: {}, dir };
    }
  }
}

export interface StartReferenceServerOptions {
  readonly transport: 'streamable-http' | 'sse';
  /** Give up if it does not accept connections after this long (default 30 s). */
  readonly startTimeoutMs?: number;
}

const START_ATTEMPTS = 3;

/**
 * Starts server-everything over streamable HTTP (`…/mcp`) or SSE (`…/sse`) in its own process
 * group. It takes its port from `PORT` and listens on every interface; the URL is always on
 * 127.0.0.1. Resolves once the port accepts connections. Close it to kill the whole group.
 */
export async function startReferenceServer(
  name: 'everything',
  options: StartReferenceServerOptions,
): Promise<RunningServer> {
  const entry = referenceServerPath(name);
  const mode = options.transport === 'sse' ? 'sse' : 'streamableHttp';
  const path = options.transport === 'sse' ? '/sse' : '/mcp';
  for (let attempt = 1; ; attempt++) {
    // It cannot report a port it picked itself, so pick one for it (and retry if taken meanwhile).
    const port = await freePort();
    const server = ServerProcess.spawn(process.execPath, [entry, mode], {
      ...process.env,
      PORT: String(port),
    });
    try {
      await server.waitUntil(
        () => acceptsConnections(port),
        options.startTimeoutMs ?? 30_000,
        `server-${name} to accept connections on 127.0.0.1:${port}`,
      );
      return server.asRunningServer(`http://127.0.0.1:${port}${path}`);
    } catch (error) {
      await server.close();
      if (attempt < START_ATTEMPTS && /EADDRINUSE|already in use/.test(server.stderr())) continue;
      throw error;
    }
  }
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
