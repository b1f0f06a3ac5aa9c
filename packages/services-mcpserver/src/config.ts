import type { StandardSchemaV1 } from '@corral/core';
import { z } from 'zod';

/** How a remote server is spoken to. */
export type RemoteTransportKind = 'streamable-http' | 'sse';
export type TransportKind = 'stdio' | RemoteTransportKind;

/** Liveness pings: every transport is pinged while running (core probes them). */
export interface PingConfig {
  /** How often, in ms (default 15 000). */
  readonly intervalMs?: number;
  /** How long one ping may take, in ms (default 5 000). */
  readonly timeoutMs?: number;
  /** Failed pings in a row that mark the server failed (default 3). */
  readonly failures?: number;
}

/**
 * The `MCPServer` service type's config: the entry's fields besides core's (`type`, `dependsOn`,
 * `autoStart`, `restart`, `disabled`). Give `command` for a local server over stdio, or `url`
 * for a remote one.
 */
export interface MCPServerConfig {
  /** The program to run (no shell is used), e.g. `npx` or `node`. */
  readonly command?: string;
  readonly args?: readonly string[];
  /** Added to a safe default environment (HOME, PATH, …). Values never appear in status. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** The remote server's endpoint, e.g. `http://127.0.0.1:9000/mcp`. */
  readonly url?: string;
  /** Sent with every request (e.g. `Authorization`). Values never appear in status. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * `stdio` with `command`; `streamable-http` (default) or `sse` with `url`. (The gateway's
   * `mcpServers` entries call this `type`; in a service entry `type` is the service type.)
   */
  readonly transport?: TransportKind;
  /** Seconds that start (connect, initialize, list) may take; also each request's default (30). */
  readonly timeout?: number;
  /** Prefix for this server's tools next to others' (default: the service name; "" for none). */
  readonly toolPrefix?: string;
  readonly ping?: PingConfig;
  /** Stop: after stdin ends, and again after SIGTERM, how long to wait, in ms (default 2 000). */
  readonly stopGraceMs?: number;
}

export const mcpServerDefaults = {
  timeoutSeconds: 30,
  ping: { intervalMs: 15_000, timeoutMs: 5_000, failures: 3 },
  stopGraceMs: 2_000,
  transport: 'streamable-http',
} as const;

const stdioOnly = ['args', 'env', 'cwd'] as const;
const remoteOnly = ['headers'] as const;
const fieldNames = [
  'command',
  'args',
  'env',
  'cwd',
  'url',
  'headers',
  'transport',
  'timeout',
  'toolPrefix',
  'ping',
  'stopGraceMs',
];

const milliseconds = (example: number, allowZero: boolean) =>
  z
    .number({ error: `must be a number of milliseconds, e.g. ${example}` })
    .int({ error: `must be a whole number of milliseconds, e.g. ${example}` })
    .min(allowZero ? 0 : 1, {
      error: `must be ${allowZero ? 'zero or a positive' : 'a positive'} number of milliseconds, e.g. ${example}`,
    });

const stringMap = (what: string, example: string) =>
  z.record(z.string(), z.string({ error: `must be a string: quote the value, e.g. ${example}` }), {
    error: `must map ${what} to string values, e.g. { ${example} }`,
  });

const schema = z
  .strictObject(
    {
      command: z
        .string({
          error: 'must be a string: the program to run, e.g. "npx" (put its arguments in args)',
        })
        .min(1, { error: 'must not be empty: give the program to run, e.g. "npx"' })
        .optional(),
      args: z
        .array(z.string({ error: 'must be a string: quote every argument' }), {
          error: 'must be a list of strings, e.g. ["-y", "@modelcontextprotocol/server-memory"]',
        })
        .optional(),
      env: stringMap('variable names', 'API_KEY: "…"').optional(),
      cwd: z
        .string({ error: 'must be a directory path (a string)' })
        .min(1, { error: 'must not be empty: give a directory, or leave cwd out' })
        .optional(),
      url: z
        .string({
          error: 'must be a string: the server endpoint, e.g. "http://127.0.0.1:9000/mcp"',
        })
        .refine(isHttpUrl, {
          error:
            'is not a valid absolute http(s) URL: give the server endpoint, e.g. ' +
            '"http://127.0.0.1:9000/mcp" (streamable-http) or "http://127.0.0.1:9000/sse" (sse)',
        })
        .optional(),
      headers: stringMap('header names', 'Authorization: "Bearer …"').optional(),
      transport: z
        .enum(['stdio', 'streamable-http', 'sse'], {
          error: 'must be one of stdio, streamable-http, sse',
        })
        .optional(),
      timeout: z
        .number({ error: 'must be a number of seconds, e.g. 30' })
        .gt(0, { error: 'must be a positive number of seconds, e.g. 30 (the default)' })
        .refine(Number.isFinite, { error: 'must be a finite number of seconds, e.g. 30' })
        .optional(),
      toolPrefix: z
        .string({ error: 'must be a string, e.g. "github" (or "" for no prefix)' })
        .regex(/^[A-Za-z0-9_-]*$/, {
          error: 'may hold only letters, digits, "_" and "-" (tool names must stay valid)',
        })
        .max(32, { error: 'must be at most 32 characters: tool names are limited to 64' })
        .optional(),
      ping: z
        .strictObject(
          {
            intervalMs: milliseconds(mcpServerDefaults.ping.intervalMs, false).optional(),
            timeoutMs: milliseconds(mcpServerDefaults.ping.timeoutMs, false).optional(),
            failures: z
              .number({ error: 'must be a whole number of failed pings, e.g. 3' })
              .int({ error: 'must be a whole number of failed pings, e.g. 3' })
              .min(1, { error: 'must be at least 1' })
              .optional(),
          },
          {
            error: (issue) =>
              issue.code === 'unrecognized_keys'
                ? `unknown field${issue.keys.length === 1 ? '' : 's'} ${quoteAll(issue.keys)}: ping takes intervalMs, timeoutMs, failures`
                : 'must be an object, e.g. { intervalMs: 15000, timeoutMs: 5000, failures: 3 }',
          },
        )
        .optional(),
      stopGraceMs: milliseconds(mcpServerDefaults.stopGraceMs, true).optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field${issue.keys.length === 1 ? '' : 's'} ${quoteAll(issue.keys)}: an ` +
            `MCPServer takes ${fieldNames.join(', ')} (besides type, dependsOn, autoStart, ` +
            'restart, disabled). Check the spelling.'
          : undefined,
    },
  )
  .superRefine((config, ctx) => {
    const problem = (path: PropertyKey[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    const { command, url, transport } = config;
    if (command === undefined && url === undefined) {
      problem(
        ['command'],
        'is required (or url): give command (and args) to run a local server over stdio, e.g. ' +
          'command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] — or url for a ' +
          'remote one, e.g. url: "http://127.0.0.1:9000/mcp"',
      );
      return;
    }
    if (command !== undefined && url !== undefined) {
      problem(
        [],
        'has both command and url: give command to run a local server over stdio, or url to ' +
          'connect to a remote one — not both',
      );
      return;
    }
    if (command !== undefined) {
      for (const field of remoteOnly) {
        if (config[field] !== undefined) {
          problem([field], 'applies to remote servers (url) only: remove it, or use env');
        }
      }
      if (transport !== undefined && transport !== 'stdio') {
        problem(
          ['transport'],
          `is "${transport}", which needs url: a server run from command speaks stdio (leave transport out)`,
        );
      }
    } else {
      for (const field of stdioOnly) {
        if (config[field] !== undefined) {
          problem([field], 'applies to local servers (command) only: remove it, or use headers');
        }
      }
      if (transport === 'stdio') {
        problem(
          ['transport'],
          'is "stdio", which needs command: a url speaks streamable-http (default) or sse',
        );
      }
    }
  });

/**
 * The Standard Schema core validates `MCPServer` entries with (zod 4 implements it). Every issue
 * names its field (core prefixes `services.<name>`), and its message says what to write instead.
 */
export const mcpServerConfigSchema: StandardSchemaV1<unknown, MCPServerConfig> = schema;

/** A config with every default applied and the transport decided: what the service runs on. */
export interface MCPServerSettings {
  readonly transport:
    | {
        readonly kind: 'stdio';
        readonly command: string;
        readonly args: readonly string[];
        readonly env: Readonly<Record<string, string>>;
        readonly cwd: string | undefined;
      }
    | {
        readonly kind: RemoteTransportKind;
        readonly url: string;
        readonly headers: Readonly<Record<string, string>>;
      };
  readonly timeoutMs: number;
  readonly toolPrefix: string | undefined;
  readonly ping: Required<PingConfig>;
  readonly stopGraceMs: number;
}

/** Applies defaults to a validated config. */
export function resolveSettings(config: MCPServerConfig): MCPServerSettings {
  const common = {
    timeoutMs: Math.round((config.timeout ?? mcpServerDefaults.timeoutSeconds) * 1000),
    toolPrefix: config.toolPrefix,
    ping: { ...mcpServerDefaults.ping, ...config.ping },
    stopGraceMs: config.stopGraceMs ?? mcpServerDefaults.stopGraceMs,
  };
  if (config.command !== undefined) {
    return {
      ...common,
      transport: {
        kind: 'stdio',
        command: config.command,
        args: config.args ?? [],
        env: config.env ?? {},
        cwd: config.cwd,
      },
    };
  }
  if (config.url === undefined) {
    throw new TypeError('an MCPServer config needs command or url: validate it first');
  }
  return {
    ...common,
    transport: {
      kind: config.transport === 'sse' ? 'sse' : mcpServerDefaults.transport,
      url: config.url,
      headers: config.headers ?? {},
    },
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function quoteAll(keys: readonly PropertyKey[]): string {
  return keys.map((k) => `"${String(k)}"`).join(', ');
}
