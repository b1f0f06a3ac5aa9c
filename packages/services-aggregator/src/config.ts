import { z } from 'zod';

/** How tools are offered: directly, through the four meta-tools, or both. */
export type MetaToolsMode = 'off' | 'replace' | 'beside';

/**
 * The `Aggregator` service type's config: the entry's fields besides core's (`type`,
 * `dependsOn`, `autoStart`, `restart`, `disabled`). Every field has a default.
 */
export interface AggregatorConfig {
  /** Interface to bind (default `127.0.0.1`). Anything else exposes the fleet to the network. */
  readonly host?: string;
  /** TCP port (default 8090; 0 picks a free one). */
  readonly port?: number;
  /** Where MCP is served (default `/mcp`). */
  readonly path?: string;
  /** Serve streamable HTTP (default true). */
  readonly http?: boolean;
  /** Also serve one MCP session on this process's stdin/stdout (default false). */
  readonly stdio?: boolean;
  /** When set, every HTTP request must carry `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** `Host` header hostnames accepted (default: localhost names, plus `host` if specific). */
  readonly allowedHosts?: readonly string[];
  /** `Origin` hostnames accepted from browsers (default: localhost names). */
  readonly allowedOrigins?: readonly string[];
  /** Lift the denylist: every tool may be called (default false). */
  readonly yolo?: boolean;
  /** Extra entries to refuse, and entries to let through even so (see the README). */
  readonly denylist?: { readonly add?: readonly string[]; readonly allow?: readonly string[] };
  /** First part of exposed names: `x_<server>_<tool>` (default `x`; `""` for none). */
  readonly prefix?: string;
  /** How long list changes are gathered before clients are told, in ms (default 100). */
  readonly debounceMs?: number;
  /** An HTTP session with no request for this long is closed, in ms (default 30 min). */
  readonly sessionIdleTimeoutMs?: number;
  /** The most a listing waits for one slow provider, in ms (default 5 000). */
  readonly listDeadlineMs?: number;
  /** `off` (default), `replace` (only the meta-tools are listed) or `beside` (both). */
  readonly metaTools?: MetaToolsMode;
}

/** A config with every default applied. */
export interface AggregatorSettings {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly http: boolean;
  readonly stdio: boolean;
  readonly token: string | undefined;
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly yolo: boolean;
  readonly denylist: { readonly add: readonly string[]; readonly allow: readonly string[] };
  readonly prefix: string;
  readonly debounceMs: number;
  readonly sessionIdleTimeoutMs: number;
  readonly listDeadlineMs: number;
  readonly metaTools: MetaToolsMode;
}

export const aggregatorDefaults = {
  host: '127.0.0.1',
  port: 8090,
  path: '/mcp',
  prefix: 'x',
  debounceMs: 100,
  sessionIdleTimeoutMs: 30 * 60 * 1000,
  listDeadlineMs: 5_000,
  metaTools: 'off',
} as const;

/** Hostnames that always mean this machine. */
const localhostNames = ['localhost', '127.0.0.1', '[::1]'];
const anyInterface = new Set(['0.0.0.0', '::', '[::]', '']);

const milliseconds = (example: number, allowZero: boolean) =>
  z
    .number({ error: `must be a number of milliseconds, e.g. ${example}` })
    .int({ error: `must be a whole number of milliseconds, e.g. ${example}` })
    .min(allowZero ? 0 : 1, {
      error: `must be ${allowZero ? 'zero or a positive' : 'a positive'} number of milliseconds, e.g. ${example}`,
    });

const patterns = (what: string) =>
  z.array(
    z
      .string({ error: `must be a tool name, a word or a glob, e.g. ${what}` })
      .min(1, { error: 'must not be empty' }),
    { error: `must be a list of tool names, words or globs, e.g. [${what}]` },
  );

const hostnames = (example: string) =>
  z.array(
    z
      .string({ error: `must be a hostname without scheme or port, e.g. ${example}` })
      .min(1, { error: 'must not be empty' })
      .refine((name) => !name.includes('://') && !/:\d+$/.test(name), {
        error: `must be a hostname without scheme or port, e.g. ${example}`,
      }),
    { error: `must be a list of hostnames, e.g. [${example}]` },
  );

/** Validates an `Aggregator` entry; problems name the field and say what to write. */
export const aggregatorConfigSchema = z
  .strictObject(
    {
      host: z
        .string({ error: 'must be an interface address, e.g. 127.0.0.1' })
        .min(1, { error: 'must not be empty: use 127.0.0.1 (the default)' })
        .optional(),
      port: z
        .number({ error: 'must be a TCP port number, e.g. 8090' })
        .int({ error: 'must be a whole TCP port number, e.g. 8090' })
        .min(0, { error: 'must be between 0 (any free port) and 65535' })
        .max(65_535, { error: 'must be between 0 (any free port) and 65535' })
        .optional(),
      path: z
        .string({ error: 'must be a URL path, e.g. /mcp' })
        .regex(/^\/[A-Za-z0-9._~\-/]*$/, {
          error: 'must be a URL path starting with "/", e.g. /mcp',
        })
        .optional(),
      http: z.boolean({ error: 'must be true or false' }).optional(),
      stdio: z.boolean({ error: 'must be true or false' }).optional(),
      token: z
        .string({ error: 'must be a string: the bearer token clients must send' })
        .min(16, { error: 'must be at least 16 characters: a guessable token protects nothing' })
        .optional(),
      allowedHosts: hostnames('localhost').optional(),
      allowedOrigins: hostnames('localhost').optional(),
      yolo: z.boolean({ error: 'must be true or false' }).optional(),
      denylist: z
        .strictObject(
          {
            add: patterns('"k8s_*"').optional(),
            allow: patterns('"x_k8s_scale_deployment"').optional(),
          },
          { error: 'must be an object with "add" and/or "allow" lists' },
        )
        .optional(),
      prefix: z
        .string({ error: 'must be a string of letters, digits, "_" or "-", e.g. x' })
        .regex(/^[A-Za-z0-9_-]{0,16}$/, {
          error: 'must be at most 16 letters, digits, "_" or "-", e.g. x ("" for none)',
        })
        .optional(),
      debounceMs: milliseconds(100, true).optional(),
      sessionIdleTimeoutMs: milliseconds(1_800_000, false).optional(),
      listDeadlineMs: milliseconds(5_000, false).optional(),
      metaTools: z
        .enum(['off', 'replace', 'beside'], {
          error: 'must be off, replace (list only the meta-tools) or beside (list both)',
        })
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}: the ` +
            'Aggregator accepts host, port, path, http, stdio, token, allowedHosts, ' +
            'allowedOrigins, yolo, denylist, prefix, debounceMs, sessionIdleTimeoutMs, ' +
            'listDeadlineMs and metaTools'
          : 'must be an object',
    },
  )
  .refine((config) => config.http !== false || config.stdio === true, {
    error: 'serves nothing: with http: false, set stdio: true',
  });

/** Applies the defaults to a validated config. */
export function resolveAggregatorSettings(config: AggregatorConfig = {}): AggregatorSettings {
  const host = config.host ?? aggregatorDefaults.host;
  const specific = anyInterface.has(host) ? [] : [host.includes(':') ? `[${host}]` : host];
  return {
    host,
    port: config.port ?? aggregatorDefaults.port,
    path: config.path ?? aggregatorDefaults.path,
    http: config.http ?? true,
    stdio: config.stdio ?? false,
    token: config.token,
    allowedHosts: config.allowedHosts ?? unique([...localhostNames, ...specific]),
    allowedOrigins: config.allowedOrigins ?? localhostNames,
    yolo: config.yolo ?? false,
    denylist: { add: config.denylist?.add ?? [], allow: config.denylist?.allow ?? [] },
    prefix: config.prefix ?? aggregatorDefaults.prefix,
    debounceMs: config.debounceMs ?? aggregatorDefaults.debounceMs,
    sessionIdleTimeoutMs: config.sessionIdleTimeoutMs ?? aggregatorDefaults.sessionIdleTimeoutMs,
    listDeadlineMs: config.listDeadlineMs ?? aggregatorDefaults.listDeadlineMs,
    metaTools: config.metaTools ?? aggregatorDefaults.metaTools,
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
